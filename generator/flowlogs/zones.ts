/**
 * Where the analyzer's zones come from: the values model (`cluster.zones[]`: name, id = az-id,
 * cidrs) or a subnets file (subnets.ts). Both give the model's Zone[], which AnalyzeOptions takes.
 */
import type { TopologyRouting, Zone } from '../model/types.js';

export { parseSubnetsFile } from './subnets.js';
export { ZoneIndex } from './zone-index.js';

/** The zones the analyzer attributes traffic to, exactly as the values file declares them. */
export function zonesFromValues(model: TopologyRouting): readonly Zone[] {
  return model.cluster.zones;
}
