import type { Server } from 'node:http';
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
      sweeper = setInterval(() => server.closeIdleConnections(), 50);
    };
    if (drainDelayMs > 0) setTimeout(stopAccepting, drainDelayMs);
    else stopAccepting();
  };
}
