/**
 * Entry point of the simulator for commands: Kubernetes/Istio objects (+ optional values model for
 * names and destination types) + scenario + prices -> SimulationResult.
 */
import { DEFAULT_PRICES, type CostDestinationType, type PriceList } from '../cost/model.js';
import type { KubeObject } from '../k8s/manifest.js';
import { inferHostType } from '../model/defaults.js';
import type { ExternalHostType, TopologyRouting } from '../model/types.js';
import { meshConfigFromConfigMap } from '../istio/mesh.js';
import { simulate, type SimulationResult } from './engine.js';
import type { LocalityLbSetting } from './istio.js';
import { destinationsFromObjects, type Destination, type NameHints } from './objects.js';
import { EMPTY_SCENARIO, resolveScenarioNames, type LoadedScenario } from './scenario.js';
import { externalBehaviour, foldKafkaBrokers, objectsSetClientRack } from './external-behaviour.js';
import { HOST_TYPE_ANNOTATION } from '../model/external-hosts.js';

export type { SimulationResult } from './engine.js';

/** Annotation a hand-written ServiceEntry can carry to tell the cost model what it is (zonal renders it too). */
export { HOST_TYPE_ANNOTATION };

const HOST_TYPES: readonly ExternalHostType[] = ['rds', 'msk', 'ec2', 'interface-endpoint', 'gateway-endpoint', 'other'];

export interface SimulateOptions {
  readonly zones: readonly string[];
  readonly region: string;
  readonly scenario?: LoadedScenario;
  readonly prices?: PriceList;
  /** The values model the objects were rendered from: gives destination names and host types. */
  readonly model?: TopologyRouting;
  readonly meshLocalityLb?: LocalityLbSetting;
  /** Istio version of the control plane (1.29-1.32); default: the model's mesh.istioVersion, else the core's default. */
  readonly istioVersion?: string;
  /** `--hot-zone-factor`: a zone is hot when its per-endpoint share exceeds the mean by more than this. @default DEFAULT_HOT_ZONE_FACTOR (1.5) */
  readonly hotZoneFactor?: number;
}

function hintsFrom(model: TopologyRouting | undefined): NameHints {
  if (!model) return {};
  return {
    services: new Map(model.services.map((s) => [`${s.namespace}/${s.serviceName}`, s.name])),
    hosts: new Map(model.externalHosts.map((h) => [h.host, h.name])),
  };
}

/** What sits behind a destination, for the cost model. */
export function costTypeOf(d: Destination, model?: TopologyRouting): CostDestinationType {
  if (d.kind === 'service') return 'service';
  const fromModel = model?.externalHosts.find((h) => d.hosts.includes(h.host));
  if (fromModel) return fromModel.type;
  const annotated = d.annotations[HOST_TYPE_ANNOTATION] as ExternalHostType | undefined;
  if (annotated && HOST_TYPES.includes(annotated)) return annotated;
  return d.hosts.length ? inferHostType(d.hosts[0]!) : 'other';
}

export function simulateObjects(objects: readonly KubeObject[], options: SimulateOptions): SimulationResult {
  const costType = (d: Destination) => costTypeOf(d, options.model);
  const istioVersion = options.istioVersion ?? options.model?.mesh.istioVersion;
  // Without an explicit mesh setting, the mesh config in the input (an `istio` ConfigMap) applies.
  const meshLocalityLb = options.meshLocalityLb
    ?? objects.map(meshConfigFromConfigMap).find((m) => m?.localityLbSetting)?.localityLbSetting;
  const facts = istioVersion !== undefined ? { istioVersion } : {};
  // Per-broker ServiceEntries are one Kafka cluster with their bootstrap host (external-behaviour.ts).
  const { destinations, folded } = foldKafkaBrokers(destinationsFromObjects(objects, hintsFrom(options.model), facts), costType);
  const scenario = options.scenario ? resolveScenarioNames(options.scenario, options.zones, destinations) : EMPTY_SCENARIO;
  const kafkaClientRack = objectsSetClientRack(objects) || (options.model?.services.some((s) => s.kafka.clientRack) ?? false);
  return simulate({
    external: externalBehaviour(destinations, scenario, { kafkaClientRack, costType, foldedBrokers: folded }),
    zones: options.zones,
    region: options.region,
    destinations,
    scenario,
    prices: options.prices ?? DEFAULT_PRICES,
    costType,
    ...(meshLocalityLb ? { meshLocalityLb } : {}),
    ...(options.hotZoneFactor !== undefined ? { hotZoneFactor: options.hotZoneFactor } : {}),
  });
}
