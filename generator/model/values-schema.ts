/**
 * JSON Schema (draft-07) of the zonal values file. Every object rejects unknown keys, so a typo
 * is reported where it is instead of being silently ignored. Cross-field rules (zones that exist,
 * unique names, declared namespaces) live in cross-checks.ts because JSON Schema cannot say them.
 */
import { workloadProperties } from './workload-schema.js';
import { DEFAULTS } from './defaults.js';
const dns1123Label = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const dnsName = '^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/**
 * Free text that goes into Chart.yaml: Helm keeps only printable characters and the plain space in
 * it (it drops control and format characters and turns other spaces into " "), so the chart would
 * not say what the values file says.
 */
const NO_CONTROL = '^(?:[^\\p{C}\\p{Z}]| )*$';
const duration = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
const quantity = '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$';

const name = { type: 'string', minLength: 1, maxLength: 63, pattern: dns1123Label };
const port = { type: 'integer', minimum: 1, maximum: 65535 };

const failover = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to'],
    properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } },
  },
};

const distribute = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to'],
    properties: {
      from: { type: 'string', minLength: 1 },
      to: { type: 'object', minProperties: 1, additionalProperties: { type: 'integer', minimum: 1, maximum: 100 } },
    },
  },
};

const routing = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { enum: ['zone-local', 'weighted', 'off', 'zone-aware'] },
    mechanism: { enum: ['destinationRule', 'trafficDistribution'] },
    failover,
    failoverPriority: { type: 'array', items: { type: 'string', minLength: 1 } },
    distribute,
    minClusterSize: { type: 'integer', minimum: 1, maximum: 1000000 },
  },
};

const outlierDetection = {
  type: 'object',
  additionalProperties: false,
  properties: {
    consecutive5xxErrors: { type: 'integer', minimum: 1 },
    interval: { type: 'string', pattern: duration },
    baseEjectionTime: { type: 'string', pattern: duration },
    maxEjectionPercent: { type: 'integer', minimum: 1, maximum: 100 },
    minHealthPercent: { type: 'integer', minimum: 0, maximum: 100 },
  },
};

