import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { lintModel, lintObjects } from '../../generator/lint/index.js';
import { readFixture } from './fixtures.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import { REPO } from '../support/helm.js';

const CONTEXT = { zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'], region: 'us-west-2', istioVersion: '1.31.1' };

describe('GIVEN zone-aware DestinationRules WHEN linted', () => {
  it('THEN localityLbSetting next to zoneAwareLbSetting is Istio\'s rejection (ZNL038), and zonal adds no engage finding for it', () => {
    const text = readFixture('rules/ZNL050-pass.yaml').replace('zoneAwareLbSetting: { enabled: true }', 'zoneAwareLbSetting: { enabled: true }\n      localityLbSetting: { enabled: true }');
    const findings = lintObjects(parseManifests(text, 'both.yaml'), CONTEXT);
    expect(findings.filter((f) => f.code === 'ZNL038')).toEqual([expect.objectContaining({ severity: 'error', istio: 'rejects', kind: 'DestinationRule', name: 'catalog' })]);
    expect(findings.filter((f) => /^ZNL05/.test(f.code))).toEqual([]);
  });

  it('THEN a workload without self-discovery next to ones with it gets an info finding', () => {
    const text = readFixture('rules/ZNL050-pass.yaml').replace(/(name: web\n[\s\S]*?)      annotations:\n        proxy.istio.io\/config: \|\n          proxyMetadata:\n            ISTIO_META_ENABLE_SELF_DISCOVERY: "true"\n/, '$1');
    const findings = lintObjects(parseManifests(text, 'mixed.yaml'), CONTEXT).filter((f) => f.code === 'ZNL051');
    expect(findings).toEqual([expect.objectContaining({ severity: 'info', kind: 'Deployment', name: 'web' })]);
  });

  it('THEN a self-discovering caller that no Service selects is warned: its local cluster (the proxy\'s own Service) is empty', () => {
    const text = readFixture('rules/ZNL050-pass.yaml');
    const ok = lintObjects(parseManifests(text, 'ok.yaml'), CONTEXT).filter((f) => f.code === 'ZNL051');
    expect(ok).toEqual([]);
    // The web Service selects app: web; point it elsewhere so that nothing selects the web pods.
    const orphan = text.replace(/(kind: Service\nmetadata:\n  name: web\n[\s\S]*?selector: \{ app: )web( \})/, '$1web-frontend$2');
    expect(orphan).not.toEqual(text);
    const findings = lintObjects(parseManifests(orphan, 'orphan.yaml'), CONTEXT).filter((f) => f.code === 'ZNL051');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', kind: 'Deployment', name: 'web', message: expect.stringMatching(/no Service selects this workload's pods/) })]);
  });

  it('THEN enabled: false is not zone-aware routing: nothing to engage', () => {
    const text = readFixture('rules/ZNL050-fail.yaml').replace(/zoneAwareLbSetting: \{ enabled: true(, minClusterSize: 5)? \}/g, 'zoneAwareLbSetting: { enabled: false }');
    expect(lintObjects(parseManifests(text, 'off.yaml'), CONTEXT).filter((f) => f.code === 'ZNL050')).toEqual([]);
  });
});

describe('GIVEN the zone-aware values fixture WHEN its chart is linted', () => {
  it('THEN it is clean: 6+ endpoints in 3 zones and self-discovering callers', () => {
    const file = join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml');
    const findings = lintModel(loadValuesFile(file), file);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
