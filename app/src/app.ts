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
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

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
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept');
    const zip = resolveZip(req.query.zip, config.defaultZip);
    if (!zip.ok) {
      res.status(zip.status);
      if (json) res.json({ error: zip.message });
      else res.setHeader('Content-Type', TEXT).send(zip.message);
      return;
    }
    const send = () => {
      // Read at send time: an answer delayed across the end of discovery names the zone found.
      const { zone, zoneId } = state.zone;
      if (state.draining) res.setHeader('Connection', 'close');
      if (json) res.json({ zip: zip.zip, zone, zoneId, pod: config.pod, node: config.node });
      else res.setHeader('Content-Type', TEXT).send(`${STATE} - ${zip.zip} az - ${zone}`);
    };
    if (config.responseDelayMs > 0) setTimeout(send, config.responseDelayMs);
    else send();
  };
  app.get('/', answer);
  app.get('/zip', answer);

  app.get('/healthz', (_req, res) => {
    res.setHeader('Content-Type', TEXT).send('ok');
  });
  app.get('/readyz', (_req, res) => {
    if (state.ready) {
      res.setHeader('Content-Type', TEXT).send('ready');
      return;
    }
    const reason = state.draining ? 'draining' : 'zone discovery in progress';
    res.status(503).setHeader('Content-Type', TEXT).send(`not ready: ${reason}`);
  });
  app.get('/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType).send(body);
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).setHeader('Content-Type', TEXT).send('not found');
  });
  // Express 5 routes rejected promises here too; the caller gets no details, the log gets them all.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(500).setHeader('Content-Type', TEXT).send('internal error');
  });
  return app;
}
