import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import type { ProbeSpec } from '../model/workload.js';
import { goString, templateText } from './value-source.js';
import { toYaml } from '../yaml/dump.js';
import { argoAnnotations, objectName, objectNamespace, podLabels, standardLabels, SYNC_WAVE, templatedSelector } from './labels.js';
import { ZONE_LABEL } from '../well-known.js';
import { KAFKA_CLIENT_RACK_ENV, KAFKA_CLIENT_RACK_FROM_NODE } from '../model/external-hosts.js';
import { GENERATED_VOLUME } from '../model/kubernetes-rules.js';
import { PROXY_CONFIG_ANNOTATION, proxyConfigYaml } from './proxy-config.js';

/** Pods spread over zones by the zone label (one source: well-known.ts). */
export const ZONE_TOPOLOGY_KEY = ZONE_LABEL;

export { RUN_AS_USER } from '../model/workload-defaults.js';


function probe(svc: ServiceSpec, spec: ProbeSpec) {
  const action = svc.protocol === 'TCP' ? { tcpSocket: { port: 'app' } } : { httpGet: { path: spec.path, port: 'app' } };
  const { path: _path, ...timing } = spec;
  return { ...action, ...timing };
}

/** The service's probes in the chart: serviceDefaults.probes with services.<name>.probes merged over it, key by key. */
const PROBES = `(mergeOverwrite (deepCopy $.Values.serviceDefaults.probes) (deepCopy (default (dict) (get ${TPL.item} "probes"))))`;

/** One probe as the chart renders it (the same object as probe() above): its timing plus the action. */
function probeKnob(v: RenderContext['v'], svc: ServiceSpec, kind: 'liveness' | 'readiness' | 'startup', spec: ProbeSpec) {
  const p = `(get ${PROBES} ${goString(kind)})`;
  const action = svc.protocol === 'TCP' ? '(dict "tcpSocket" (dict "port" "app"))' : `(dict "httpGet" (dict "path" (get ${p} "path") "port" "app"))`;
  return v.raw((indent) => `{{- toYaml (merge (omit ${p} "path") ${action}) | nindent ${indent + 2} }}`, probe(svc, spec));
}

/** A container knob only a service has (values services.<name>.<key>, absent = none); see SERVICE_ONLY_KNOBS in chart/values-tree.ts. */
function serviceKnob(key: string): string {
  return `(get ${TPL.item} ${goString(key)})`;
}

/** A list the chart starts with its own entry (the /tmp volume) and the service's knob extends. */
function extendedList<T>(v: RenderContext['v'], key: string, own: T, extra: readonly T[]): T[] {
  return v.raw((indent) => {
    const pad = ' '.repeat(indent);
    const ownLines = toYaml([own]).replace(/\n$/, '').split('\n').map((l) => pad + templateText(l)).join('\n');
    return `\n${ownLines}\n${pad}{{- with ${serviceKnob(key)} }}\n${pad}{{- toYaml . | nindent ${indent} }}\n${pad}{{- end }}`;
  }, [own, ...extra]);
}

/**
 * A shared pod knob (chart values.yaml: services.<name>.<key>, else serviceDefaults.<key>; see
 * SHARED_POD_KNOBS in chart/values-tree.ts), as a Go-template expression.
 */
function podKnob(key: string): string {
  return `(ternary (get ${TPL.item} ${goString(key)}) (get $.Values.serviceDefaults ${goString(key)}) (hasKey ${TPL.item} ${goString(key)}))`;
}

/** An optional pod-spec knob: present when the service's value is non-empty (at render time). */
function optional<T>(v: RenderContext['v'], expr: string, value: T, empty: boolean): T {
  return v.when(expr, !empty, v.block(expr, value), undefined);
}

