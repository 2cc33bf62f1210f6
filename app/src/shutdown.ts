import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ServiceState } from './state.js';

export interface ShutdownDeps {
  readonly server: Server;
  readonly state: ServiceState;
  readonly logger: Logger;
  readonly graceMs: number;
  readonly drainDelayMs: number;
  readonly exit: (code: number) => void;
}

/**
 * Returns the signal handler. On the first signal: readiness fails at once, then (after the
 * optional drain delay, which lets load balancers notice) the listener closes, in-flight requests
 * finish and the process exits 0. Whatever is still open when the grace period ends is cut and the
 * process exits 1. A second signal exits immediately (Ctrl-C twice when running locally).
 */
export function createShutdown({ server, state, logger, graceMs, drainDelayMs, exit }: ShutdownDeps): (signal: string) => void {
  let started = false;
  // Requests in flight per connection. closeIdleConnections() only closes connections that have
  // carried a request; a socket that connected and never sent a byte (a load balancer's TCP
  // health check, a pre-opened pool socket) would keep server.close() waiting until the grace
  // period ends, so connections without a request in flight are closed here too.
  const inFlight = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      if (inFlight.has(socket)) inFlight.set(socket, Math.max(0, inFlight.get(socket)! - 1));
    });
  });
  const closeIdle = () => {
    server.closeIdleConnections();
    for (const [socket, n] of inFlight) if (n === 0) socket.destroy();
  };
  return (signal) => {
    if (started) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    started = true;
    state.draining = true;
    logger.info({ signal, graceMs, drainDelayMs }, 'shutting down: readiness fails from now on');

    let sweeper: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      clearInterval(sweeper);
      logger.warn('grace period over: cutting the connections still open');
      server.closeAllConnections();
      exit(1);
    }, graceMs);

    const stopAccepting = () => {
      server.close(() => {
        clearTimeout(deadline);
        clearInterval(sweeper);
        logger.info('stopped: every request finished');
        exit(0);
      });
      logger.info('no longer accepting connections');
      // Keep-alive sockets whose last response has just ended would otherwise stay open until
      // their idle timeout; closing the idle ones often ends the drain as soon as the work is done.
      closeIdle();
      sweeper = setInterval(closeIdle, 50);
    };
    if (drainDelayMs > 0) setTimeout(stopAccepting, drainDelayMs);
    else stopAccepting();
  };
}
