import type { TopologyRouting } from '../model/types.js';
import type { ValueSource } from './value-source.js';

/** What every render function needs: the model, the value mode and the chart version for labels. */
export interface RenderContext {
  readonly model: TopologyRouting;
  readonly v: ValueSource;
  readonly chartVersion: string;
}

/** Go-template variables each template file defines in its preamble (see chart/templates.ts). */
export const TPL = {
  /** This service's or external host's values (`index .Values.services "<name>"`). */
  item: '$item',
  /** Effective locality routing switch: global AND per item. */
  locality: '$locality',
} as const;

export function clusterLocalHost(serviceName: string, namespace: string): string {
  return `${serviceName}.${namespace}.svc.cluster.local`;
}
