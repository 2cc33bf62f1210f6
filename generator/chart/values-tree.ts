import type { ExternalHost, OutlierDetectionPolicy, ServiceSpec, TopologyRouting } from '../model/types.js';
import { podSettingsOf, RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from '../model/workload-defaults.js';
import { DEFAULTS } from '../model/defaults.js';
import { probeSchema, workloadProperties } from '../model/workload-schema.js';
import { GENERATED_WORKLOAD_LABELS, LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN } from '../model/kubernetes-rules.js';
import { endpointsByZone } from '../render/service-entry.js';

/**
 * The chart's values as a documented tree. values.yaml (with a comment on every key),
 * values.schema.json and the README parameters table are all printed from this one tree.
 */
export type ValuesNode =
  | {
    readonly doc: string;
    /** undefined: the key is left out of values.yaml (optional; a chart-level default applies). */
    readonly value: unknown;
    readonly schema: Record<string, unknown>;
    readonly optional?: boolean;
    /** README default of an optional key left out of values.yaml (else "serviceDefaults"). */
    readonly absent?: string;
  }
  | {
    readonly doc: string;
    readonly children: Readonly<Record<string, ValuesNode>>;
    /** Nodes sharing a `ref` share one schema under `definitions` (keeps the schema small for big charts). */
    readonly ref?: string;
  };

export function isBranch(n: ValuesNode): n is Extract<ValuesNode, { children: unknown }> {
  return 'children' in n;
}

/** Whether a node is in values.yaml: a branch always, a leaf when it has a value. */
export function hasValue(n: ValuesNode): boolean {
  return isBranch(n) || n.value !== undefined;
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

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * Pod knobs whose whole value a service replaces: each has one chart-wide default under
 * `serviceDefaults`, and a service lists the key only when it differs, so values.yaml grows with
 * what is particular to each service (templates read them through podKnob()).
 */
export const SHARED_POD_KNOBS = ['podAnnotations', 'nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets', 'podSecurityContext', 'securityContext'] as const;
export type SharedPodKnob = typeof SHARED_POD_KNOBS[number];

const POD_KNOB_DOCS: Record<SharedPodKnob, { doc: string; schema: Record<string, unknown>; value: (p: ServiceSpec['pod']) => unknown; fallback: unknown }> = {
  podAnnotations: { doc: 'Pod annotations (added to the chart\'s own; yours win).', schema: stringMap, value: (p) => p.podAnnotations, fallback: {} },
  nodeSelector: { doc: 'Pod nodeSelector.', schema: stringMap, value: (p) => p.nodeSelector, fallback: {} },
  tolerations: { doc: 'Pod tolerations (Kubernetes syntax).', schema: { type: 'array', items: { type: 'object' } }, value: (p) => p.tolerations, fallback: [] },
  affinity: { doc: 'Pod affinity (Kubernetes syntax); zone spreading comes from topologySpreadConstraints, not from here.', schema: { type: 'object' },
    value: (p) => p.affinity, fallback: {} },
  imagePullSecrets: { doc: 'Names of image pull Secrets in the namespace.', schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    value: (p) => p.imagePullSecrets, fallback: [] },
  podSecurityContext: { doc: 'Pod securityContext; the default is the Pod Security "restricted" profile.', schema: { type: 'object' },
    value: (p) => p.podSecurityContext, fallback: RESTRICTED_POD_SECURITY },
  securityContext: { doc: 'Container securityContext; the default is the Pod Security "restricted" profile.', schema: { type: 'object' },
    value: (p) => p.containerSecurityContext, fallback: RESTRICTED_CONTAINER_SECURITY },
};

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const PROBES_SCHEMA = { type: 'object', additionalProperties: false, properties: { liveness: probeSchema, readiness: probeSchema, startup: probeSchema } };

/** The probes of a service that sets none: the values file's defaults (model/workload-defaults.ts). */
const DEFAULT_PROBES = podSettingsOf({}, 1, DEFAULTS.healthPath, DEFAULTS.readinessPath).probes;

/** serviceDefaults: the chart-wide value of each shared pod knob. */
function serviceDefaultsNode(): ValuesNode {
  return branch('Pod settings every service gets unless it sets the same key under services.<name>.', {
    ...Object.fromEntries(SHARED_POD_KNOBS.map((k) => {
      const d = POD_KNOB_DOCS[k];
      return [k, leaf(d.doc, d.fallback, d.schema)];
    })),
    probes: leaf('Container probes {liveness, readiness, startup?}, each {path, initialDelaySeconds?, periodSeconds, timeoutSeconds?, failureThreshold}; ' +
      'services.<name>.probes is merged over it key by key. TCP services probe the port (path unused).', DEFAULT_PROBES, PROBES_SCHEMA),
  });
}

/**
 * Container knobs a service alone has (no chart-wide default): left out of values.yaml unless the
 * values file sets them; the templates read them with `get`, so an absent key renders nothing.
 */
/** A service's own labels: Kubernetes label syntax, and none of the labels the chart writes itself. */
const labelsSchema = {
  type: 'object',
  propertyNames: { pattern: LABEL_KEY_PATTERN, not: { enum: [...GENERATED_WORKLOAD_LABELS] } },
  additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE_PATTERN },
};

type PodSettings = ServiceSpec['pod'];
/** The Kubernetes-shaped keys take the values file's own schema (model/workload-schema.ts). */
const SERVICE_ONLY_KNOBS: Record<string, { doc: string; schema: Record<string, unknown>; value: (p: PodSettings) => unknown }> = {
  labels: { doc: 'Extra labels on the pods and on every object of the service (not the chart\'s own app.kubernetes.io/* and helm.sh/chart).',
    schema: labelsSchema, value: (p) => p.labels },
  command: { doc: 'Container command (entrypoint), Kubernetes syntax.', schema: workloadProperties.command, value: (p) => p.command },
  args: { doc: 'Container args, Kubernetes syntax.', schema: workloadProperties.args, value: (p) => p.args },
  envFrom: { doc: 'Container envFrom (ConfigMaps and Secrets), Kubernetes syntax.', schema: workloadProperties.envFrom, value: (p) => p.envFrom },
  volumes: { doc: 'Pod volumes, added to the chart\'s own tmp emptyDir.', schema: workloadProperties.volumes, value: (p) => p.volumes },
  volumeMounts: { doc: 'Container volumeMounts, added to the chart\'s own /tmp mount.', schema: workloadProperties.volumeMounts, value: (p) => p.volumeMounts },
};

/** Pod knobs of a chart-owned service (model/workload.ts). */
function podKnobs(svc: ServiceSpec, zoneCount: number): Record<string, ValuesNode> {
  const p = svc.pod;
  const shared = Object.fromEntries(SHARED_POD_KNOBS.map((k) => {
    const d = POD_KNOB_DOCS[k];
    const value = d.value(p);
    return [k, { doc: `${d.doc} Default: serviceDefaults.${k}.`, value: sameValue(value, d.fallback) ? undefined : value, schema: d.schema, optional: true }];
  }));
  const own = Object.fromEntries(Object.entries(SERVICE_ONLY_KNOBS).map(([k, d]) => {
    const value: unknown = d.value(p);
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0;
    return [k, { doc: d.doc, value: empty ? undefined : value, schema: d.schema, optional: true, absent: Array.isArray(value) ? '[]' : '{}' }];
  }));
  return {
    ...shared,
    ...own,
    probes: { doc: 'Container probes, merged over serviceDefaults.probes (e.g. --set services.<name>.probes.liveness.periodSeconds=20).',
      value: sameValue(p.probes, DEFAULT_PROBES) ? undefined : p.probes, schema: PROBES_SCHEMA, optional: true },
    serviceAccount: branch('The service\'s own ServiceAccount.', {
      annotations: leaf('ServiceAccount annotations, e.g. eks.amazonaws.com/role-arn for IRSA.', p.serviceAccountAnnotations, stringMap),
    }),
    autoscaling: branch('HorizontalPodAutoscaler; replaces replicas. The zone spread constraint stays on the pods, so scaling keeps zones balanced.', {
      enabled: leaf('Render the HorizontalPodAutoscaler (the Deployment then leaves replicas to it).', p.autoscaling.enabled, { type: 'boolean' }),
      minReplicas: leaf(`Lowest replica count; at least the ${zoneCount} zones, so no zone is left without a replica.`, p.autoscaling.minReplicas,
        { type: 'integer', minimum: zoneCount }),
      maxReplicas: leaf('Highest replica count.', p.autoscaling.maxReplicas, { type: 'integer', minimum: zoneCount }),
      targetCPUUtilizationPercentage: leaf('Average CPU utilisation (of requests) the autoscaler aims at.', p.autoscaling.targetCPUUtilizationPercentage,
        { type: 'integer', minimum: 1, maximum: 100 }),
    }),
  };
}

/** A service whose Deployment and Service another chart owns: only its routing knobs. */
function externalServiceNode(svc: ServiceSpec): ValuesNode {
  return branch(`Service ${svc.serviceName} (namespace ${svc.namespace}), deployed by its own chart; this chart routes it.`, {
    replicas: leaf('Replicas the owning chart runs: the endpoint pool that sizes maxEjectionPercent.', svc.replicas, { type: 'integer', minimum: 1 }),
    localityRouting: branch('Per-service switch for zone-local routing.', {
      enabled: leaf('false sends this service\'s callers to every zone (for A/B cost comparisons).', true, { type: 'boolean' }),
    }),
    outlierDetection: outlierNode(svc.outlierDetection, 'replicas'),
  }, 'externalService');
}

function serviceNode(svc: ServiceSpec, zoneCount: number): ValuesNode {
  if (svc.workload === 'external') return externalServiceNode(svc);
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
    ...podKnobs(svc, zoneCount),
  }, 'service');
}

