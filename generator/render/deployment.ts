import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, podLabels, selectorLabels, standardLabels, SYNC_WAVE, templatedSelector } from './labels.js';

export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

/** UID the zip-lookup image runs as (app/Dockerfile); any non-root UID works for other images. */
export const RUN_AS_USER = 10001;

/**
 * Sidecar DNS capture: the sidecar answers DNS for ServiceEntry hosts with the addresses istiod
 * auto-allocates (PILOT_ENABLE_IP_AUTOALLOCATE, default since Istio 1.25), so TCP ServiceEntries
 * without `addresses` get their own listener instead of sharing 0.0.0.0:<port>. The agent-side
 * ISTIO_META_DNS_AUTO_ALLOCATE is deprecated and not set.
 */
export const DNS_CAPTURE_PROXY_CONFIG = 'proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "true"\n';

function probe(svc: ServiceSpec, path: string) {
  return svc.protocol === 'TCP' ? { tcpSocket: { port: 'app' } } : { httpGet: { path, port: 'app' } };
}

export function renderDeployment(ctx: RenderContext, svc: ServiceSpec): IDeployment {
  const { v, model } = ctx;
  const item = TPL.item;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: svc.name,
      namespace: svc.namespace,
      labels: standardLabels(v, model, ctx.chartVersion, svc.name),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    spec: {
      replicas: v.scalar(`${item}.replicas`, svc.replicas),
      revisionHistoryLimit: 5,
      selector: { matchLabels: templatedSelector(v, model, svc.name) },
      template: {
        metadata: {
          labels: podLabels(v, model, svc.name),
          ...(model.mesh.dnsCapture ? { annotations: { 'proxy.istio.io/config': DNS_CAPTURE_PROXY_CONFIG } } : {}),
        },
        spec: {
          serviceAccountName: svc.name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            fsGroup: RUN_AS_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Zone spread is what makes zone-local routing possible: a zone without a replica sends
          // all of its calls across zones.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: ZONE_TOPOLOGY_KEY,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: selectorLabels(model, svc.name) },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorLabels(model, svc.name) },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: svc.name,
              image: v.raw(
                () => ` "{{ ${item}.image.repository }}:{{ ${item}.image.tag }}"`,
                `${svc.image.repository}:${svc.image.tag}`,
              ),
              imagePullPolicy: v.scalar(`${item}.image.pullPolicy`, svc.image.pullPolicy),
              ports: [{ name: 'app', containerPort: svc.targetPort, protocol: 'TCP' }],
              env: [
                { name: 'PORT', value: String(svc.targetPort) },
                // Needs the pod topology labels that Kubernetes >= 1.33 copies from the node; the
                // app falls back to the EC2 metadata service when the label is absent.
                { name: 'ZONE', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ZONE_TOPOLOGY_KEY}']` } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ...Object.entries(svc.env).map(([name, value]) => ({ name, value })),
              ],
              livenessProbe: { ...probe(svc, svc.healthPath), periodSeconds: 10, failureThreshold: 3 },
              readinessProbe: { ...probe(svc, svc.readinessPath), periodSeconds: 5, failureThreshold: 2 },
              resources: v.block(`${item}.resources`, svc.resources),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}
