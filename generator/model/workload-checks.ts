import type { ProblemCollector } from './problems.js';

interface RawService {
  name: string;
  workload?: string;
  replicas?: number;
  autoscaling?: { minReplicas?: number; maxReplicas?: number };
  ports?: Array<{ name: string; port: number }>;
  port: number;
  image?: unknown;
  selector?: Record<string, string>;
}

/** The workload keys of services[] that JSON Schema cannot check: counts against zones, port names. */
export function checkWorkloads(services: readonly RawService[], zoneCount: number, out: ProblemCollector): void {
  services.forEach((s, i) => {
    const at = `/services/${i}`;
    const min = s.autoscaling?.minReplicas;
    if (min !== undefined && min < zoneCount) {
      out.atValue(`${at}/autoscaling/minReplicas`, `minReplicas ${min} is below the ${zoneCount} zones: at the low point a zone has no replica and its callers cross zones`,
        `set minReplicas to at least ${zoneCount}`);
    }
    const max = s.autoscaling?.maxReplicas;
    if (max !== undefined && max < (min ?? zoneCount)) {
      out.atValue(`${at}/autoscaling/maxReplicas`, `maxReplicas ${max} is below minReplicas ${min ?? zoneCount}`, 'raise maxReplicas');
    }
    const names = new Set<string>();
    (s.ports ?? []).forEach((p, j) => {
      if (names.has(p.name) || p.name === 'app') {
        out.atValue(`${at}/ports/${j}/name`, `port name "${p.name}" is used twice (the main port is "app")`, 'give every port its own name');
      }
      if (p.port === s.port) out.atValue(`${at}/ports/${j}/port`, `port ${p.port} is the service's main port`, 'list only additional ports here');
      names.add(p.name);
    });
    if (s.workload !== 'external' && s.image === undefined) {
      out.atValue(at, `missing required key "image" in services[${i}]`, 'add image: {repository: ..., tag: ...}, or workload: external when another chart deploys this service');
    }
    if (s.workload === 'external' && s.image !== undefined) {
      out.atValue(`${at}/image`, 'a workload: external service has no image here: its own chart runs the pods', 'remove image (or drop workload: external)');
    }
  });
}
