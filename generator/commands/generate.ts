import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { generateOutput, type PreviousChart } from '../chart/chart-files.js';
import { readTree, replaceDirectories } from '../chart/write-atomic.js';
import { loadValuesFile } from '../model/load-values.js';
import { parseFlags } from './args.js';
import { EXIT_FINDINGS, EXIT_OK, type Command } from './command.js';
import { lintGate } from './generate-lint-gate.js';

export const DEFAULT_VALUES = 'values/octank-travel.yaml';

const usage = `Usage: zonal generate [--values FILE] [--out DIR] [--check]

Turns a zonal values file into a versioned Helm chart (DIR/charts/<name>/) and the Argo CD
manifests that sync it (DIR/argocd/). Writes are atomic: a failed run leaves the previous
output untouched. The chart version is managed: unchanged content keeps the version, any change
bumps the patch number (unless chart.version is pinned in the values file).

Options:
  --values FILE   values file (default ${DEFAULT_VALUES})
  --out DIR       output root (default: current directory)
  --check         write nothing; exit 1 if the files on disk are not what generate would write
`;

function previousChart(dir: string): PreviousChart | undefined {
  const files = readTree(dir);
  const version = files?.['Chart.yaml']?.match(/^version:\s*(\S+)\s*$/m)?.[1];
  return files && version ? { version, files } : undefined;
}

function sameTree(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  return a !== undefined && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

const command: Command = {
  name: 'generate',
  summary: 'values file -> Helm chart + Argo CD manifests',
  usage,
  async run(args, io) {
    const { values: flags } = parseFlags(args, {
      values: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean' },
    });
    const valuesArg = flags.values ?? DEFAULT_VALUES;
    const valuesPath = resolve(io.cwd, valuesArg);
    const outRoot = resolve(io.cwd, flags.out ?? '.');
    const model = loadValuesFile(valuesPath, valuesArg);
    lintGate(model, valuesArg);

    const chartDir = join(outRoot, 'charts', model.name);
    const argocdDir = join(outRoot, 'argocd');
    const display = existsSync(join(outRoot, '.git')) || outRoot === io.cwd ? relative(io.cwd, valuesPath) : valuesArg;
    const out = generateOutput(model, display, previousChart(chartDir));
    const upToDate = sameTree(readTree(chartDir), out.chart) && sameTree(readTree(argocdDir), out.argocd);

    if (flags.check) {
      io.stdout(upToDate
        ? `charts/${model.name} ${out.version} and argocd/ are up to date\n`
        : `charts/${model.name} or argocd/ differ from what zonal generate writes (run it and commit the result)\n`);
      return upToDate ? EXIT_OK : EXIT_FINDINGS;
    }
    if (upToDate) {
      io.stdout(`charts/${model.name} ${out.version}: unchanged\n`);
      return EXIT_OK;
    }
    replaceDirectories([{ dir: chartDir, files: out.chart }, { dir: argocdDir, files: out.argocd }]);
    const templates = Object.keys(out.chart).filter((p) => p.startsWith('templates/') && p.endsWith('.yaml')).length;
    io.stdout(`wrote ${relative(io.cwd, chartDir) || chartDir} ${out.version} (${templates} templates)` +
      ` and ${relative(io.cwd, argocdDir) || argocdDir}/ (${Object.keys(out.argocd).length} files)\n`);
    return EXIT_OK;
  },
};

export default command;