export function renderDeployment(ctx: RenderContext, svc: ServiceSpec): IDeployment {
  const { v, model } = ctx;
  const item = TPL.item;
  const proxyConfig = proxyConfigYaml(model);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: objectName(v, model, svc.name),
      namespace: objectNamespace(v, model, svc.namespace),
      labels: standardLabels(v, model, ctx.chartVersion, svc.name, {}, { value: svc.pod.labels }),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    spec: {
      // With a HorizontalPodAutoscaler the Deployment leaves replicas to it (a sync would reset them).
      replicas: v.when(`(not ${item}.autoscaling.enabled)`, !svc.pod.autoscaling.enabled, v.scalar(`${item}.replicas`, svc.replicas), undefined),
      revisionHistoryLimit: 5,
      selector: { matchLabels: templatedSelector(v, model, svc.name) },
      template: {
        metadata: {
          labels: podLabels(v, model, svc.name, { value: svc.pod.labels }),
          // podAnnotations (a deploy-time knob) win over the chart's own proxy config.
          annotations: v.when(proxyConfig ? 'true' : podKnob('podAnnotations'), !!proxyConfig || Object.keys(svc.pod.podAnnotations).length > 0, v.raw(
            (indent) => `{{- toYaml (merge (deepCopy ${podKnob('podAnnotations')}) (dict${proxyConfig ? ` ${goString(PROXY_CONFIG_ANNOTATION)} ${goString(proxyConfig)}` : ''})) | nindent ${indent + 2} }}`,
            { ...(proxyConfig ? { [PROXY_CONFIG_ANNOTATION]: proxyConfig } : {}), ...svc.pod.podAnnotations },
          ), undefined),
        },
        spec: {
          serviceAccountName: objectName(v, model, svc.name),
          automountServiceAccountToken: false,
          imagePullSecrets: v.when(podKnob('imagePullSecrets'), svc.pod.imagePullSecrets.length > 0, v.raw(
            (indent) => `\n${' '.repeat(indent)}{{- range ${podKnob('imagePullSecrets')} }}\n${' '.repeat(indent)}- name: {{ . | quote }}\n${' '.repeat(indent)}{{- end }}`,
            svc.pod.imagePullSecrets.map((name) => ({ name })),
          ), undefined),
          nodeSelector: optional(v, podKnob('nodeSelector'), svc.pod.nodeSelector, Object.keys(svc.pod.nodeSelector).length === 0),
          // Kubernetes-shaped fragments from the values file, passed through as the API spells them.
          tolerations: optional(v, podKnob('tolerations'), [...svc.pod.tolerations] as never[], svc.pod.tolerations.length === 0),
          affinity: optional(v, podKnob('affinity'), svc.pod.affinity, Object.keys(svc.pod.affinity).length === 0),
          // Pod Security "restricted" unless the service replaces it (values securityContext.pod).
          securityContext: v.block(podKnob('podSecurityContext'), svc.pod.podSecurityContext),
          // Zone spread is what makes zone-local routing possible: a zone without a replica sends
          // all of its calls across zones.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: ZONE_TOPOLOGY_KEY,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: templatedSelector(v, model, svc.name) },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: templatedSelector(v, model, svc.name) },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: svc.name,
              image: v.raw(
                // One quoted scalar built by Helm: a quote in either value stays data.
                () => ` {{ printf "%s:%s" ${item}.image.repository ${item}.image.tag | quote }}`,
                `${svc.image.repository}:${svc.image.tag}`,
              ),
              imagePullPolicy: v.scalar(`${item}.image.pullPolicy`, svc.image.pullPolicy),
              command: optional(v, serviceKnob('command'), [...svc.pod.command], svc.pod.command.length === 0),
              args: optional(v, serviceKnob('args'), [...svc.pod.args], svc.pod.args.length === 0),
              ports: [
                { name: 'app', containerPort: svc.targetPort, protocol: 'TCP' },
                ...svc.pod.extraPorts.map((p) => ({ name: p.name, containerPort: p.targetPort, protocol: 'TCP' as const })),
              ],
              env: [
                { name: 'PORT', value: String(svc.targetPort) },
                // Needs the pod topology labels that Kubernetes >= 1.33 copies from the node; the
                // app falls back to the EC2 metadata service when the label is absent.
                { name: 'ZONE', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ZONE_TOPOLOGY_KEY}']` } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                // No downward-API field reads node labels: the app resolves this marker to the
                // node's AZ id itself (docs/app.md, "Kafka client.rack").
                ...(svc.kafka.clientRack ? [{ name: KAFKA_CLIENT_RACK_ENV, value: KAFKA_CLIENT_RACK_FROM_NODE }] : []),
                ...Object.entries(svc.env).map(([name, value]) => ({ name, value })),
              ],
              envFrom: optional(v, serviceKnob('envFrom'), [...svc.pod.envFrom] as never[], svc.pod.envFrom.length === 0),
              livenessProbe: probeKnob(v, svc, 'liveness', svc.pod.probes.liveness),
              readinessProbe: probeKnob(v, svc, 'readiness', svc.pod.probes.readiness),
              startupProbe: v.when(`(hasKey ${PROBES} "startup")`, svc.pod.probes.startup !== undefined,
                // Rendered whenever the merged probes have one, so --set can add a startup probe too.
                probeKnob(v, svc, 'startup', svc.pod.probes.startup ?? svc.pod.probes.liveness), undefined),
              resources: v.block(`${item}.resources`, svc.resources),
              securityContext: v.block(podKnob('securityContext'), svc.pod.containerSecurityContext),
              volumeMounts: extendedList(v, 'volumeMounts', { name: GENERATED_VOLUME.name, mountPath: GENERATED_VOLUME.mountPath } as never, svc.pod.volumeMounts as never[]),
            },
          ],
          volumes: extendedList(v, 'volumes', { name: GENERATED_VOLUME.name, emptyDir: {} } as never, svc.pod.volumes as never[]),
        },
      },
    },
  };
}
