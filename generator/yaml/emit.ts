import { dump } from 'js-yaml';

/**
 * A fast YAML writer for the plain JSON-like trees zonal generates (objects, arrays, strings,
 * numbers, booleans, null), producing byte for byte what js-yaml's `dump` writes with
 * DUMP_OPTIONS (block style) or with `flowLevel: 0` (flow style).
 *
 * Why: at 1,000 services `zonal generate` spent more than half its time in js-yaml, which builds
 * an AST of every object and runs its scalar styler on every string. The structure of our trees is
 * simple; what decides the bytes is how each scalar is written, and that is asked of js-yaml
 * itself, once per distinct scalar (SCALARS cache). Only strings of these shapes skip the question:
 * obviously plain (a letter, then letters, digits and `_./=-`, not a YAML 1.1 boolean or null),
 * decimal digits and the YAML 1.1 spellings of booleans and null (always double-quoted), dotted
 * quads (plain), and words led by a digit with a letter no number can hold (plain).
 * Anything outside the subset (a line break in a string, a non-plain object, a long key) makes the
 * caller fall back to js-yaml for the whole value (Unsupported): output never depends on which path
 * ran. test/yaml/emit.test.ts checks the equality on every bundled example and on random trees.
 */
export const DUMP_OPTIONS = { lineWidth: -1, noRefs: true, quoteStyle: 'double' as const };
const FLOW_OPTIONS = { ...DUMP_OPTIONS, flowLevel: 0 };

/** Raised when a tree is outside the subset this writer handles; the caller uses js-yaml. */
class Unsupported extends Error {}

/** Plain in every position unless it is a YAML 1.1 boolean/null word (those go through js-yaml). */
const OBVIOUSLY_PLAIN = /^[A-Za-z][A-Za-z0-9_./=-]*$/;
const WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
/** The spellings of those words YAML 1.1 resolves (to a boolean or null): js-yaml double-quotes them everywhere. */
const RESOLVED_WORDS = /^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
/** Decimal digits read as an integer: js-yaml double-quotes them in every position (ports, counts as strings). */
const DIGITS = /^[0-9]{1,20}$/;
/** A dotted quad (IPv4 address) is no number in YAML: plain in every position. */
const DOTTED_QUAD = /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/;
/**
 * Led by a digit, then letters, digits and `_./=-` (`5s`, `256Mi`, ECR image repositories, which
 * start with the account id): plain in every position when one of its letters is none that a YAML
 * 1.1 number, date or time can hold (those use only a-f, i, n, o, t, x and z: hex digits,
 * exponents, .inf and .nan, 0o and 0x, T and Z). Asking js-yaml about each image repository was a
 * tenth of a small generation.
 */
const DIGIT_LED = /^[0-9][A-Za-z0-9_./=-]*$/;
const NO_NUMBER_LETTER = /[ghjklmpqrsuvwyGHJKLMPQRSUVWY]/;

type Position = 'key' | 'value' | 'flowKey' | 'flowValue';

/** js-yaml's form of each scalar that is not obviously plain, per position (bounded: see remember). */
const SCALARS: Record<Position, Map<unknown, string>> = { key: new Map(), value: new Map(), flowKey: new Map(), flowValue: new Map() };
const CACHE_LIMIT = 100_000;

/** What js-yaml writes for one scalar in a position; Unsupported when that is not one line. */
function askJsYaml(s: string | number, position: Position): string {
  const flow = position === 'flowKey' || position === 'flowValue';
  const text = position === 'key' || position === 'flowKey'
    ? dump({ [s]: 0 }, flow ? FLOW_OPTIONS : DUMP_OPTIONS)
    : dump({ a: s }, flow ? FLOW_OPTIONS : DUMP_OPTIONS);
  const m = (position === 'key' ? /^(.*): 0\n$/ : position === 'value' ? /^a: (.*)\n$/ : position === 'flowKey' ? /^\{(.*): 0\}\n$/ : /^\{a: (.*)\}\n$/).exec(text);
  if (!m || m[1]!.includes('\n')) throw new Unsupported();
  return m[1]!;
}

function scalar(v: string | number, position: Position): string {
  if (typeof v === 'string') {
    // An implicit key is at most 1,024 characters long: js-yaml writes longer ones as `? key`.
    const plainFits = v.length <= 1000 || position === 'value' || position === 'flowValue';
    if (plainFits && OBVIOUSLY_PLAIN.test(v) && !WORDS.test(v)) return v;
    if (DIGITS.test(v) || RESOLVED_WORDS.test(v)) return `"${v}"`;
    if (DOTTED_QUAD.test(v)) return v;
    if (plainFits && DIGIT_LED.test(v) && NO_NUMBER_LETTER.test(v)) return v;
    if (v.includes('\n') || v.includes('\r')) throw new Unsupported();
  } else if (Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 1e21) return String(v);
  const cache = SCALARS[position];
  let form = cache.get(v);
  if (form === undefined) {
    form = askJsYaml(v, position);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(v, form);
  }
  return form;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A scalar's text in a value position, or undefined for an object (a collection). */
function scalarText(v: unknown, position: 'value' | 'flowValue'): string | undefined {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
    case 'number':
      return scalar(v, position);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return undefined;
    default:
      throw new Unsupported();
  }
}

