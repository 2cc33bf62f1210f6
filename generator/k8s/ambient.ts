/**
 * Istio ambient facts read from Kubernetes objects (rendered by zonal or written by hand), for lint
 * and simulate alike: which namespaces run ambient, which waypoint a Service or ServiceEntry uses
 * (`istio.io/use-waypoint` on the object, else on its namespace; `none` opts out), and how many
 * pods in which zones istiod provisions for a waypoint Gateway (its Deployment is not among the
 * objects: istiod renders it from the Gateway and its `spec.infrastructure.parametersRef` ConfigMap).
 */
import { load } from 'js-yaml';
import type { KubeObject } from './manifest.js';
import {
  DATAPLANE_MODE_AMBIENT, DATAPLANE_MODE_LABEL, GATEWAY_NAME_LABEL, INJECTION_LABEL, LEGACY_ZONE_LABEL, REVISION_LABEL,
  USE_WAYPOINT_LABEL, WAYPOINT_GATEWAY_CLASS, ZONE_LABEL,
} from '../well-known.js';

/** Label naming the namespace of the waypoint `istio.io/use-waypoint` points at (default: the object's own). */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const nsOf = (o: KubeObject) => o.metadata.namespace || 'default';

export interface WaypointPlacement {
  readonly gateway: KubeObject;
  /** Replicas of the provisioned Deployment (1 unless the parameters overlay says otherwise). */
  readonly replicas: number;
  /** The replicas are spread over zones with DoNotSchedule (else the scheduler may stack them). */
  readonly zoneSpread: boolean;
  /** The parametersRef ConfigMap the replicas and spread were read from. */
  readonly parameters?: KubeObject;
}

export interface AmbientIndex {
  isAmbientNamespace(name: string): boolean;
  /** A namespace whose pods get sidecars (injection or revision label, not ambient). */
  isSidecarNamespace(name: string): boolean;
  /** `namespace/name` of the waypoint a Service or ServiceEntry uses, or undefined. */
  waypointOf(o: KubeObject): string | undefined;
  readonly waypoints: readonly KubeObject[];
  /** The Gateway `namespace/name`, when among the objects. */
  gateway(ref: string): KubeObject | undefined;
  placement(gateway: KubeObject): WaypointPlacement;
}

export function isWaypointGateway(o: KubeObject): boolean {
  return o.kind === 'Gateway' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('gateway.networking.k8s.io/') &&
    (o as Any).spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS;
}

function parseLoose(text: unknown): Any {
  if (typeof text !== 'string') return undefined;
  try {
    return load(text);
  } catch {
    return undefined;
  }
}

export function ambientIndex(objects: readonly KubeObject[]): AmbientIndex {
  const namespaces = new Map(objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => [o.metadata.name, o]));
  const labelsOf = (ns: string) => namespaces.get(ns)?.metadata.labels ?? {};
  const waypoints = objects.filter(isWaypointGateway);
  const isAmbientNamespace = (name: string) => labelsOf(name)[DATAPLANE_MODE_LABEL] === DATAPLANE_MODE_AMBIENT;
  return {
    isAmbientNamespace,
    isSidecarNamespace: (name) => {
      const l = labelsOf(name);
      return !isAmbientNamespace(name) && (l[INJECTION_LABEL] === 'enabled' || (l[REVISION_LABEL] ?? '') !== '');
    },
    waypointOf: (o) => {
      const ns = nsOf(o);
      const own = o.metadata.labels ?? {};
      const source = own[USE_WAYPOINT_LABEL] !== undefined ? own : labelsOf(ns);
      const name = source[USE_WAYPOINT_LABEL];
      if (!name || name === 'none') return undefined;
      return `${source[USE_WAYPOINT_NAMESPACE_LABEL] ?? ns}/${name}`;
    },
    waypoints,
    gateway: (ref) => waypoints.find((g) => `${nsOf(g)}/${g.metadata.name}` === ref),
    placement: (gw) => {
      const ref = (gw as Any).spec?.infrastructure?.parametersRef;
      const cm = ref?.kind === 'ConfigMap'
        ? objects.find((o) => o.kind === 'ConfigMap' && nsOf(o) === nsOf(gw) && o.metadata.name === ref.name)
        : undefined;
      const overlay = parseLoose((cm as Any)?.data?.deployment);
      const r = overlay?.spec?.replicas;
      const replicas = typeof r === 'number' && Number.isInteger(r) && r >= 0 ? r : 1;
      const tsc: Any[] = Array.isArray(overlay?.spec?.template?.spec?.topologySpreadConstraints) ? overlay.spec.template.spec.topologySpreadConstraints : [];
      const zoneSpread = tsc.some((c) => [ZONE_LABEL, LEGACY_ZONE_LABEL].includes(c?.topologyKey) && c?.whenUnsatisfiable === 'DoNotSchedule' &&
        c?.labelSelector?.matchLabels?.[GATEWAY_NAME_LABEL] === gw.metadata.name);
      return { gateway: gw, replicas, zoneSpread, ...(cm ? { parameters: cm } : {}) };
    },
  };
}
