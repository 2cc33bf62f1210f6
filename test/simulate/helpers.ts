/** Hand-written Kubernetes/Istio objects for simulator tests (the shape `kubectl get -o yaml` gives). */
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { DEFAULT_PRICES } from '../../generator/cost/model.js';
import { simulate, type SimulationResult } from '../../generator/simulate/engine.js';
import { costTypeOf } from '../../generator/simulate/index.js';
import { destinationsFromObjects } from '../../generator/simulate/objects.js';
import { EMPTY_SCENARIO, type Scenario, type ZoneEndpoints } from '../../generator/simulate/scenario.js';

export const REGION = 'us-west-2';
export const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];

export function service(name: string, opts: { namespace?: string; trafficDistribution?: string; port?: number } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: opts.namespace ?? 'shop' },
    spec: {
      selector: { app: name },
      ports: [{ name: 'http', port: opts.port ?? 80, targetPort: 8080 }],
      ...(opts.trafficDistribution ? { trafficDistribution: opts.trafficDistribution } : {}),
    },
  };
}

export function deployment(name: string, replicas: number, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: {} } },
  };
}

export interface DrOptions {
  readonly namespace?: string;
  readonly localityLbSetting?: Record<string, unknown>;
  readonly outlierDetection?: Record<string, unknown> | null;
}

/** A DestinationRule; outlierDetection defaults to one that can eject every host. */
export function destinationRule(name: string, host: string, opts: DrOptions = {}): KubeObject {
  const od = opts.outlierDetection === undefined ? { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 } : opts.outlierDetection;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: opts.namespace ?? 'shop' },
    spec: {
      host,
      trafficPolicy: {
        ...(opts.localityLbSetting ? { loadBalancer: { localityLbSetting: opts.localityLbSetting } } : {}),
        ...(od ? { outlierDetection: od } : {}),
      },
    },
  };
}

export function serviceEntry(name: string, host: string, localities: readonly string[], opts: { resolution?: string; namespace?: string; labels?: Record<string, string>[] } = {}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace: opts.namespace ?? 'shop' },
    spec: {
      hosts: [host],
      location: 'MESH_EXTERNAL',
      resolution: opts.resolution ?? 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }],
      endpoints: localities.map((locality, i) => ({
        address: `10.0.${i}.10`, locality, ...(opts.labels?.[i] ? { labels: opts.labels[i] } : {}),
      })),
    },
  };
}

/** A 3-zone Service `checkout` with `replicas` pods and the given DestinationRule options. */
export function checkout(replicas = 3, dr: DrOptions | null = { localityLbSetting: { enabled: true } }, svc: Parameters<typeof service>[1] = {}): KubeObject[] {
  return [
    service('checkout', svc),
    deployment('checkout', replicas),
    ...(dr ? [destinationRule('checkout', 'checkout.shop.svc.cluster.local', dr)] : []),
  ];
}

export function scenario(partial: Partial<Scenario> = {}): Scenario {
  return { ...EMPTY_SCENARIO, ...partial };
}

export function zone(total: number, healthy = total, notReady = 0, degraded = 0): ZoneEndpoints {
  return { total, healthy, notReady, degraded };
}

/** Runs the engine on objects without scenario name checks (tests may use zones outside ZONES). */
export function run(
  objects: readonly KubeObject[], sc: Scenario = scenario(), zones: readonly string[] = ZONES, region = REGION, istioVersion?: string,
): SimulationResult {
  return simulate({
    zones,
    region,
    destinations: destinationsFromObjects(objects, {}, istioVersion !== undefined ? { istioVersion } : {}),
    scenario: sc,
    prices: DEFAULT_PRICES,
    costType: (d) => costTypeOf(d),
  });
}

export function sharesOf(r: SimulationResult, destination: string, caller: string): Record<string, number> {
  const d = r.destinations.find((x) => x.name === destination);
  if (!d) throw new Error(`no destination ${destination}`);
  const c = d.callers.find((x) => x.zone === caller);
  if (!c) throw new Error(`no caller ${caller}`);
  return { ...c.shares };
}
