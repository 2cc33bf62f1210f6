import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one call to the service told us: the zone (and pod) that answered, or why it failed. */
export type ProbeAnswer = { ok: true; zone: string; pod: string | undefined } | { ok: false; error: string };

/** The service's answers are tiny; a larger body means the URL points at something else. */
const MAX_BODY = 64 * 1024;

/** `CA - 94016 az - us-west-2a`: the text answer of the zip-lookup service (and of the original demo). */
const TEXT_ZONE = /\baz - (\S+)\s*$/;

/** Reads the zone from a JSON answer ({zone, pod}) or, failing that, from the text form. */
export function zoneFromBody(body: string, contentType: string | undefined): { zone: string; pod: string | undefined } | undefined {
  if (contentType?.includes('json')) {
    try {
      const parsed = JSON.parse(body) as { zone?: unknown; pod?: unknown };
      if (typeof parsed.zone === 'string' && parsed.zone) {
        return { zone: parsed.zone, pod: typeof parsed.pod === 'string' ? parsed.pod : undefined };
      }
    } catch {
      // Not JSON after all: try the text form below.
    }
  }
  const m = TEXT_ZONE.exec(body);
  return m ? { zone: m[1]!, pod: undefined } : undefined;
}

/**
 * One GET on a new connection, so that every request is a fresh routing decision for kube-proxy
 * (which balances connections, not requests) as well as for Envoy. Always settles within
 * `timeoutMs`: a stuck server costs one timeout per request, never a hang.
 */
export function probeOnce(url: URL, timeoutMs: number): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: ProbeAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { headers: { Accept: 'application/json' }, agent: false }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        finish({ ok: false, error: `HTTP ${status}` });
        req.destroy();
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) {
          finish({ ok: false, error: 'answer too large' });
          req.destroy();
        }
      });
      res.on('end', () => {
        const found = zoneFromBody(body, res.headers['content-type']);
        finish(found ? { ok: true, ...found } : { ok: false, error: 'no zone in answer' });
      });
      res.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: networkErrorKind(err) }));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, error: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: networkErrorKind(err) }));
    req.end();
  });
}

/** Socket error codes in words (errorsByKind keys and the failures line), never Node's errno names. */
const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timeout',
  EPROTO: 'TLS handshake failed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
};

export function networkErrorKind(err: NodeJS.ErrnoException): string {
  return (err.code && NETWORK_ERRORS[err.code]) ?? 'network error';
}
