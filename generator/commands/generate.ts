import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { environmentValueProblems } from '../chart/environment-values.js';
import { fileErrorReason, isFileError } from '../errors.js';
import { readInputFile } from '../model/input-file.js';
import { parseValues, sourceDocumentOf } from '../model/load-values.js';
import type { TopologyRouting } from '../model/types.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, type CommandIO } from './command.js';
import { progressFor, type Progress } from './shared/progress.js';
import { defineCommand } from './declare.js';
import { DEFAULT_VALUES_FILE } from './defaults.js';
import { oversizeProblems } from './generate-limits.js';
import { lintGate } from './generate-lint-gate.js';
import { generateOutput, type GeneratedOutput } from './generate-output.js';
import { outputTargets, previousChart } from './generate-targets.js';
import {
  ForeignJournal, JOURNAL_FILE, LinkedFolder, MANIFEST, OutputClash, planGeneration, recoverInterrupted, writeGeneration, type OutputDir,
} from './shared/output-transaction.js';

function linkedMessage(paths: readonly string[]): InputError {
  return new InputError(paths.map((p) =>
    `zonal generate: ${p} is a symbolic link; zonal writes only into real folders below the output root (replace the link with a folder; nothing was written)`));
}

function clashMessage(paths: readonly string[]): InputError {
  return new InputError(paths.map((p) =>
    `zonal generate: ${p} is in the way and was not written by zonal (move it away; zonal replaces only the files listed in ${MANIFEST} of its output directories; nothing was written)`));
}

