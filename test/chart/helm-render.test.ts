import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { CrdValidators, istioCrdFile } from '../../generator/validate/crd-schema.js';
import { validateObjects } from '../../generator/validate/objects.js';
import { generateInto } from '../support/generate.js';
import { helm, helmBinaries, helmFails, REPO, type HelmBinary } from '../support/helm.js';
import { routingInvariantViolations } from '../support/invariants.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const model = loadValuesFile(VALUES);
const zones = model.cluster.zones.map((z) => z.name);
let chartDir: string;
let crds: CrdValidators;

function template(bin: HelmBinary, ...extra: string[]): KubeObject[] {
  // A single-namespace chart follows the release namespace: render it where the values file puts it.
  return parseManifests(helm(bin, ['template', model.name, chartDir, '--namespace', model.namespaces[0]!.name, ...extra]), 'helm-template')
    .map((l) => l.object);
}

const find = (objs: KubeObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name) as Any;

beforeAll(async () => {
  chartDir = join(await generateInto(VALUES), 'charts', model.name);
  crds = new CrdValidators([istioCrdFile()]);
});

describe.each(helmBinaries())('GIVEN the bundled example chart WHEN rendered by real Helm $major', (bin) => {
  it('THEN helm lint --strict passes', () => {
    expect(helm(bin, ['lint', '--strict', chartDir])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('THEN helm template with default values equals what the generator predicts, object for object', () => {
    const rendered = template(bin);
    const predicted = renderObjects(model, '0.1.0');
    expect(rendered.length).toBe(predicted.length);
    // Helm output order is by kind; compare as sets keyed by identity.
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const byKey = new Map(predicted.map((o) => [key(o), o]));
    for (const o of rendered) expect(o).toEqual(byKey.get(key(o)));
  });

  it('THEN every rendered object validates against kubernetes-models and the strict Istio 1.30.3 CRD schemas', async () => {
    const rendered = template(bin);
    expect(await validateObjects(rendered, crds)).toEqual([]);
    // zip-lookup, aurora-reader, S3, MSK bootstrap (the Aurora writer has one endpoint and no DestinationRule);
    // ServiceEntries: writer, reader, S3, MSK bootstrap + one per broker.
    expect(rendered.filter((o) => o.kind === 'DestinationRule')).toHaveLength(4);
    expect(rendered.filter((o) => o.kind === 'ServiceEntry')).toHaveLength(7);
  });

  it('THEN the rendered output keeps every routing invariant', () => {
    expect(routingInvariantViolations(template(bin), model.cluster.region, zones)).toEqual([]);
  });

  it('THEN the walkthrough topology is there: zip-lookup-service-local 80 -> 8080 with 3 replicas, Aurora writer/reader, S3, MSK', () => {
    const objs = template(bin);
    const svc = find(objs, 'Service', 'zip-lookup-service-local');
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'app' });
    const dep = find(objs, 'Deployment', 'zip-lookup-service');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.containers[0].ports[0].containerPort).toBe(8080);
    const reader = find(objs, 'ServiceEntry', 'aurora-reader');
    expect(reader.spec.endpoints.map((e: Any) => e.locality)).toEqual(['us-west-2/us-west-2a', 'us-west-2/us-west-2b']);
    expect(find(objs, 'DestinationRule', 'aurora-reader').spec.host).toBe(reader.spec.hosts[0]);
    const writer = find(objs, 'ServiceEntry', 'aurora-writer');
    expect(writer.spec.endpoints).toEqual([{ address: writer.spec.hosts[0], locality: 'us-west-2/us-west-2a' }]);
    expect(find(objs, 'ServiceEntry', 's3-interface-endpoint').spec.ports[0]).toEqual({ name: 'tls-443', number: 443, protocol: 'TLS' });
    expect(find(objs, 'ServiceEntry', 'msk-brokers').spec.endpoints).toHaveLength(3);
  });

  it('WHEN routing is switched off globally THEN every DestinationRule disables locality LB but keeps outlier detection', () => {
    const objs = template(bin, '--set', 'localityRouting.enabled=false');
    const drs = objs.filter((o) => o.kind === 'DestinationRule') as Any[];
    expect(drs.map((d) => d.spec.trafficPolicy.loadBalancer.localityLbSetting)).toEqual(drs.map(() => ({ enabled: false })));
    expect(drs.every((d) => d.spec.trafficPolicy.outlierDetection.consecutive5xxErrors > 0)).toBe(true);
  });

  it('WHEN routing is switched off for one service THEN only its DestinationRule changes', () => {
    const objs = template(bin, '--set', 'services.zip-lookup-service.localityRouting.enabled=false');
    expect(find(objs, 'DestinationRule', 'zip-lookup-service').spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({ enabled: false });
    expect(find(objs, 'DestinationRule', 'aurora-reader').spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({ enabled: true });
  });

  it('WHEN replicas are 6 and the image tag is new THEN the Deployment follows and one endpoint stays ejectable', () => {
    const objs = template(bin, '--set', 'services.zip-lookup-service.replicas=6', '--set', 'services.zip-lookup-service.image.tag=v2.0.0');
    const dep = find(objs, 'Deployment', 'zip-lookup-service');
    expect(dep.spec.replicas).toBe(6); // a number, not the string "6"
    expect(dep.spec.template.spec.containers[0].image).toBe('111122223333.dkr.ecr.us-west-2.amazonaws.com/istio-tpr-app:v2.0.0');
    expect(routingInvariantViolations(objs, model.cluster.region, zones)).toEqual([]);
  });

  it('WHEN replicas shrink to 2 THEN maxEjectionPercent rises to 50 so a single endpoint can still be ejected', () => {
    const objs = template(bin, '--set', 'services.zip-lookup-service.replicas=2');
    expect(find(objs, 'DestinationRule', 'zip-lookup-service').spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(50);
  });

  it('WHEN an endpoint address is overridden per zone THEN the ServiceEntry uses it with that zone locality', () => {
    const objs = template(bin, '--set', 'externalHosts.aurora-reader.endpoints.us-west-2c[0]=replica-3.example.internal');
    const eps = find(objs, 'ServiceEntry', 'aurora-reader').spec.endpoints as Any[];
    expect(eps).toContainEqual({ address: 'replica-3.example.internal', locality: 'us-west-2/us-west-2c' });
    // Configured 50 (2 endpoints) already allows one ejection among 3; the chart only ever raises it.
    expect(find(objs, 'DestinationRule', 'aurora-reader').spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(50);
  });

  it('WHEN a value key is misspelt or has the wrong type THEN values.schema.json makes helm template fail', () => {
    expect(helmFails(bin, ['template', model.name, chartDir, '--set', 'services.zip-lookup-service.replica=6'])).toMatch(/replica/);
    expect(helmFails(bin, ['template', model.name, chartDir, '--set', 'services.zip-lookup-service.replicas=many'])).toMatch(/replicas/);
    expect(helmFails(bin, ['template', model.name, chartDir, '--set', 'externalHosts.aurora-reader.endpoints.eu-west-1a[0]=x'])).toMatch(/eu-west-1a|endpoints/);
    // A second writer endpoint would send some zones' writes to a read-only reader: the schema refuses it.
    expect(helmFails(bin, ['template', model.name, chartDir, '--set', 'externalHosts.aurora-writer.endpoints.us-west-2b[0]=x.example.internal']))
      .toMatch(/aurora-writer|endpoints|maxProperties|Must have at most 1/i);
  });
});
