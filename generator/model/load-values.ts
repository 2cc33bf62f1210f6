import type { Ajv } from 'ajv';
import type { PositionedDocument } from '../yaml/source-map.js';
import { parseMappingDocument, readInputFile } from './input-file.js';
import { InputError } from '../errors.js';
import { crossCheck, type RawValues } from './cross-checks.js';
import { DEFAULTS, inferHostType, outlierDefaults } from './defaults.js';
import { inferRdsRole } from './external-hosts.js';
import { displayPath, formatProblem, ProblemCollector } from './problems.js';
import { reportSchemaError } from './schema-errors.js';
import { VALUES_AJV_OPTIONS, valuesSchema } from './values-schema.js';
import { newAjv, precompiledValidator } from '../validate/precompiled.js';
import { externalWorkloadOf, podSettingsOf, workloadOwnerOf } from './workload-defaults.js';
import type {
  ChartSplit, DistributeRule, ExternalHost, ExternalProtocol, ExternalHostType, FailoverRule, LocalityPolicy, MeshDataplane, RdsRole, RoutingMechanism,
  RoutingMode, ServiceProtocol, ServiceSpec, TopologyRouting,
} from './types.js';

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown) {
  // Compiled at build time (validate/precompiled.ts) unless the schema changed since; else now.
  validator ??= precompiledValidator('values', JSON.stringify(valuesSchema)) ?? newAjv(VALUES_AJV_OPTIONS).compile(valuesSchema);
  const ok = validator(data);
  return ok ? [] : validator.errors ?? [];
}

/** The schema has already checked the shape, so defaulting reads it loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

function routingOf(raw: Raw): LocalityPolicy {
  return {
    mode: (raw?.mode ?? DEFAULTS.routingMode) as RoutingMode,
    mechanism: (raw?.mechanism ?? DEFAULTS.routingMechanism) as RoutingMechanism,
    failover: (raw?.failover ?? []) as FailoverRule[],
    failoverPriority: raw?.failoverPriority ?? [],
    distribute: (raw?.distribute ?? []) as DistributeRule[],
    minClusterSize: raw?.minClusterSize ?? DEFAULTS.zoneAwareMinClusterSize,
  };
}

/** `role` for rds hosts and `kafka` for msk hosts (cross-checks reject them on other types). */
function externalRoleOf(h: Raw): Pick<ExternalHost, 'role' | 'kafka'> {
  const type = (h.type ?? inferHostType(h.host)) as ExternalHostType;
  if (type === 'rds') return { role: (h.role ?? inferRdsRole(h.host)) as RdsRole };
  if (type === 'msk') return { kafka: { rackAwareSelector: h.kafka?.rackAwareSelector ?? DEFAULTS.kafkaRackAwareSelector } };
  return {};
}

function toModel(v: Raw): TopologyRouting {
  const zones = v.cluster.zones.map((z: Raw) => ({
    name: z.name,
    ...(z.id ? { id: z.id } : {}),
    cidrs: z.cidrs ?? [],
  }));
  const services: ServiceSpec[] = (v.services ?? []).map((s: Raw) => {
    const replicas: number = s.replicas ?? zones.length;
    return {
      name: s.name,
      namespace: s.namespace,
      serviceName: s.serviceName ?? s.name,
      // workload: external has no image: another chart runs the pods.
      image: { repository: s.image?.repository ?? '', tag: s.image?.tag ?? '', pullPolicy: s.image?.pullPolicy ?? DEFAULTS.pullPolicy },
      replicas,
      port: s.port,
      targetPort: s.targetPort ?? s.port,
      protocol: (s.protocol ?? DEFAULTS.protocol) as ServiceProtocol,
      routing: routingOf(s.routing),
      outlierDetection: outlierDefaults(s.outlierDetection, replicas),
      resources: {
        requests: { ...DEFAULTS.resources.requests, ...s.resources?.requests },
        limits: { ...DEFAULTS.resources.limits, ...s.resources?.limits },
      },
      healthPath: s.healthPath ?? DEFAULTS.healthPath,
      readinessPath: s.readinessPath ?? DEFAULTS.readinessPath,
      env: s.env ?? {},
      maxUnavailable: s.maxUnavailable ?? DEFAULTS.maxUnavailable,
      workload: workloadOwnerOf(s),
      pod: podSettingsOf(s, zones.length, s.healthPath ?? DEFAULTS.healthPath, s.readinessPath ?? DEFAULTS.readinessPath),
      ...(s.workload === 'external' ? { external: externalWorkloadOf(s) } : {}),
      kafka: { clientRack: s.kafka?.clientRack ?? DEFAULTS.kafkaClientRack },
    };
  });
  const externalHosts: ExternalHost[] = (v.externalHosts ?? []).map((h: Raw) => ({
    name: h.name,
    namespace: h.namespace,
    host: h.host,
    type: (h.type ?? inferHostType(h.host)) as ExternalHostType,
    protocol: h.protocol as ExternalProtocol,
    port: h.port,
    targetPort: h.targetPort ?? h.port,
    addresses: h.addresses ?? [],
    endpoints: h.endpoints.map((ep: { address: string; zone: string }) => ({ address: ep.address, zone: ep.zone })),
    routing: routingOf(h.routing),
    outlierDetection: outlierDefaults(h.outlierDetection, h.endpoints.length),
    ...externalRoleOf(h),
  }));
  const firstTag = services.find((s) => s.workload === 'chart')?.image.tag;
  return {
    name: v.metadata.name,
    chart: {
      ...(v.chart?.version ? { version: v.chart.version } : {}),
      appVersion: v.chart?.appVersion ?? firstTag ?? DEFAULTS.appVersion,
      description: v.chart?.description ?? v.metadata.description ?? `Zone-local routing for ${v.metadata.name} (generated by zonal)`,
      split: (v.chart?.split ?? DEFAULTS.chartSplit) as ChartSplit,
    },
    cluster: { name: v.cluster.name, region: v.cluster.region, kubernetesVersion: v.cluster.kubernetesVersion, zones },
    mesh: {
      istioVersion: v.mesh?.istioVersion ?? DEFAULTS.istioVersion,
      revision: v.mesh?.revision ?? DEFAULTS.revision,
      dnsCapture: v.mesh?.dnsCapture ?? DEFAULTS.dnsCapture,
      bootstrap: v.mesh?.bootstrap ?? DEFAULTS.bootstrap,
      dataplane: (v.mesh?.dataplane ?? DEFAULTS.dataplane) as MeshDataplane,
    },
    namespaces: v.namespaces.map((n: Raw) => ({
      name: n.name, labels: n.labels ?? {}, create: n.create ?? DEFAULTS.createNamespace,
      dataplane: (n.dataplane ?? v.mesh?.dataplane ?? DEFAULTS.dataplane) as MeshDataplane,
      waypoint: {
        enabled: n.waypoint?.enabled ?? DEFAULTS.waypointEnabled,
        replicasPerZone: n.waypoint?.replicasPerZone ?? DEFAULTS.waypointReplicasPerZone,
      },
    })),
    services,
    externalHosts,
    environments: (v.environments ?? []).map((e: { name: string; cluster: string; values?: Record<string, unknown>; targetRevision?: string }) => ({
      name: e.name, cluster: e.cluster, values: e.values ?? {}, ...(e.targetRevision ? { targetRevision: e.targetRevision } : {}),
    })),
    gitops: {
      repoURL: v.gitops?.repoURL ?? DEFAULTS.gitops.repoURL,
      targetRevision: v.gitops?.targetRevision ?? DEFAULTS.gitops.targetRevision,
      argocdNamespace: v.gitops?.argocdNamespace ?? DEFAULTS.gitops.argocdNamespace,
      project: v.gitops?.project ?? v.metadata.name,
    },
    localityRouting: v.localityRouting ?? DEFAULTS.localityRouting,
  };
}

