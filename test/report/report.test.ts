import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FlowLogSummary } from '../../generator/flowlogs/analyze.js';
import type { SimulationResult } from '../../generator/simulate/engine.js';
import { renderReport, scriptJson } from '../../generator/report/render.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { checkout, run } from '../simulate/helpers.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Default-format flow logs over the bundled example's subnets (2a 192.168.96.0/19, 2b .128.0/19,
 * 2c .160.0/19): 2a->2b, 2a->2a, 2c->2a, and one malformed line.
 */
const FLOW_LOG = [
  '2 123456789012 eni-0a 192.168.96.10 192.168.128.20 44321 80 6 10 2000000000 1700000000 1700003600 ACCEPT OK',
  '2 123456789012 eni-0b 192.168.96.11 192.168.100.20 44321 80 6 10 3000000000 1700000000 1700003600 ACCEPT OK',
  'garbage line',
  '2 123456789012 eni-0c 192.168.160.5 192.168.96.10 5000 443 6 10 500000000 1700000000 1700003600 ACCEPT OK',
  '',
].join('\n');

const SCENARIO = [
  'endpoints:',
  '  zip-lookup-service: { us-west-2a: { total: 10, healthy: 5 }, us-west-2b: { total: 10 }, us-west-2c: { total: 10, notReady: 8 } }',
  '  msk-brokers: { us-west-2a: { total: 1 }, us-west-2b: { total: 1 } }',
  'defaultGbPerMonth: 250',
  'traffic:',
  '  - { from: us-west-2a, to: zip-lookup-service, gbPerMonth: 900 }',
  '',
].join('\n');

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`zonal ${args[0]} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

describe('report HTML (no browser)', () => {
  it('GIVEN a simulation WHEN rendered THEN the page forbids network fetches and embeds the numbers as JSON', () => {
    const sim = run(checkout(3));
    const html = renderReport({ title: 'T', generatedAt: 'now', simulation: sim });
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toContain('<link');
    const json = /<script type="application\/json" id="zonal-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual({ simulation: sim });
    expect(html).not.toContain('id="measured"');
  });

  it('GIVEN data containing </script> WHEN embedded THEN it cannot close the script element', () => {
    expect(scriptJson({ a: '</script><b>&' })).toBe('{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}');
  });
});

describe('zonal report command', () => {
  it('GIVEN no --out WHEN run THEN exit 2 with usage', async () => {
    const r = await runCli(['report', '--values', VALUES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out FILE is required');
  });

  it('GIVEN flow logs with manifests but no --subnets WHEN run THEN exit 2 explaining the zones are needed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'o.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n');
    writeFileSync(join(dir, 'f.log'), FLOW_LOG);
    const r = await runCli(['report', '-f', join(dir, 'o.yaml'), '--zones', 'a,b', '--region', 'r', '--flowlogs', join(dir, 'f.log'), '--out', join(dir, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--subnets');
  });
});

const chromiumThere = existsSync(CHROMIUM);
if (!chromiumThere && process.env.CI !== 'true') {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: report browser test needs Chromium at ${CHROMIUM} (apt-get install -y chromium); under CI=true it fails instead`);
}
const browserDescribe = chromiumThere || process.env.CI === 'true' ? describe : describe.skip;

