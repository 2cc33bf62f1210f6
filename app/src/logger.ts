import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import type { ServiceState } from './state.js';

/**
 * JSON lines on stdout with a readable level and ISO time, each tagged with the pod and the zone it
 * ran in, so logs from all zones can be told apart once shipped. pino writes synchronously, which
 * is fine because only start-up, shutdown, errors and (at debug) requests are logged.
 */
export function createLogger(level: LogLevel, pod: string, state: ServiceState, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'zip-lookup', pod },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => ({ zone: state.zone.zone }),
  };
  return destination ? pino(options, destination) : pino(options);
}
