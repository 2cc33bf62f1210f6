/** `--prices FILE`: a JSON or YAML document with any subset of the price list, merged over the defaults. */
import { InputError } from '../errors.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { pointerSegment } from '../yaml/source-map.js';
import { parseMappingDocument, readInputFile } from '../model/input-file.js';
import { DEFAULT_PRICES, type CostDestinationType, type PriceList, type TypeRates } from './model.js';

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parses a price override; throws InputError with `file:line:col` lines. */
export function parsePrices(text: string, file: string, base: PriceList = DEFAULT_PRICES): PriceList {
  const doc = parseMappingDocument(text, file, '{ "crossAzUsdPerGbPerSide": 0.01, ... } (see generator/cost/prices.ts)')!;
  const raw = doc.value as Record<string, unknown>;
  const out = new ProblemCollector(file, doc);
  const money = (pointer: string, v: unknown, what: string): v is number => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return true;
    out.atValue(pointer, `${what} must be a number >= 0, got ${JSON.stringify(v)}`, 'give USD per GB, e.g. 0.01');
    return false;
  };
  const known = ['currency', 'source', 'crossAzUsdPerGbPerSide', 'destinationTypes'];
  for (const k of Object.keys(raw)) if (!known.includes(k)) out.atKey(`/${pointerSegment(k)}`, `unknown key "${k}" in the prices file`, `allowed keys: ${known.join(', ')}`);
  let cross = base.crossAzUsdPerGbPerSide;
  if (raw.crossAzUsdPerGbPerSide !== undefined && money('/crossAzUsdPerGbPerSide', raw.crossAzUsdPerGbPerSide, 'crossAzUsdPerGbPerSide')) cross = raw.crossAzUsdPerGbPerSide;
  const types: Record<string, TypeRates> = { ...base.destinationTypes };
  if (raw.destinationTypes !== undefined) {
    if (!isMap(raw.destinationTypes)) out.atValue('/destinationTypes', 'destinationTypes must be a mapping', 'e.g. { "rds": { "crossAzSidesBilled": 2 } }');
    else {
      for (const [t, r] of Object.entries(raw.destinationTypes)) {
        const p = `/destinationTypes/${pointerSegment(t)}`;
        if (!(t in base.destinationTypes)) {
          out.atKey(p, `unknown destination type "${t}"`, `types: ${Object.keys(base.destinationTypes).join(', ')}`);
          continue;
        }
        if (!isMap(r)) {
          out.atValue(p, `destinationTypes.${t} must be a mapping`, 'e.g. { "crossAzSidesBilled": 2, "processingUsdPerGb": 0 }');
          continue;
        }
        const cur = { ...types[t]! } as { crossAzSidesBilled: number; processingUsdPerGb: number };
        for (const k of Object.keys(r)) {
          if (k !== 'crossAzSidesBilled' && k !== 'processingUsdPerGb') out.atKey(`${p}/${pointerSegment(k)}`, `unknown key "${k}" in destinationTypes.${t}`, 'allowed keys: crossAzSidesBilled, processingUsdPerGb');
        }
        if (r.crossAzSidesBilled !== undefined) {
          if (r.crossAzSidesBilled === 0 || r.crossAzSidesBilled === 1 || r.crossAzSidesBilled === 2) cur.crossAzSidesBilled = r.crossAzSidesBilled;
          else out.atValue(`${p}/crossAzSidesBilled`, `destinationTypes.${t}.crossAzSidesBilled must be 0, 1 or 2`, 'the number of sides AWS bills for a GB that crosses zones');
        }
        if (r.processingUsdPerGb !== undefined && money(`${p}/processingUsdPerGb`, r.processingUsdPerGb, `destinationTypes.${t}.processingUsdPerGb`)) cur.processingUsdPerGb = r.processingUsdPerGb;
        types[t] = cur;
      }
    }
  }
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  return {
    currency: typeof raw.currency === 'string' ? raw.currency : base.currency,
    source: typeof raw.source === 'string' ? raw.source : `${file} over ${base.source}`,
    crossAzUsdPerGbPerSide: cross,
    destinationTypes: types as Record<CostDestinationType, TypeRates>,
  };
}

export function loadPricesFile(path: string, displayName = path): PriceList {
  return parsePrices(readInputFile(path, displayName, 'prices file', '--prices'), displayName);
}
