import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { ServiceState } from './state.js';
import { discoverZone, type ZoneInfo } from './zone.js';
import { applyClientRack, wantsNodeZoneId } from './kafka-rack.js';

/** The assembled service, not yet listening: what server.ts runs and tests start in-process. */
export interface Service {
  readonly config: Config;
  readonly state: ServiceState;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly server: Server;
}

export function createService(config: Config, logDestination?: DestinationStream): Service {
  const state = new ServiceState();
  const logger = createLogger(config.logLevel, config.pod, state, logDestination);
  const metrics = createMetrics(state.zone);
  const server = createServer(createApp({ config, state, metrics, logger }));
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Node requires headersTimeout > keepAliveTimeout, or idle sockets are cut by the wrong timer.
  server.headersTimeout = config.keepAliveTimeoutMs + 1000;
  return { config, state, logger, metrics, server };
}

/**
 * Listens first and discovers the zone afterwards, in the background: requests are answered from
 * the first moment (zone "unknown" until discovery ends), readiness waits for discovery to settle.
 */
export async function startService(service: Service): Promise<{ port: number; discovery: Promise<ZoneInfo> }> {
  const { config, server, state, logger, metrics } = service;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.host ?? null }, 'listening');

  const discovery = discoverZone(config.discovery).then((info) => {
    state.zone = info;
    state.zoneSettled = true;
    metrics.setZone(info);
    logger.info({ zoneId: info.zoneId, source: info.source }, 'zone discovered');
    return info;
  }).then(async (info) => {
    // ZONE from the pod's topology label names the zone but not its AZ id: ask the metadata service.
    const id = wantsNodeZoneId(process.env) && !info.zoneId
      ? (await discoverZone({ ...config.discovery, zone: undefined })).zoneId
      : info.zoneId;
    const rack = applyClientRack(process.env, id);
    if (rack !== undefined) logger.info({ kafkaClientRack: rack }, 'Kafka client.rack set');
    return info;
  });
  return { port, discovery };
}
