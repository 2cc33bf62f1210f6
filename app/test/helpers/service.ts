import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createService, startService, type Service } from '../../src/service.js';
import type { ZoneInfo } from '../../src/zone.js';

export interface RunningService {
  readonly service: Service;
  readonly url: string;
  readonly discovery: Promise<ZoneInfo>;
  /** Log lines the service wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the real service in-process on an ephemeral loopback port with the given env overrides. */
export async function startTestService(env: Record<string, string> = {}): Promise<RunningService> {
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', IMDS_TIMEOUT_MS: '200', ...env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const service = createService(loaded.config, sink);
  const { port, discovery } = await startService(service);
  return {
    service,
    url: `http://127.0.0.1:${port}`,
    discovery,
    logs,
    close: async () => {
      await discovery;
      service.server.closeAllConnections();
      await new Promise<void>((resolve) => service.server.close(() => resolve()));
    },
  };
}
