import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { CrdValidators, istioCrdFile } from '../../generator/validate/crd-schema.js';
import { validateObjects } from '../../generator/validate/objects.js';
import { generateInto } from '../support/generate.js';
import { helm, helmBinaries, REPO } from '../support/helm.js';
import { routingInvariantViolations } from '../support/invariants.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VALUES = join(REPO, 'test', 'fixtures', 'values', 'variants.yaml');
const model = loadValuesFile(VALUES);
let chartDir: string;
const [helm3, helm4] = helmBinaries();

const find = (objs: KubeObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name) as Any;
const lb = (objs: KubeObject[], name: string) => find(objs, 'DestinationRule', name).spec.trafficPolicy.loadBalancer;

beforeAll(async () => {
  chartDir = join(await generateInto(VALUES), 'charts', 'variants');
});

describe('GIVEN values with every routing variant WHEN the chart is rendered by Helm 3 and Helm 4', () => {
  let objs: KubeObject[];
  beforeAll(() => {
    const out3 = helm(helm3!, ['template', 'variants', chartDir]);
    const out4 = helm(helm4!, ['template', 'variants', chartDir]);
    expect(out4).toBe(out3);
    objs = parseManifests(out4, 'helm').map((l) => l.object);
  });

  it('THEN both lint --strict and the output equals the generator prediction', () => {
    for (const bin of [helm3!, helm4!]) expect(helm(bin, ['lint', '--strict', chartDir])).toMatch(/0 chart\(s\) failed/);
    const predicted = new Map(renderObjects(model, '2.3.4').map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
    expect(objs).toHaveLength(predicted.size);
    for (const o of objs) expect(o).toEqual(predicted.get(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
  });

  it('THEN all objects are schema-valid and keep the routing invariants', async () => {
    expect(await validateObjects(objs, new CrdValidators([istioCrdFile()]))).toEqual([]);
    expect(routingInvariantViolations(objs, 'eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toEqual([]);
  });

  it('THEN weighted routing becomes distribute, region failover becomes failover, failoverPriority is kept', () => {
    expect(lb(objs, 'weighted').localityLbSetting).toEqual({
      enabled: true,
      distribute: [
        { from: 'eu-west-1/eu-west-1a/*', to: { 'eu-west-1/eu-west-1a/*': 80, 'eu-west-1/eu-west-1b/*': 10, 'eu-west-1/eu-west-1c/*': 10 } },
        { from: 'eu-west-1/eu-west-1b/*', to: { 'eu-west-1/eu-west-1a/*': 10, 'eu-west-1/eu-west-1b/*': 80, 'eu-west-1/eu-west-1c/*': 10 } },
        { from: 'eu-west-1/eu-west-1c/*', to: { 'eu-west-1/eu-west-1a/*': 10, 'eu-west-1/eu-west-1b/*': 10, 'eu-west-1/eu-west-1c/*': 80 } },
      ],
    });
    expect(lb(objs, 'global').localityLbSetting).toEqual({ enabled: true, failover: [{ from: 'eu-west-1', to: 'eu-central-1' }] });
    expect(lb(objs, 'prioritized').localityLbSetting.failoverPriority).toEqual(['topology.istio.io/network']);
    expect(lb(objs, 'plain').localityLbSetting).toEqual({ enabled: false });
  });

  it('THEN mechanism trafficDistribution sets PreferClose on Kubernetes 1.31 and emits no DestinationRule', () => {
    expect(find(objs, 'Service', 'native').spec.trafficDistribution).toBe('PreferClose');
    expect(find(objs, 'DestinationRule', 'native')).toBeUndefined();
    expect(find(objs, 'Deployment', 'native').spec.template.spec.containers[0].readinessProbe.tcpSocket).toEqual({ port: 'app' });
  });

  it('THEN the revision label replaces istio-injection, and DNS capture is not requested', () => {
    const ns = find(objs, 'Namespace', 'shop');
    expect(ns.metadata.labels).toMatchObject({ 'istio.io/rev': '1-30-3', team: 'payments' });
    expect(ns.metadata.labels['istio-injection']).toBeUndefined();
    expect(find(objs, 'Deployment', 'weighted').spec.template.metadata.annotations).toBeUndefined();
  });

  it('THEN the pinned version is used and the TCP host maps port 3305 to 3306 on every endpoint', () => {
    expect(find(objs, 'Deployment', 'weighted').metadata.labels['helm.sh/chart']).toBe('variants-2.3.4');
    const se = find(objs, 'ServiceEntry', 'legacy-db');
    expect(se.spec.addresses).toEqual(['240.240.0.10']);
    expect(se.spec.endpoints).toHaveLength(3);
    expect(se.spec.endpoints.every((e: Any) => e.ports['tcp-3305'] === 3306)).toBe(true);
    expect(find(objs, 'DestinationRule', 'legacy-db').spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(34);
  });

  it('WHEN routing is switched off globally THEN the trafficDistribution field is dropped too', () => {
    const off = parseManifests(helm(helm4!, ['template', 'variants', chartDir, '--set', 'localityRouting.enabled=false']), 'h').map((l) => l.object);
    expect(find(off, 'Service', 'native').spec.trafficDistribution).toBeUndefined();
  });
});
