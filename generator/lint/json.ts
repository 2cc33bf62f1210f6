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

/**
 * Reads a nested value by path segments. Indexed loops here and in strMap: the rules call these on
 * every object, in code that has not been optimised yet, where a for-of loop allocates a result
 * object per step (`at`'s loop was the largest such site of a 100-service generation: a tenth of it).
 */
export function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = rec(cur)?.[seg];
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const r = rec(v);
  if (!r) return out;
  const keys = Object.keys(r);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const val = r[k];
    if (val !== null && val !== undefined) out[k] = String(val);
  }
  return out;
}
