/**
 * JSON Schema of the workload keys of `services[]` (see workload.ts), spread into the service
 * item of values-schema.ts. Kubernetes-shaped fragments are checked for their outer shape only;
 * the API server validates the rest when the chart is applied.
 */
const labelMap = { type: 'object', additionalProperties: { type: 'string' } };
const fragment = { type: 'object' };
const fragments = { type: 'array', items: fragment };
const strings = { type: 'array', items: { type: 'string', minLength: 1 } };
const seconds = { type: 'integer', minimum: 0 };
const dns1123Label = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** One container probe: the path (HTTP services) and its timing. */
export const probeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', pattern: '^/' },
    initialDelaySeconds: seconds,
    periodSeconds: { type: 'integer', minimum: 1 },
    timeoutSeconds: { type: 'integer', minimum: 1 },
    failureThreshold: { type: 'integer', minimum: 1 },
  },
};

export const workloadProperties = {
  workload: { enum: ['chart', 'external'] },
  selector: labelMap,
  zoneSpread: { type: 'boolean' },
  trafficDistribution: { type: 'boolean' },
  podAnnotations: labelMap,
  labels: labelMap,
  serviceAccount: { type: 'object', additionalProperties: false, properties: { annotations: labelMap } },
  nodeSelector: labelMap,
  tolerations: fragments,
  affinity: fragment,
  imagePullSecrets: { type: 'array', items: { type: 'string', pattern: dns1123Label } },
  command: strings,
  args: { type: 'array', items: { type: 'string' } },
  envFrom: fragments,
  volumes: { type: 'array', items: { type: 'object', required: ['name'] } },
  volumeMounts: { type: 'array', items: { type: 'object', required: ['name', 'mountPath'] } },
  ports: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'port'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 15 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        targetPort: { type: 'integer', minimum: 1, maximum: 65535 },
        protocol: { enum: ['HTTP', 'HTTP2', 'GRPC', 'TCP'] },
      },
    },
  },
  probes: { type: 'object', additionalProperties: false, properties: { liveness: probeSchema, readiness: probeSchema, startup: probeSchema } },
  autoscaling: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      minReplicas: { type: 'integer', minimum: 1 },
      maxReplicas: { type: 'integer', minimum: 1 },
      targetCPUUtilizationPercentage: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
  securityContext: { type: 'object', additionalProperties: false, properties: { pod: fragment, container: fragment } },
} as const;
