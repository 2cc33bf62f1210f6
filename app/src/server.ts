// The process entry point (node dist/server.js): configuration, start-up, signals, exit codes.
import { loadConfig } from './config.js';
import { createService, startService } from './service.js';
import { createShutdown } from './shutdown.js';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`zip-lookup: invalid configuration\n${loaded.problems.map((p) => `  - ${p}\n`).join('')}`);
  process.exit(1);
}
const { config } = loaded;
const service = createService(config);
const { logger } = service;

process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  process.exit(1);
});

const shutdown = createShutdown({
  server: service.server,
  state: service.state,
  logger,
  graceMs: config.shutdownGraceMs,
  drainDelayMs: config.drainDelayMs,
  exit: (code) => process.exit(code),
});
// Installed before listening: a pod can be terminated while it is still starting.
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

try {
  await startService(service);
} catch (err) {
  logger.fatal({ err, port: config.port }, 'cannot listen');
  process.exit(1);
}
