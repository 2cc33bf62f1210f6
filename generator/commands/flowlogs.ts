/**
 * `zonal flowlogs analyze FILE...`: measure cross-zone traffic in VPC flow logs.
 * `zonal flowlogs query --engine athena|insights`: the same numbers computed inside AWS.
 */
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseFlags, positiveInt } from './args.js';
import { EXIT_OK, InputError, UsageError, type Command, type CommandIO } from './command.js';
import type { Zone } from '../model/types.js';
import { analyzeFlowLogFiles } from '../flowlogs/analyze.js';
import { parseLogFormat } from '../flowlogs/fields.js';
import { FormatError } from '../flowlogs/layout.js';
import { parseServicesFile } from '../flowlogs/services-file.js';
import { formatSummary } from '../flowlogs/table.js';
import { parseSubnetsFile, zonesFromValues } from '../flowlogs/zones.js';
import { infraNames } from '../infra/names.js';
import type { TopologyRouting } from '../model/types.js';
import { readInputFile } from '../model/input-file.js';

const USAGE = `Usage:
  zonal flowlogs analyze FILE... (--values FILE | --subnets FILE) [--log-format STR] [--services FILE] [--top N]
                         [--threads N] [--json]
  zonal flowlogs query --engine athena|insights (--values FILE | --subnets FILE) [--log-format STR]
                       [--bucket B --account-id N --prefix P --region R --database D --table T
                        --since YYYY-MM-DD --until YYYY-MM-DD] [--bin 5m]

analyze  Reads VPC flow logs (plain text with or without the S3 header line, gzip, CloudWatch JSON
         lines or aws logs filter-log-events output) and reports bytes per zone pair, cross-zone
         bytes and their cost. Each flow counts once: egress records when the format has
         flow-direction; without it a record between two mapped subnets counts half.
  --values FILE      zonal values file: zones from cluster.zones[] (name, id = az-id, cidrs)
  --subnets FILE     YAML/JSON "subnets: {<cidr>: <zone>}" (+ optional "azIds: {<az-id>: <zone>}"),
                     or the output of aws ec2 describe-subnets
  --log-format STR   the flow log's --log-format ("\${version} \${srcaddr} ..."); default: the file's
                     header line, else AWS's default format or zonal's format by field count
  --services FILE    YAML/JSON "services: {<ip or cidr>: <name>}" or kubectl get pods -A -o json:
                     adds the top talkers (service pairs by cross-zone bytes)
  --top N            number of top talkers (default 10)
  --threads N        split plain-text files over 32 MiB across N threads (default: CPUs, at most 4)
  --json             print the summary as JSON
  Malformed lines are counted as skipped (the first 5 are listed on stderr), never fatal.

query    Prints the Athena DDL + SQL or the CloudWatch Logs Insights queries that compute the same
         numbers in AWS (egress records, zones by az-id and subnet CIDRs), for logs too big for one
         machine. The log format defaults to zonal's (the one zonal infra configures).
  --engine athena|insights
  --values FILE | --subnets FILE   zones (az-id and CIDRs) to attribute traffic with
  athena:   --bucket, --account-id (placeholders otherwise), --prefix, --region (default: the values
            file's cluster.region), --database (zonal_<metadata.name> with --values, else zonal), --table (vpc_flow_logs), --since/--until (days)
  insights: --bin (time bin of the cross-zone series, default 5m)
`;

/** Paths under the working directory relative (as the user likely typed them), others absolute. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

async function analyze(args: readonly string[], io: CommandIO): Promise<number> {
  const { values: flags, positionals } = parseFlags(args, {
    values: { type: 'string' },
    subnets: { type: 'string' },
    'log-format': { type: 'string' },
    services: { type: 'string' },
    top: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
  }, true);
  if (positionals.length === 0) throw new UsageError('name at least one flow-log FILE');
  const at = (p: string) => resolve(io.cwd, p);
  const { zones } = await zonesFrom(flags, io);
  const services = flags.services !== undefined ? parseServicesFile(readInputFile(at(flags.services), flags.services, 'services file', '--services'), flags.services) : undefined;
  const top = positiveInt('top', flags.top, 10);
  const threads = positiveInt('threads', flags.threads, Math.min(4, availableParallelism()));
  let summary;
  try {
    summary = await analyzeFlowLogFiles(positionals.map(at), {
      zones,
      ...(flags['log-format'] !== undefined ? { logFormat: flags['log-format'] } : {}),
      ...(services ? { services } : {}),
      top,
      threads,
      onSkipped: (s) => io.stderr(`${displayPath(io.cwd, s.file)}:${s.line}: skipped: ${s.reason}${s.text ? `: ${s.text}` : ''}\n`),
    });
  } catch (err) {
    if (err instanceof FormatError) throw new UsageError(`--log-format: ${err.message}`);
    throw err;
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

async function query(args: readonly string[], io: CommandIO): Promise<number> {
  const { values: flags } = parseFlags(args, {
    engine: { type: 'string' },
    values: { type: 'string' },
    subnets: { type: 'string' },
    'log-format': { type: 'string' },
    bucket: { type: 'string' },
    prefix: { type: 'string' },
    'account-id': { type: 'string' },
    region: { type: 'string' },
    database: { type: 'string' },
    table: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    bin: { type: 'string' },
  });
  if (flags.engine !== 'athena' && flags.engine !== 'insights') throw new UsageError('--engine must be athena or insights');
  const { zones, region: valuesRegion, model } = await zonesFrom(flags, io);
  const q = await import('../flowlogs/queries.js');
  const fields = flags['log-format'] !== undefined ? parseLogFormat(flags['log-format']) : undefined;
  const out: string[] = [];
  try {
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
    if (err instanceof UsageError || !(err instanceof Error)) throw err;
    throw new InputError([`zonal flowlogs query: ${err.message}`]);
  }
  io.stdout(out.join('\n'));
  return EXIT_OK;
}

const command: Command = {
  name: 'flowlogs',
  summary: 'measure cross-zone traffic in VPC flow logs (analyze | query)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'analyze') return analyze(rest, io);
    if (sub === 'query') return query(rest, io);
    throw new UsageError(sub === undefined ? 'name a sub-command: analyze or query' : `unknown sub-command "${sub}" (analyze or query)`);
  },
};

export default command;