/**
 * An Aurora writer host: one endpoint (the cluster endpoint in the writer's zone), no
 * DestinationRule, so no outlier detection knobs; the schema keeps `--set` from adding a second
 * endpoint, which would send some zones' writes to a read-only reader.
 */
function writerNode(host: ExternalHost, zones: readonly string[]): ValuesNode {
  return branch(`Aurora cluster (writer) endpoint ${host.host} (${host.protocol} ${host.port}): exactly one endpoint, no locality pool.`, {
    localityRouting: branch('Kept for a uniform chart; a writer has one endpoint, so there is nothing to route by zone.', {
      enabled: leaf('No effect on a writer host.', true, { type: 'boolean' }),
    }),
    endpoints: leaf('The one writer endpoint: {<writer zone>: [<cluster endpoint>]}. Update the zone after a failover (zonal discover rds).',
      endpointsByZone(host, zones), {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        propertyNames: { enum: [...zones] },
        additionalProperties: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'string', minLength: 1 } },
      }),
  }, 'externalWriter');
}

function hostNode(host: ExternalHost, zones: readonly string[]): ValuesNode {
  if (host.role === 'writer') return writerNode(host, zones);
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

/**
 * A chart with one namespace that it creates follows the release namespace (helm -n, Argo CD's
 * destination); namespaces that exist already (create: false, e.g. another chart's for
 * workload: external) and multi-namespace charts keep their names as the values' defaults.
 */
export function releaseNamespaced(model: TopologyRouting): boolean {
  return model.namespaces.length === 1 && model.namespaces[0]!.create;
}

export function valuesTree(model: TopologyRouting): ValuesNode {
  const zones = model.cluster.zones.map((z) => z.name);
  // cluster.region / cluster.zones are facts of the cluster, not deploy-time knobs: they are baked
  // into the endpoint localities and the zone keys the schema allows (change the zonal values file).
  const followsRelease = releaseNamespaced(model);
  return branch('', {
    nameOverride: leaf('Replaces the chart name in app.kubernetes.io/part-of and in the release-scoped name prefix.', '',
      { type: 'string', maxLength: 63, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }),
    fullnameOverride: leaf('Name prefix of every object; "" = the release name (values-file names when the release is named like the chart).', '',
      { type: 'string', maxLength: 63, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }),
    namespaces: branch('Where the objects of each namespace of the zonal values file go, keyed by that namespace.',
      Object.fromEntries(model.namespaces.map((ns) => [ns.name, branch(`Namespace ${ns.name} of the zonal values file.`, {
        name: leaf(followsRelease
          ? 'Target namespace; "" = the release namespace (helm -n, Argo CD destination).'
          : 'Target namespace; "" = the release namespace.',
        followsRelease ? '' : ns.name, { type: 'string', maxLength: 63, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }),
        create: leaf('Render the Namespace object (with the sidecar injection label); false when another chart or helm --create-namespace owns it.',
          ns.create, { type: 'boolean' }),
      }, 'namespace')]))),
    localityRouting: branch('Zone-local routing for every service and external host.', {
      enabled: leaf('Global switch: false turns locality load balancing off everywhere (outlier detection stays).', model.localityRouting,
        { type: 'boolean' }),
    }),
    ...(model.services.some((x) => x.workload === 'chart') ? { serviceDefaults: serviceDefaultsNode() } : {}),
    services: branch('Per-service settings, keyed by service name.',
      Object.fromEntries(model.services.map((s) => [s.name, serviceNode(s, zones.length)]))),
    externalHosts: branch('Per-external-host settings, keyed by name.',
      Object.fromEntries(model.externalHosts.map((h) => [h.name, hostNode(h, zones)]))),
  });
}

/** The tree's default values as plain data. */
export function valuesOf(node: ValuesNode): unknown {
  if (!isBranch(node)) return node.value;
  return Object.fromEntries(Object.entries(node.children).filter(([, c]) => hasValue(c)).map(([k, c]) => [k, valuesOf(c)]));
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
    const keys = Object.entries(node.children).filter(([, c]) => isBranch(c) || !c.optional).map(([k]) => k);
    const children = Object.values(node.children);
    const shared = children[0] && isBranch(children[0]) ? children[0].ref : undefined;
    if (shared && children.every((c) => isBranch(c) && c.ref === shared)) {
      // A map of items sharing one definition (services, hosts, namespaces): the schema grows by
      // the item names only, so it stays far below Helm's 5 MiB file limit at 10,000 services.
      walk(children[0]!, true);
      return {
        ...(node.doc && withDoc ? { description: node.doc } : {}),
        type: 'object',
        required: keys,
        propertyNames: { enum: keys },
        additionalProperties: { $ref: `#/definitions/${shared}` },
      };
    }
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
    const defaultValue = node.value === undefined ? (node.absent ?? 'serviceDefaults') : JSON.stringify(node.value);
    return [{ key: prefix, type: Array.isArray(t) ? t.join('|') : String(t), defaultValue, description: node.doc }];
  }
  const key = (k: string) => (prefix ? `${prefix}.${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `"${k}"`}` : k);
  // Items sharing a definition are documented once, as <name>, with the first item's defaults
  // (the README would otherwise repeat every key for each of thousands of services).
  const children = Object.entries(node.children);
  const refs = new Map<string, string>();
  for (const [k, c] of children) if (isBranch(c) && c.ref && !refs.has(c.ref)) refs.set(c.ref, k);
  return children.flatMap(([k, c]) => {
    if (!isBranch(c) || !c.ref || children.length < 2) return rowsOf(c, key(k));
    if (refs.get(c.ref) !== k) return [];
    const same = children.filter(([, o]) => isBranch(o) && o.ref === c.ref).map(([n]) => n);
    const example = same.length > 1 ? ` (one of: ${same.slice(0, 3).join(', ')}${same.length > 3 ? `, ... ${same.length} in all` : ''}; defaults of ${k})` : '';
    return rowsOf(c, prefix ? `${prefix}.<name>` : '<name>').map((r, i) => (i === 0 ? { ...r, description: `${r.description}${example}` } : r));
  });
}
