/**
 * Istio install settings for `scripts/install-istio.sh`: base + istiod only (the `minimal`
 * profile: no gateways, nothing from `demo`), at `mesh.istioVersion`, with the mesh config zone-local
 * routing relies on: sidecar DNS capture with address auto-allocation, so each TCP ServiceEntry
 * without `addresses` (Aurora, MSK) gets a listener of its own instead of sharing `0.0.0.0:<port>`.
 */
import type { TopologyRouting } from '../model/types.js';

/** Official chart repository of Istio's Helm charts. */
export const ISTIO_HELM_REPO = 'https://istio-release.storage.googleapis.com/charts';
export const ISTIO_NAMESPACE = 'istio-system';

export interface MeshConfig {
  readonly defaultConfig?: { readonly proxyMetadata: Readonly<Record<string, string>> };
}

/** Mesh-wide proxy settings; the chart's per-pod `proxy.istio.io/config` annotation sets the same. */
export function meshConfig(model: TopologyRouting): MeshConfig {
  if (!model.mesh.dnsCapture) return {};
  return {
    defaultConfig: {
      // Sidecars answer DNS for ServiceEntry hosts; the addresses come from istiod's allocator
      // (pilot env below). The agent-side ISTIO_META_DNS_AUTO_ALLOCATE is deprecated since 1.25.
      proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' },
    },
  };
}

/** Helm release names: a revision gets its own istiod so canary upgrades can run side by side. */
export function istioReleases(model: TopologyRouting): { readonly base: string; readonly istiod: string } {
  return { base: 'istio-base', istiod: model.mesh.revision ? `istiod-${model.mesh.revision}` : 'istiod' };
}

/** Values of the `base` chart. */
export function istioBaseValues(model: TopologyRouting): Record<string, unknown> {
  return model.mesh.revision ? { defaultRevision: model.mesh.revision } : {};
}

/** Values of the `istiod` chart. */
export function istiodValues(model: TopologyRouting): Record<string, unknown> {
  const mc = meshConfig(model);
  return {
    ...(Object.keys(mc).length ? { meshConfig: mc, pilot: { env: AUTOALLOCATE_ENV } } : {}),
    ...(model.mesh.revision ? { revision: model.mesh.revision } : {}),
  };
}

/** istiod allocates addresses for ServiceEntries without `addresses` (default on since 1.25; set for clarity). */
export const AUTOALLOCATE_ENV = { PILOT_ENABLE_IP_AUTOALLOCATE: 'true' } as const;

export interface IstioOperator {
  readonly apiVersion: 'install.istio.io/v1alpha1';
  readonly kind: 'IstioOperator';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly profile: 'minimal';
    readonly tag: string;
    readonly revision?: string;
    readonly meshConfig: MeshConfig;
    readonly values?: { readonly pilot: { readonly env: Readonly<Record<string, string>> } };
  };
}

/** The IstioOperator `istioctl install -f` reads. */
export function istioOperator(model: TopologyRouting): IstioOperator {
  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: model.mesh.revision ? `zonal-${model.mesh.revision}` : 'zonal', namespace: ISTIO_NAMESPACE },
    spec: {
      profile: 'minimal',
      tag: model.mesh.istioVersion,
      ...(model.mesh.revision ? { revision: model.mesh.revision } : {}),
      meshConfig: meshConfig(model),
      ...(model.mesh.dnsCapture ? { values: { pilot: { env: AUTOALLOCATE_ENV } } } : {}),
    },
  };
}

/**
 * JSON with object keys sorted and no whitespace: the form `helm get values -o json` prints (Go
 * sorts map keys), so the install script can tell "already installed with these values" by
 * comparing strings.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
