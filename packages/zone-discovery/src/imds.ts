import { request } from 'node:http';

/**
 * One HTTP exchange with the EC2 instance metadata service that always settles within `timeoutMs`:
 * a metadata service that is down, firewalled (packets dropped) or stuck must never stall start-up.
 */
export interface ImdsRequest {
  readonly endpoint: string;
  readonly path: string;
  readonly method?: 'GET' | 'PUT';
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** Real answers are a few dozen bytes; anything bigger is not the metadata service. */
const MAX_BODY = 4096;

/** Resolves with the trimmed body of a 200 answer; rejects on any other status, error or timeout. */
export function imdsRequest(req: ImdsRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.path, req.endpoint);
    // A fresh connection (agent: false): nothing lingers in a pool after start-up.
    const out = request(url, { method: req.method ?? 'GET', headers: req.headers, agent: false });
    const timer = setTimeout(() => out.destroy(new Error(`timed out after ${req.timeoutMs} ms`)), req.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    out.on('error', fail);
    out.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        out.destroy();
        fail(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) out.destroy(new Error('answer too large'));
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(body.trim());
      });
      res.on('error', fail);
      // A body cut short by the timer or the size cap ends in 'close' without 'end'.
      res.on('close', () => {
        if (!res.complete) fail(new Error('answer cut short'));
      });
    });
    out.end();
  });
}
