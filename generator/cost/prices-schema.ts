/**
 * JSON Schema of the `--prices FILE` override (any subset of generator/cost/prices.ts), checked by
 * ajv (model/schema-check.ts) with `file:line:col` errors like the values file.
 */
import { DEFAULT_PRICES } from './model.js';

/** No real rate comes near this; the bound keeps costs of large volumes finite. */
const MAX_USD_PER_GB = 1000;

const usdPerGb = { type: 'number', minimum: 0, maximum: MAX_USD_PER_GB } as const;

const typeRates = {
  type: 'object',
  additionalProperties: false,
  properties: {
    crossAzSidesBilled: { enum: [0, 1, 2] },
    processingUsdPerGb: usdPerGb,
  },
} as const;

export const pricesSchema = {
  $id: 'https://zonal.dev/schemas/prices-v1.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    currency: { type: 'string', minLength: 1 },
    source: { type: 'string', minLength: 1 },
    crossAzUsdPerGbPerSide: usdPerGb,
    destinationTypes: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(Object.keys(DEFAULT_PRICES.destinationTypes).map((t) => [t, typeRates])),
    },
  },
} as const;

/** Fix texts by JSON pointer (`*` = any destination type). */
export const pricesFixHints: Readonly<Record<string, string>> = {
  '/crossAzUsdPerGbPerSide': 'give USD per GB, e.g. 0.01',
  '/destinationTypes': 'e.g. { "rds": { "crossAzSidesBilled": 2 } }',
  '/destinationTypes/*': 'e.g. { "crossAzSidesBilled": 2, "processingUsdPerGb": 0 }',
  '/destinationTypes/*/crossAzSidesBilled': 'the number of sides AWS bills for a GB that crosses zones',
  '/destinationTypes/*/processingUsdPerGb': 'give USD per GB, e.g. 0.01',
};