/** A test hook of the write transaction (see output-transaction.ts); ignored unless a positive integer. */
function step(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function write(outRoot: string, targets: OutputDir[], env: NodeJS.ProcessEnv, warn: (m: string) => void, progress: Progress): number {
  try {
    return writeGeneration(outRoot, targets, {
      crashAt: step(env.ZONAL_TEST_CRASH_AT), failAt: step(env.ZONAL_TEST_FAIL_AT), warn,
      // The write reports 0 and its total (files staged, renamed and created) once it has planned.
      onProgress: (done, total) => (done === 0 ? progress.start('writing files', total) : progress.update(done)),
    });
  } catch (err) {
    if (err instanceof OutputClash) throw clashMessage(err.paths);
    if (err instanceof LinkedFolder) throw linkedMessage(err.paths);
    if (isFileError(err)) {
      throw new InputError([`zonal generate: cannot write ${err.path ?? outRoot} (${fileErrorReason(err, '--out')}; nothing was changed)`]);
    }
    throw err;
  }
}

function recover(outRoot: string, io: { stderr: (t: string) => void }): void {
  const warn = (m: string) => io.stderr(`zonal generate: warning: ${m}\n`);
  try {
    const note = recoverInterrupted(outRoot, warn);
    if (note) io.stderr(`zonal generate: ${note}\n`);
  } catch (err) {
    if (err instanceof ForeignJournal) {
      throw new InputError([`zonal generate: ${join(outRoot, JOURNAL_FILE)} is not a journal zonal wrote (${err.reason}); nothing was touched ` +
        '(zonal replays only its own journals: look at the file, remove it, and run zonal generate again)']);
    }
    if (!isFileError(err)) throw err;
    throw new InputError([`zonal generate: cannot recover the interrupted generation in ${outRoot} (${fileErrorReason(err, '--out')}; ` +
      'fix the permissions and run zonal generate again)']);
  }
}

export default defineCommand({
  name: 'generate',
  summary: 'values file -> Helm chart + Argo CD manifests',
  synopsis: ['[--values FILE] [--out DIR] [--check] [--quiet]'],
  description: `Turns a zonal values file into a versioned Helm chart (DIR/charts/<name>/) and the Argo CD
manifests that sync it (DIR/argocd/). A generation is one transaction: a killed or failed run
leaves the previous output, and the next run finishes or rolls back an interrupted one first.
zonal replaces only files it generated (listed in ${MANIFEST}); files of yours are left alone,
and one in the way of a generated file is refused. The chart version is managed: unchanged
content keeps the version, any change bumps the patch number (unless chart.version is pinned).`,
  examples: [
    'zonal generate',
    'zonal generate --values values/octank-travel-ambient.yaml --out examples/octank-travel-ambient',
    'zonal generate --check',
  ],
  flags: {
    values: { type: 'string', arg: 'FILE', help: 'values file', default: DEFAULT_VALUES_FILE },
    out: { type: 'string', arg: 'DIR', help: 'output root (default: current directory)' },
    check: { type: 'boolean', help: 'write nothing; exit 1 if the files on disk are not what generate would write' },
    quiet: { type: 'boolean', help: 'no progress bar (it is shown on stderr only when stdout and stderr are terminals)' },
  },
  footer: 'Exit codes: 0 ok, 1 (--check) stale output, 2 bad input or usage.',
}, async ({ flags }, io) => {
  const valuesArg = flags.values ?? DEFAULT_VALUES_FILE;
  const valuesPath = resolve(io.cwd, valuesArg);
  const outRoot = resolve(io.cwd, flags.out ?? '.');
  recover(outRoot, io);
  const progress = progressFor(io, 'generate', flags.quiet);
  try {
    return generate(flags, io, valuesArg, valuesPath, outRoot, progress);
  } finally {
    progress.stop();
  }
});

function generate(flags: { check?: boolean | undefined }, io: CommandIO, valuesArg: string, valuesPath: string, outRoot: string, progress: Progress): number {
  progress.start('validating', 1);
  const text = readInputFile(valuesPath, valuesArg, 'values file', '--values');
  const model: TopologyRouting = parseValues(text, valuesArg);
  progress.start('linting', 1);
  lintGate(model, valuesArg, text);
  const overrides = environmentValueProblems(model, sourceDocumentOf(model), valuesArg);
  if (overrides.length) throw new InputError(overrides);

  const display = existsSync(join(outRoot, '.git')) || outRoot === io.cwd ? relative(io.cwd, valuesPath) : valuesArg;
  const out = generateOutput(model, display, (dir) => previousChart(outRoot, dir), (done, total) => {
    if (done === 0) progress.start('rendering charts', total);
    else progress.update(done);
  });
  progress.start('planning the write', 1);
  const tooBig = oversizeProblems({ ...Object.fromEntries(out.charts.map((c) => [c.dir, c.files])), argocd: out.argocd },
    model, sourceDocumentOf(model), valuesArg);
  if (tooBig.length) throw new InputError(tooBig);
  const targets: OutputDir[] = outputTargets(outRoot, model, out);
  const what = chartsText(out);

  if (flags.check) {
    const { changes, clashes, linked } = planGeneration(outRoot, targets);
    if (linked.length) throw linkedMessage(linked);
    if (clashes.length) throw clashMessage(clashes);
    io.stdout(changes.length === 0
      ? `${what} and argocd/ are up to date\n`
      : `${out.charts.length > 1 ? 'charts/' : out.charts[0]!.dir} or argocd/ differ from what zonal generate writes (run it and commit the result): ${changes.slice(0, 5).join(', ')}${changes.length > 5 ? ', ...' : ''}\n`);
    progress.stop();
    return changes.length === 0 ? EXIT_OK : EXIT_FINDINGS;
  }
  const changed = write(outRoot, targets, io.env, (m) => io.stderr(`zonal generate: warning: ${m}\n`), progress);
  progress.stop();
  if (changed === 0) {
    io.stdout(`${what}: unchanged\n`);
    return EXIT_OK;
  }
  const templates = out.charts.reduce((n, c) => n + Object.keys(c.files).filter((p) => p.startsWith('templates/') && p.endsWith('.yaml')).length, 0);
  const chartsAt = out.charts.length === 1
    ? `${relative(io.cwd, join(outRoot, out.charts[0]!.dir)) || join(outRoot, out.charts[0]!.dir)} ${out.version}`
    : `${out.charts.length} charts in ${relative(io.cwd, join(outRoot, 'charts')) || join(outRoot, 'charts')}/ (${out.charts.map((c) => `${c.name} ${c.version}`).slice(0, 3).join(', ')}${out.charts.length > 3 ? ', ...' : ''})`;
  io.stdout(`wrote ${chartsAt} (${templates} templates)` +
    ` and ${relative(io.cwd, join(outRoot, 'argocd')) || join(outRoot, 'argocd')}/ (${Object.keys(out.argocd).length} files)\n`);
  return EXIT_OK;
}

/** `charts/<name> <version>`, or for a split `N charts charts/<name>-*`. */
function chartsText(out: GeneratedOutput): string {
  return out.charts.length === 1 ? `${out.charts[0]!.dir} ${out.version}` : `${out.charts.length} charts (charts/${out.charts.map((c) => c.name).slice(0, 2).join(', charts/')}${out.charts.length > 2 ? ', ...' : ''})`;
}
