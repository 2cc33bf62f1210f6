/**
 * Values-file rules for `routing.mode: zone-aware` (Istio 1.31 zoneAwareLbSetting): the mesh
 * version must have the field, and minClusterSize belongs to that mode only.
 */
import type { ProblemCollector } from './problems.js';
import { DEFAULTS } from './defaults.js';
import { ZONE_AWARE_FIRST_MINOR } from '../istio/versions.js';

/** The first Istio minor whose DestinationRule has zoneAwareLbSetting (the Istio core's version table). */
export const ZONE_AWARE_MIN_ISTIO = { major: Number(ZONE_AWARE_FIRST_MINOR.split('.')[0]), minor: Number(ZONE_AWARE_FIRST_MINOR.split('.')[1]) } as const;

interface RawRouting { mode?: string; mechanism?: string; minClusterSize?: number }
interface RawZoneAwareValues {
  mesh?: { istioVersion?: string };
  services?: Array<{ name: string; routing?: RawRouting }>;
  externalHosts?: Array<{ name: string; routing?: RawRouting }>;
}

/** True when `version` (e.g. "1.31.1") is at least 1.31. */
export function istioHasZoneAware(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > ZONE_AWARE_MIN_ISTIO.major || (major === ZONE_AWARE_MIN_ISTIO.major && minor >= ZONE_AWARE_MIN_ISTIO.minor);
}

export function checkZoneAware(v: RawZoneAwareValues, out: ProblemCollector): void {
  const version = v.mesh?.istioVersion ?? DEFAULTS.istioVersion;
  const check = (base: string, w: { name: string; routing?: RawRouting }) => {
    const r = w.routing;
    if (!r) return;
    const mode = r.mode ?? 'zone-local';
    if (mode === 'zone-aware') {
      if (!istioHasZoneAware(version)) {
        out.atValue(`${base}/routing/mode`,
          `${w.name}: routing.mode "zone-aware" needs Istio ${ZONE_AWARE_MIN_ISTIO.major}.${ZONE_AWARE_MIN_ISTIO.minor} or later (zoneAwareLbSetting); mesh.istioVersion is "${version}"`,
          `set mesh.istioVersion: "${ZONE_AWARE_MIN_ISTIO.major}.${ZONE_AWARE_MIN_ISTIO.minor}.1" or use routing.mode: zone-local`);
      }
      if (r.mechanism === 'trafficDistribution') {
        out.atValue(`${base}/routing/mechanism`, `${w.name}: mechanism "trafficDistribution" cannot express zone-aware routing`,
          'use mechanism: destinationRule for mode zone-aware');
      }
    } else if (r.minClusterSize !== undefined) {
      out.atValue(`${base}/routing/minClusterSize`, `${w.name}: routing.minClusterSize is only used with mode "zone-aware" (mode is "${mode}")`,
        'set routing.mode: zone-aware or remove minClusterSize');
    }
  };
  (v.services ?? []).forEach((s, i) => check(`/services/${i}`, s));
  (v.externalHosts ?? []).forEach((h, i) => check(`/externalHosts/${i}`, h));
}
