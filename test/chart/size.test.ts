import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { generateOutput } from '../../generator/commands/generate-output.js';
import { HELM_MAX_FILE_BYTES, oversizeProblems } from '../../generator/commands/generate-limits.js';
import { parseValues, sourceDocumentOf } from '../../generator/model/load-values.js';
import { syntheticValues } from '../../bench/synthetic-values.js';
import { helm, helmBinaries } from '../support/helm.js';
import { tempDir } from '../support/temp.js';

function chartOf(services: number) {
  return generateOutput(parseValues(syntheticValues(services, Math.round(services / 5)), 'v.yaml'), 'v.yaml').chart;
}

describe('GIVEN charts of growing size', () => {
  const small = chartOf(20);
  const big = chartOf(400);
  const perService = (file: string) => (Buffer.byteLength(big[file]!) - Buffer.byteLength(small[file]!)) / 380;

  it('THEN values.schema.json grows by the service names only ($ref definitions + propertyNames)', () => {
    // "svc-123", quoted, twice (required + propertyNames), plus the host names: well under 100 bytes.
    expect(perService('values.schema.json')).toBeLessThan(100);
    expect(JSON.parse(big['values.schema.json']!).properties.services.additionalProperties).toEqual({ $ref: '#/definitions/service' });
  });

  it('THEN values.yaml documents the shared keys once and README.md lists them once, so 5,000 services stay under Helm\'s 5 MiB', () => {
    expect(perService('values.yaml') * 5000 + Buffer.byteLength(small['values.yaml']!)).toBeLessThan(HELM_MAX_FILE_BYTES);
    expect(perService('README.md') * 5000).toBeLessThan(HELM_MAX_FILE_BYTES);
    expect(big['values.yaml']!.match(/# -- Image repository\./g)).toHaveLength(1);
    expect(big['values.yaml']!).not.toMatch(/^ {4}podSecurityContext:/m); // from serviceDefaults
  });
});

describe('GIVEN 10,000 services and 2,000 external hosts with chart.split: namespace', () => {
  let model: ReturnType<typeof parseValues>;
  let out: ReturnType<typeof generateOutput>;
  // About a minute of CPU (10 charts of 1,000 services); more on a loaded machine.
  beforeAll(() => {
    model = parseValues(syntheticValues(10_000, 2_000).replace('metadata: { name: bench }', 'metadata: { name: bench }\nchart: { split: namespace }'), 'v.yaml');
    out = generateOutput(model, 'v.yaml');
  }, 900_000);

  it('THEN one chart per namespace is generated, every file under Helm\'s 5 MiB, and generate would write it', () => {
    expect(out.charts.map((c) => c.dir)).toEqual(Array.from({ length: 10 }, (_, i) => `charts/bench-team-${i}`));
    for (const c of out.charts) {
      for (const [file, content] of Object.entries(c.files)) expect([file, Buffer.byteLength(content) < HELM_MAX_FILE_BYTES]).toEqual([file, true]);
      expect(Object.keys(c.files).filter((f) => f.startsWith('templates/services/'))).toHaveLength(1_000);
    }
    expect(oversizeProblems({ ...Object.fromEntries(out.charts.map((c) => [c.dir, c.files])), argocd: out.argocd }, model, sourceDocumentOf(model), 'v.yaml'))
      .toEqual([]);
  });

  it('THEN a chart renders with real Helm 3 and Helm 4 (1,000 services, 200 hosts each)', () => {
    const root = tempDir();
    const chart = out.charts[3]!;
    for (const [file, content] of Object.entries(chart.files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    }
    for (const bin of helmBinaries()) {
      const docs = (loadAll(helm(bin, ['template', chart.name, root, '-n', 'team-3'])) as Array<{ kind: string } | null>).filter(Boolean);
      expect([bin.major, docs.filter((d) => d!.kind === 'Deployment').length, docs.filter((d) => d!.kind === 'ServiceEntry').length]).toEqual([bin.major, 1_000, 200]);
    }
  }, 300_000);
});
