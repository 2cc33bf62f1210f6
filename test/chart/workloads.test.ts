import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { lintModel } from '../../generator/lint/index.js';
import { loadValuesFile, parseValues } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { CrdValidators, istioCrdFile } from '../../generator/validate/crd-schema.js';
import { validateObjects } from '../../generator/validate/objects.js';
import { generateInto, runCli, tempDir } from '../support/generate.js';
import { helm, helmBinaries, helmFails, REPO, type HelmBinary } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VALUES = join(REPO, 'test', 'fixtures', 'values', 'workloads.yaml');
const model = loadValuesFile(VALUES);
let out: string;
let chart: string;
let crds: CrdValidators;

beforeAll(async () => {
  out = await generateInto(VALUES);
  chart = join(out, 'charts', 'teams');
  crds = new CrdValidators([istioCrdFile()]);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function render(bin: HelmBinary, ...extra: string[]): Any[] {
  return parseManifests(helm(bin, ['template', 'teams', chart, ...extra]), 'helm').map((l) => l.object as Any);
}
const find = (objs: Any[], kind: string, name: string): Any => objs.find((o) => o.kind === kind && o.metadata.name === name) as Any;

describe.each(helmBinaries())('GIVEN services with real workload fields WHEN Helm $major renders the chart', (bin) => {
  let objs: Any[];
  beforeAll(() => {
    objs = render(bin);
  });

  it('THEN the output equals the generator prediction object for object and validates against the Kubernetes/Istio schemas', async () => {
    const predicted = renderObjects(model, '0.1.0');
    const key = (o: KubeObject | Any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(objs.map(key).sort()).toEqual(predicted.map(key).sort());
    const byKey = new Map(predicted.map((o) => [key(o), o]));
    for (const o of objs) expect(o).toEqual(byKey.get(key(o)));
    expect(await validateObjects(objs as KubeObject[], crds)).toEqual([]);
  });

  it('THEN the gateway pod carries every field of the values file', () => {
    const pod = find(objs, 'Deployment', 'gateway').spec.template;
    expect(pod.metadata.annotations['prometheus.io/scrape']).toBe('true');
    expect(pod.metadata.annotations['proxy.istio.io/config']).toMatch(/ISTIO_META_DNS_CAPTURE/);
    expect(pod.metadata.labels.team).toBe('edge');
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(pod.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' }]);
    expect(pod.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(10);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'ecr-pull' }]);
    const c = pod.spec.containers[0];
    expect(c.command).toEqual(['/app/gateway']);
    expect(c.args).toEqual(['--listen=:8080', '--log-format=json']);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'gateway-config' } }, { secretRef: { name: 'gateway-secrets' } }]);
    expect(c.ports.map((p: Any) => [p.name, p.containerPort])).toEqual([['app', 8080], ['metrics', 9090], ['grpc-admin', 9443]]);
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/live', port: 'app' }, initialDelaySeconds: 5, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 4 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'app' }, periodSeconds: 3, failureThreshold: 2 });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/started' }, failureThreshold: 60 });
    expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/gateway', readOnly: true });
    expect(pod.spec.volumes).toContainEqual({ name: 'config', configMap: { name: 'gateway-files' } });
    expect(find(objs, 'Service', 'gateway').spec.ports.map((p: Any) => [p.name, p.port, p.targetPort, p.appProtocol]))
      .toEqual([['http', 80, 'app', 'http'], ['metrics', 9090, 'metrics', 'http'], ['grpc-admin', 9443, 'grpc-admin', 'grpc']]);
    expect(find(objs, 'ServiceAccount', 'gateway').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/gateway');
  });

  it('THEN autoscaling renders an HPA with one replica per zone at least, and the Deployment leaves replicas to it', () => {
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'gateway');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12, scaleTargetRef: { kind: 'Deployment', name: 'gateway' } });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(70);
    const dep = find(objs, 'Deployment', 'gateway');
    expect(dep.spec.replicas).toBeUndefined();
    expect(dep.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 });
    const off = render(bin, '--set', 'services.gateway.autoscaling.enabled=false');
    expect(find(off, 'HorizontalPodAutoscaler', 'gateway')).toBeUndefined();
    expect(find(off, 'Deployment', 'gateway').spec.replicas).toBe(3);
    expect(helmFails(bin, ['template', 'teams', chart, '--set', 'services.gateway.autoscaling.minReplicas=2'])).toMatch(/minReplicas|minimum/);
  });

  it('THEN the security context is "restricted" by default and per service when set', () => {
    const gateway = find(objs, 'Deployment', 'gateway').spec.template.spec;
    expect(gateway.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(gateway.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    const legacy = find(objs, 'Deployment', 'legacy').spec.template.spec;
    expect(legacy.securityContext.runAsUser).toBe(2000);
    expect(legacy.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  it('THEN pod knobs are deploy-time values: an IRSA role and a nodeSelector set with --set', () => {
    const o = render(bin, '--set', 'services.legacy.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::1:role/x',
      '--set', 'services.legacy.nodeSelector.pool=blue', '--set', 'services.legacy.imagePullSecrets[0]=regcred');
    expect(find(o, 'ServiceAccount', 'legacy').metadata.annotations).toMatchObject({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x', 'argocd.argoproj.io/sync-wave': '0' });
    expect(find(o, 'Deployment', 'legacy').spec.template.spec.nodeSelector).toEqual({ pool: 'blue' });
    expect(find(o, 'Deployment', 'legacy').spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(find(objs, 'Deployment', 'legacy').spec.template.spec.nodeSelector).toBeUndefined();
  });

  it('THEN command, args, envFrom, volumes, volumeMounts and probes are deploy-time values too (a values file given to helm -f)', () => {
    const dir = tempDir();
    const file = join(dir, 'override.yaml');
    writeFileSync(file, [
      'services:',
      '  legacy:',
      '    command: [/bin/legacy]',
      '    args: ["--verbose"]',
      '    envFrom: [{ secretRef: { name: legacy-env } }]',
      '    volumes: [{ name: cache, emptyDir: { sizeLimit: 1Gi } }]',
      '    volumeMounts: [{ name: cache, mountPath: /cache }]',
      '    probes: { liveness: { periodSeconds: 20 }, startup: { path: /boot, failureThreshold: 40 } }',
      '  gateway:',
      '    probes: { readiness: { timeoutSeconds: 4 } }',
      'serviceDefaults:',
      '  probes: { readiness: { periodSeconds: 7 } }',
    ].join('\n'));
    try {
      const o = render(bin, '-f', file);
      const legacy = find(o, 'Deployment', 'legacy').spec.template.spec;
      const c = legacy.containers[0];
      expect([c.command, c.args, c.envFrom]).toEqual([['/bin/legacy'], ['--verbose'], [{ secretRef: { name: 'legacy-env' } }]]);
      expect(legacy.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'cache', emptyDir: { sizeLimit: '1Gi' } }]);
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/cache' }]);
      // Merged key by key over serviceDefaults.probes: only what the override names changes.
      expect(c.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'app' }, periodSeconds: 20, failureThreshold: 3 });
      expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'app' }, periodSeconds: 7, failureThreshold: 2 });
      expect(c.startupProbe).toEqual({ httpGet: { path: '/boot', port: 'app' }, failureThreshold: 40 });
      const g = find(o, 'Deployment', 'gateway').spec.template.spec.containers[0];
      expect(g.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'app' }, periodSeconds: 3, failureThreshold: 2, timeoutSeconds: 4 });
      expect(g.livenessProbe).toEqual({ httpGet: { path: '/live', port: 'app' }, initialDelaySeconds: 5, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 4 });
      // Without overrides nothing of the kind appears on legacy.
      const plain = find(objs, 'Deployment', 'legacy').spec.template.spec;
      expect([plain.containers[0].command, plain.containers[0].args, plain.containers[0].envFrom, plain.containers[0].startupProbe]).toEqual([undefined, undefined, undefined, undefined]);
      expect(plain.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
      expect(helmFails(bin, ['template', 'teams', chart, '--set', 'services.legacy.probes.liveness.perodSeconds=3'])).toMatch(/perodSeconds|additional/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('THEN a service\'s labels are a deploy-time value on its pods and every object of it, never one the chart writes itself', () => {
    const o = render(bin, '--set', 'services.legacy.labels.cost-center=cc42');
    const legacy = o.filter((x) => x.metadata.labels?.['app.kubernetes.io/name'] === 'legacy');
    expect(legacy.map((x) => x.kind).sort()).toEqual(['Deployment', 'DestinationRule', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    // The workload's own objects; the DestinationRule is routing and carries the standard labels only (as from the values file).
    for (const x of legacy.filter((y) => y.kind !== 'DestinationRule')) expect([x.kind, x.metadata.labels['cost-center']]).toEqual([x.kind, 'cc42']);
    expect(find(o, 'Deployment', 'legacy').spec.template.metadata.labels['cost-center']).toBe('cc42');
    expect(find(o, 'Deployment', 'gateway').spec.template.metadata.labels).toMatchObject({ team: 'edge' });
    expect(find(o, 'Deployment', 'gateway').spec.template.metadata.labels['cost-center']).toBeUndefined();
    expect(helmFails(bin, ['template', 'teams', chart, '--set', 'services.legacy.labels.app\\.kubernetes\\.io/name=x'])).toMatch(/labels|app\.kubernetes\.io\/name/);
    expect(helmFails(bin, ['template', 'teams', chart, '--set', 'services.legacy.labels.team=a b'])).toMatch(/labels/);
  });

  it('THEN serviceDefaults apply to every service that does not set the key itself', () => {
    const o = render(bin, '--set', 'serviceDefaults.nodeSelector.pool=shared', '--set', 'serviceDefaults.podSecurityContext.runAsUser=3000');
    // The restricted default is a deploy-time value: every service without its own follows it.
    expect(find(o, 'Deployment', 'gateway').spec.template.spec.securityContext).toMatchObject({ runAsUser: 3000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(find(o, 'Deployment', 'legacy').spec.template.spec.securityContext.runAsUser).toBe(2000);
    expect(find(o, 'Deployment', 'legacy').spec.template.spec.nodeSelector).toEqual({ pool: 'shared' });
    expect(find(o, 'Deployment', 'gateway').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    const values = readFileSync(join(chart, 'values.yaml'), 'utf8');
    expect(values.match(/^ {4}podSecurityContext:/gm)).toHaveLength(1); // only legacy, which replaces it
    expect(values.match(/^ {4}probes:/gm)).toHaveLength(1); // only gateway, whose probes differ from serviceDefaults.probes
    expect(values).toMatch(/^ {2}probes:\n {4}liveness:/m);
  });

  it('THEN workload: external gets only its DestinationRule, for the Service its own chart names, and no Namespace object', () => {
    const payments = objs.filter((o) => o.metadata.name === 'payments' || o.metadata.name === 'payments-api');
    expect(payments.map((o) => o.kind)).toEqual(['DestinationRule']);
    expect(payments[0].spec.host).toBe('payments-api.payments.svc.cluster.local');
    expect(payments[0].spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(17); // ceil(100 / 6 replicas)
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['api']);
    // Under another release the DestinationRule is ours to rename, the host is not.
    const blue = parseManifests(helm(bin, ['template', 'blue', chart]), 'h').map((l) => l.object as Any);
    expect(find(blue, 'DestinationRule', 'blue-teams-payments').spec.host).toBe('payments-api.payments.svc.cluster.local');
  });
});

describe('GIVEN the chart\'s NOTES.txt (Helm 4 renders it offline; Helm 3.17 wants a cluster)', () => {
  it('THEN autoscaled services show their range, workload: external ones what they are, and the zone check targets a chart-owned Service', () => {
    for (const bin of helmBinaries().filter((b) => b.major === 4)) {
      const notes = helm(bin, ['install', '--dry-run=client', 'blue', chart, '--namespace', 'team-blue', '--set', 'services.legacy.replicas=6']);
      expect(notes).toMatch(/- service gateway \(namespace api\): 3-12 replicas \(autoscaled\), locality routing on/);
      expect(notes).toMatch(/- service legacy \(namespace api\): 6 replicas, locality routing on/);
      expect(notes).toMatch(/- service payments \(Service payments-api\.payments, deployed by its own chart; routing only\): 6 replicas expected/);
      expect(notes).toMatch(/curl -s http:\/\/blue-teams-gateway\.api:80\//);
    }
  });
});

describe('GIVEN the values file checks for workloads', () => {
  const base = readFileSync(VALUES, 'utf8');

  it('WHEN autoscaling.minReplicas is below the zone count THEN generate refuses it at that line', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'v.yaml');
      writeFileSync(file, base.replace('minReplicas: 3,', 'minReplicas: 2,'));
      const r = await runCli(['generate', '--values', file, '--out', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/v\.yaml:\d+:\d+: minReplicas 2 is below the 3 zones.*\(set minReplicas to at least 3\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('WHEN services[].labels take a label the chart sets, or break Kubernetes label syntax THEN each is refused at its key or value', () => {
    const bad = base.replace('    labels: { team: edge }', '    labels: { team: edge, app.kubernetes.io/name: hijack, "bad key!": "a b" }');
    expect(bad).not.toBe(base);
    let message = '';
    try {
      parseValues(bad, 'v.yaml');
    } catch (e) {
      message = String((e as Error).message ?? e);
    }
    expect(message).toMatch(/v\.yaml:\d+:\d+: services\[0\]\.labels\.app\.kubernetes\.io\/name is a label the chart sets itself/);
    expect(message).toMatch(/services\[0\]\.labels key "bad key!" is not a valid label key/);
    expect(message).toMatch(/services\[0\]\.labels\.<key> "a b" is not a valid label value/);
  });

  it('WHEN a chart-owned service has no image THEN it is refused; an external one with an image is refused too', () => {
    expect(() => parseValues(base.replace('    image: { repository: registry.example.com/legacy, tag: "0.9.0" }\n', ''), 'v.yaml')).toThrow(/missing required key "image" in services\[1\]/);
    expect(() => parseValues(base.replace('    workload: external', '    workload: external\n    image: { repository: x, tag: "1" }'), 'v.yaml'))
      .toThrow(/no image here/);
  });

  it('WHEN the external service is linted THEN ZNL028 asks its owning chart for zone spread until zoneSpread: true', () => {
    const findings = lintModel(model, 'workloads.yaml', base);
    const znl028 = findings.filter((f) => f.code === 'ZNL028');
    expect(znl028).toHaveLength(1);
    expect(base.split('\n')[znl028[0]!.line - 1]).toMatch(/- name: payments|workload: external|namespace: payments/);
    expect(findings.filter((f) => f.code === 'ZNL017' || f.code === 'ZNL022')).toEqual([]);
    const declared = base.replace('    workload: external', '    workload: external\n    zoneSpread: true');
    expect(lintModel(parseValues(declared, 'v.yaml'), 'v.yaml', declared).filter((f) => f.code === 'ZNL028')).toEqual([]);
  });

  it('WHEN the external service is routed by trafficDistribution (mechanism or ambient) THEN ZNL029 asks its owning chart for the Service field until trafficDistribution: true', () => {
    const codes = (text: string) => lintModel(parseValues(text, 'v.yaml'), 'v.yaml', text).map((f) => f.code);
    const spread = base.replace('    workload: external', '    workload: external\n    zoneSpread: true');
    expect(codes(spread)).not.toContain('ZNL029'); // routed by its DestinationRule: zonal renders that
    const byField = spread.replace('    selector: { app.kubernetes.io/name: payments }', '    selector: { app.kubernetes.io/name: payments }\n    routing: { mechanism: trafficDistribution }');
    const findings = lintModel(parseValues(byField, 'v.yaml'), 'v.yaml', byField).filter((f) => f.code === 'ZNL029');
    expect(findings.map((f) => [f.severity, byField.split('\n')[f.line - 1]])).toEqual([['warning', expect.stringMatching(/- name: payments|workload: external|namespace: payments/)]]);
    expect(findings[0]!.message).toMatch(/Service payments-api .*spec\.trafficDistribution: PreferSameZone .*set trafficDistribution: true/);
    expect(codes(byField.replace('    zoneSpread: true', '    zoneSpread: true\n    trafficDistribution: true'))).not.toContain('ZNL029');
    const ambient = spread.replace('    create: false          # the payments chart owns its namespace', '    create: false\n    dataplane: ambient');
    expect(ambient).not.toBe(spread);
    expect(codes(ambient)).toContain('ZNL029');
  });
});
