import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeImds, closedEndpoint, type FakeImds } from '../app/test/helpers/fake-imds.js';
import { startTestService, type RunningService } from '../app/test/helpers/service.js';
import { main } from '../generator/main.js';
import type { CommandIO } from '../generator/commands/command.js';

/** Never the real metadata service: discovery is off unless a test points it at a loopback fake. */
const NO_IMDS = { AWS_EC2_METADATA_DISABLED: 'true' };

async function zonal(args: string[], env: NodeJS.ProcessEnv = NO_IMDS) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    cwd: process.cwd(),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => '',
    env,
  };
  const code = await main(['probe', ...args], io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A loopback load balancer that hands each request to the next backend in the list, in turn. */
async function roundRobin(backends: string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', backends[next++ % backends.length]);
    const out = request(target, { method: req.method, headers: req.headers, agent: false }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  return { url: await listen(server), server };
}

describe('zonal probe', () => {
  const zones = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
  const services: RunningService[] = [];
  const servers: Server[] = [];
  const connections = new Map<string, number>();
  let lb: string;
  let weighted: string;
  let flaky: string;
  let textOnly: string;
  let hanging: string;

  beforeAll(async () => {
    // Three real zip-lookup services, one per zone, behind loopback load balancers.
    for (const [i, zone] of zones.entries()) {
      const svc = await startTestService({ ZONE: zone, POD_NAME: `zip-${i}`, LOG_LEVEL: 'silent' });
      await svc.discovery;
      svc.service.server.on('connection', () => connections.set(zone, (connections.get(zone) ?? 0) + 1));
      services.push(svc);
    }
    const [a, b, c] = services.map((s) => s.url) as [string, string, string];
    const add = async (p: Promise<{ url: string; server: Server }>) => {
      const { url, server } = await p;
      servers.push(server);
      return url;
    };
    lb = await add(roundRobin([a, b, c]));
    weighted = await add(roundRobin([a, a, a, a, a, a, a, a, b, c]));

    const failing = createServer((_req, res) => res.writeHead(500).end('boom'));
    servers.push(failing);
    flaky = await add(roundRobin([a, await listen(failing)]));

    // The original demo: text/html, no JSON, whatever the Accept header says.
    const original = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('CA - 94016 az - us-west-1a'));
    servers.push(original);
    textOnly = await listen(original);

    const stuck = createServer(() => undefined);
    servers.push(stuck);
    hanging = await listen(stuck);
  });

  afterAll(async () => {
    await Promise.all(servers.map(close));
    await Promise.all(services.map((s) => s.close()));
  });

  it('tallies the zones behind a balancer that spreads evenly: one third stays in-zone', async () => {
    const before = new Map(connections);
    const r = await zonal(['--url', `${lb}/`, '-n', '90', '--concurrency', '6', '--zone', 'us-west-2a', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      url: `${lb}/`, requests: 90, answered: 90, errors: 0, errorsByKind: {},
      callerZone: 'us-west-2a', callerZoneSource: 'flag',
      zones: { 'us-west-2a': 30, 'us-west-2b': 30, 'us-west-2c': 30 },
      pods: { 'zip-0': 30, 'zip-1': 30, 'zip-2': 30 },
      sameZone: 30,
    });
    expect(r.json().sameZoneShare).toBeCloseTo(1 / 3, 10);
    // Every call opened its own connection: a new routing decision each time.
    for (const zone of zones) expect((connections.get(zone) ?? 0) - (before.get(zone) ?? 0)).toBe(30);
  });

  it('reports the share of a balancer that prefers the caller zone, as text', async () => {
    const r = await zonal(['--url', weighted, '-n', '50', '-c', '5', '--zone', 'us-west-2a']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^zonal probe: 50 requests to http:\/\/127\.0\.0\.1:\d+\/ \(concurrency 5, \d+ ms\): 50 answered, 0 failed$/m);
    expect(r.stdout).toContain('caller zone: us-west-2a (--zone)');
    expect(r.stdout).toMatch(/^us-west-2a\s+40\s+80\.0%  <- caller$/m);
    expect(r.stdout).toMatch(/^us-west-2b\s+5\s+10\.0%$/m);
    expect(r.stdout).toMatch(/^us-west-2c\s+5\s+10\.0%$/m);
    expect(r.stdout).toMatch(/same-zone share: 80\.0% \(40 of 50 answers\)\n$/);
  });

  it('sees one zone only when pointed at a single server', async () => {
    for (const [i, zone] of zones.entries()) {
      const r = await zonal(['--url', services[i]!.url, '-n', '5', '--zone', 'us-west-2b', '--json']);
      expect(r.json()).toMatchObject({ zones: { [zone]: 5 }, sameZone: zone === 'us-west-2b' ? 5 : 0 });
    }
  });

  it('counts failed calls apart and leaves them out of the same-zone share', async () => {
    const r = await zonal(['--url', flaky, '-n', '20', '-c', '1', '--zone', 'us-west-2a', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ requests: 20, answered: 10, errors: 10, errorsByKind: { 'HTTP 500': 10 }, sameZoneShare: 1 });
    const text = await zonal(['--url', flaky, '-n', '4', '-c', '1', '--zone', 'us-west-2a']);
    expect(text.stdout).toContain('  failures: HTTP 500 x2');
  });

  it('reads the text answer of the original demo', async () => {
    const r = await zonal(['--url', textOnly, '-n', '3', '--zone', 'us-west-1a', '--json']);
    expect(r.json()).toMatchObject({ zones: { 'us-west-1a': 3 }, pods: {}, sameZoneShare: 1 });
  });

  it('never hangs: a server that never answers costs one timeout per call, then exit 1', async () => {
    const started = performance.now();
    const r = await zonal(['--url', hanging, '-n', '4', '-c', '2', '--timeout', '150', '--zone', 'us-west-2a', '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ requests: 4, answered: 0, errors: 4, errorsByKind: { timeout: 4 }, zones: {}, sameZoneShare: null });
    expect(performance.now() - started).toBeLessThan(2 * 150 + 500);
  });

  it('exits 1 when nothing listens', async () => {
    const r = await zonal(['--url', await closedEndpoint(), '-n', '3', '--zone', 'us-west-2a']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0 answered, 3 failed');
    expect(r.stdout).toContain('failures: connection refused x3');
  });

  describe('caller zone', () => {
    let imds: FakeImds;
    beforeAll(async () => {
      imds = await startFakeImds('v2', { zone: 'us-west-2b', zoneId: 'usw2-az2' });
    });
    afterAll(() => imds.close());

    it('is discovered from the metadata service like the service does it', async () => {
      const r = await zonal(['--url', lb, '-n', '9', '--json'], { IMDS_ENDPOINT: imds.endpoint });
      expect(r.json()).toMatchObject({ callerZone: 'us-west-2b', callerZoneSource: 'imdsv2', sameZone: 3 });
      expect(imds.seen[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
    });

    it('comes from env ZONE before the metadata service', async () => {
      const r = await zonal(['--url', lb, '-n', '3', '--json'], { ZONE: 'us-west-2c', IMDS_ENDPOINT: imds.endpoint });
      expect(r.json()).toMatchObject({ callerZone: 'us-west-2c', callerZoneSource: 'env', sameZone: 1 });
    });

    it('is null when it cannot be found, and so is the share', async () => {
      const r = await zonal(['--url', lb, '-n', '3', '--json']);
      expect(r.json()).toMatchObject({ callerZone: null, callerZoneSource: 'none', sameZoneShare: null, answered: 3 });
      const text = await zonal(['--url', lb, '-n', '3']);
      expect(text.stdout).toContain('same-zone share: n/a (caller zone unknown: pass --zone)');
    });
  });

  it.each([
    [[], /--url is required/],
    [['--url', 'zip-lookup'], /--url must be an absolute http:\/\/ or https:\/\/ URL/],
    [['--url', 'ftp://x/'], /--url must be an http:\/\/ or https:\/\/ URL/],
    [['--url', 'http://127.0.0.1/', '-n', '0'], /--requests must be a whole number >= 1/],
    [['--url', 'http://127.0.0.1/', '--concurrency', 'many'], /--concurrency must be a whole number >= 1/],
    [['--url', 'http://127.0.0.1/', '--timeout', '-5'], /--timeout|argument missing/],
    [['--url', 'http://127.0.0.1/', '--zone', 'us west'], /--zone must look like an availability zone/],
    [['--url', 'http://127.0.0.1/', '--bogus'], /unknown flag --bogus/],
  ])('rejects bad usage %j with exit 2 and the usage text', async (args, message) => {
    const r = await zonal(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: zonal probe --url URL');
    expect(r.stdout).toBe('');
  });

  it('rejects a bad IMDS_ENDPOINT in the environment with exit 2', async () => {
    const r = await zonal(['--url', 'http://127.0.0.1/'], { IMDS_ENDPOINT: 'https://x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zonal probe: IMDS_ENDPOINT must be an http:\/\/ URL/);
  });

  it('is listed in zonal --help and documents itself', async () => {
    let out = '';
    const io: CommandIO = { cwd: process.cwd(), stdout: (t) => (out += t), stderr: () => undefined, readStdin: async () => '', env: NO_IMDS };
    expect(await main(['--help'], io)).toBe(0);
    expect(out).toMatch(/^ {2}probe +call a zone-reporting service/m);
    out = '';
    expect(await main(['probe', '--help'], io)).toBe(0);
    expect(out).toContain('Exit codes: 0 ok (some calls may have failed: see errors), 1 every call failed, 2 bad usage.');
  });
});
