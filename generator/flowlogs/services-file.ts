/** The `--services FILE` of the flow-log analyzer: pod/IP -> service names for the top talkers. */
import { InputError } from '../errors.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { pointerSegment } from '../yaml/source-map.js';
import { parseMappingDocument } from '../model/input-file.js';
import { parseCidr } from './addresses.js';
import { serviceMapOf, type ServiceMap } from './services.js';

/** The name a pod is known by: its app label, else its own name. */
function serviceNameOfPod(pod: Record<string, any>): string | undefined {
  const labels = pod?.metadata?.labels ?? {};
  const name = labels['app.kubernetes.io/name'] ?? labels.app ?? labels['k8s-app'] ?? pod?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Parses a services file (YAML or JSON) in either shape:
 * - `services: { <ip or cidr>: <service> }`;
 * - `kubectl get pods -A -o json` output: each pod's IPs map to its `app.kubernetes.io/name`
 *   (or `app`, `k8s-app`, or the pod name); host-network pods are left out (their IP is the node's).
 */
export function parseServicesFile(text: string, file: string): ServiceMap {
  const doc = parseMappingDocument(text, file, 'services: {<ip or cidr>: <name>}, or kubectl get pods -o json output')!;
  const value = doc.value as Record<string, any>;
  const out = new ProblemCollector(file, doc);
  const entries: Record<string, string> = {};
  if (Array.isArray(value.items)) {
    value.items.forEach((pod: Record<string, any>, i: number) => {
      if (pod?.spec?.hostNetwork === true) return;
      const name = serviceNameOfPod(pod);
      const ips: unknown[] = Array.isArray(pod?.status?.podIPs) ? pod.status.podIPs.map((p: { ip?: unknown }) => p?.ip) : [pod?.status?.podIP];
      for (const ip of ips) {
        if (typeof ip !== 'string' || !name) continue;
        if (!parseCidr(ip)) out.atValue(`/items/${i}/status`, `pod IP "${ip}" is not an address`, 'pass kubectl get pods -o json output unchanged');
        else entries[ip] = name;
      }
    });
  } else if (value.services !== null && typeof value.services === 'object' && !Array.isArray(value.services)) {
    for (const [address, name] of Object.entries(value.services as Record<string, unknown>)) {
      const pointer = `/services/${pointerSegment(address)}`;
      if (!parseCidr(address)) out.atKey(pointer, `"${address}" is not an IP address or CIDR`, 'write e.g. 192.168.100.12 or 192.168.100.0/24');
      else if (typeof name !== 'string' || name === '') out.atValue(pointer, `service of ${address} must be a name`, 'write e.g. zip-lookup-service');
      else entries[address] = name;
    }
  } else {
    out.atValue('', 'no services found', 'write services: {<ip or cidr>: <name>} or save kubectl get pods -A -o json');
  }
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  return serviceMapOf(entries);
}
