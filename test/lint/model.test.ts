import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextOfModel, lintModel, lintObjects, locateRendered } from '../../generator/lint/index.js';
import { parseValues } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { REPO } from '../support/helm.js';
import { locateInValues } from '../../generator/lint/values-locator.js';
import type { Finding } from '../../generator/lint/index.js';
import { parseYamlDocuments } from '../../generator/yaml/source-map.js';

const VALUES = 'values/octank-travel.yaml';
const text = readFileSync(join(REPO, VALUES), 'utf8');
const lineOf = (source: string, pattern: RegExp) => source.split('\n').findIndex((l) => pattern.test(l)) + 1;

describe('GIVEN the bundled example values', () => {
  const model = parseValues(text, VALUES);

  it('WHEN the chart it would generate is linted THEN there is no error and no warning', () => {
    expect(renderObjects(model).length).toBeGreaterThan(0); // renderObjects must return the real objects
    expect(lintModel(model, VALUES, text).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('THEN the only info is the PrivateLink note, located at the s3-interface-endpoint entry of the values file', () => {
    const infos = lintModel(model, VALUES, text);
    expect(infos.map((f) => f.code)).toEqual(['ZNL024']);
    expect(infos[0]).toMatchObject({ file: VALUES, line: lineOf(text, /- name: s3-interface-endpoint/), kind: 'ServiceEntry' });
  });

  it('WHEN the rendered objects are linted without the values context THEN they are still clean (the manifests carry their own DNS capture markers)', () => {
    const findings = lintObjects(locateRendered(renderObjects(model)));
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('THEN the context of the model carries its zones, region, Istio version and DNS capture', () => {
    expect(contextOfModel(model)).toEqual({
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'], region: 'us-west-2', meshDnsAutoAllocate: true, istioVersion: '1.31.1',
    });
  });
});

describe('GIVEN the example values with mesh.dnsCapture switched off', () => {
  const changed = text.replace(/dnsCapture: true/, 'dnsCapture: false');
  const model = parseValues(changed, 'values/no-dns.yaml');

  it('WHEN linted THEN each TCP Aurora host (writer and reader) is reported at its own port line in the values file', () => {
    const findings = lintModel(model, 'values/no-dns.yaml', changed);
    const tcp = findings.filter((f) => f.code === 'ZNL014');
    expect(tcp.map((f) => f.name)).toEqual(['aurora-writer', 'aurora-reader']);
    for (const f of tcp) {
      const entry = lineOf(changed, new RegExp(`- name: ${f.name}$`));
      const portLine = changed.split('\n').findIndex((l, i) => i >= entry && /^\s+port: 3306/.test(l)) + 1;
      expect(f).toMatchObject({ file: 'values/no-dns.yaml', line: portLine, kind: 'ServiceEntry', namespace: 'octank-travel-ns' });
    }
  });
});

describe('GIVEN findings about rendered objects', () => {
  const model = parseValues(text, VALUES);
  const doc = parseYamlDocuments(text, VALUES)[0];
  const finding = (kind: string, name: string, namespace = 'octank-travel-ns'): Finding => ({
    code: 'ZNL003', severity: 'error', message: 'm', file: '<rendered>', line: 40, kind, name, namespace,
  });

  it('WHEN the finding names an outlierDetection field THEN it lands on the outlierDetection key of the service entry', () => {
    const [placed] = locateInValues([{ finding: finding('DestinationRule', 'zip-lookup-service'), pointer: '/spec/trafficPolicy/outlierDetection/maxEjectionPercent' }], model, VALUES, doc);
    expect(placed).toMatchObject({ file: VALUES, line: lineOf(text, /^\s+outlierDetection:/) });
  });

  it('WHEN the object is the Service (named by serviceName) THEN it lands on the service entry line', () => {
    const [placed] = locateInValues([{ finding: finding('Service', 'zip-lookup-service-local'), pointer: '/metadata' }], model, VALUES, doc);
    expect(placed!.line).toBe(lineOf(text, /- name: zip-lookup-service/));
  });

  it('WHEN the finding is about an endpoint of an external host THEN it lands on that endpoint', () => {
    const [placed] = locateInValues([{ finding: finding('ServiceEntry', 'msk-brokers'), pointer: '/spec/endpoints/1/locality' }], model, VALUES, doc);
    expect(placed!.line).toBe(lineOf(text, /b-2\.octank/));
  });

  it('WHEN nothing in the values file produced the object THEN it lands on line 1', () => {
    const [placed] = locateInValues([{ finding: finding('ConfigMap', 'other'), pointer: '' }], model, VALUES, doc);
    expect(placed!.line).toBe(1);
  });
});
