import { describe, expect, it } from '@jest/globals';
import type { FlowLogSummary } from '../../generator/flowlogs/analyze.js';
import { flowSummary } from '../support/flow-summary.js';
import { volumeBasis } from '../../generator/report/assumptions.js';
import { renderReport } from '../../generator/report/render.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { checkout, run } from '../simulate/helpers.js';

/** Two days of flow logs: 4 GiB across zones, 2 GiB within. */
const TWO_DAYS: FlowLogSummary = flowSummary({ crossGiB: 4, sameGiB: 2, days: 2, records: 4 });

interface Section { readonly id: string; readonly heading: string; readonly html: string; readonly text: string }

/** The page's top-level sections, with their heading and visible text. */
function sections(html: string): Section[] {
  return [...html.matchAll(/<section id="([^"]+)">([\s\S]*?)<\/section>/g)].map((m) => ({
    id: m[1]!,
    heading: /<h2>([\s\S]*?)<\/h2>/.exec(m[2]!)![1]!.replace(/<[^>]+>/g, '').trim(),
    html: m[2]!,
    text: m[2]!.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' '),
  }));
}

/** Does a section show numbers (metrics, heatmap cells, load bars)? */
const showsNumbers = (s: Section) => /data-metric=|data-gb=/.test(s.html);

describe('GIVEN a report with a prediction and a measurement', () => {
  const simulation = run(checkout(3));

  it.each([
    ['the assumed default volumes', undefined, '100 GB/month per caller zone and destination, assumed'],
    ['a scenario', volumeBasis(parseScenario('traffic:\n  - { from: a, to: checkout, gbPerMonth: 900 }\n', 's.yaml')), 'the scenario\'s volumes (1 traffic entries, 0 GB/month for other pairs)'],
  ])('WHEN the prediction rests on %s THEN every section with numbers says predicted or measured, and states what it rests on', (_, volumes, basis) => {
    const html = renderReport({ title: 'T', generatedAt: 'now', simulation, measured: { files: ['a.log'], summary: TWO_DAYS }, ...(volumes ? { volumes } : {}) });
    const all = sections(html);
    expect(all.map((s) => s.id)).toEqual(['summary', 'heatmaps', 'load', 'cost', 'destinations', 'measured']);
    for (const s of all.filter(showsNumbers)) {
      expect([s.id, /^(Predicted|Measured)\b/.test(s.heading)]).toEqual([s.id, true]);
      // predicted numbers name their volumes; the measured section names its window and scaling too
      expect([s.id, s.text.includes(basis)]).toEqual([s.id, true]);
    }
    const measured = all.find((s) => s.id === 'measured')!;
    expect(measured.text).toContain('Measured: measured in 2.0 days of flow logs, scaled to 30 days');
    // each compared number carries its own label, predicted or measured
    const cells = [...measured.html.matchAll(/data-metric="((?:predicted|measured)-[a-z-]+)" data-value="[^"]*" title="([^"]*)"/g)].map((m) => [m[1]!.split('-')[0], m[2]!.split(' ')[0]]);
    expect(cells).toEqual([['predicted', 'predicted'], ['measured', 'measured'], ['predicted', 'predicted'], ['measured', 'measured'], ['predicted', 'predicted'], ['measured', 'measured']]);
    // the summary cards themselves say "Predicted"
    const cards = [...all[0]!.html.matchAll(/<div class="label">([^<]*)<\/div>/g)].map((m) => m[1]!);
    expect(cards.length).toBe(5);
    for (const label of cards) expect(label).toMatch(/^Predicted /);
  });

  it('WHEN the measured heatmap is drawn THEN it is in GB/month like the predicted ones, and says how the window was scaled', () => {
    const html = renderReport({ title: 'T', generatedAt: 'now', simulation, measured: { files: ['a.log'], summary: TWO_DAYS } });
    const measured = sections(html).find((s) => s.id === 'measured')!;
    // 4 GiB in two days = 60 GB in 30 days
    expect(measured.html).toMatch(/data-from="us-west-2a" data-to="us-west-2b" data-gb="60"/);
    expect(measured.text).toContain('Measured (flow logs): GB/month zone to zone, 2.0 days scaled to 30 days');
    expect(measured.text).toMatch(/Measured totals in the logs \(the window, not scaled\)/);
  });

  it('WHEN two inputs cover the same time THEN the measured section says so (their flows may be counted twice)', () => {
    const overlapping = { ...TWO_DAYS, overlappingInputs: [{ inputs: ['cw.json', 's3/ and 23 more Parquet files'] as const, start: 1_700_000_000, end: 1_700_086_400 }] };
    const measured = (summary: FlowLogSummary) => sections(renderReport({ title: 'T', generatedAt: 'now', simulation, measured: { files: ['a'], summary } })).find((s) => s.id === 'measured')!;
    expect(measured(overlapping).text).toContain('cw.json and s3/ and 23 more Parquet files cover the same time (2023-11-14T22:13:20.000Z to 2023-11-15T22:13:20.000Z): the same flows may be counted twice');
    expect(measured(TWO_DAYS).html).not.toContain('data-overlap');
  });
});
