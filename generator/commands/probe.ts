import { ZONE_PATTERN, parseDiscoveryEnv } from '../../app/src/config.js';
import { discoverZone } from '../../app/src/zone.js';
import { formatSummary } from '../probe/format.js';
import { runProbe } from '../probe/run.js';
import { tally } from '../probe/tally.js';
import { parseFlags, positiveInt } from './args.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, type Command, type CommandIO } from './command.js';

const usage = `Usage: zonal probe --url URL [-n 100] [--concurrency 10] [--timeout 2000] [--zone ZONE] [--json]

Calls the zone-reporting service at URL N times (each on a new connection, so every call is a new
routing decision), tallies the zone named in each answer and prints the distribution and the share
that stayed in the caller's zone.

Options:
  --url URL            the service, e.g. http://zip-lookup.demo.svc.cluster.local/ (http or https)
  -n, --requests N     number of calls (default 100)
  -c, --concurrency N  calls in flight at once (default 10)
  --timeout MS         per-call timeout in milliseconds (default 2000)
  --zone ZONE          the caller's zone; default: discovered like the service does it
                       (env ZONE, then EC2 metadata IMDSv2, then IMDSv1; IMDS_ENDPOINT,
                       IMDS_TIMEOUT_MS and AWS_EC2_METADATA_DISABLED apply)
  --json               print the summary as JSON:
                       {url, requests, answered, errors, errorsByKind, callerZone, callerZoneSource,
                        zones: {zone: count}, pods: {pod: count}, sameZone, sameZoneShare, elapsedMs}

Exit codes: 0 ok (some calls may have failed: see errors), 1 every call failed, 2 bad usage.`;

async function run(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(args, {
    url: { type: 'string' },
    requests: { type: 'string', short: 'n' },
    concurrency: { type: 'string', short: 'c' },
    timeout: { type: 'string' },
    zone: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.url === undefined) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url must be an absolute http:// or https:// URL, got "${values.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be an http:// or https:// URL, got "${values.url}"`);
  }
  const requests = positiveInt('requests', values.requests, 100);
  const concurrency = positiveInt('concurrency', values.concurrency, 10);
  const timeoutMs = positiveInt('timeout', values.timeout, 2000);
  if (values.zone !== undefined && !ZONE_PATTERN.test(values.zone)) {
    throw new UsageError(`--zone must look like an availability zone (e.g. us-west-2a), got "${values.zone}"`);
  }

  const problems: string[] = [];
  const discovery = parseDiscoveryEnv(io.env, problems);
  if (problems.length) throw new InputError(problems.map((p) => `zonal probe: ${p}`));

  const started = performance.now();
  // Discovery (bounded by IMDS timeouts) overlaps the calls instead of delaying them.
  const [caller, answers] = await Promise.all([
    values.zone !== undefined
      ? Promise.resolve({ zone: values.zone as string | null, source: 'flag' })
      : discoverZone(discovery).then((z) => ({ zone: z.source === 'none' ? null : z.zone, source: z.source })),
    runProbe({ url, requests, concurrency, timeoutMs }),
  ]);
  const summary = tally(answers, caller, url.href, performance.now() - started);

  io.stdout(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, Math.min(concurrency, requests)));
  return summary.answered === 0 ? EXIT_FINDINGS : EXIT_OK;
}

const probe: Command = { name: 'probe', summary: 'call a zone-reporting service N times, tally the zones that answered', usage, run };
export default probe;
