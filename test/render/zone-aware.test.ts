import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { InputError } from '../../generator/errors.js';
import { parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { loadValuesFile, parseValues } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { CrdValidators, sharedSchemasDir } from '../../generator/validate/crd-schema.js';
import { validateObjects } from '../../generator/validate/objects.js';
import { generateInto } from '../support/generate.js';
import { helm, helmBinaries, REPO } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VALUES = join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml');
const TEXT = readFileSync(VALUES, 'utf8');
const find = (objs: readonly KubeObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name) as Any;
const lb = (objs: readonly KubeObject[], name: string) => find(objs, 'DestinationRule', name).spec.trafficPolicy.loadBalancer;

function problems(text: string): string[] {
  try {
    parseValues(text, 'v.yaml');
  } catch (e) {
    if (e instanceof InputError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('GIVEN routing.mode zone-aware WHEN the objects are rendered', () => {
  const objs = renderObjects(loadValuesFile(VALUES));

  it('THEN the DestinationRule carries zoneAwareLbSetting (enabled, minClusterSize, failover) and no localityLbSetting', () => {
    expect(lb(objs, 'checkout')).toEqual({ zoneAwareLbSetting: { enabled: true, minClusterSize: 6 } });
    expect(lb(objs, 'catalog')).toEqual({ zoneAwareLbSetting: { enabled: true, minClusterSize: 3, failover: [{ from: 'eu-west-1', to: 'eu-central-1' }] } });
    expect(lb(objs, 'cache')).toEqual({ zoneAwareLbSetting: { enabled: true, minClusterSize: 6 } });
    // outlierDetection stays: it is what ejects failing endpoints.
    expect(find(objs, 'DestinationRule', 'checkout').spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
  });

  it('THEN every calling pod enables self-discovery next to DNS capture in its proxy config', () => {
    for (const name of ['checkout', 'catalog']) {
      const config = load(find(objs, 'Deployment', name).spec.template.metadata.annotations['proxy.istio.io/config']) as Any;
      expect(config.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_ENABLE_SELF_DISCOVERY: 'true' });
    }
  });

  it('THEN the objects are valid against the Istio 1.31 CRDs', async () => {
    const validators = new CrdValidators([join(sharedSchemasDir(), 'istio-1.31', 'crd-all.gen.yaml')]);
    expect(await validateObjects(objs, validators)).toEqual([]);
  });

  it('THEN without any zone-aware mode the pods keep the DNS-capture-only proxy config', () => {
    const plain = renderObjects(parseValues(TEXT.replace(/mode: zone-aware, minClusterSize: 3, /, 'mode: zone-local, ').replace(/mode: zone-aware/g, 'mode: zone-local'), 'v.yaml'));
    expect(find(plain, 'Deployment', 'checkout').spec.template.metadata.annotations['proxy.istio.io/config']).toBe('proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "true"\n');
    expect(lb(plain, 'checkout').localityLbSetting).toEqual({ enabled: true });
  });
});

describe('GIVEN routing.mode zone-aware WHEN the values file is checked', () => {
  it('THEN an Istio version before 1.31 is a located error that names the fix', () => {
    const p = problems(TEXT.replace('istioVersion: "1.31.1"', 'istioVersion: "1.30.3"'));
    expect(p).toContain('v.yaml:18:22: checkout: routing.mode "zone-aware" needs Istio 1.31 or later (zoneAwareLbSetting); mesh.istioVersion is "1.30.3" (set mesh.istioVersion: "1.31.1" or use routing.mode: zone-local)');
    expect(p).toHaveLength(3);
  });

  it('THEN minClusterSize with another mode, and mechanism trafficDistribution, are located errors', () => {
    expect(problems(TEXT.replace('mode: zone-aware, minClusterSize: 3', 'mode: zone-local, minClusterSize: 3'))).toEqual([
      'v.yaml:24:50: catalog: routing.minClusterSize is only used with mode "zone-aware" (mode is "zone-local") (set routing.mode: zone-aware or remove minClusterSize)',
    ]);
    expect(problems(TEXT.replace('routing: { mode: zone-aware }\n  - name: catalog', 'routing: { mode: zone-aware, mechanism: trafficDistribution }\n  - name: catalog'))[0])
      .toMatch(/^v\.yaml:18:\d+: checkout: mechanism "trafficDistribution" cannot express zone-aware routing/);
  });

  it('THEN minClusterSize 0 is rejected by the schema', () => {
    expect(problems(TEXT.replace('minClusterSize: 3', 'minClusterSize: 0'))[0]).toMatch(/^v\.yaml:24:\d+: .*minClusterSize/);
  });
});

describe('GIVEN the zone-aware chart WHEN rendered by Helm with the locality switch off', () => {
  let out: string;
  const [helm3] = helmBinaries();
  beforeAll(async () => {
    out = await generateInto(VALUES);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('THEN the defaults equal the prediction, and the global or per-service switch renders zoneAwareLbSetting enabled: false', () => {
    const chart = join(out, 'charts', 'zone-aware');
    const on = parseManifests(helm(helm3!, ['template', 'zone-aware', chart]), 'helm').map((l) => l.object);
    expect(lb(on, 'checkout')).toEqual({ zoneAwareLbSetting: { enabled: true, minClusterSize: 6 } });
    const off = parseManifests(helm(helm3!, ['template', 'zone-aware', chart, '--set', 'localityRouting.enabled=false']), 'helm').map((l) => l.object);
    expect(lb(off, 'checkout')).toEqual({ zoneAwareLbSetting: { enabled: false } });
    expect(lb(off, 'cache')).toEqual({ zoneAwareLbSetting: { enabled: false } });
    const one = parseManifests(helm(helm3!, ['template', 'zone-aware', chart, '--set', 'services.checkout.localityRouting.enabled=false']), 'helm').map((l) => l.object);
    expect(lb(one, 'checkout')).toEqual({ zoneAwareLbSetting: { enabled: false } });
    expect(lb(one, 'catalog').zoneAwareLbSetting.enabled).toBe(true);
  });
});