/** The longest string a value may hold (bytes, UTF-8). */
export const MAX_STRING_BYTES = 1024 * 1024;

/** Control characters other than tab, line feed and carriage return, and the Unicode line separators. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Strings that no generated file can hold: an unpaired UTF-16 surrogate (from a `\ud800` escape)
 * has no UTF-8 encoding, and control characters do not survive Helm 3's values handling, so Helm
 * and Argo CD would read something else than the values file says.
 */
function checkStrings(root: unknown, out: ProblemCollector): void {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const seen = new Set<object>();
  const walk = (v: unknown, pointer: string) => {
    if (typeof v === 'string') {
      const control = CONTROL.exec(v)?.[0];
      if (v.length > MAX_STRING_BYTES / 4 && Buffer.byteLength(v, 'utf8') > MAX_STRING_BYTES) {
        out.atValue(pointer, `${displayPath(pointer)} is ${(Buffer.byteLength(v, 'utf8') / 1024 / 1024).toFixed(1)} MiB long`,
          'keep each value under 1 MiB: Helm loads no chart file over 5 MiB, and zonal renders strings up to 1 MiB');
      } else if (lone.test(v)) out.atValue(pointer, `${displayPath(pointer)} holds an unpaired UTF-16 surrogate escape`, 'write the character itself or remove the escape');
      else if (control !== undefined) {
        out.atValue(pointer, `${displayPath(pointer)} holds the control character U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
          'remove it: Helm 3 cannot carry it through chart values and YAML 1.1 readers take NEL, LS and PS for line breaks');
      }
    } else if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      // Keys and an indexed loop, not Object.entries: this visits every node of the values file
      // before any code is optimised, where each entry and each step of a for-of is an allocation.
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const c: unknown = (v as Record<string, unknown>)[k];
        const p = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (lone.test(k)) out.atKey(p, 'a key holds an unpaired UTF-16 surrogate escape', 'write the character itself or remove the escape');
        else if (CONTROL.test(k)) out.atKey(p, `a key in ${displayPath(pointer)} holds a control character`, 'remove it');
        walk(c, p);
      }
    }
  };
  walk(root, '');
}

/**
 * Parses and validates a values file's text. Throws InputError holding one
 * `file:line:col: what (fix)` line per problem; never returns a partly valid model.
 */
export function parseValues(text: string, file: string): TopologyRouting {
  const doc = parseMappingDocument(text, file,
    'apiVersion: zonal/v1, kind: TopologyRouting, ... (start from values/octank-travel.yaml)')!;
  const out = new ProblemCollector(file, doc);
  checkStrings(doc.value, out);
  for (const e of validate(doc.value)) reportSchemaError(e, doc.value, out);
  if (out.problems.length === 0) crossCheck(doc.value as RawValues, out);
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  const model = toModel(doc.value);
  sources.set(model, doc);
  return model;
}

const sources = new WeakMap<TopologyRouting, PositionedDocument>();

/** The parsed values file a model came from (positions for findings), when it came from one. */
export function sourceDocumentOf(model: TopologyRouting): PositionedDocument | undefined {
  return sources.get(model);
}

/** Reads and validates a values file from disk. */
export function loadValuesFile(path: string, displayName = path): TopologyRouting {
  return parseValues(readInputFile(path, displayName, 'values file', '--values'), displayName);
}
