import { basename, resolve } from 'node:path';
import { analyzeFlowLogFiles, type FlowLogSummary } from '../flowlogs/analyze.js';
import { parseSubnetsFile } from '../flowlogs/zones.js';
import { skippedNote } from './shared/skipped-note.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { fileErrorReason, isFileError } from '../errors.js';
import type { Zone } from '../model/types.js';
import { volumeBasis } from '../report/assumptions.js';
import { renderReport } from '../report/render.js';
import { dayRange } from '../flowlogs/inputs.js';
import { usd } from '../simulate/format.js';
import { simulateObjects } from '../simulate/index.js';
import { EXIT_OK, InputError, UsageError, type CommandIO } from './command.js';
import { bytesProgress, progressFor, type Progress } from './shared/progress.js';
import { defineCommand } from './declare.js';
import { loadSimulationInputs, SIMULATION_INPUT_FLAGS } from './shared/simulation-inputs.js';
import { readInputFile } from '../model/input-file.js';

export default defineCommand({
  name: 'report',
  summary: 'self-contained HTML report: traffic heatmaps, cost before/after, measured vs predicted',
  synopsis: [
    '--values FILE [--scenario FILE] [--prices FILE] [--flowlogs FILE...] --out report.html [--quiet]',
    '-f MANIFESTS... --zones Z1,Z2 [--region R] [--flowlogs FILE... --subnets FILE] --out report.html',
  ],
  description: `Writes one self-contained HTML page (inline CSS, SVG and script; nothing is fetched when it is
opened): zone-to-zone traffic heatmaps before/after routing, monthly cost before/after, a
per-destination breakdown, and, with --flowlogs, the measured flow-log numbers next to the prediction.`,
  examples: [
    'zonal report --values values/octank-travel.yaml --out report.html',
    'zonal report --values values/octank-travel.yaml --flowlogs logs/ --since 2026-11-01 --until 2026-11-30 -o report.html',
  ],
  flags: {
    ...SIMULATION_INPUT_FLAGS,
    flowlogs: { type: 'string', multiple: true, arg: 'FILE', help: 'VPC flow-log file or folder (plain, gzip, CloudWatch JSON lines, Parquet); repeatable' },
    since: { type: 'string', arg: 'YYYY-MM-DD', help: 'first day (UTC) of flow-log records to count' },
    until: { type: 'string', arg: 'YYYY-MM-DD', help: 'last day (UTC, included) of flow-log records to count' },
    subnets: { type: 'string', arg: 'FILE', help: 'zones/az-ids/CIDRs for the flow logs when there is no --values' },
    'log-format': { type: 'string', arg: 'STR', help: 'the flow logs\' custom format (default: the S3 header line, else AWS\'s default)' },
    title: { type: 'string', arg: 'TEXT', help: 'page title (default: "zonal report: <name>")' },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'where to write the page (required)' },
    quiet: { type: 'boolean', help: 'no progress bar (it is shown on stderr only when stdout and stderr are terminals)' },
  },
  footer: 'Exit codes: 0 ok, 2 bad input or usage.',
}, async ({ flags }, io) => {
  if (!flags.out) throw new UsageError('--out FILE is required (where to write the HTML page)');
  const progress = progressFor(io, 'report', flags.quiet);
  try {
    return await report({ ...flags, out: flags.out }, io, progress);
  } finally {
    progress.stop();
  }
});

type ReportFlags = Parameters<typeof loadSimulationInputs>[0] & {
  out: string; flowlogs?: string[] | undefined; since?: string | undefined; until?: string | undefined;
  subnets?: string | undefined; 'log-format'?: string | undefined; title?: string | undefined;
};

async function report(flags: ReportFlags, io: CommandIO, progress: Progress): Promise<number> {
  const startRange = dayRange('report', flags.since, flags.until);
  progress.start('simulating', 1);
  const inputs = await loadSimulationInputs(flags, io.cwd, io.readStdin);
  const simulation = simulateObjects(inputs.objects, inputs.options);

  let measured: { files: string[]; summary: FlowLogSummary } | undefined;
  const logs = flags.flowlogs ?? [];
  if (logs.length > 0) {
    let zones: readonly Zone[];
    if (flags.subnets) {
      const text = readInputFile(resolve(io.cwd, flags.subnets), flags.subnets, 'subnets file', '--subnets');
      zones = parseSubnetsFile(text, flags.subnets);
    } else if (inputs.options.model) {
      zones = inputs.options.model.cluster.zones;
    } else {
      throw new UsageError('--flowlogs needs the zones\' subnets: give --values or --subnets FILE');
    }
    const summary = await analyzeFlowLogFiles(logs.map((f) => resolve(io.cwd, f)), {
      zones,
      ...(flags['log-format'] !== undefined ? { logFormat: flags['log-format'] } : {}),
      ...(startRange ? { startRange } : {}),
      command: 'report',
      // The same notes as flowlogs analyze: a damaged gzip member is named every time.
      onSkipped: (s) => io.stderr(skippedNote(io.cwd, s)),
      onWarning: (m) => io.stderr(`zonal report: warning: ${m}\n`),
      onProgress: bytesProgress(progress, 'reading flow logs'),
    });
    measured = { files: logs.map((f) => basename(f)), summary };
  } else if (flags.subnets || flags['log-format'] !== undefined || startRange) {
    throw new UsageError('--subnets, --log-format, --since and --until only apply with --flowlogs FILE');
  }

  progress.start('writing the page', 1);
  const name = inputs.options.model?.name ?? 'manifests';
  const html = renderReport({
    title: flags.title ?? `zonal report: ${name}`,
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    simulation,
    volumes: volumeBasis(inputs.options.scenario),
    ...(measured ? { measured } : {}),
  });
  try {
    writeFileAtomic(resolve(io.cwd, flags.out), html);
  } catch (err) {
    if (!isFileError(err)) throw err;
    throw new InputError([`zonal report: ${flags.out}: cannot write the page (${fileErrorReason(err, '--out')})`]);
  }
  progress.stop();
  const c = simulation.cost;
  io.stdout(`wrote ${flags.out}: ${simulation.destinations.length} destinations, ${usd(c.before.usdPerMonth, c.currency)} -> ${usd(c.after.usdPerMonth, c.currency)} per month` +
    `${measured ? `, ${measured.summary.records} flow-log records` : ''}\n`);
  return EXIT_OK;
}
