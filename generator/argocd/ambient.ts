/**
 * The ambient data plane's pieces in the Argo CD bootstrap: Istio's official `cni` (node agent
 * that redirects pod traffic to ztunnel) and `ztunnel` (per-node L4 proxy) charts, installed when
 * any namespace of the values file is ambient, and istiod with the `ambient` profile. CNI syncs in
 * the wave of Istio base and ztunnel in istiod's, so both run before the workloads' wave: a pod
 * that starts in an ambient namespace before the CNI agent is not captured until it restarts.
 */
import type { TopologyRouting } from '../model/types.js';
import { anyAmbient } from '../render/ambient.js';
import { ROOT_WAVE } from './policy.js';

export type IstioChart = 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway-api-crds';

/** The Helm profile Istio's charts take for ambient (istiod, cni). */
export const AMBIENT_PROFILE = 'ambient';

export interface AmbientPart {
  readonly chart: 'cni' | 'ztunnel';
  readonly release: string;
  readonly wave: string;
  readonly values: Record<string, unknown>;
}

/** `cni` (release istio-cni, profile ambient) and `ztunnel`, or none for a sidecar-only mesh. */
export function ambientParts(model: TopologyRouting): AmbientPart[] {
  if (!anyAmbient(model)) return [];
  const revision = model.mesh.revision ? { revision: model.mesh.revision } : {};
  return [
    { chart: 'cni', release: 'istio-cni', wave: ROOT_WAVE.istioBase, values: { profile: AMBIENT_PROFILE, ...revision } },
    { chart: 'ztunnel', release: 'ztunnel', wave: ROOT_WAVE.istiod, values: { ...revision } },
  ];
}

/** istiod's values with the ambient profile when any namespace is ambient (it then serves ztunnel and waypoints). */
export function ambientIstiodValues(model: TopologyRouting, values: Record<string, unknown>): Record<string, unknown> {
  return anyAmbient(model) ? { ...values, profile: AMBIENT_PROFILE } : values;
}

const COMPONENT: Record<IstioChart, string> = { base: 'istio-base', istiod: 'istiod', cni: 'istio-cni', ztunnel: 'ztunnel', 'gateway-api-crds': 'gateway-api-crds' };

export function istioComponentLabel(chart: IstioChart): string {
  return COMPONENT[chart];
}

/**
 * Waypoints are Gateway API `Gateway`s, and Istio's charts do not install the Gateway API CRDs: an
 * Application syncs the standard channel from the Gateway API repository (the release Istio 1.31
 * builds against; the v1 Gateway fields a waypoint uses are the same in every v1.x) in Istio base's
 * wave, before istiod watches them. No resources finalizer: deleting the Application must not
 * delete the CRDs and with them every Gateway of the cluster.
 */
export const GATEWAY_API_REPO = 'https://github.com/kubernetes-sigs/gateway-api.git';
export const GATEWAY_API_VERSION = 'v1.6.0';

export interface GitPart {
  readonly chart: 'gateway-api-crds';
  readonly wave: string;
  readonly git: { readonly repoURL: string; readonly path: string; readonly targetRevision: string };
}

export function needsGatewayApi(model: TopologyRouting): boolean {
  return model.namespaces.some((n) => n.dataplane === 'ambient' && n.waypoint.enabled);
}

export function gatewayApiParts(model: TopologyRouting): GitPart[] {
  return needsGatewayApi(model)
    ? [{ chart: 'gateway-api-crds', wave: ROOT_WAVE.istioBase, git: { repoURL: GATEWAY_API_REPO, path: 'config/crd/standard', targetRevision: GATEWAY_API_VERSION } }]
    : [];
}

/** Extra source repositories the Istio project allows. */
export function ambientSourceRepos(model: TopologyRouting): string[] {
  return needsGatewayApi(model) ? [GATEWAY_API_REPO] : [];
}
