import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadValuesFile, parseValues } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { REPO } from '../support/helm.js';
import { routingInvariantViolations } from '../support/invariants.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GIVEN the bundled example WHEN rendered with default values', () => {
  const model = loadValuesFile(join(REPO, 'values', 'octank-travel.yaml'));
  const objects = renderObjects(model);

  it('THEN every routing invariant holds', () => {
    expect(routingInvariantViolations(objects, 'us-west-2', ['us-west-2a', 'us-west-2b', 'us-west-2c'])).toEqual([]);
  });

  it('THEN Istio objects come after the Namespace they live in (Namespaces first)', () => {
    const kinds = objects.map((o) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.lastIndexOf('Namespace')).toBeLessThan(kinds.indexOf('DestinationRule'));
  });

  it('THEN sync waves order Namespace < workloads < Istio resources', () => {
    const wave = (kind: string) => Number((objects.find((o) => o.kind === kind) as Any).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Namespace')).toBeLessThan(wave('Deployment'));
    expect(wave('Deployment')).toBeLessThan(wave('DestinationRule'));
    expect(wave('ServiceEntry')).toBe(wave('DestinationRule'));
  });

  it('THEN the configured outlier thresholds reach the DestinationRule', () => {
    const dr = objects.find((o) => o.kind === 'DestinationRule' && o.metadata.name === 'zip-lookup-service') as Any;
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 7, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 34, minHealthPercent: 0,
    });
  });
});

describe('GIVEN a service without routing or outlier settings', () => {
  const text = `apiVersion: zonal/v1
kind: TopologyRouting
metadata: { name: tiny }
cluster: { name: c, region: us-east-1, kubernetesVersion: "1.33", zones: [{ name: us-east-1a }, { name: us-east-1b }] }
namespaces: [{ name: app }]
services: [{ name: api, namespace: app, image: { repository: r/api, tag: "1" }, port: 80 }]
`;
  it('THEN defaults still give zone-local routing that can fail over: outlier detection, replicas per zone, ejectable pool', () => {
    const objects = renderObjects(parseValues(text, 'tiny.yaml'));
    const dr = objects.find((o) => o.kind === 'DestinationRule') as Any;
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({ enabled: true });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 0,
    });
    expect((objects.find((o) => o.kind === 'Deployment') as Any).spec.replicas).toBe(2);
    expect(routingInvariantViolations(objects, 'us-east-1', ['us-east-1a', 'us-east-1b'])).toEqual([]);
  });
});

describe('GIVEN the two value modes', () => {
  it('THEN resolving the Helm-mode render to defaults equals rendering with ConcreteValues directly', async () => {
    const { renderUnits } = await import('../../generator/render/index.js');
    const { ConcreteValues } = await import('../../generator/render/value-source.js');
    for (const file of ['values/octank-travel.yaml', 'test/fixtures/values/variants.yaml']) {
      const model = loadValuesFile(join(REPO, file));
      // Objects the chart wraps in a condition that is false by default (e.g. an HPA) are not rendered.
      const direct = renderUnits(model, ConcreteValues, '9.9.9').flatMap((u) => u.objects.filter((_o, i) => u.guards?.[i]?.value !== false));
      expect(renderObjects(model, '9.9.9')).toEqual(direct);
    }
  });
});
