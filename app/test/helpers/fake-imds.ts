import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the EC2 instance metadata service, with the failure modes that matter:
 *  v2        IMDSv2 only (httpTokens=required): GETs without a token get 401
 *  v1        IMDSv1 only: the token PUT is refused (403), GETs work without a token
 *  slow      v2, but every answer waits `delayMs` first
 *  401, 500  every request gets that status
 *  hang      accepts connections and never answers
 *  garbage   200 with an HTML page instead of a zone name
 */
export type ImdsMode = 'v2' | 'v1' | 'slow' | '401' | '500' | 'hang' | 'garbage';

export interface FakeImds {
  readonly endpoint: string;
  readonly seen: Array<{ method: string; path: string; token: string | undefined }>;
  close(): Promise<void>;
}

export interface FakeImdsOptions {
  zone?: string;
  /** null: the zone-id path answers 404, as on metadata services that predate it. */
  zoneId?: string | null;
  delayMs?: number;
}

const TOKEN = 'fake-token-123';

export async function startFakeImds(mode: ImdsMode, opts: FakeImdsOptions = {}): Promise<FakeImds> {
  const zone = opts.zone ?? 'us-west-2b';
  const zoneId = opts.zoneId === undefined ? 'usw2-az2' : opts.zoneId;
  const seen: FakeImds['seen'] = [];

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const token = req.headers['x-aws-ec2-metadata-token'] as string | undefined;
    const send = (status: number, body = '') => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    switch (mode) {
      case 'hang':
        return;
      case '401':
        return send(401);
      case '500':
        return send(500);
      case 'garbage':
        return send(200, '<html><body>Captive portal: please log in</body></html>');
      default:
    }
    if (req.url === '/latest/api/token') {
      if (req.method !== 'PUT') return send(405);
      if (mode === 'v1') return send(403);
      return send(200, TOKEN);
    }
    if (mode !== 'v1' && token !== TOKEN) return send(401);
    if (req.url === '/latest/meta-data/placement/availability-zone') return send(200, `${zone}\n`);
    if (req.url === '/latest/meta-data/placement/availability-zone-id' && zoneId !== null) return send(200, zoneId);
    return send(404);
  };

  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    req.resume();
    seen.push({ method: req.method ?? '', path: req.url ?? '', token: req.headers['x-aws-ec2-metadata-token'] as string | undefined });
    if (mode !== 'slow') return answer(req, res);
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(req, res);
    }, opts.delayMs ?? 2000);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An endpoint where nothing listens: connections are refused at once (metadata service "down"). */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
