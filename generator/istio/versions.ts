/**
 * What differs between the Istio minors zonal supports: one row per minor, read by the rest of the
 * core instead of scattered version checks. Each flag names the istiod behaviour it stands for and
 * the release that changed it (checked against the release-1.29 ... release-1.31 branches).
 */
import { InputError } from '../errors.js';

export type IstioMinor = '1.29' | '1.30' | '1.31' | '1.32';

export interface IstioBehaviour {
  readonly minor: IstioMinor;
  /** DestinationRule / MeshConfig `zoneAwareLbSetting` exists (API, webhook, CRD field): 1.31+. */
  readonly zoneAwareLbSetting: boolean;
  /** MeshConfig `defaultTrafficPolicy` is overlaid on DestinationRules that omit a block (applyDefaultTrafficPolicy): 1.31+. */
  readonly meshDefaultTrafficPolicy: boolean;
  /**
   * PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS (default on): not-ready endpoints are sent to Envoy unless the
   * DestinationRule's outlierDetection has minHealthPercent > 0: 1.31+. Before, only a service with
   * a traffic distribution (or PILOT_SEND_UNHEALTHY_ENDPOINTS) had its not-ready endpoints sent.
   */
  readonly autoSendUnhealthyEndpoints: boolean;
  /** The namespace's `networking.istio.io/traffic-distribution` annotation is read: 1.30+. */
  readonly namespaceTrafficDistribution: boolean;
  /**
   * failoverPriority whose first label is the network label does not demote endpoints of another
   * network by that label (they are ranked by the remaining labels, after all same-network ones): 1.31+.
   */
  readonly failoverPriorityNetworkAdjust: boolean;
  /** STRICT_DNS clusters (ServiceEntry resolution DNS) get failoverPriority priorities: 1.30+ (before: ignored). */
  readonly dnsClusterFailoverPriority: boolean;
  /**
   * istiod panics building a STRICT_DNS cluster whose endpoints span several localities when
   * failoverPriority applies (istio/istio#61857, open): 1.30 to 1.32.
   */
  readonly dnsMultiLocalityFailoverPriorityPanics: boolean;
  /** Folder under shared/schemas with this minor's CRDs (the nearest published set). */
  readonly crdSchemaDir: string;
}

const ROWS: Readonly<Record<IstioMinor, IstioBehaviour>> = {
  '1.29': {
    minor: '1.29', zoneAwareLbSetting: false, meshDefaultTrafficPolicy: false, autoSendUnhealthyEndpoints: false,
    namespaceTrafficDistribution: false, failoverPriorityNetworkAdjust: false, dnsClusterFailoverPriority: false,
    dnsMultiLocalityFailoverPriorityPanics: false, crdSchemaDir: 'istio-1.30.3',
  },
  '1.30': {
    minor: '1.30', zoneAwareLbSetting: false, meshDefaultTrafficPolicy: false, autoSendUnhealthyEndpoints: false,
    namespaceTrafficDistribution: true, failoverPriorityNetworkAdjust: false, dnsClusterFailoverPriority: true,
    dnsMultiLocalityFailoverPriorityPanics: true, crdSchemaDir: 'istio-1.30.3',
  },
  '1.31': {
    minor: '1.31', zoneAwareLbSetting: true, meshDefaultTrafficPolicy: true, autoSendUnhealthyEndpoints: true,
    namespaceTrafficDistribution: true, failoverPriorityNetworkAdjust: true, dnsClusterFailoverPriority: true,
    dnsMultiLocalityFailoverPriorityPanics: true, crdSchemaDir: 'istio-1.31',
  },
  '1.32': {
    minor: '1.32', zoneAwareLbSetting: true, meshDefaultTrafficPolicy: true, autoSendUnhealthyEndpoints: true,
    namespaceTrafficDistribution: true, failoverPriorityNetworkAdjust: true, dnsClusterFailoverPriority: true,
    dnsMultiLocalityFailoverPriorityPanics: true, crdSchemaDir: 'istio-1.31',
  },
};

export const SUPPORTED_MINORS: readonly IstioMinor[] = ['1.29', '1.30', '1.31', '1.32'];

/** The first minor whose DestinationRule has `zoneAwareLbSetting` (from the table above). */
export const ZONE_AWARE_FIRST_MINOR: IstioMinor = SUPPORTED_MINORS.find((m) => ROWS[m].zoneAwareLbSetting)!;

/** The control-plane version zonal assumes when none is configured: the newest 1.31 patch. */
export const DEFAULT_ISTIO_VERSION = '1.31.1';

/** `1.31`, `1.31.1`, `v1.30.5` or `1.31.x` -> its minor, or undefined when it is not one zonal supports. */
export function istioMinor(version: string): IstioMinor | undefined {
  const m = /^v?(\d+)\.(\d+)(\.(\d+|x))?([-+].*)?$/.exec(version.trim());
  if (!m) return undefined;
  const minor = `${m[1]}.${m[2]}` as IstioMinor;
  return SUPPORTED_MINORS.includes(minor) ? minor : undefined;
}

/** The behaviour row of a version; throws InputError naming the supported range otherwise. */
export function behaviourOf(version: string = DEFAULT_ISTIO_VERSION, where = 'Istio version'): IstioBehaviour {
  const minor = istioMinor(version);
  if (!minor) {
    throw new InputError([`${where} "${version}" is not supported (use ${SUPPORTED_MINORS.join(', ')}, e.g. ${DEFAULT_ISTIO_VERSION})`]);
  }
  return ROWS[minor];
}