browserDescribe('zonal report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let html: string;
  let sim: SimulationResult;
  let measured: FlowLogSummary;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const dir = tempDir('zonal-report-');

  beforeAll(async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // under CI=true a missing browser is a failure
    const scenario = join(dir, 'scenario.yaml');
    const logs = join(dir, 'flow.log');
    writeFileSync(scenario, SCENARIO);
    writeFileSync(logs, FLOW_LOG);
    const out = join(dir, 'report.html');
    await cli(['report', '--values', VALUES, '--scenario', scenario, '--flowlogs', logs, '--out', out]);
    html = readFileSync(out, 'utf8');
    sim = JSON.parse(await cli(['simulate', '--values', VALUES, '--scenario', scenario, '--json'])) as SimulationResult;
    measured = JSON.parse(await cli(['flowlogs', 'analyze', logs, '--values', VALUES, '--json'])) as FlowLogSummary;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) foreignRequests.push(r.url()); });
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]');
    const shots = join(REPO, 'test-output');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function metric(name: string, scope = 'body'): Promise<{ value: number; text: string }> {
    const el = page.locator(`${scope} [data-metric="${name}"]`).first();
    return { value: Number(await el.getAttribute('data-value')), text: (await el.textContent())!.trim() };
  }

  it('GIVEN the report WHEN opened THEN it loads with no console errors and fetches nothing but the file', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(existsSync(join(dir, 'report.png'))).toBe(true);
  });

  it('GIVEN the report WHEN read THEN the monthly totals equal zonal simulate --json', async () => {
    expect(await metric('cost-before-usd')).toEqual({ value: sim.cost.before.usdPerMonth, text: `$${sim.cost.before.usdPerMonth.toFixed(2)}` });
    expect(await metric('cost-after-usd')).toEqual({ value: sim.cost.after.usdPerMonth, text: `$${sim.cost.after.usdPerMonth.toFixed(2)}` });
    expect((await metric('savings-usd')).value).toBe(sim.cost.savingsUsdPerMonth);
    expect((await metric('cross-zone-gb-before')).value).toBe(sim.cost.before.crossZoneGbPerMonth);
    expect((await metric('cross-zone-gb-after')).value).toBe(sim.cost.after.crossZoneGbPerMonth);
    expect(sim.cost.before.usdPerMonth).toBeGreaterThan(sim.cost.after.usdPerMonth);
  });

  it('GIVEN the report WHEN read THEN every destination\'s costs and every caller\'s shares equal the JSON', async () => {
    expect(await page.locator('tbody.dest-group').count()).toBe(sim.destinations.length);
    for (const d of sim.destinations) {
      const scope = `tbody[data-destination="${d.name}"]`;
      expect((await metric('dest-cost-before-usd', scope)).value).toBe(d.cost.before.usdPerMonth);
      expect(await metric('dest-cost-after-usd', scope)).toEqual({ value: d.cost.after.usdPerMonth, text: `$${d.cost.after.usdPerMonth.toFixed(2)}` });
      expect((await metric('dest-cross-zone-gb-before', scope)).value).toBe(d.cost.before.crossZoneGbPerMonth);
      expect((await metric('dest-cross-zone-gb-after', scope)).value).toBe(d.cost.after.crossZoneGbPerMonth);
      for (const c of d.callers) {
        const row = page.locator(`${scope} tr[data-caller="${c.zone}"]`);
        const cells = await row.locator('[data-share-to]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-share-to'), Number(e.getAttribute('data-value'))]));
        const shown = Object.fromEntries(cells.filter(([, v]) => (v as number) > 0));
        expect(shown).toEqual(c.shares);
        expect(Number(await row.locator('[data-metric="caller-gb"]').getAttribute('data-value'))).toBe(c.gbPerMonth);
      }
    }
  });

  it('GIVEN the report WHEN read THEN both heatmaps show the JSON zone matrices', async () => {
    for (const which of ['before', 'after'] as const) {
      const cells = await page.locator(`[data-matrix="${which}"] g.cell`).evaluateAll((els) => els.map((e) => ({
        from: e.getAttribute('data-from')!, to: e.getAttribute('data-to')!, gb: Number(e.getAttribute('data-gb')),
      })));
      expect(cells).toHaveLength(sim.zones.length * sim.zones.length);
      for (const c of cells) expect(c.gb).toBe(sim.matrix[which][c.from]?.[c.to] ?? 0);
    }
  });

  it('GIVEN flow logs WHEN the report is read THEN the measured numbers equal zonal flowlogs analyze --json, beside the prediction', async () => {
    expect((await metric('measured-records')).value).toBe(measured.records);
    expect((await metric('measured-skipped')).value).toBe(measured.skipped);
    expect((await metric('measured-total-bytes')).value).toBe(measured.bytes.total);
    expect((await metric('measured-cross-zone-bytes')).value).toBe(measured.bytes.crossZone);
    expect((await metric('measured-same-zone-bytes')).value).toBe(measured.bytes.sameZone);
    expect((await metric('measured-cost-usd')).value).toBe(measured.costUsd.crossZone);
    const share = measured.bytes.crossZone / (measured.bytes.crossZone + measured.bytes.sameZone);
    expect((await metric('measured-cross-zone-fraction')).value).toBeCloseTo(share, 4);
    expect((await metric('predicted-cost-usd')).value).toBe(sim.cost.after.transferUsdPerMonth);
    const cells = await page.locator('[data-matrix="measured"] g.cell').evaluateAll((els) => els.map((e) => ({
      from: e.getAttribute('data-from')!, to: e.getAttribute('data-to')!, gb: Number(e.getAttribute('data-gb')),
    })));
    // measurement in the prediction's unit: GB/month (the window scaled to 30 days)
    const factor = (30 * 86_400) / (measured.window!.end - measured.window!.start);
    for (const c of cells) {
      const bytes = measured.byZonePair.find((p) => p.from === c.from && p.to === c.to)?.bytes ?? 0;
      expect(c.gb).toBeCloseTo((bytes / measured.pricing.bytesPerGb) * factor, 3);
    }
    expect((await metric('measured-cross-zone-gb-per-month')).value).toBeCloseTo((measured.bytes.crossZone / 2 ** 30) * factor, 3);
    expect((await metric('predicted-cross-zone-gb-per-month')).value).toBe(sim.cost.after.crossZoneGbPerMonth);
    expect(await page.locator('#basis').textContent()).toMatch(/Predicted: predicted .*from the scenario's volumes .* Measured: measured in .* scaled to 30 days/);
  });

  it('GIVEN the destination table WHEN a numeric header is clicked THEN rows sort by that column (the inline script runs)', async () => {
    await page.locator('#destination-table th', { hasText: 'Cost after' }).click();
    const values = await page.locator('tbody.dest-group [data-metric="dest-cost-after-usd"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(consoleErrors).toEqual([]);
  });

  it('GIVEN the served HTML WHEN inspected THEN it is one self-contained file', () => {
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain('<svg');
  });
});