/** A leaf written on its key's (or dash's) line, or undefined for a non-empty collection. */
function inline(v: unknown): string | undefined {
  const text = scalarText(v, 'value');
  if (text !== undefined) return text;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (!isPlainObject(v as object)) throw new Unsupported();
  const map = v as Record<string, unknown>;
  for (const k in map) if (map[k] !== undefined) return undefined;
  return '{}';
}

/** Lines of a non-empty collection at `pad`; the first line's pad is left to the caller (`- ` items). */
function block(v: object, pad: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      const leaf = inline(item === undefined ? null : item);
      if (leaf !== undefined) {
        out.push(`${pad}- ${leaf}`);
        continue;
      }
      const start = out.length;
      block(item as object, `${pad}  `, out);
      out[start] = `${pad}- ${out[start]!.slice(pad.length + 2)}`;
    }
    return;
  }
  const map = v as Record<string, unknown>;
  for (const k in map) {
    const value = map[k];
    if (value === undefined) continue;
    const key = scalar(k, 'key');
    const leaf = inline(value);
    if (leaf !== undefined) out.push(`${pad}${key}: ${leaf}`);
    else {
      out.push(`${pad}${key}:`);
      block(value as object, `${pad}  `, out);
    }
  }
}

function flow(v: unknown): string {
  const text = scalarText(v, 'flowValue');
  if (text !== undefined) return text;
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (!isPlainObject(v as object)) throw new Unsupported();
  const map = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k in map) if (map[k] !== undefined) parts.push(`${scalar(k, 'flowKey')}: ${flow(map[k])}`);
  return `{${parts.join(', ')}}`;
}

/** A document marker cannot begin a scalar that is a whole document: js-yaml quotes it there. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=$|[ \t\n\r])/;

/**
 * A scalar that is the whole document, block or flow: js-yaml writes it as in a block mapping's
 * value, except a string led by a document marker. Values files write one such line per key of
 * every service after the first (`replicas: 3`), and each went through js-yaml.
 */
function documentScalar(v: unknown): string | undefined {
  if (v === undefined || (typeof v === 'string' && DOCUMENT_MARKER.test(v))) throw new Unsupported();
  return scalarText(v, 'value');
}

/** Block YAML, the same bytes as js-yaml `dump(value, DUMP_OPTIONS)`. */
export function blockYaml(value: unknown): string {
  try {
    const scalarForm = documentScalar(value);
    if (scalarForm !== undefined) return `${scalarForm}\n`;
    const leaf = inline(value);
    if (leaf !== undefined) return `${leaf}\n`;
    const out: string[] = [];
    block(value as object, '', out);
    return `${out.join('\n')}\n`;
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  return dump(value, DUMP_OPTIONS);
}

/** A block mapping key as js-yaml writes it (`? key` forms excepted: those are split at the colon, as before). */
export function blockKey(key: string): string {
  try {
    return scalar(key, 'key');
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return dump({ [key]: null }, DUMP_OPTIONS).split(':')[0]!;
  }
}

/**
 * The lines of `blockYaml(value)` (a mapping or sequence), each after `pad`, without the final
 * line break; undefined when the value is outside the fast path (the caller then splits js-yaml's
 * text). Saves joining and splitting again for callers that work line by line (chart/helm-yaml.ts).
 */
export function blockLines(value: object, pad = ''): string[] | undefined {
  try {
    const leaf = inline(value);
    if (leaf !== undefined) return [`${pad}${leaf}`];
    const out: string[] = [];
    block(value, pad, out);
    return out;
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return undefined;
  }
}

/**
 * One-line flow YAML of a mapping that the caller walks itself (`write` gets this writer's forms
 * of a key and of a value), the same bytes as flowYaml of the mapping the walk stands for without
 * its final line break; undefined when a key or value is outside the fast path (the caller then
 * builds the mapping and uses flowYaml). Saves building a copy of a tree just to write it.
 */
export function flowMappingYaml(write: (key: (k: string) => string, value: (v: unknown) => string) => string): string | undefined {
  try {
    return write(flowKey, flow);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return undefined;
  }
}

const flowKey = (k: string): string => scalar(k, 'flowKey');

/** One-line flow YAML, the same bytes as js-yaml `dump(value, { ...DUMP_OPTIONS, flowLevel: 0 })`. */
export function flowYaml(value: unknown): string {
  try {
    return `${documentScalar(value) ?? flow(value)}\n`;
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  return dump(value, FLOW_OPTIONS);
}
