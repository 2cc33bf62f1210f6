/** Zone discovery shared by the zip-lookup service (app/) and `zonal probe` (generator/). */
export {
  boolEnv, DEFAULT_IMDS_ENDPOINT, integerEnv, parseDiscoveryEnv, readEnv, ZONE_PATTERN, type DiscoveryOptions, type Env,
} from './env.js';
export { imdsRequest, type ImdsRequest } from './imds.js';
export { discoverZone, UNKNOWN_ZONE, type ZoneInfo, type ZoneSource } from './zone.js';
