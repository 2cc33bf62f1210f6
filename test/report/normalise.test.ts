import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { FlowLogSummary } from '../../generator/flowlogs/analyze.js';
import { flowSummary } from '../support/flow-summary.js';
import { volumeBasis } from '../../generator/report/assumptions.js';
import { buildView } from '../../generator/report/view.js';
import type { SimulationResult } from '../../generator/simulate/engine.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { runCli } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');

/** A measurement of one day: 2 GiB cross zone, 6 GiB same zone. */
const DAY: FlowLogSummary = flowSummary({ crossGiB: 2, sameGiB: 6, days: 1, records: 10 });

async function simulation(): Promise<SimulationResult> {
  const r = await runCli(['simulate', '--values', VALUES, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as SimulationResult;
}

function cell(view: ReturnType<typeof buildView>, row: number): { predicted: { metric: string; label: string; value: number }; measured: { metric: string; label: string; value: number; display: string } } {
  return view.measured!.comparison[row]! as never;
}

describe('GIVEN a prediction and a one-day measurement', () => {
  it('WHEN the report view is built THEN the measurement is in GB/month and $/month (30 days), like the prediction', async () => {
    const sim = await simulation();
    const view = buildView({ title: 't', generatedAt: 'now', simulation: sim, measured: { files: ['a.log'], summary: DAY } });
    const gb = cell(view, 1);
    expect(gb.measured).toMatchObject({ metric: 'measured-cross-zone-gb-per-month', value: 60 });
    expect(gb.predicted).toMatchObject({ metric: 'predicted-cross-zone-gb-per-month', value: sim.cost.after.crossZoneGbPerMonth });
    expect(cell(view, 2).measured).toMatchObject({ metric: 'measured-monthly-cost-usd', value: 1.2 });
    const cells = view.measured!.heatmap.cells;
    expect(cells.find((c) => c.from === 'us-west-2a' && c.to === 'us-west-2b')).toMatchObject({ value: 60, display: expect.stringMatching(/GB\/month$/) });
    expect(cells.find((c) => c.from === 'us-west-2a' && c.to === 'us-west-2a')).toMatchObject({ value: 180 });
    expect(view.measured!.heatmap.title).toMatch(/GB\/month .*1\.0 days scaled to 30 days/);
    for (const h of view.heatmaps) expect(h.title).toMatch(/^Predicted .*\(GB\/month\)$/);
  });

  it('WHEN labelled THEN every compared number says predicted or measured, with what it rests on', async () => {
    const sim = await simulation();
    const view = buildView({ title: 't', generatedAt: 'now', simulation: sim, measured: { files: ['a.log'], summary: DAY } });
    for (const row of view.measured!.comparison) {
      expect(row.predicted.label).toMatch(/^predicted .*100 GB\/month per caller zone and destination, assumed$/);
      expect(row.measured.label).toMatch(/^measured/);
    }
    expect(view.measured!.measuredBasis).toBe('measured in 1.0 days of flow logs, scaled to 30 days (assumes the window\'s traffic repeats)');
    const scenario = parseScenario('traffic:\n  - { from: us-west-2a, to: zip-lookup-service, gbPerMonth: 900 }\n', 's.yaml');
    expect(volumeBasis(scenario)).toBe('the scenario\'s volumes (1 traffic entries, 0 GB/month for other pairs)');
    const withScenario = buildView({ title: 't', generatedAt: 'now', simulation: sim, measured: { files: ['a.log'], summary: DAY }, volumes: volumeBasis(scenario) });
    expect(withScenario.measured!.predictedBasis).toMatch(/from the scenario's volumes/);
  });

  it('WHEN the logs have no time window THEN nothing is extrapolated: the monthly figures say n/a', async () => {
    const sim = await simulation();
    const view = buildView({ title: 't', generatedAt: 'now', simulation: sim, measured: { files: ['a.log'], summary: { ...DAY, window: null } } });
    expect(cell(view, 1).measured.display).toBe('n/a (no time window)');
    expect(view.measured!.measuredBasis).toMatch(/no time window/);
  });
});

describe('GIVEN zonal report with impossible flow-log dates', () => {
  it.each([
    [['--since', '2025-02-31'], /^zonal report: --since "2025-02-31" is not a date/],
    [['--since', '2025-03-02', '--until', '2025-03-01'], /^zonal report: --since 2025-03-02 is after --until 2025-03-01/],
  ])('WHEN given %j THEN it exits 2 with one line', async (flags, message) => {
    const r = await runCli(['report', '--values', VALUES, '--flowlogs', 'x.log', '--out', '/nonexistent/r.html', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
