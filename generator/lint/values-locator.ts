import type { TopologyRouting } from '../model/types.js';
import type { PositionedDocument } from '../yaml/source-map.js';
import type { Finding } from './types.js';
import { brokerEntryName } from '../model/external-hosts.js';

/** A finding about a rendered object, with the JSON pointer (inside that object) it is about. */
export interface RenderedFinding {
  readonly finding: Finding;
  readonly pointer: string;
}

/** Values keys that produce the object fields a pointer names, most specific first. */
function valuesKeys(entry: string, pointer: string): string[] {
  const out: string[] = [];
  if (pointer.includes('/outlierDetection/maxEjectionPercent')) out.push(`${entry}/outlierDetection/maxEjectionPercent`);
  if (pointer.includes('/outlierDetection')) out.push(`${entry}/outlierDetection`);
  if (pointer.includes('/localityLbSetting') || pointer.includes('/loadBalancer')) out.push(`${entry}/routing`);
  const endpointPort = /^\/spec\/endpoints\/(\d+)\/ports/.exec(pointer);
  if (endpointPort) out.push(`${entry}/endpoints/${endpointPort[1]}/port`, `${entry}/targetPort`);
  if (pointer.endsWith('/targetPort')) out.push(`${entry}/targetPort`);
  const endpoint = /^\/spec\/endpoints\/(\d+)/.exec(pointer);
  if (endpoint) out.push(`${entry}/endpoints/${endpoint[1]}`);
  if (pointer.startsWith('/spec/ports')) out.push(`${entry}/port`);
  if (pointer.startsWith('/spec/replicas')) out.push(`${entry}/replicas`);
  return out;
}

/**
 * Places findings about rendered objects at the values-file entry that produced them: the service
 * or external host (matched by object name or Service name), the namespace entry, else line 1.
 * When the values file spells out the detail (e.g. `outlierDetection`), the finding points there.
 */
export function locateInValues(
  findings: readonly RenderedFinding[], model: TopologyRouting, file: string, doc: PositionedDocument | undefined,
): Finding[] {
  const entryOf = (f: Finding): string | undefined => {
    if (f.kind === 'Namespace') {
      const i = model.namespaces.findIndex((n) => n.name === f.name);
      return i >= 0 ? `/namespaces/${i}` : undefined;
    }
    const s = model.services.findIndex((x) => x.namespace === f.namespace && (x.name === f.name || x.serviceName === f.name));
    if (s >= 0) return `/services/${s}`;
    const h = model.externalHosts.findIndex((x) => x.namespace === f.namespace && x.name === f.name);
    if (h >= 0) return `/externalHosts/${h}`;
    // A broker's own ServiceEntry comes from one endpoint of its MSK host.
    for (const [i, x] of model.externalHosts.entries()) {
      if (!x.kafka || x.namespace !== f.namespace) continue;
      const j = x.endpoints.findIndex((ep) => brokerEntryName(x.name, ep.address) === f.name);
      if (j >= 0) return `/externalHosts/${i}/endpoints/${j}`;
    }
    return undefined;
  };
  return findings.map(({ finding, pointer }) => {
    const entry = entryOf(finding);
    let line = 1;
    if (doc && entry !== undefined) {
      const detail = valuesKeys(entry, pointer).map((p) => doc.keyAt(p)).find((pos) => pos !== undefined);
      line = (detail ?? doc.valueAt(entry) ?? doc.nearest(entry)).line;
    }
    return { ...finding, file, line };
  });
}
