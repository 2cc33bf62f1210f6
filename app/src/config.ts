import { hostname } from 'node:os';
import {
  integerEnv, parseDiscoveryEnv, readEnv, type DiscoveryOptions, type Env,
} from '@zonal/zone-discovery';
import { isCaliforniaZip } from './zip.js';

// Zone discovery (ZONE, ZONE_ID, IMDS_*) lives in @zonal/zone-discovery, shared with zonal probe.
export { DEFAULT_IMDS_ENDPOINT, parseDiscoveryEnv, ZONE_PATTERN, type DiscoveryOptions } from '@zonal/zone-discovery';

/**
 * Everything the service reads from its environment, validated once at start-up so that a typo in
 * the chart fails the pod immediately (exit 1, one line per problem) instead of misbehaving later.
 */
export interface Config {
  readonly port: number;
  /** undefined: Node's default (all interfaces, IPv6 and IPv4 where available). */
  readonly host: string | undefined;
  readonly discovery: DiscoveryOptions;
  readonly pod: string;
  readonly node: string | null;
  readonly defaultZip: string;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly drainDelayMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly responseDelayMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };
export function loadConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const port = integerEnv(env, 'PORT', 8080, 0, 65_535, problems);
  const discovery = parseDiscoveryEnv(env, problems);

  const defaultZip = readEnv(env, 'DEFAULT_ZIP') ?? '94016';
  if (!isCaliforniaZip(defaultZip)) {
    problems.push(`DEFAULT_ZIP must be a 5-digit California ZIP code (90000-96199), got "${defaultZip}"`);
  }

  const level = (readEnv(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const shutdownGraceMs = integerEnv(env, 'SHUTDOWN_GRACE_MS', 25_000, 1, 600_000, problems);
  const drainDelayMs = integerEnv(env, 'DRAIN_DELAY_MS', 0, 0, 600_000, problems);
  if (drainDelayMs >= shutdownGraceMs) {
    problems.push(`DRAIN_DELAY_MS (${drainDelayMs}) must be smaller than SHUTDOWN_GRACE_MS (${shutdownGraceMs})`);
  }

  const config: Config = {
    port,
    host: readEnv(env, 'HOST'),
    discovery,
    pod: readEnv(env, 'POD_NAME') ?? hostname(),
    node: readEnv(env, 'NODE_NAME') ?? null,
    defaultZip,
    logLevel: level as LogLevel,
    shutdownGraceMs,
    drainDelayMs,
    // Longer than the idle timeout of the proxies in front (ALB 60 s), so the proxy, not Node,
    // closes idle connections and never reuses one Node has just closed (a source of 502/503s).
    keepAliveTimeoutMs: integerEnv(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000, 1, 3_600_000, problems),
    responseDelayMs: integerEnv(env, 'RESPONSE_DELAY_MS', 0, 0, 60_000, problems),
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
