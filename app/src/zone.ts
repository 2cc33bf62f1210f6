// How the service finds its zone is shared with `zonal probe`: one implementation, in the
// @zonal/zone-discovery workspace package (packages/zone-discovery).
export { discoverZone, UNKNOWN_ZONE, type ZoneInfo, type ZoneSource } from '@zonal/zone-discovery';
