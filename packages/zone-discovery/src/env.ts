/**
 * Reading the environment the way the zip-lookup service and `zonal probe` both do: unset and blank
 * mean "default", every bad value is one problem line naming the variable.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** How to find the zone: a fixed value, or the EC2 instance metadata service. */
export interface DiscoveryOptions {
  readonly zone: string | undefined;
  readonly zoneId: string | undefined;
  readonly imdsEndpoint: string;
  readonly imdsTimeoutMs: number;
  readonly imdsDisabled: boolean;
}

export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/** Zone names and ids as AWS spells them (us-west-2a, usw2-az1, us-west-2-lax-1a), kept loose for other clouds. */
export const ZONE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Reads one optional variable: unset and blank both mean "use the default". */
export function readEnv(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function integerEnv(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = readEnv(env, name);
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

function zoneLike(env: Env, name: string, problems: string[]): string | undefined {
  const raw = readEnv(env, name);
  if (raw !== undefined && !ZONE_PATTERN.test(raw)) {
    problems.push(`${name} must look like an availability zone (letters, digits, ".", "_", "-"; at most 64), got "${raw}"`);
    return undefined;
  }
  return raw;
}

export function boolEnv(env: Env, name: string, problems: string[]): boolean {
  const raw = readEnv(env, name)?.toLowerCase();
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
  const endpoint = readEnv(env, 'IMDS_ENDPOINT') ?? DEFAULT_IMDS_ENDPOINT;
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
    imdsTimeoutMs: integerEnv(env, 'IMDS_TIMEOUT_MS', 500, 1, 10_000, problems),
    // The AWS SDKs' switch, so one variable turns metadata look-ups off for every client in a pod.
    imdsDisabled: boolEnv(env, 'AWS_EC2_METADATA_DISABLED', problems),
  };
}
