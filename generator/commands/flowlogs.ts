/**
 * `zonal flowlogs analyze FILE...`: measure cross-zone traffic in VPC flow logs (text, gzip,
 * CloudWatch JSON, Parquet).
 * `zonal flowlogs query --engine athena|insights|duckdb`: the same numbers computed by an engine.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { positiveInt } from './args.js';
import { EXIT_OK, InputError, UsageError, type CommandIO } from './command.js';
import { defineCommandWithSubcommands, flagTable, parseDeclared } from './declare.js';
import { unknownNameMessage } from './flag-errors.js';
import { fileErrorReason, isFileError, ValueError } from '../errors.js';
import type { Zone } from '../model/types.js';
import { analyzeFlowLogFiles } from '../flowlogs/analyze.js';
import { emitScenario } from '../flowlogs/emit-scenario.js';
import { FormatError, parseLogFormat } from '../flowlogs/fields.js';
import { dayRange } from '../flowlogs/inputs.js';
import { parseServicesFile } from '../flowlogs/services-file.js';
import { formatSummary } from '../flowlogs/table.js';
import { parseSubnetsFile, zonesFromValues } from '../flowlogs/zones.js';
import { infraNames } from '../infra/names.js';
import type { TopologyRouting } from '../model/types.js';
import { displayPath, skippedNote } from './shared/skipped-note.js';
import { readInputFile } from '../model/input-file.js';
import { bytesProgress, progressFor } from './shared/progress.js';

const ZONE_FLAGS = {
  values: { type: 'string', arg: 'FILE', help: 'zonal values file: zones from cluster.zones[] (name, id = az-id, cidrs)' },
  subnets: {
    type: 'string', arg: 'FILE',
    help: 'YAML/JSON "subnets: {<cidr>: <zone>}" (+ optional "azIds: {<az-id>: <zone>}"),\nor the output of aws ec2 describe-subnets',
  },
  'log-format': {
    type: 'string', arg: 'STR',
    help: 'the flow log\'s --log-format ("${version} ${srcaddr} ..."); default: the file\'s\nheader line, else AWS\'s default format or zonal\'s format by field count',
  },
} as const;

const DAY_FLAGS = {
  since: { type: 'string', arg: 'YYYY-MM-DD', help: 'first day (UTC) of records to count, by their start time' },
  until: { type: 'string', arg: 'YYYY-MM-DD', help: 'last day (UTC, included)' },
} as const;

const ANALYZE_FLAGS = {
  ...ZONE_FLAGS,
  services: {
    type: 'string', arg: 'FILE',
    help: 'YAML/JSON "services: {<ip or cidr>: <name>}" or kubectl get pods -A -o json:\nadds the top talkers (service pairs by cross-zone bytes)',
  },
  top: { type: 'string', arg: 'N', help: 'number of top talkers', default: 10 },
  threads: { type: 'string', arg: 'N', help: 'split plain-text files over 32 MiB across N threads (default: CPUs, at most 4)' },
  ...DAY_FLAGS,
  'emit-scenario': {
    type: 'string', arg: 'FILE',
    help: 'write the measured traffic per caller zone and destination service (needs\n--services) as a scenario for zonal simulate, in GB/month',
  },
  json: { type: 'boolean', help: 'print the summary as JSON' },
  quiet: { type: 'boolean', help: 'no progress bar (it is shown on stderr only when stdout and stderr are terminals)' },
} as const;

const QUERY_FLAGS = {
  engine: { type: 'string', arg: 'athena|insights|duckdb', help: 'which engine\'s query to print' },
  ...ZONE_FLAGS,
  bucket: { type: 'string', arg: 'B', help: 'athena: S3 bucket (placeholder otherwise)' },
  'account-id': { type: 'string', arg: 'N', help: 'athena: account id (placeholder otherwise)' },
  prefix: { type: 'string', arg: 'P', help: 'athena: S3 key prefix' },
  region: { type: 'string', arg: 'R', help: 'athena: region (default: the values file\'s cluster.region)' },
  database: { type: 'string', arg: 'D', help: 'athena: database (zonal_<metadata.name> with --values, else zonal)' },
  table: { type: 'string', arg: 'T', help: 'athena: table (vpc_flow_logs)' },
  ...DAY_FLAGS,
  bin: { type: 'string', arg: '5m', help: 'insights: time bin of the cross-zone series (default 5m)' },
  run: { type: 'boolean', help: 'duckdb: run the query over FILE... in the embedded engine and print its rows' },
} as const;

const DEFAULT_TOP = 10;

const DESCRIPTION = `analyze  Reads VPC flow logs (plain text with or without the S3 header line, gzip, CloudWatch JSON
         lines or aws logs filter-log-events output, Parquet files and folders as aws s3 sync
         brings them down) and reports bytes per zone pair, cross-zone bytes and their cost.
         Each flow counts once: egress records when the format has flow-direction; without it a
         record between two mapped subnets counts half. A file given twice counts once.
         Malformed lines are counted as skipped (the first 5 are listed on stderr), never fatal;
         damaged gzip members are always listed and their records not counted.

${flagTable(ANALYZE_FLAGS, 'analyze options:').trimEnd()}

query    Prints the Athena DDL + SQL, the CloudWatch Logs Insights queries or the DuckDB query that
         compute the same numbers (egress records, zones by az-id and subnet CIDRs), for logs too
         big for one machine (Athena, Insights) or kept locally as Parquet (DuckDB; FILE... are the
         Parquet files or globs it reads, --run executes it in the embedded engine).

${flagTable(QUERY_FLAGS, 'query options:').trimEnd()}`;

/** Known destination names of a values file (what `zonal simulate` resolves in a scenario). */
function destinationsOf(model: TopologyRouting): Set<string> {
  return new Set([...model.services.map((s) => s.name), ...model.externalHosts.map((h) => h.name)]);
}

