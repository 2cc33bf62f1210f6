/** `--prices FILE`: a JSON or YAML document with any subset of the price list, merged over the defaults. */
import { parseMappingDocument, readInputFile } from '../model/input-file.js';
import { SchemaCheck } from '../model/schema-check.js';
import { DEFAULT_PRICES, type CostDestinationType, type PriceList, type TypeRates } from './model.js';
import { pricesFixHints, pricesSchema } from './prices-schema.js';

const schema = new SchemaCheck(pricesSchema, pricesFixHints);

interface RawPrices {
  currency?: string;
  source?: string;
  crossAzUsdPerGbPerSide?: number;
  destinationTypes?: Partial<Record<CostDestinationType, Partial<TypeRates>>>;
}

/** Parses a price override (shape checked by prices-schema.ts); throws InputError with `file:line:col` lines. */
export function parsePrices(text: string, file: string, base: PriceList = DEFAULT_PRICES): PriceList {
  const doc = parseMappingDocument(text, file, '{ "crossAzUsdPerGbPerSide": 0.01, ... } (see generator/cost/prices.ts)')!;
  schema.check(doc, file);
  const raw = doc.value as RawPrices;
  const types = { ...base.destinationTypes } as Record<CostDestinationType, TypeRates>;
  for (const [t, rates] of Object.entries(raw.destinationTypes ?? {}) as Array<[CostDestinationType, Partial<TypeRates>]>) {
    types[t] = { ...types[t], ...rates };
  }
  return {
    currency: raw.currency ?? base.currency,
    source: raw.source ?? `${file} over ${base.source}`,
    crossAzUsdPerGbPerSide: raw.crossAzUsdPerGbPerSide ?? base.crossAzUsdPerGbPerSide,
    destinationTypes: types,
  };
}

export function loadPricesFile(path: string, displayName = path): PriceList {
  return parsePrices(readInputFile(path, displayName, 'prices file', '--prices'), displayName);
}
