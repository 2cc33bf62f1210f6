import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent, createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { buildApp, spawnServer, type Child } from './helpers/child.js';
import { get } from './helpers/http.js';

/** The built server as a real process: signals, exit codes and start-up errors. */
describe('zip-lookup process', () => {
  let child: Child | undefined;
  beforeAll(() => buildApp());
  afterEach(() => {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    child = undefined;
  });

  const listening = async (c: Child) => `http://127.0.0.1:${(await c.waitFor('listening')).port as number}`;

  it('on SIGTERM stops accepting, finishes the requests in flight with 200 and exits 0', async () => {
    child = spawnServer({ ZONE: 'us-west-2a', RESPONSE_DELAY_MS: '800', SHUTDOWN_GRACE_MS: '10000' });
    const url = await listening(child);
    // A keep-alive connection that sits idle in a client pool must not hold the process open.
    const idle = new Agent({ keepAlive: true });
    const agent = new Agent({ keepAlive: true });
    expect((await get(`${url}/healthz`, {}, 5000, idle)).headers.connection).toBe('keep-alive');

    // Four on their own connection, one on a keep-alive connection.
    const inFlight = [...Array.from({ length: 4 }, () => get(`${url}/`, {}, 5000)), get(`${url}/`, {}, 5000, agent)];
    await new Promise((r) => setTimeout(r, 250)); // all five are now inside the 800 ms handler
    const signalled = performance.now();
    child.proc.kill('SIGTERM');
    await child.waitFor('no longer accepting connections');

    await expect(get(`${url}/`, {}, 1000)).rejects.toThrow(/ECONNREFUSED/);
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.every((a) => a.body === 'CA - 94016 az - us-west-2a')).toBe(true);
    // The keep-alive client is told to go elsewhere for its next request.
    expect(answers[4]!.headers.connection).toBe('close');

    expect(await child.exited).toBe(0);
    // Exits as soon as the work is done: not after the grace period, nor the 65 s keep-alive timeout.
    expect(performance.now() - signalled).toBeLessThan(2500);
    expect(child.logs.at(-1)).toMatchObject({ level: 'info', msg: 'stopped: every request finished' });
    agent.destroy();
    idle.destroy();
  });

  it('on SIGTERM closes an idle plain TCP connection (a load-balancer health check) at once and exits 0', async () => {
    child = spawnServer({ ZONE: 'us-west-2a', SHUTDOWN_GRACE_MS: '10000' });
    const port = Number(new URL(await listening(child)).port);
    // Connected, never sends a byte: what a TCP health check or a pre-opened pool socket does.
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const signalled = performance.now();
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    await closed;
    expect(performance.now() - signalled).toBeLessThan(2500);
  });

  it('cuts what is still running when the grace period ends and exits 1', async () => {
    child = spawnServer({ ZONE: 'us-west-2a', RESPONSE_DELAY_MS: '5000', SHUTDOWN_GRACE_MS: '400' });
    const url = await listening(child);
    const slow = get(`${url}/`, {}, 8000).then(() => 'answered', (err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 200));
    const signalled = performance.now();
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(1);
    expect(performance.now() - signalled).toBeLessThan(1500);
    expect(await slow).toMatch(/socket hang up|ECONNRESET/);
    expect(child.logs.map((l) => l.msg)).toContain('grace period over: cutting the connections still open');
  });

  it('keeps serving during DRAIN_DELAY_MS while readiness already fails', async () => {
    child = spawnServer({ ZONE: 'us-west-2a', DRAIN_DELAY_MS: '600', SHUTDOWN_GRACE_MS: '5000' });
    const url = await listening(child);
    child.proc.kill('SIGTERM');
    await child.waitFor('shutting down: readiness fails from now on');
    expect(await get(`${url}/readyz`)).toMatchObject({ status: 503, body: 'not ready: draining' });
    const answer = await get(`${url}/`);
    expect(answer).toMatchObject({ status: 200, body: 'CA - 94016 az - us-west-2a' });
    expect(answer.headers.connection).toBe('close');
    expect(await child.exited).toBe(0);
  });

  it('refuses a bad PORT with a clear message and exit code 1', async () => {
    child = spawnServer({ PORT: '80a', LOG_LEVEL: 'loud' });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toBe(
      'zip-lookup: invalid configuration\n' +
        '  - PORT must be a whole number from 0 to 65535, got "80a"\n' +
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n',
    );
  });

  it('exits 1 with a fatal log when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      child = spawnServer({ PORT: String((blocker.address() as AddressInfo).port) });
      expect(await child.exited).toBe(1);
      expect(child.logs.at(-1)).toMatchObject({ level: 'fatal', msg: 'cannot listen' });
    } finally {
      blocker.close();
    }
  });
});
