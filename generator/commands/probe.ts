import { discoverZone, parseDiscoveryEnv, ZONE_PATTERN } from '@zonal/zone-discovery';
import { formatSummary } from '../probe/format.js';
import { runProbe } from '../probe/run.js';
import { tally } from '../probe/tally.js';
import { positiveInt } from './args.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from './command.js';
import { defineCommand } from './declare.js';

const DEFAULT_REQUESTS = 100;
const DEFAULT_CONCURRENCY = 10;
const DEFAULT_TIMEOUT_MS = 2000;

export default defineCommand({
  name: 'probe',
  summary: 'call a zone-reporting service N times, tally the zones that answered',
  synopsis: [`--url URL [-n ${DEFAULT_REQUESTS}] [--concurrency ${DEFAULT_CONCURRENCY}] [--timeout ${DEFAULT_TIMEOUT_MS}] [--zone ZONE] [--json]`],
  description: `Calls the zone-reporting service at URL N times (each on a new connection, so every call is a new
routing decision), tallies the zone named in each answer and prints the distribution and the share
that stayed in the caller's zone.`,
  examples: [
    'zonal probe --url http://zip-lookup.demo.svc.cluster.local/ -n 200 --zone us-west-2a',
    'zonal probe --url http://localhost:8080/ --json',
  ],
  flags: {
    url: { type: 'string', arg: 'URL', help: 'the service, e.g. http://zip-lookup.demo.svc.cluster.local/ (http or https)' },
    requests: { type: 'string', short: 'n', arg: 'N', help: 'number of calls', default: DEFAULT_REQUESTS },
    concurrency: { type: 'string', short: 'c', arg: 'N', help: 'calls in flight at once', default: DEFAULT_CONCURRENCY },
    timeout: { type: 'string', arg: 'MS', help: 'per-call timeout in milliseconds', default: DEFAULT_TIMEOUT_MS },
    zone: {
      type: 'string', arg: 'ZONE',
      help: 'the caller\'s zone; default: discovered like the service does it\n(env ZONE, then EC2 metadata IMDSv2, then IMDSv1; IMDS_ENDPOINT,\nIMDS_TIMEOUT_MS and AWS_EC2_METADATA_DISABLED apply)',
    },
    json: {
      type: 'boolean',
      help: 'print the summary as JSON:\n{url, requests, answered, errors, errorsByKind, callerZone, callerZoneSource,\n zones: {zone: count}, pods: {pod: count}, sameZone, sameZoneShare, elapsedMs}',
    },
  },
  footer: 'Exit codes: 0 ok (some calls may have failed: see errors), 1 every call failed, 2 bad usage.',
}, async ({ flags: values }, io) => {
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
  const requests = positiveInt('requests', values.requests, DEFAULT_REQUESTS);
  const concurrency = positiveInt('concurrency', values.concurrency, DEFAULT_CONCURRENCY);
  const timeoutMs = positiveInt('timeout', values.timeout, DEFAULT_TIMEOUT_MS);
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
});
