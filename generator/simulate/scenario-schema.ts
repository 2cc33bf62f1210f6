/**
 * JSON Schema of the scenario file (`zonal simulate --scenario FILE`): its shape, types and ranges,
 * checked by ajv (model/schema-check.ts) with `file:line:col` errors like the values file.
 * Cross-field rules (notReady <= total, healthy + degraded <= ready, one traffic entry per pair) and
 * names (zones, destinations) are checked in scenario.ts, against the simulated objects.
 *
 * To add a field: add it under `properties` of the right node below (with its range), a fix hint
 * to `scenarioFixHints` when the generic one is not enough, the type and `@default` to the
 * interfaces in scenario.ts, and apply the default in parseScenario.
 */

/** Upper bounds keep sums of many entries finite (no overflow to Infinity in the cost model). */
const MAX_GB_PER_MONTH = 1e12;
const MAX_ENDPOINTS = 1_000_000;

const gbPerMonth = { type: 'number', minimum: 0, maximum: MAX_GB_PER_MONTH } as const;
const endpointCount = { type: 'integer', minimum: 0, maximum: MAX_ENDPOINTS } as const;
const name = { type: 'string', minLength: 1 } as const;

/** One destination's endpoints in one zone. */
const zoneEndpoints = {
  type: 'object',
  additionalProperties: false,
  required: ['total'],
  properties: {
    total: endpointCount,
    healthy: endpointCount,
    notReady: endpointCount,
    degraded: endpointCount,
  },
} as const;

const trafficEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'gbPerMonth'],
  properties: {
    from: name,
    to: name,
    gbPerMonth,
  },
} as const;

export const scenarioSchema = {
  $id: 'https://zonal.dev/schemas/scenario-v1.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    /** destination -> zone -> endpoints */
    endpoints: { type: ['object', 'null'], additionalProperties: { type: 'object', additionalProperties: zoneEndpoints } },
    traffic: { type: ['array', 'null'], items: trafficEntry },
    defaultGbPerMonth: gbPerMonth,
    dataplane: { enum: ['sidecar', 'kube-proxy'] },
    /** destination -> zone -> ready caller pods (zone-aware routing's local cluster) */
    callers: { type: ['object', 'null'], additionalProperties: { type: 'object', additionalProperties: endpointCount } },
    /** share of an Aurora cluster's traffic that is reads (the rest goes to the writer) */
    readFraction: { type: 'number', minimum: 0, maximum: 1 },
    /** share of Kafka traffic that is produce (the rest is consume) */
    produceFraction: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

/** Fix texts by JSON pointer (`*` = any destination, zone or list index). */
export const scenarioFixHints: Readonly<Record<string, string>> = {
  '/endpoints': 'write endpoints: { <destination>: { <zone>: { total: N, healthy: N } } }',
  '/endpoints/*': 'write { <zone>: { total: N, healthy: N } }',
  '/endpoints/*/*': 'write { total: N, healthy: N, notReady: N }',
  '/endpoints/*/*/total': 'add total: <endpoints in this zone>',
  '/traffic': 'write traffic: [ { from: <zone>, to: <destination>, gbPerMonth: N } ]',
  '/traffic/*': 'write { from: <zone>, to: <destination>, gbPerMonth: N }',
  '/traffic/*/from': 'add from: <zone>',
  '/traffic/*/to': 'add to: <destination>',
  '/traffic/*/gbPerMonth': 'give the monthly volume in GB',
  '/defaultGbPerMonth': 'give the monthly volume in GB per zone and destination',
  '/callers': 'write callers: { <destination>: { <zone>: <ready caller pods> } }',
  '/callers/*': 'write { <zone>: <ready caller pods> }',
  '/callers/*/*': 'give the number of ready pods of the calling workload in this zone',
  '/dataplane': 'sidecar: Istio sidecars; kube-proxy: no mesh',
  '/readFraction': 'a share between 0 and 1 of the database traffic that is reads, e.g. 0.8',
  '/produceFraction': 'a share between 0 and 1 of the Kafka traffic that is produce, e.g. 0.5',
};
