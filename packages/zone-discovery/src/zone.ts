import { ZONE_PATTERN, type DiscoveryOptions } from './env.js';
import { imdsRequest } from './imds.js';

export type ZoneSource = 'env' | 'imdsv2' | 'imdsv1' | 'none';

export interface ZoneInfo {
  readonly zone: string;
  /** The AZ id (usw2-az1): the same physical zone in every account, unlike the name. */
  readonly zoneId: string | null;
  readonly source: ZoneSource;
}

export const UNKNOWN_ZONE: ZoneInfo = Object.freeze({ zone: 'unknown', zoneId: null, source: 'none' });

const TOKEN_PATH = '/latest/api/token';
const ZONE_PATH = '/latest/meta-data/placement/availability-zone';
const ZONE_ID_PATH = '/latest/meta-data/placement/availability-zone-id';

/**
 * Finds the zone this process runs in: env ZONE, then IMDSv2 (token), then IMDSv1, then "unknown".
 * Never rejects, and every network step is bounded by `imdsTimeoutMs`, so the worst case (a
 * metadata endpoint that accepts connections and never answers) costs about three timeouts.
 */
export async function discoverZone(options: DiscoveryOptions): Promise<ZoneInfo> {
  if (options.zone) return { zone: options.zone, zoneId: options.zoneId ?? null, source: 'env' };
  if (options.imdsDisabled) return UNKNOWN_ZONE;

  const token = await imdsRequest({
    endpoint: options.imdsEndpoint,
    path: TOKEN_PATH,
    method: 'PUT',
    // Used once, right now: the shortest lifetime IMDS accepts would do; 60 s leaves slack.
    headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
    timeoutMs: options.imdsTimeoutMs,
  }).catch(() => undefined);
  if (token) {
    const v2 = await readPlacement(options, { 'X-aws-ec2-metadata-token': token });
    if (v2) return { ...v2, source: 'imdsv2' };
  }
  const v1 = await readPlacement(options, {});
  if (v1) return { ...v1, source: 'imdsv1' };
  return UNKNOWN_ZONE;
}

/** Zone name is required; the zone id is a bonus (older or non-AWS metadata services lack it). */
async function readPlacement(
  options: DiscoveryOptions,
  headers: Record<string, string>,
): Promise<{ zone: string; zoneId: string | null } | undefined> {
  const get = (path: string) =>
    imdsRequest({ endpoint: options.imdsEndpoint, path, headers, timeoutMs: options.imdsTimeoutMs })
      .then((body) => (ZONE_PATTERN.test(body) ? body : undefined))
      .catch(() => undefined);
  const [zone, zoneId] = await Promise.all([get(ZONE_PATH), get(ZONE_ID_PATH)]);
  return zone ? { zone, zoneId: zoneId ?? null } : undefined;
}
