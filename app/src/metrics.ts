import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ZoneInfo } from './zone.js';

export interface Metrics {
  readonly registry: Registry;
  /** Records one finished request; `route` must come from a fixed set (cardinality). */
  observe(route: string, method: string, status: number, seconds: number): void;
  /** Labels every series with the discovered zone, so dashboards can split traffic per zone. */
  setZone(info: ZoneInfo): void;
}

// Fine resolution below 10 ms: answers take well under a millisecond, the interesting tail is small.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Bound = { inc: () => void; observe: (v: number) => void };

export function createMetrics(zone: ZoneInfo): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to the end of the response, by route, method and status',
    labelNames,
    buckets: BUCKETS,
    registers: [registry],
  });
  const zoneInfo = new Gauge({
    name: 'zip_lookup_zone_info',
    help: 'The zone this pod answers for (always 1); source is env, imdsv2, imdsv1 or none',
    labelNames: ['zone', 'zone_id', 'source'] as const,
    registers: [registry],
  });

  // prom-client hashes the label object on every call; binding each combination once keeps the
  // per-request cost to a Map lookup (the combinations are few: routes x methods x statuses).
  const bound = new Map<string, Bound>();
  const child = (route: string, method: string, status: number): Bound => {
    const key = `${route}\u0000${method}\u0000${status}`;
    let b = bound.get(key);
    if (!b) {
      const labels = { route, method, status: String(status) };
      const c = requests.labels(labels);
      const h = duration.labels(labels);
      b = { inc: () => c.inc(), observe: (v) => h.observe(v) };
      bound.set(key, b);
    }
    return b;
  };

  const setZone = (info: ZoneInfo) => {
    registry.setDefaultLabels({ zone: info.zone });
    zoneInfo.reset();
    zoneInfo.set({ zone: info.zone, zone_id: info.zoneId ?? '', source: info.source }, 1);
  };
  setZone(zone);

  return {
    registry,
    observe(route, method, status, seconds) {
      const b = child(route, method, status);
      b.inc();
      b.observe(seconds);
    },
    setZone,
  };
}
