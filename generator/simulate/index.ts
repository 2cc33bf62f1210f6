/**
 * Entry point of the simulator for commands: Kubernetes/Istio objects (+ optional values model for
 * names and destination types) + scenario + prices -> SimulationResult.
 */
import { DEFAULT_PRICES, type CostDestinationType, type PriceList } from '../cost/model.js';
import type { KubeObject } from '../k8s/manifest.js';
import { inferHostType } from '../model/defaults.js';
import type { ExternalHostType, TopologyRouting } from '../model/types.js';
import { simulate, type SimulationResult } from './engine.js';
import type { LocalityLbSetting } from './istio.js';
import { destinationsFromObjects, type Destination, type NameHints } from './objects.js';
import { EMPTY_SCENARIO, resolveScenarioNames, type LoadedScenario } from './scenario.js';

export type { SimulationResult } from './engine.js';

/** Annotation a hand-written ServiceEntry can carry to tell the cost model what it is. */
export const HOST_TYPE_ANNOTATION = 'zonal.io/host-type';

const HOST_TYPES: readonly ExternalHostType[] = ['rds', 'msk', 'ec2', 'interface-endpoint', 'gateway-endpoint', 'other'];

export interface SimulateOptions {
  readonly zones: readonly string[];
  readonly region: string;
  readonly scenario?: LoadedScenario;
  readonly prices?: PriceList;
  /** The values model the objects were rendered from: gives destination names and host types. */
  readonly model?: TopologyRouting;
  readonly meshLocalityLb?: LocalityLbSetting;
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
  const destinations = destinationsFromObjects(objects, hintsFrom(options.model));
  const scenario = options.scenario ? resolveScenarioNames(options.scenario, options.zones, destinations) : EMPTY_SCENARIO;
  return simulate({
    zones: options.zones,
    region: options.region,
    destinations,
    scenario,
    prices: options.prices ?? DEFAULT_PRICES,
    costType: (d) => costTypeOf(d, options.model),
    ...(options.meshLocalityLb ? { meshLocalityLb: options.meshLocalityLb } : {}),
  });
}
