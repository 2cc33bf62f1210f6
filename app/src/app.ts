import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';
import type { ServiceState } from './state.js';
import { STATE, resolveZip } from './zip.js';

export interface AppDeps {
  readonly config: Config;
  readonly state: ServiceState;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
// Zone answers depend on the Accept header and on which pod answered: never cache them.
const ANSWER_HEADERS = { 'Cache-Control': 'no-store', Vary: 'Accept' };
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Writes a complete small answer in one go. Bypasses res.send (charset re-parsing, ETag and
 * freshness checks that uncacheable answers do not need): the hot path of the service.
 * Node itself drops the body of HEAD answers.
 */
function send(res: Response, status: number, contentType: string, body: string, extra?: Record<string, string>): void {
  res.writeHead(status, { ...extra, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Content negotiation for the zone answer. Most callers (curl, Envoy health checks, the probe in
 * text mode) send no JSON type at all, so the full negotiator only runs when "json" is mentioned.
 */
function wantsJson(req: Request): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || !accept.includes('json')) return false;
  return req.accepts(['text/plain', 'application/json']) === 'application/json';
}

/** The metrics route label: the matched route path, never the raw URL (unbounded cardinality). */
function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}

export function createApp({ config, state, metrics, logger }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Zone answers are never cacheable, so ETags would only cost a hash per response.
  app.set('etag', false);
  const logRequests = logger.isLevelEnabled('debug');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    // While draining, tell keep-alive clients to reconnect (to a pod that is still ready).
    if (state.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // 499 (nginx's "client closed request"): the caller gave up before the answer was complete.
      const status = res.writableFinished ? res.statusCode : 499;
      const route = routeOf(req);
      const method = METHODS.has(req.method) ? req.method : 'other';
      metrics.observe(route, method, status, seconds);
      if (logRequests) logger.debug({ method: req.method, url: req.originalUrl, status, ms: seconds * 1e3 }, 'request');
    });
    next();
  });

  const answer = (req: Request, res: Response) => {
    const json = wantsJson(req);
    const zip = resolveZip(req.query.zip, config.defaultZip);
    if (!zip.ok) {
      if (json) send(res, zip.status, JSON_TYPE, JSON.stringify({ error: zip.message }), ANSWER_HEADERS);
      else send(res, zip.status, TEXT, zip.message, ANSWER_HEADERS);
      return;
    }
    const reply = () => {
      // Read at send time: an answer delayed across the end of discovery names the zone found.
      const { zone, zoneId } = state.zone;
      if (state.draining) res.setHeader('Connection', 'close');
      if (json) send(res, 200, JSON_TYPE, JSON.stringify({ zip: zip.zip, zone, zoneId, pod: config.pod, node: config.node }), ANSWER_HEADERS);
      else send(res, 200, TEXT, `${STATE} - ${zip.zip} az - ${zone}`, ANSWER_HEADERS);
    };
    if (config.responseDelayMs > 0) setTimeout(reply, config.responseDelayMs);
    else reply();
  };
  app.get('/', answer);
  app.get('/zip', answer);

  app.get('/healthz', (_req, res) => send(res, 200, TEXT, 'ok'));
  app.get('/readyz', (_req, res) => {
    if (state.ready) send(res, 200, TEXT, 'ready');
    else send(res, 503, TEXT, `not ready: ${state.draining ? 'draining' : 'zone discovery in progress'}`);
  });
  app.get('/metrics', async (_req, res) => {
    send(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
  });

  app.use((_req: Request, res: Response) => send(res, 404, TEXT, 'not found'));
  // Express 5 routes rejected promises here too; the caller gets no details, the log gets them all.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      next(err);
      return;
    }
    send(res, 500, TEXT, 'internal error');
  });
  return app;
}
