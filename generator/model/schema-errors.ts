import type { ErrorObject } from 'ajv';
import { displayPath, quoteForMessage, type ProblemCollector } from './problems.js';
import { fixHints } from './values-schema.js';

const patternHints: ReadonlyArray<[RegExp, string]> = [
  [/\[-a-z0-9\]\*\[a-z0-9\]\)\?\$$/, 'use a DNS-1123 name: lower-case letters, digits and "-", starting and ending with a letter or digit'],
  [/\(ms\|s\|m\|h\)/, 'use a duration such as 10s, 1m or 500ms'],
  [/Ki\|Mi/, 'use a Kubernetes quantity such as 100m, 128Mi or 1Gi'],
  [/\{1,3\}/, 'use an IPv4 address or CIDR such as 10.0.0.0/19'],
  [/https:/, 'use the API server URL, e.g. https://kubernetes.default.svc'],
  [/\(\?=/, 'use a lower-case DNS name without scheme or port, e.g. db.example.internal'],
];

/** Fix hints by JSON pointer; a `*` segment matches any one segment (list index or map key). */
export type FixHints = Readonly<Record<string, string>>;

function lookupHint(hints: FixHints, pointer: string): string | undefined {
  const generic = pointer.replace(/\/[0-9]+(?=\/|$)/g, '/*');
  if (hints[generic]) return hints[generic];
  const segments = pointer.split('/');
  for (const [key, hint] of Object.entries(hints)) {
    const ks = key.split('/');
    if (ks.length === segments.length && ks.every((k, i) => k === '*' || k === segments[i])) return hint;
  }
  return undefined;
}

function hintFor(pointer: string, pattern?: string, hints: FixHints = fixHints): string {
  const hint = lookupHint(hints, pointer);
  if (hint) return hint;
  if (pattern) for (const [re, hint] of patternHints) if (re.test(pattern)) return hint;
  return pattern ? `the value must match ${pattern}` : '';
}

/** A schema limit as a person reads it: 1e12, not 1000000000000. */
function limit(n: number): string {
  return Math.abs(n) >= 1e6 ? n.toExponential().replace('e+', 'e') : String(n);
}

function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // NaN, Infinity: JSON would say null
  return typeof value === 'string' ? quoteForMessage(value) : JSON.stringify(value);
}

/**
 * Turns one ajv error into one located problem with a fix. `hints` are the fix texts of the file's
 * schema (values file by default; the scenario and prices files pass their own).
 */
export function reportSchemaError(e: ErrorObject, data: unknown, out: ProblemCollector, hints: FixHints = fixHints): void {
  const where = e.instancePath;
  const path = displayPath(where);
  const actual = where
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties) ?? {});
      out.atKey(`${where}/${key}`, `unknown key "${key}" in ${path}`,
        allowed.length ? `allowed keys: ${allowed.join(', ')}; check the spelling` : 'remove it');
      return;
    }
    case 'required':
      out.atValue(where, `missing required key "${String(p.missingProperty)}" in ${path}`,
        lookupHint(hints, `${where}/${String(p.missingProperty)}`) ?? `add ${String(p.missingProperty)}`);
      return;
    case 'type': {
      const numeric = p.type === 'integer' || p.type === 'number';
      // A number too large for a double (1e999) reaches here as the text the parser kept.
      const overflow = typeof actual === 'string' && /^[-+]?[0-9.]+e[-+]?[0-9]+$/i.test(actual.trim()) && !Number.isFinite(Number(actual));
      const fix = (typeof actual === 'number' && !Number.isFinite(actual)) || overflow ? 'write a finite number'
        : numeric ? 'write a number without quotes' : lookupHint(hints, where) ?? `write a ${String(p.type)}`;
      out.atValue(where, `${path} must be ${String(p.type).replace(/,/g, ' or ')}, got ${show(actual)}`, fix);
      return;
    }
    case 'enum': {
      const hint = lookupHint(hints, where);
      out.atValue(where, `${path} is ${show(actual)}, which is not allowed`, `use one of: ${(p.allowedValues as unknown[]).join(', ')}${hint ? `; ${hint}` : ''}`);
      return;
    }
    case 'const':
      out.atValue(where, `${path} is ${show(actual)}`, `set it to ${String(p.allowedValue)}`);
      return;
    case 'minimum':
    case 'maximum': {
      const limits = (e.parentSchema as { minimum?: number; maximum?: number }) ?? {};
      const range = limits.minimum !== undefined && limits.maximum !== undefined
        ? `between ${limit(limits.minimum)} and ${limit(limits.maximum)}` : `${e.keyword === 'minimum' ? '>=' : '<='} ${limit(Number(p.limit))}`;
      out.atValue(where, `${path} is ${show(actual)}, out of range`, `use a value ${range}${lookupHint(hints, where) ? `; ${lookupHint(hints, where)}` : ''}`);
      return;
    }
    case 'minItems':
      out.atValue(where, `${path} has ${Array.isArray(actual) ? actual.length : 0} item(s), needs at least ${String(p.limit)}`, hintFor(where, undefined, hints) || `add items`);
      return;
    case 'minLength':
      out.atValue(where, `${path} is empty`, 'give it a value');
      return;
    case 'maxLength':
      out.atValue(where, `${path} ${show(actual)} is longer than ${String(p.limit)} characters`, hintFor(where, undefined, hints) || 'shorten it');
      return;
    case 'pattern':
      out.atValue(where, `${path} ${show(actual)} is not valid`, hintFor(where, String(p.pattern), hints));
      return;
    case 'propertyNames':
      return; // ajv also reports the offending name through a pattern error on the key
    default:
      out.atValue(where, `${path} ${e.message ?? 'is invalid'}`, '');
  }
}
