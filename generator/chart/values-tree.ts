import type { ExternalHost, OutlierDetectionPolicy, ServiceSpec, TopologyRouting } from '../model/types.js';
import { endpointsByZone } from '../render/service-entry.js';

/**
 * The chart's values as a documented tree. values.yaml (with a comment on every key),
 * values.schema.json and the README parameters table are all printed from this one tree.
 */
export type ValuesNode =
  | { readonly doc: string; readonly value: unknown; readonly schema: Record<string, unknown> }
  | {
    readonly doc: string;
    readonly children: Readonly<Record<string, ValuesNode>>;
    /** Nodes sharing a `ref` share one schema under `definitions` (keeps the schema small for big charts). */
    readonly ref?: string;
  };

export function isBranch(n: ValuesNode): n is Extract<ValuesNode, { children: unknown }> {
  return 'children' in n;
}

const leaf = (doc: string, value: unknown, schema: Record<string, unknown>): ValuesNode => ({ doc, value, schema });
const branch = (doc: string, children: Record<string, ValuesNode>, ref?: string): ValuesNode => ({ doc, children, ...(ref ? { ref } : {}) });

const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

function outlierNode(od: OutlierDetectionPolicy, pool: string): ValuesNode {
  return branch('Outlier detection. Istio assigns locality failover priorities only when this is set.', {
    consecutive5xxErrors: leaf('Consecutive 5xx (or TCP connect) errors before an endpoint is ejected.', od.consecutive5xxErrors,
      { type: 'integer', minimum: 1 }),
    interval: leaf('Time between ejection sweeps.', od.interval, { type: 'string', pattern: DURATION }),
    baseEjectionTime: leaf('Minimum ejection duration (grows with each ejection).', od.baseEjectionTime, { type: 'string', pattern: DURATION }),
    maxEjectionPercent: leaf(`Upper bound on ejected endpoints, in percent. The chart raises it to ceil(100 / ${pool}) so one endpoint can always be ejected (Envoy enforces the limit strictly since 1.28).`,
      od.maxEjectionPercent, { type: 'integer', minimum: 1, maximum: 100 }),
    minHealthPercent: leaf('Envoy panic threshold: below this share of healthy endpoints, traffic goes to all endpoints. 0 disables panic mode.',
      od.minHealthPercent, { type: 'integer', minimum: 0, maximum: 100 }),
  });
}

function serviceNode(svc: ServiceSpec): ValuesNode {
  return branch(`Service ${svc.name} (namespace ${svc.namespace}).`, {
    image: branch('Container image.', {
      repository: leaf('Image repository.', svc.image.repository, { type: 'string', minLength: 1 }),
      tag: leaf('Image tag.', svc.image.tag, { type: 'string', minLength: 1 }),
      pullPolicy: leaf('Image pull policy.', svc.image.pullPolicy, { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] }),
    }),
    replicas: leaf('Replicas; spread over zones by topologySpreadConstraints. Use a multiple of the zone count.', svc.replicas,
      { type: 'integer', minimum: 1 }),
    localityRouting: branch('Per-service switch for zone-local routing.', {
      enabled: leaf('false sends this service\'s callers to every zone (for A/B cost comparisons).', true, { type: 'boolean' }),
    }),
    outlierDetection: outlierNode(svc.outlierDetection, 'replicas'),
    resources: leaf('Container resources (requests are needed for zone-aware scheduling and autoscaling).', svc.resources, {
      type: 'object',
      additionalProperties: false,
      properties: {
        requests: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
        limits: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
      },
    }),
  });
}

function hostNode(host: ExternalHost, zones: readonly string[]): ValuesNode {
  return branch(`External host ${host.host} (${host.type}, ${host.protocol} ${host.port}).`, {
    localityRouting: branch('Per-host switch for zone-local routing.', {
      enabled: leaf('false spreads calls over every zone\'s endpoint.', true, { type: 'boolean' }),
    }),
    outlierDetection: outlierNode(host.outlierDetection, 'endpoints'),
    endpoints: leaf('Endpoint addresses per zone (ServiceEntry endpoints with locality <region>/<zone>).',
      endpointsByZone(host, zones), {
        type: 'object',
        minProperties: 1,
        propertyNames: { enum: [...zones] },
        additionalProperties: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      }),
  }, 'externalHost');
}

export function valuesTree(model: TopologyRouting): ValuesNode {
  const zones = model.cluster.zones.map((z) => z.name);
  return branch('', {
    cluster: branch('Cluster facts baked in from the zonal values file; change them there and regenerate.', {
      region: leaf('AWS region; endpoint localities are <region>/<zone>.', model.cluster.region, { type: 'string', minLength: 1 }),
      zones: leaf('Availability zones that have nodes.', zones, { type: 'array', items: { type: 'string' }, minItems: 2 }),
    }),
    localityRouting: branch('Zone-local routing for every service and external host.', {
      enabled: leaf('Global switch: false turns locality load balancing off everywhere (outlier detection stays).', model.localityRouting,
        { type: 'boolean' }),
    }),
    services: branch('Per-service settings, keyed by service name.',
      Object.fromEntries(model.services.map((s) => [s.name, serviceNode(s)]))),
    externalHosts: branch('Per-external-host settings, keyed by name.',
      Object.fromEntries(model.externalHosts.map((h) => [h.name, hostNode(h, zones)]))),
  });
}

/** The tree's default values as plain data. */
export function valuesOf(node: ValuesNode): unknown {
  return isBranch(node) ? Object.fromEntries(Object.entries(node.children).map(([k, c]) => [k, valuesOf(c)])) : node.value;
}

/** JSON Schema draft-07: every object closed, so a misspelt `--set` key fails `helm template`. */
export function schemaOf(tree: ValuesNode): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  const walk = (node: ValuesNode, withDoc: boolean): Record<string, unknown> => {
    if (!isBranch(node)) return { description: node.doc, ...node.schema };
    if (node.ref && withDoc) {
      definitions[node.ref] ??= walk({ ...node, ref: undefined, doc: '' } as ValuesNode, false);
      return { $ref: `#/definitions/${node.ref}` };
    }
    const keys = Object.keys(node.children);
    return {
      ...(node.doc && withDoc ? { description: node.doc } : {}),
      type: 'object',
      additionalProperties: false,
      ...(keys.length ? { required: keys } : {}),
      properties: Object.fromEntries(Object.entries(node.children).map(([k, c]) => [k, walk(c, true)])),
    };
  };
  const root = walk(tree, true);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Values',
    ...root,
    ...(Object.keys(definitions).length ? { definitions: Object.fromEntries(Object.entries(definitions).sort()) } : {}),
  };
}

export interface ValuesRow {
  readonly key: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
}

/** Flattened rows for the README parameters table. */
export function rowsOf(node: ValuesNode, prefix = ''): ValuesRow[] {
  if (!isBranch(node)) {
    const t = node.schema.type;
    return [{ key: prefix, type: Array.isArray(t) ? t.join('|') : String(t), defaultValue: JSON.stringify(node.value), description: node.doc }];
  }
  return Object.entries(node.children).flatMap(([k, c]) => rowsOf(c, prefix ? `${prefix}.${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `"${k}"`}` : k));
}