export const valuesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://zonal.dev/schemas/topology-routing-v1.json',
  title: 'zonal TopologyRouting values',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'cluster', 'namespaces'],
  properties: {
    apiVersion: { const: 'zonal/v1' },
    kind: { const: 'TopologyRouting' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { ...name, maxLength: 53 },
        description: { type: 'string', pattern: NO_CONTROL },
      },
    },
    chart: {
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$' },
        appVersion: { type: 'string', minLength: 1 },
        description: { type: 'string', pattern: NO_CONTROL },
        split: { enum: ['none', 'namespace'] },
      },
    },
    cluster: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'region', 'kubernetesVersion', 'zones'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-zA-Z][-a-zA-Z0-9]*$' },
        region: { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$' },
        kubernetesVersion: { type: 'string', pattern: '^1\\.[0-9]{2}$' },
        zones: {
          type: 'array',
          minItems: 2,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+[a-z]$' },
              id: { type: 'string', pattern: '^[a-z]{3,5}[0-9]-az[0-9]+$' },
              cidrs: {
                type: 'array',
                items: { type: 'string', pattern: '^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$' },
              },
            },
          },
        },
      },
    },
    mesh: {
      type: 'object',
      additionalProperties: false,
      properties: {
        istioVersion: { type: 'string', pattern: '^1\\.[0-9]+\\.[0-9]+$' },
        revision: { type: 'string', pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$', maxLength: 63 },
        dnsCapture: { type: 'boolean' },
        bootstrap: { type: 'boolean' },
        dataplane: { enum: ['sidecar', 'ambient'] },
      },
    },
    localityRouting: { type: 'boolean' },
    namespaces: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          create: { type: 'boolean' },
          dataplane: { enum: ['sidecar', 'ambient'] },
          waypoint: {
            type: 'object',
            additionalProperties: false,
            properties: { enabled: { type: 'boolean' }, replicasPerZone: { type: 'integer', minimum: 1, maximum: 100 } },
          },
        },
      },
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'namespace', 'port'],
        // image is required unless workload: external (another chart runs the pods): workload-checks.ts.
        properties: {
          ...workloadProperties,
          name,
          namespace: name,
          serviceName: name,
          image: {
            type: 'object',
            additionalProperties: false,
            required: ['repository', 'tag'],
            properties: {
              repository: { type: 'string', minLength: 1, pattern: '^[^\\s:@]+(:[0-9]+)?(/[^\\s:@]+)*$' },
              tag: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' },
              pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
            },
          },
          replicas: { type: 'integer', minimum: 1, maximum: 1000 },
          port,
          targetPort: port,
          protocol: { enum: ['HTTP', 'HTTP2', 'GRPC', 'TCP'] },
          routing,
          outlierDetection,
          resources: {
            type: 'object',
            additionalProperties: false,
            properties: {
              requests: {
                type: 'object',
                additionalProperties: false,
                properties: { cpu: { type: 'string', pattern: quantity }, memory: { type: 'string', pattern: quantity } },
              },
              limits: {
                type: 'object',
                additionalProperties: false,
                properties: { cpu: { type: 'string', pattern: quantity }, memory: { type: 'string', pattern: quantity } },
              },
            },
          },
          healthPath: { type: 'string', pattern: '^/' },
          readinessPath: { type: 'string', pattern: '^/' },
          env: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: { type: 'string' } },
          maxUnavailable: { type: 'integer', minimum: 1 },
          kafka: { type: 'object', additionalProperties: false, properties: { clientRack: { type: 'boolean' } } },
        },
      },
    },
    externalHosts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'namespace', 'host', 'protocol', 'port', 'endpoints'],
        properties: {
          name,
          namespace: name,
          host: { type: 'string', pattern: dnsName },
          type: { enum: ['rds', 'msk', 'ec2', 'interface-endpoint', 'gateway-endpoint', 'other'] },
          protocol: { enum: ['TCP', 'TLS', 'HTTP', 'HTTPS', 'GRPC', 'HTTP2', 'MONGO'] },
          port,
          targetPort: port,
          addresses: { type: 'array', items: { type: 'string', pattern: '^([0-9]{1,3}\\.){3}[0-9]{1,3}(/[0-9]{1,2})?$' } },
          endpoints: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['address', 'zone'],
              properties: {
                address: { type: 'string', pattern: dnsName },
                zone: { type: 'string', minLength: 1 },
              },
            },
          },
          routing,
          outlierDetection,
          role: { enum: ['writer', 'reader', 'instance'] },
          kafka: { type: 'object', additionalProperties: false, properties: { rackAwareSelector: { type: 'boolean' } } },
        },
      },
    },
    environments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'cluster'],
        properties: {
          name,
          // No white space: the URL is matched exactly by Argo CD and written into comments and manifests.
          cluster: { type: 'string', pattern: '^https://\\S+$' },
          values: { type: 'object' },
          targetRevision: { type: 'string', minLength: 1 },
        },
      },
    },
    gitops: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // It sits in the ApplicationSet's Go template: no braces (Argo CD would evaluate them) and no white space.
        repoURL: { type: 'string', minLength: 1, pattern: '^[^\\s{}]+$' },
        targetRevision: { type: 'string', minLength: 1 },
        argocdNamespace: name,
        project: name,
      },
    },
  },
} as const;

/** The ajv options the values file is checked with (at run time and by the build's precompilation). */
export const VALUES_AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

/** What each key means, for error hints ("how to fix"). Keyed by the schema keyword's error. */
export const fixHints: Readonly<Record<string, string>> = {
  '/metadata/name': 'use lower-case letters, digits and "-", at most 53 characters: it becomes the chart and release name',
  '/cluster/zones': 'list at least 2 zones, e.g. us-west-2a, us-west-2b',
  '/cluster/zones/*/name': 'use the AWS zone name, e.g. us-west-2a',
  '/cluster/zones/*/id': 'use the AWS zone id, e.g. usw2-az1',
  '/cluster/region': 'use the AWS region name, e.g. us-west-2',
  '/cluster/kubernetesVersion': `quote the minor version, e.g. "${DEFAULTS.kubernetesVersion}"`,
  '/mesh/istioVersion': `use a full Istio version, e.g. "${DEFAULTS.istioVersion}"`,
  '/metadata/description': 'write it on one line of printable characters (Helm drops control characters and other spaces from Chart.yaml)',
  '/chart/split': 'none (one chart) or namespace (one chart per namespace, charts/<name>-<namespace>/)',
  '/chart/description': 'write it on one line of printable characters (Helm drops control characters and other spaces from Chart.yaml)',
  '/gitops/repoURL': 'use the Git URL Argo CD clones, e.g. https://github.com/org/repo.git (no spaces or braces)',
  '/mesh/dataplane': 'sidecar (Envoy sidecars) or ambient (ztunnel, waypoints where L7 policy is needed)',
  '/namespaces/*/dataplane': 'sidecar or ambient; omit it to follow mesh.dataplane',
  '/namespaces/*/waypoint/replicasPerZone': 'a whole number of waypoint pods per zone, at least 1 (2 keeps a zone covered during a drain)',
  '/externalHosts/*/role': 'writer (the Aurora cluster endpoint), reader (cluster-ro or a custom reader endpoint) or instance',
};
