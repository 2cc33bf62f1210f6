/**
 * The "lookup" half of zip-lookup: the demo only knows California, so a ZIP code is accepted when it
 * is five digits in California's range (prefixes 900-961) and answered with state "CA".
 */
export const STATE = 'CA';

export type ZipResult = { ok: true; zip: string } | { ok: false; status: 400 | 404; message: string };

export function isCaliforniaZip(zip: string): boolean {
  if (!/^\d{5}$/.test(zip)) return false;
  const prefix = Number(zip.slice(0, 3));
  return prefix >= 900 && prefix <= 961;
}

/** `raw` is the `?zip=` query value as Express parsed it (absent, a string, or an array when repeated). */
export function resolveZip(raw: unknown, fallback: string): ZipResult {
  if (raw === undefined || raw === '') return { ok: true, zip: fallback };
  if (typeof raw !== 'string' || !/^\d{5}$/.test(raw)) {
    return { ok: false, status: 400, message: 'zip must be a 5-digit ZIP code' };
  }
  if (!isCaliforniaZip(raw)) return { ok: false, status: 404, message: `${raw} is not a California ZIP code` };
  return { ok: true, zip: raw };
}
