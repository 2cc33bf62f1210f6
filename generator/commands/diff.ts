import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TopologyRouting } from '../model/types.js';
import { DEFAULT_VALUES_FILE } from './defaults.js';
import { generateOutput } from './generate-output.js';
import { outputTargets, previousChart } from './generate-targets.js';
import { JOURNAL_FILE, planGeneration } from './shared/output-transaction.js';
import { GitError } from '../diff/git.js';
import { findHelm, HelmError } from '../diff/helm.js';
import { formatChartDiff } from '../diff/format.js';
import { hasDifferences } from '../diff/object-diff.js';
import { renderedDiff } from '../diff/rendered-diff.js';
import { loadValuesFile } from '../model/load-values.js';
import { EXIT_FINDINGS, EXIT_OK, InputError } from './command.js';
import { defineCommand } from './declare.js';

const DEFAULT_BASE = 'HEAD';

/**
 * The chart files `zonal generate` would change for this values file ([] = the chart on disk is
 * current). A stale chart makes the diff show old output ("no differences" after editing values).
 */
function staleFiles(model: TopologyRouting, valuesPath: string, outRoot: string, cwd: string): { charts: string[]; stale: string[] } {
  // Same display name as zonal generate, which records it in the chart's text files.
  const display = existsSync(join(outRoot, '.git')) || outRoot === cwd ? relative(cwd, valuesPath) : valuesPath;
  // With chart.split: namespace a values file has one chart per namespace.
  const out = generateOutput(model, display, (dir) => previousChart(outRoot, dir));
  const chartTargets = outputTargets(outRoot, model, out).filter((t) => t.dir !== 'argocd');
  return { charts: out.charts.map((c) => c.dir), stale: planGeneration(outRoot, chartTargets).changes };
}

export default defineCommand({
  name: 'diff',
  summary: 'rendered-manifest diff of the chart: working tree vs a git revision',
  synopsis: ['[--base GIT_REF] [--values FILE | --chart DIR]... [--env NAME]... [--out DIR]'],
  description: `Renders the chart at GIT_REF and in the working tree with \`helm template\` and prints the
objects that differ, as "=== Kind namespace/name" sections with unified-diff lines, so a pull
request can be reviewed as rendered manifests. The first line per chart shows the chart version
(base -> working tree); the helm.sh/chart label that follows it is not repeated per object.
The working tree is never modified: the base revision is read with git plumbing.`,
  examples: [
    'zonal diff',
    'zonal diff --base origin/main --env prod',
    'zonal diff --values values/octank-travel.yaml --base HEAD~1',
  ],
  flags: {
    base: { type: 'string', arg: 'GIT_REF', help: 'revision to compare against', default: DEFAULT_BASE },
    values: { type: 'string', arg: 'FILE', help: 'zonal values file: compare its chart, DIR/charts/<metadata.name> (with chart.split: namespace every DIR/charts/<name>-<namespace>)' },
    chart: { type: 'string', multiple: true, arg: 'DIR', help: 'chart directory to compare (repeatable; default: every chart in DIR/charts)' },
    env: { type: 'string', multiple: true, arg: 'NAME', help: 'render with the chart\'s values-NAME.yaml too, one comparison per --env' },
    out: { type: 'string', arg: 'DIR', help: 'root that zonal generate writes to (default: current directory)' },
  },
  footer: `Helm: $ZONAL_HELM, else helm on PATH, else zonal's .tools/helm4 or .tools/helm3.
Exit codes: 0 no differences, 1 differences, 2 bad input or a failed render.`,
}, async ({ flags }, io) => {
  const outRoot = resolve(io.cwd, flags.out ?? '.');
  // A generation that was killed half-way leaves a mix of old and new files until the next
  // zonal generate finishes or rolls it back: a diff of that mix would describe neither.
  if (existsSync(join(outRoot, JOURNAL_FILE))) {
    throw new InputError([`zonal diff: ${join(outRoot, JOURNAL_FILE)} shows an interrupted zonal generate; the charts on disk may mix two generations ` +
      '(run zonal generate to finish or roll it back, then diff again)']);
  }
  const charts = (flags.chart ?? []).map((c) => resolve(io.cwd, c));
  const valuesArg = flags.values ?? (existsSync(resolve(io.cwd, DEFAULT_VALUES_FILE)) ? DEFAULT_VALUES_FILE : undefined);
  if (valuesArg) {
    const valuesPath = resolve(io.cwd, valuesArg);
    const model = loadValuesFile(valuesPath, valuesArg);
    const { charts: dirs, stale } = staleFiles(model, valuesPath, outRoot, io.cwd);
    if (flags.values) charts.push(...dirs.map((d) => join(outRoot, d)));
    if (stale.length > 0) {
      io.stderr(`zonal diff: warning: ${dirs.length === 1 ? dirs[0] : `charts/${model.name}-*`} is stale for ${valuesArg}: zonal generate would change ${stale.slice(0, 3).join(', ')}` +
        `${stale.length > 3 ? `, ... (${stale.length} files)` : ''} (run zonal generate first; this diff compares the chart on disk)\n`);
    }
  }
  const helm = findHelm(io.env, [outRoot]);
  if (!helm) throw new InputError(['zonal diff: Helm not found (set ZONAL_HELM, put helm on PATH, or run npm run prepare to extract .tools/helm4)']);
  const base = flags.base ?? DEFAULT_BASE;

  let reports;
  try {
    reports = await renderedDiff({
      cwd: io.cwd, env: io.env, base, charts, chartsDir: join(outRoot, 'charts'), environments: flags.env ?? [], helm,
    });
  } catch (err) {
    if (err instanceof GitError) throw new InputError([`zonal diff: ${err.message}`]);
    if (err instanceof HelmError) {
      throw new InputError([`zonal diff: ${err.message}`, ...err.stderr.trim().split('\n').filter(Boolean).map((l) => `  ${l}`)]);
    }
    throw err;
  }
  if (reports.length === 0) {
    throw new InputError([`zonal diff: no chart found in ${join(outRoot, 'charts')} at ${base} or in the working tree (use --chart DIR or --values FILE)`]);
  }
  const sides = { base, head: 'working tree' };
  io.stdout(reports.map((r) => r.notes.map((n) => `note: ${n}\n`).join('') + formatChartDiff(r.diff, sides, r.what)).join('\n'));
  return reports.some((r) => hasDifferences(r.diff)) ? EXIT_FINDINGS : EXIT_OK;
});
