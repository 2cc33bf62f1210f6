import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const dir = tempDir('zonal-report-load-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GIVEN a scenario with a hot zone WHEN zonal report renders it', () => {
  it('THEN a load panel next to the heatmaps shows one bar per zone, marks the hot one and names the remedies', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['report', '--values', join(REPO, 'values', 'octank-travel.yaml'),
      '--scenario', join(REPO, 'test', 'fixtures', 'scenarios', 'hot-zone-octank.yaml'), '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.indexOf('id="load"')).toBeGreaterThan(html.indexOf('id="heatmaps"'));
    const panel = /<figure data-load-destination="zip-lookup-service">([\s\S]*?)<\/figure>/.exec(html)![1]!;
    expect(panel).toMatch(/hot: us-west-2a/);
    expect(panel).toMatch(/<g data-zone="us-west-2a" data-hot="true">[\s\S]*?data-value="1.8">1\.80x \(60\.0% of calls on 1\) HOT/);
    expect(panel).toMatch(/<g data-zone="us-west-2b" data-hot="false">[\s\S]*?data-value="0.6">0\.60x/);
    expect(panel).toMatch(/<li>replicas per zone: us-west-2a&#x3D;2, us-west-2b&#x3D;1, us-west-2c&#x3D;1/);
    expect(panel).toMatch(/<li>routing\.mode: zone-aware would not engage: 3 endpoints &lt; minClusterSize 6/);
    expect(panel).toMatch(/<li>routing\.mode: weighted with distribute: /);
    // A destination with even load has no remedies.
    const msk = /<figure data-load-destination="s3-interface-endpoint">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(msk).not.toMatch(/remedies/);
  });
});