async function analyze(args: readonly string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseDeclared(args, ANALYZE_FLAGS, true);
  if (positionals.length === 0) throw new UsageError('name at least one flow-log FILE');
  if (flags['emit-scenario'] !== undefined && flags.services === undefined) {
    throw new UsageError('--emit-scenario needs --services FILE (which service each destination address is)');
  }
  const at = (p: string) => resolve(io.cwd, p);
  const startRange = dayRange('flowlogs analyze', flags.since, flags.until);
  const { zones, model } = await zonesFrom(flags, io);
  const services = flags.services !== undefined ? parseServicesFile(readInputFile(at(flags.services), flags.services, 'services file', '--services'), flags.services) : undefined;
  const top = positiveInt('top', flags.top, DEFAULT_TOP);
  const threads = positiveInt('threads', flags.threads, Math.min(4, availableParallelism()));
  let summary;
  const progress = progressFor(io, 'flowlogs analyze', flags.quiet);
  try {
    summary = await analyzeFlowLogFiles(positionals.map(at), {
      onProgress: bytesProgress(progress),
      zones,
      ...(flags['log-format'] !== undefined ? { logFormat: flags['log-format'] } : {}),
      ...(services ? { services } : {}),
      ...(startRange ? { startRange } : {}),
      top,
      threads,
      command: 'flowlogs analyze',
      display: (p) => displayPath(io.cwd, p),
      onSkipped: (s) => io.stderr(skippedNote(io.cwd, s)),
      onWarning: (m) => io.stderr(`zonal flowlogs analyze: warning: ${m}\n`),
    });
  } catch (err) {
    if (err instanceof FormatError) throw new UsageError(`--log-format: ${err.message}`);
    throw err;
  } finally {
    progress.stop();
  }
  if (flags['emit-scenario'] !== undefined) {
    let emitted;
    try {
      emitted = emitScenario(summary, model ? destinationsOf(model) : undefined);
    } catch (err) {
      if (err instanceof ValueError) throw new InputError([`zonal flowlogs analyze: ${err.message}`]);
      throw err;
    }
    const file = flags['emit-scenario'];
    try {
      writeFileSync(at(file), emitted.text);
    } catch (err) {
      if (!isFileError(err)) throw err;
      throw new InputError([`zonal flowlogs analyze: ${file}: cannot write the scenario (${fileErrorReason(err, '--emit-scenario')})`]);
    }
    if (emitted.dropped.length) {
      io.stderr(`zonal flowlogs analyze: warning: not in the scenario (not a destination of the values file): ${emitted.dropped.map((d) => JSON.stringify(d)).join(', ')}\n`);
    }
    io.stderr(`zonal flowlogs analyze: wrote ${file}: ${emitted.entries} traffic entries (GB/month)\n`);
  }
  io.stdout(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  return EXIT_OK;
}

/** AWS's documentation placeholders, used (and flagged) when --bucket / --account-id are not given. */
const PLACEHOLDER_BUCKET = 'amzn-s3-demo-bucket';
const PLACEHOLDER_ACCOUNT = '111122223333';

/** Zones (and the region, when a values file names it) from --values or --subnets. */
async function zonesFrom(
  flags: { values?: string; subnets?: string }, io: CommandIO,
): Promise<{ zones: readonly Zone[]; region?: string; model?: TopologyRouting }> {
  if ((flags.values === undefined) === (flags.subnets === undefined)) {
    throw new UsageError('give exactly one of --values FILE or --subnets FILE (the zones to attribute traffic to)');
  }
  const at = (p: string) => resolve(io.cwd, p);
  if (flags.values !== undefined) {
    // the values loader (schema compilation) is only loaded when used: start-up counts on big runs too
    const model = (await import('../model/load-values.js')).loadValuesFile(at(flags.values), flags.values);
    return { zones: zonesFromValues(model), region: model.cluster.region, model };
  }
  return { zones: parseSubnetsFile(readInputFile(at(flags.subnets!), flags.subnets!, 'subnets file', '--subnets'), flags.subnets!) };
}

/** Rows of a DuckDB result as an aligned text table (bigints as integers). */
function rowsTable(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return '(no rows)\n';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? 'NULL' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n')}\n`;
}

async function query(args: readonly string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = parseDeclared(args, QUERY_FLAGS, true);
  if (flags.engine !== 'athena' && flags.engine !== 'insights' && flags.engine !== 'duckdb') throw new UsageError('--engine must be athena, insights or duckdb');
  if (flags.engine !== 'duckdb' && (positionals.length > 0 || flags.run)) throw new UsageError('FILE... and --run apply to --engine duckdb only');
  if (flags.run && positionals.length === 0) throw new UsageError('--run needs the Parquet FILE... to read');
  const startRange = dayRange('flowlogs query', flags.since, flags.until);
  const { zones, region: valuesRegion, model } = await zonesFrom(flags, io);
  const q = await import('../flowlogs/queries.js');
  const out: string[] = [];
  try {
    const fields = flags['log-format'] !== undefined ? parseLogFormat(flags['log-format']) : undefined;
    if (flags.engine === 'duckdb') {
      const zq = await import('../flowlogs/zone-query.js');
      const def = zq.zoneQueryDefinition(zones, fields ? { fields } : {});
      const source = zq.duckdbSource(positionals.length > 0 ? positionals.map((p) => resolve(io.cwd, p)) : ['AWSLogs/**/*.parquet']);
      const sql = zq.renderDuckDb(def, { source, ...(startRange ? { range: startRange } : {}) });
      if (!flags.run) {
        io.stdout(`${sql};\n`);
        return EXIT_OK;
      }
      const { runDuckDbOnUserFiles } = await import('../flowlogs/parquet.js');
      io.stdout(rowsTable(await runDuckDbOnUserFiles('flowlogs query', sql)));
      return EXIT_OK;
    }
    if (flags.engine === 'insights') {
      const opts = { ...(fields ? { fields } : {}), ...(flags.bin !== undefined ? { bin: flags.bin } : {}) };
      out.push('# zonal: cross-zone bytes (egress records, each flow once), per time bin; USD = bytes / 2^30 * ' + q.CROSS_AZ_USD_PER_GB);
      out.push(q.insightsInterAzQuery(zones, opts), '');
      for (const pair of q.insightsZonePairQueries(zones, opts)) {
        out.push(`# zonal: bytes into ${pair.to}, by source az_id (byZonePair rows with to = ${pair.to})`);
        out.push(pair.query, '');
      }
    } else {
      const region = flags.region ?? valuesRegion;
      if (region === undefined) throw new UsageError('--region is needed with --subnets (the values file names it otherwise)');
      // Same names as `zonal infra athena` and scripts/enable-flow-logs.sh use for this values file.
      const names = model ? infraNames(model) : undefined;
      const database = flags.database ?? names?.athenaDatabase ?? 'zonal';
      const table = flags.table ?? names?.athenaTable ?? 'vpc_flow_logs';
      const bucket = flags.bucket ?? PLACEHOLDER_BUCKET;
      const accountId = flags['account-id'] ?? PLACEHOLDER_ACCOUNT;
      if (flags.bucket === undefined || flags['account-id'] === undefined) {
        out.push(`-- replace ${PLACEHOLDER_BUCKET} / ${PLACEHOLDER_ACCOUNT} (or pass --bucket and --account-id)`);
      }
      out.push(`${q.athenaDatabaseDdl(database)};`, '');
      out.push(`${q.athenaDdl({
        bucket, accountId, region, database, table,
        ...(flags.prefix !== undefined ? { prefix: flags.prefix } : {}),
        ...(fields ? { fields } : {}),
      })};`, '');
      out.push(`${q.athenaZonePairQuery(zones, {
        database, table,
        ...(fields ? { fields } : {}),
        ...(flags.since !== undefined ? { since: flags.since } : {}),
        ...(flags.until !== undefined ? { until: flags.until } : {}),
      })};`, '');
    }
  } catch (err) {
    // Only the query builders' own complaints are bad input; anything else is a bug (exit 70).
    if (err instanceof ValueError) throw new InputError([`zonal flowlogs query: ${err.message}`]);
    throw err;
  }
  io.stdout(out.join('\n'));
  return EXIT_OK;
}

export default defineCommandWithSubcommands({
  name: 'flowlogs',
  summary: 'measure cross-zone traffic in VPC flow logs (analyze | query)',
  synopsis: [
    'analyze FILE... (--values FILE | --subnets FILE) [--log-format STR] [--services FILE] [--top N]\n' +
    '                         [--threads N] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--emit-scenario FILE] [--json] [--quiet]',
    'query --engine athena|insights|duckdb (--values FILE | --subnets FILE) [--log-format STR]\n' +
    '                       [--bucket B --account-id N --prefix P --region R --database D --table T]\n' +
    '                       [--since YYYY-MM-DD --until YYYY-MM-DD] [--bin 5m] [FILE... [--run]]',
  ],
  description: DESCRIPTION,
  examples: [
    'zonal flowlogs analyze logs/ --values values/octank-travel.yaml',
    'zonal flowlogs analyze flows.log.gz --subnets subnets.json --since 2026-11-01 --json',
    'zonal flowlogs query --engine athena --values values/octank-travel.yaml --bucket my-flow-logs --account-id 123456789012',
    "zonal flowlogs query --engine duckdb --values values/octank-travel.yaml 'logs/*.parquet' --run",
  ],
  flags: {},
  subcommands: { analyze: { flags: ANALYZE_FLAGS, positionals: true }, query: { flags: QUERY_FLAGS, positionals: true } },
}, async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === 'analyze') return analyze(rest, io);
  if (sub === 'query') return query(rest, io);
  throw new UsageError(unknownNameMessage('sub-command', sub, ['analyze', 'query']));
});
