/** Loose readers for untyped manifest JSON: they never throw and return undefined for the wrong shape. */

export type Json = Record<string, unknown>;

export function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Reads a nested value by path segments. */
export function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = rec(cur)?.[seg];
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v) ?? {})) if (val !== null && val !== undefined) out[k] = String(val);
  return out;
}
