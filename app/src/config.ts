import { hostname } from 'node:os';
import { isCaliforniaZip } from './zip.js';

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

/** How to find the zone: a fixed value, or the EC2 instance metadata service. */
export interface DiscoveryOptions {
  readonly zone: string | undefined;
  readonly zoneId: string | undefined;
  readonly imdsEndpoint: string;
  readonly imdsTimeoutMs: number;
  readonly imdsDisabled: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/** Zone names and ids as AWS spells them (us-west-2a, usw2-az1, us-west-2-lax-1a), kept loose for other clouds. */
export const ZONE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };
type Env = Readonly<Record<string, string | undefined>>;

/** Reads one optional variable: unset and blank both mean "use the default". */
function read(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

function zoneLike(env: Env, name: string, problems: string[]): string | undefined {
  const raw = read(env, name);
  if (raw !== undefined && !ZONE_PATTERN.test(raw)) {
    problems.push(`${name} must look like an availability zone (letters, digits, ".", "_", "-"; at most 64), got "${raw}"`);
    return undefined;
  }
  return raw;
}

function bool(env: Env, name: string, problems: string[]): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  problems.push(`${name} must be true or false, got "${env[name]}"`);
  return false;
}

/**
 * The zone-discovery part of the configuration on its own: the probe discovers its caller zone
 * from the same variables as the service, so both agree on what "the zone" of a pod is.
 */
export function parseDiscoveryEnv(env: Env, problems: string[]): DiscoveryOptions {
  const endpoint = read(env, 'IMDS_ENDPOINT') ?? DEFAULT_IMDS_ENDPOINT;
  let imdsEndpoint = endpoint;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:') throw new Error('not http');
    imdsEndpoint = url.origin;
  } catch {
    problems.push(`IMDS_ENDPOINT must be an http:// URL such as ${DEFAULT_IMDS_ENDPOINT}, got "${endpoint}"`);
  }
  return {
    zone: zoneLike(env, 'ZONE', problems),
    zoneId: zoneLike(env, 'ZONE_ID', problems),
    imdsEndpoint,
    imdsTimeoutMs: integer(env, 'IMDS_TIMEOUT_MS', 500, 1, 10_000, problems),
    // The AWS SDKs' switch, so one variable turns metadata look-ups off for every client in a pod.
    imdsDisabled: bool(env, 'AWS_EC2_METADATA_DISABLED', problems),
  };
}

export function loadConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const port = integer(env, 'PORT', 8080, 0, 65_535, problems);
  const discovery = parseDiscoveryEnv(env, problems);

  const defaultZip = read(env, 'DEFAULT_ZIP') ?? '94016';
  if (!isCaliforniaZip(defaultZip)) {
    problems.push(`DEFAULT_ZIP must be a 5-digit California ZIP code (90000-96199), got "${defaultZip}"`);
  }

  const level = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const shutdownGraceMs = integer(env, 'SHUTDOWN_GRACE_MS', 25_000, 1, 600_000, problems);
  const drainDelayMs = integer(env, 'DRAIN_DELAY_MS', 0, 0, 600_000, problems);
  if (drainDelayMs >= shutdownGraceMs) {
    problems.push(`DRAIN_DELAY_MS (${drainDelayMs}) must be smaller than SHUTDOWN_GRACE_MS (${shutdownGraceMs})`);
  }

  const config: Config = {
    port,
    host: read(env, 'HOST'),
    discovery,
    pod: read(env, 'POD_NAME') ?? hostname(),
    node: read(env, 'NODE_NAME') ?? null,
    defaultZip,
    logLevel: level as LogLevel,
    shutdownGraceMs,
    drainDelayMs,
    // Longer than the idle timeout of the proxies in front (ALB 60 s), so the proxy, not Node,
    // closes idle connections and never reuses one Node has just closed (a source of 502/503s).
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000, 1, 3_600_000, problems),
    responseDelayMs: integer(env, 'RESPONSE_DELAY_MS', 0, 0, 60_000, problems),
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
