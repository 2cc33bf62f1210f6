import { join, resolve } from 'node:path';
import { GitError } from '../diff/git.js';
import { findHelm, HelmError } from '../diff/helm.js';
import { formatChartDiff } from '../diff/format.js';
import { hasDifferences } from '../diff/object-diff.js';
import { renderedDiff } from '../diff/rendered-diff.js';
import { loadValuesFile } from '../model/load-values.js';
import { parseFlags } from './args.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, type Command } from './command.js';

const usage = `Usage: zonal diff [--base GIT_REF] [--values FILE | --chart DIR]... [--env NAME]... [--out DIR]

Renders the chart at GIT_REF and in the working tree with \`helm template\` and prints the
objects that differ, as "=== Kind namespace/name" sections with unified-diff lines, so a pull
request can be reviewed as rendered manifests. The first line per chart shows the chart version
(base -> working tree); the helm.sh/chart label that follows it is not repeated per object.
The working tree is never modified: the base revision is read with git plumbing.

Options:
  --base GIT_REF  revision to compare against (default HEAD)
  --values FILE   zonal values file: compare its chart, DIR/charts/<metadata.name>
  --chart DIR     chart directory to compare (repeatable; default: every chart in DIR/charts)
  --env NAME      render with the chart's values-NAME.yaml too, one comparison per --env
  --out DIR       root that zonal generate writes to (default: current directory)

Helm: $ZONAL_HELM, else helm on PATH, else zonal's .tools/helm4 or .tools/helm3.
Exit codes: 0 no differences, 1 differences, 2 bad input or a failed render.
`;

const command: Command = {
  name: 'diff',
  summary: 'rendered-manifest diff of the chart: working tree vs a git revision',
  usage,
  async run(args, io) {
    const { values: flags } = parseFlags(args, {
      base: { type: 'string' },
      values: { type: 'string' },
      chart: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      out: { type: 'string' },
    });
    const outRoot = resolve(io.cwd, flags.out ?? '.');
    const charts = (flags.chart ?? []).map((c) => resolve(io.cwd, c));
    if (flags.values) charts.push(join(outRoot, 'charts', loadValuesFile(resolve(io.cwd, flags.values), flags.values).name));
    const helm = findHelm(io.env, [outRoot]);
    if (!helm) throw new InputError(['zonal diff: Helm not found (set ZONAL_HELM, put helm on PATH, or run npm run prepare to extract .tools/helm4)']);
    const base = flags.base ?? 'HEAD';

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
  },
};

export default command;
