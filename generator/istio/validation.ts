/**
 * Validation as Istio's admission webhook (pkg/config/validation) and the networking CRD schema
 * (CEL rules, known fields per version) apply it to DestinationRule, ServiceEntry and WorkloadEntry,
 * for the fields zonal reads: host, exportTo, workloadSelector, subsets, trafficPolicy shape,
 * portLevelSettings, loadBalancer (localityLbSetting, zoneAwareLbSetting, consistentHash, warmup),
 * outlierDetection and connectionPool durations/ranges, ServiceEntry hosts, addresses, ports,
 * endpoints per resolution and locations. Errors are what Istio rejects; warnings are what its
 * webhook accepts with a warning. Pure: object in, issues out.
 */
import type { KubeObject } from '../k8s/manifest.js';
import { behaviourOf, DEFAULT_ISTIO_VERSION, type IstioBehaviour } from './versions.js';
import { LOCALITY_LABELS } from '../well-known.js';
import { ipFamily } from './ip.js';
import { isKnownProtocol } from './protocols.js';

/** One rule family of Istio's validation; lint gives each its own code. */
export type IstioRuleFamily =
  | 'metadata' | 'schema' | 'host' | 'export-to' | 'workload-selector' | 'subsets' | 'traffic-policy'
  | 'outlier-detection' | 'connection-pool' | 'load-balancer' | 'locality-lb' | 'zone-aware-lb'
  | 'se-hosts' | 'se-addresses' | 'se-ports' | 'se-resolution' | 'se-endpoints' | 'workload-entry';

export interface IstioIssue {
  readonly level: 'error' | 'warning';
  readonly family: IstioRuleFamily;
  /** JSON pointer inside the object. */
  readonly pointer: string;
  /** What Istio objects to, in zonal's words. */
  readonly message: string;
}

type Json = Record<string, unknown>;

function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function segment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

class Sink {
  readonly issues: IstioIssue[] = [];
  /** Istio collects port-level and subset policies with AppendErrors, which drops their warnings. */
  errorsOnly(): Sink {
    const parent = this.issues;
    const s = new Sink();
    (s as { issues: IstioIssue[] }).issues = parent;
    s.warn = () => undefined;
    return s;
  }
  error(family: IstioRuleFamily, pointer: string, message: string): void {
    this.issues.push({ level: 'error', family, pointer, message });
  }
  warn(family: IstioRuleFamily, pointer: string, message: string): void {
    this.issues.push({ level: 'warning', family, pointer, message });
  }
}

// ---------------------------------------------------------------- names, labels, addresses

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY = new RegExp(`^((?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?))*/)?(${QUALIFIED_NAME})$`);
const LABEL_VALUE = new RegExp(`^(${QUALIFIED_NAME})?$`);

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** ValidateDNS1123Labels: every label valid (a trailing dot allowed), top-level label not all digits. */
function dnsLabelsProblem(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1]!;
  if (/^[+-]?\d+$/.test(tld)) return `top-level label "${tld}" is all digits`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDns1123Label(parts[i]!)) return `label "${parts[i]}" is not a DNS-1123 label`;
  }
  return undefined;
}

function preconditions(name: string): string | undefined {
  if (name.length > 255) return 'is longer than 255 characters';
  if (name.length === 0) return 'is empty';
  return undefined;
}

/** ValidateFQDN. */
export function fqdnProblem(name: string): string | undefined {
  return preconditions(name) ?? dnsLabelsProblem(name);
}

/** ValidateWildcardDomain: a wildcard is allowed only as (the start of) the first label. */
export function wildcardDomainProblem(name: string): string | undefined {
  const pre = preconditions(name);
  if (pre) return pre;
  const dot = name.indexOf('.');
  const first = dot < 0 ? name : name.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first)) return `label "${first}" is not a DNS-1123 label (a wildcard may only lead the first label)`;
  return dot < 0 ? undefined : dnsLabelsProblem(name.slice(dot + 1));
}

function labelKeyProblem(k: string): string | undefined {
  const m = LABEL_KEY.exec(k);
  if (!m) return `invalid label key "${k}"`;
  if (m[1] && m[1].length - 1 > 253) return `label key "${k}" has a DNS prefix longer than 253`;
  if (m[2]!.length > 63) return `label key "${k}" has a name longer than 63`;
  return undefined;
}

/** labels.Instance.Validate. */
function labelsProblems(labels: Json | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    const kp = labelKeyProblem(k);
    if (kp) out.push(kp);
    if (!LABEL_VALUE.test(String(v))) out.push(`invalid label value "${String(v)}" for "${k}"`);
  }
  return out;
}

/** ValidateIPSubnet: CIDR (exactly one "/") or a plain IP. */
function ipSubnetProblem(s: string): string | undefined {
  const slashes = s.split('/').length - 1;
  if (slashes === 1) {
    const [ip, bits] = s.split('/') as [string, string];
    const family = ipFamily(ip);
    const max = family === 4 ? 32 : family === 6 ? 128 : -1;
    if (max < 0 || !/^\d+$/.test(bits) || Number(bits) > max) return `${s} is not a valid CIDR block`;
    return undefined;
  }
  return ipFamily(s) !== 0 ? undefined : `${s} is not a valid IP address`;
}

function portProblem(v: unknown): string | undefined {
  const n = typeof v === 'number' ? v : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `port number ${String(v)} is outside 1..65535`;
}

// ---------------------------------------------------------------- durations and numbers

// Micro is written as Go accepts it: "us", U+00B5 (micro sign) or U+03BC (Greek mu); escaped, so
// that the bundled program stays ASCII (scripts/tools/bundle-cli.mjs).
const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, '\u00b5s': 1e3, '\u03bcs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go / protobuf-JSON duration ("10s", "1m30s", "0.5s") in nanoseconds, or undefined when it does not parse. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === 0 ? undefined : sign * Math.round(total);
}

/** agent.ValidateDuration (and the CRD's `duration(self) >= duration('1ms')` rule). */
function checkDuration(sink: Sink, family: IstioRuleFamily, pointer: string, v: unknown): void {
  if (v === undefined) return;
  const ns = parseDuration(v);
  if (ns === undefined) sink.error(family, pointer, `"${String(v)}" is not a duration (write e.g. 10s, 500ms, 1m)`);
  else if (ns < 1e6) sink.error(family, pointer, `duration ${String(v)} must be at least 1ms`);
  else if (ns % 1e6 !== 0) sink.error(family, pointer, `duration ${String(v)} is finer than milliseconds, which Istio does not support`);
}

function intValue(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function checkPercent(sink: Sink, family: IstioRuleFamily, pointer: string, v: unknown): void {
  if (v === undefined) return;
  const n = intValue(v);
  if (n === undefined) sink.error('schema', pointer, `${String(v)} is not an integer`);
  else if (n < 0 || n > 100) sink.error(family, pointer, `percentage ${n} is outside 0..100`);
}

// ---------------------------------------------------------------- exportTo and selectors

/** validateExportTo. */
function checkExportTo(sink: Sink, pointer: string, namespace: string, exportTo: unknown, isServiceEntry: boolean, withSelector: boolean): void {
  const entries = list(exportTo).map(String);
  if (entries.length === 0) return;
  const seen = new Set<string>();
  for (const e of entries) {
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) {
      sink.error('export-to', pointer, key !== e ? `exportTo lists both "." and the own namespace ${namespace}` : `exportTo lists "${e}" twice`);
      continue;
    }
    if (isServiceEntry && e === '~') {
      seen.add(key);
      continue;
    }
    if (key === '~') sink.error('export-to', pointer, 'exportTo "~" (no one) is allowed only on ServiceEntries');
    else if (key !== '*' && key !== '.' && !isDns1123Label(key)) sink.error('export-to', pointer, `exportTo "${e}" is not ".", "*" or a namespace name`);
    else seen.add(key);
  }
  if (withSelector && seen.size > 0) {
    if (seen.has(namespace)) {
      if (seen.size > 1) sink.error('export-to', pointer, 'a DestinationRule with a workloadSelector may list only its own namespace in exportTo');
    } else {
      sink.error('export-to', pointer, 'a DestinationRule with a workloadSelector cannot be exported beyond its own namespace');
    }
  }
  if (seen.has('*') && entries.length > 1) sink.error('export-to', pointer, 'exportTo mixes "*" with other entries (use "*" alone)');
  if (seen.has('~') && entries.length > 1) sink.error('export-to', pointer, 'exportTo mixes "~" (no one) with other entries');
}

function checkSelectorLabels(sink: Sink, pointer: string, labels: Json | undefined): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k === '') sink.error('workload-selector', pointer, 'workloadSelector has an empty label key');
    if (k.includes('*') || String(v).includes('*')) sink.error('workload-selector', `${pointer}/${segment(k)}`, `workloadSelector label ${k}=${String(v)} contains a wildcard`);
  }
}

// ---------------------------------------------------------------- traffic policy

const TOPOLOGY = LOCALITY_LABELS;

/** Why Istio rejects one locality pattern (`*` at most once and only at the end, no empty segment), or undefined. */
export function localityProblem(locality: string): string | undefined {
  return localitiesProblem([locality]);
}

/** validateLocalities: `*` at most once and only at the end; no empty segment; no overlap with earlier ones. */
function localitiesProblem(localities: readonly string[]): string | undefined {
  const tree = new Map<string, Map<string, Set<string>>>();
  for (const loc of localities) {
    const stars = loc.split('*').length - 1;
    if (stars > 0 && (stars > 1 || !loc.endsWith('*'))) return `locality "${loc}" may contain one '*', only at the end`;
    if (tree.has('*')) return `locality "${loc}" overlaps an earlier one`;
    const items = loc.split('/');
    const parts = [items[0]!, items[1], items.length > 2 ? items.slice(2).join('/') : undefined];
    const depth = Math.min(items.length, 3) - 1;
    if (parts.slice(0, depth + 1).some((p) => p === '')) return `locality "${loc}" has an empty region, zone or subzone`;
    const [region, zone, subzone] = parts as [string, string, string];
    const r = tree.get(region);
    if (depth === 0) {
      if (r) return `locality "${loc}" overlaps an earlier one`;
      tree.set(region, new Map([['*', new Set(['*'])]]));
    } else if (depth === 1) {
      if (r) {
        if (r.has('*') || r.has(zone)) return `locality "${loc}" overlaps an earlier one`;
        r.set(zone, new Set(['*']));
      } else tree.set(region, new Map([[zone, new Set(['*'])]]));
    } else if (r) {
      if (r.has('*')) return `locality "${loc}" overlaps an earlier one`;
      const z = r.get(zone);
      if (z) {
        if (z.has('*') || z.has(subzone)) return `locality "${loc}" overlaps an earlier one`;
        z.add(subzone);
      } else r.set(zone, new Set([subzone]));
    } else tree.set(region, new Map([[zone, new Set([subzone])]]));
  }
  return undefined;
}

/** agent.ValidateLocalityLbSetting. */
function checkLocalityLb(sink: Sink, p: string, lb: Json, hasOutlier: boolean): void {
  const distribute = list(lb.distribute);
  const failover = list(lb.failover);
  const failoverPriority = list(lb.failoverPriority).map(String);
  if (distribute.length > 0 && failover.length > 0) {
    sink.error('locality-lb', `${p}/failover`, "sets both distribute and failover, which Istio does not allow together");
    return;
  }
  if (failover.length > 0 && failoverPriority.length > 0) {
    const i = failoverPriority.findIndex((l) => TOPOLOGY.has(l));
    if (i >= 0) {
      sink.error('locality-lb', `${p}/failoverPriority/${i}`, `sets failover and the topology label ${failoverPriority[i]} in failoverPriority, which Istio does not allow together`);
      return;
    }
  }
  const sources: string[] = [];
  for (let i = 0; i < distribute.length; i++) {
    const d = rec(distribute[i]) ?? {};
    sources.push(typeof d.from === 'string' ? d.from : '');
    const to = rec(d.to) ?? {};
    let total = 0;
    for (const [loc, w] of Object.entries(to)) {
      const n = intValue(w);
      if (n === undefined || n <= 0 || n > 100) {
        sink.error('locality-lb', `${p}/distribute/${i}/to/${segment(loc)}`, `distribute weight ${String(w)} for "${loc}" is outside 1..100`);
        return;
      }
      total += n;
    }
    if (total !== 100) {
      sink.error('locality-lb', `${p}/distribute/${i}/to`, `distribute weights sum to ${total}, not 100`);
      return;
    }
    // `to` is a map, which istiod walks in random order: an overlap that one order reveals is a
    // rejection Istio gives some of the time, so it counts as one.
    const keys = Object.keys(to);
    const bad = localitiesProblem(keys) ?? localitiesProblem([...keys].reverse())
      ?? keys.flatMap((x, xi) => keys.slice(xi + 1).map((y) => localitiesProblem([x, y]) ?? localitiesProblem([y, x]))).find((m) => m !== undefined);
    if (bad) sink.error('locality-lb', `${p}/distribute/${i}/to`, bad);
  }
  const badFrom = localitiesProblem(sources);
  if (badFrom) sink.error('locality-lb', `${p}/distribute`, badFrom);
  if ((failover.length > 0 || failoverPriority.length > 0) && !hasOutlier) {
    sink.warn('locality-lb', p, 'failover / failoverPriority without outlierDetection: Istio warns that failover needs an outlier detection policy');
  }
  failover.forEach((f, i) => {
    const from = String(rec(f)?.from ?? '');
    const to = String(rec(f)?.to ?? '');
    if (from === to) sink.error('locality-lb', `${p}/failover/${i}`, `failover from and to are both "${from}" (they must name different regions)`);
    if (from.includes('/') || to.includes('/')) sink.error('locality-lb', `${p}/failover/${i}`, 'failover names regions only (no "/")');
    if (from.includes('*') || to.includes('*')) sink.error('locality-lb', `${p}/failover/${i}`, "failover regions may not contain '*'");
  });
}

/** agent.ValidateZoneAwareLbSetting. */
function checkZoneAwareLb(sink: Sink, p: string, lb: Json, hasOutlier: boolean): void {
  const failover = list(lb.failover);
  const failoverPriority = list(lb.failoverPriority).map(String);
  failoverPriority.forEach((l, i) => {
    if (TOPOLOGY.has(l)) sink.error('zone-aware-lb', `${p}/failoverPriority/${i}`, `failoverPriority of zoneAwareLbSetting may not use the topology label ${l} (region and zone order is automatic)`);
  });
  if ((failover.length > 0 || failoverPriority.length > 0) && !hasOutlier) {
    sink.warn('zone-aware-lb', p, 'failover / failoverPriority without outlierDetection: Istio warns that failover needs an outlier detection policy');
  }
  failover.forEach((f, i) => {
    const from = String(rec(f)?.from ?? '');
    const to = String(rec(f)?.to ?? '');
    if (from === to) sink.error('zone-aware-lb', `${p}/failover/${i}`, `failover from and to are both "${from}" (they must name different regions)`);
    if (from.includes('/') || to.includes('/')) sink.error('zone-aware-lb', `${p}/failover/${i}`, 'zone-aware failover names regions only (zones fail over automatically)');
    if (from.includes('*') || to.includes('*')) sink.error('zone-aware-lb', `${p}/failover/${i}`, "failover regions may not contain '*'");
  });
  // The CRD schema (not the webhook) bounds it: an integer from 1 to 2^32-1.
  if (lb.minClusterSize !== undefined && lb.minClusterSize !== null
    && (intValue(lb.minClusterSize) === undefined || (lb.minClusterSize as number) < 1 || (lb.minClusterSize as number) > 4294967295)) {
    sink.error('schema', `${p}/minClusterSize`, `minClusterSize ${String(lb.minClusterSize)} is not an integer from 1 to 4294967295 (Istio's CRD schema)`);
  }
}

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

/** validateLoadBalancer. */
function checkLoadBalancer(sink: Sink, p: string, lb: Json, hasOutlier: boolean, b: IstioBehaviour): void {
  const ch = rec(lb.consistentHash);
  if (ch) {
    const cookie = rec(ch.httpCookie);
    if (cookie && !cookie.name) sink.error('load-balancer', `${p}/consistentHash/httpCookie`, 'httpCookie needs a name');
    const attributes = new Set<string>();
    list(cookie?.attributes).forEach((a, i) => {
      const name = typeof rec(a)?.name === 'string' ? String(rec(a)!.name) : '';
      if (name === '') sink.error('load-balancer', `${p}/consistentHash/httpCookie/attributes/${i}`, 'cookie attribute needs a name');
      else if (attributes.has(name)) sink.error('load-balancer', `${p}/consistentHash/httpCookie/attributes/${i}`, `cookie attribute "${name}" is listed twice`);
      else attributes.add(name);
    });
    const maglev = rec(ch.maglev);
    if (maglev) {
      const t = intValue(maglev.tableSize) ?? 0;
      if (t === 0) sink.error('load-balancer', `${p}/consistentHash/maglev`, 'maglev needs tableSize');
      if (t >= 5000011) sink.error('load-balancer', `${p}/consistentHash/maglev/tableSize`, 'maglev tableSize must be below 5000011');
      if (!isPrime(t)) sink.error('load-balancer', `${p}/consistentHash/maglev/tableSize`, 'maglev tableSize must be a prime number');
    }
    if (ch.minimumRingSize !== undefined && ch.minimumRingSize !== 0) {
      sink.warn('load-balancer', `${p}/consistentHash/minimumRingSize`, 'minimumRingSize is deprecated (use consistentHash.ringHash)');
      if (ch.ringHash !== undefined || ch.maglev !== undefined) sink.error('load-balancer', `${p}/consistentHash`, 'minimumRingSize cannot be combined with ringHash or maglev');
    }
  }
  const locality = rec(lb.localityLbSetting);
  const zoneAware = rec(lb.zoneAwareLbSetting);
  if (lb.zoneAwareLbSetting !== undefined && !b.zoneAwareLbSetting) {
    sink.error('schema', `${p}/zoneAwareLbSetting`, `Istio ${b.minor} has no zoneAwareLbSetting (added in 1.31): its CRD rejects the field`);
  } else if (zoneAware) {
    if (locality) sink.error('zone-aware-lb', `${p}/zoneAwareLbSetting`, 'sets both localityLbSetting and zoneAwareLbSetting; Istio allows one of them');
    checkZoneAwareLb(sink, `${p}/zoneAwareLbSetting`, zoneAware, hasOutlier);
  }
  if (locality) checkLocalityLb(sink, `${p}/localityLbSetting`, locality, hasOutlier);
  const warm = rec(lb.warmup);
  if (warm) {
    if (warm.duration === undefined) sink.error('load-balancer', `${p}/warmup`, 'warmup needs a duration');
    else checkDuration(sink, 'load-balancer', `${p}/warmup/duration`, warm.duration);
    const min = typeof warm.minimumPercent === 'number' ? warm.minimumPercent : undefined;
    if (min !== undefined && min > 100) sink.error('load-balancer', `${p}/warmup/minimumPercent`, 'warmup minimumPercent must be at most 100');
    if (typeof warm.aggression === 'number' && warm.aggression <= 0) sink.error('load-balancer', `${p}/warmup/aggression`, 'warmup aggression must be greater than 0');
  }
  if (lb.warmupDurationSecs !== undefined) checkDuration(sink, 'load-balancer', `${p}/warmupDurationSecs`, lb.warmupDurationSecs);
}

/** validateOutlierDetection. */
function checkOutlier(sink: Sink, p: string, od: Json): void {
  checkDuration(sink, 'outlier-detection', `${p}/baseEjectionTime`, od.baseEjectionTime);
  if (od.consecutiveErrors !== undefined && od.consecutiveErrors !== 0) {
    sink.warn('outlier-detection', `${p}/consecutiveErrors`, 'consecutiveErrors is deprecated: Istio warns and ignores it (use consecutive5xxErrors or consecutiveGatewayErrors)');
  }
  const local = typeof od.consecutiveLocalOriginFailures === 'number' ? od.consecutiveLocalOriginFailures : 0;
  if (od.splitExternalLocalOriginErrors !== true && local > 0) {
    sink.error('outlier-detection', `${p}/consecutiveLocalOriginFailures`, 'consecutiveLocalOriginFailures is set but splitExternalLocalOriginErrors is not true');
  }
  checkDuration(sink, 'outlier-detection', `${p}/interval`, od.interval);
  checkPercent(sink, 'outlier-detection', `${p}/maxEjectionPercent`, od.maxEjectionPercent);
  checkPercent(sink, 'outlier-detection', `${p}/minHealthPercent`, od.minHealthPercent);
}

function nonNegative(sink: Sink, p: string, v: unknown, what: string): void {
  if (typeof v === 'number' && v < 0) sink.error('connection-pool', p, `${what} must not be negative`);
}

/** validateConnectionPool. */
function checkConnectionPool(sink: Sink, p: string, cp: Json): void {
  const http = rec(cp.http);
  const tcp = rec(cp.tcp);
  if (!http && !tcp) {
    sink.error('connection-pool', p, 'connectionPool must set http or tcp');
    return;
  }
  if (http) {
    for (const k of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']) nonNegative(sink, `${p}/http/${k}`, http[k], k);
    checkDuration(sink, 'connection-pool', `${p}/http/idleTimeout`, http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) sink.error('connection-pool', `${p}/http`, 'useClientProtocol cannot be true with h2UpgradePolicy UPGRADE');
    const ka = rec(http.http2KeepAlive);
    if (ka) {
      if (ka.interval === undefined) sink.error('connection-pool', `${p}/http/http2KeepAlive`, 'http2KeepAlive needs an interval');
      else checkDuration(sink, 'connection-pool', `${p}/http/http2KeepAlive/interval`, ka.interval);
      if (ka.timeout === undefined) sink.error('connection-pool', `${p}/http/http2KeepAlive`, 'http2KeepAlive needs a timeout');
      else checkDuration(sink, 'connection-pool', `${p}/http/http2KeepAlive/timeout`, ka.timeout);
    }
  }
  if (tcp) {
    nonNegative(sink, `${p}/tcp/maxConnections`, tcp.maxConnections, 'maxConnections');
    checkDuration(sink, 'connection-pool', `${p}/tcp/connectTimeout`, tcp.connectTimeout);
    checkDuration(sink, 'connection-pool', `${p}/tcp/maxConnectionDuration`, tcp.maxConnectionDuration);
    if (tcp.idleTimeout !== undefined && parseDuration(tcp.idleTimeout) !== 0) checkDuration(sink, 'connection-pool', `${p}/tcp/idleTimeout`, tcp.idleTimeout);
    const ka = rec(tcp.tcpKeepalive);
    if (ka) {
      checkDuration(sink, 'connection-pool', `${p}/tcp/tcpKeepalive/time`, ka.time);
      checkDuration(sink, 'connection-pool', `${p}/tcp/tcpKeepalive/interval`, ka.interval);
    }
  }
}

/** agent.ValidateTLS: InsecureSkipVerify and credentialName exclusions, client certificate for MUTUAL. */
function checkTls(sink: Sink, p: string, tls: Json, namespace: string): void {
  const mode = typeof tls.mode === 'string' ? tls.mode : 'DISABLE';
  const credential = typeof tls.credentialName === 'string' ? tls.credentialName : '';
  const set = (k: string) => typeof tls[k] === 'string' && tls[k] !== '';
  if (credential.startsWith('configmap://')) {
    const rest = credential.slice('configmap://'.length).split('/');
    const ns = rest.length === 2 ? rest[0] : namespace;
    if (rest.some((x) => x === '') || rest.length > 2) sink.error('traffic-policy', `${p}/credentialName`, `credentialName "${credential}" is not configmap://[namespace/]name`);
    else if (ns !== namespace) sink.error('traffic-policy', `${p}/credentialName`, `a configmap:// credentialName must be in the rule's own namespace ${namespace}`);
  }
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (set('caCertificates') || credential !== '' || tls.subjectAltNames !== undefined)) {
      sink.error('traffic-policy', `${p}/insecureSkipVerify`, 'insecureSkipVerify cannot be combined with caCertificates, credentialName or subjectAltNames');
    }
    if (mode === 'MUTUAL' && (set('caCertificates') || tls.subjectAltNames !== undefined)) {
      sink.error('traffic-policy', `${p}/insecureSkipVerify`, 'insecureSkipVerify cannot be combined with caCertificates or subjectAltNames');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credential !== '') {
    if (set('clientCertificate') || set('caCertificates') || set('privateKey') || set('caCrl')) {
      sink.error('traffic-policy', p, 'with credentialName, clientCertificate, caCertificates, privateKey and caCrl must be unset');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!set('clientCertificate')) sink.error('traffic-policy', p, 'mutual TLS needs clientCertificate');
    if (!set('privateKey')) sink.error('traffic-policy', p, 'mutual TLS needs privateKey');
  }
}

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];

/** validateTrafficPolicy. */
function checkTrafficPolicy(sink: Sink, p: string, tp: Json, b: IstioBehaviour, namespace: string): void {
  if (!POLICY_FIELDS.some((k) => tp[k] !== undefined && tp[k] !== null)) {
    sink.error('traffic-policy', p, 'trafficPolicy sets nothing (Istio requires at least one field)');
    return;
  }
  if (tp.tunnel !== undefined && tp.proxyProtocol !== undefined) {
    sink.error('traffic-policy', p, 'tunnel and proxyProtocol cannot be set together');
    return;
  }
  const od = rec(tp.outlierDetection);
  if (od) checkOutlier(sink, `${p}/outlierDetection`, od);
  const cp = rec(tp.connectionPool);
  if (cp) checkConnectionPool(sink, `${p}/connectionPool`, cp);
  const lb = rec(tp.loadBalancer);
  if (lb) checkLoadBalancer(sink, `${p}/loadBalancer`, lb, od !== undefined, b);
  const tls = rec(tp.tls);
  if (tls) checkTls(sink, `${p}/tls`, tls, namespace);
  list(tp.portLevelSettings).forEach((raw, i) => {
    const pp = `${p}/portLevelSettings/${i}`;
    const pls = rec(raw);
    if (!pls) {
      sink.error('traffic-policy', pp, 'portLevelSettings entry may not be null');
      return;
    }
    if (!rec(pls.port)) sink.error('traffic-policy', pp, 'portLevelSettings entry needs a port');
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => pls[k] !== undefined && pls[k] !== null)) {
      sink.error('traffic-policy', pp, 'portLevelSettings entry sets nothing (Istio requires outlierDetection, connectionPool, loadBalancer or tls)');
      return;
    }
    const quiet = sink.errorsOnly();
    const pod = rec(pls.outlierDetection);
    if (pod) checkOutlier(quiet, `${pp}/outlierDetection`, pod);
    const pcp = rec(pls.connectionPool);
    if (pcp) checkConnectionPool(quiet, `${pp}/connectionPool`, pcp);
    const plb = rec(pls.loadBalancer);
    if (plb) checkLoadBalancer(quiet, `${pp}/loadBalancer`, plb, pod !== undefined, b);
    const ptls = rec(pls.tls);
    if (ptls) checkTls(quiet, `${pp}/tls`, ptls, namespace);
  });
}

// ---------------------------------------------------------------- kinds

const INTERNAL_ANNOTATIONS = ['internal.istio.io/parent-namespace', 'internal.istio.io/parent-names'];

function checkMetadata(sink: Sink, o: KubeObject): void {
  const a = o.metadata.annotations ?? {};
  if ('istio.io/dry-run' in a) sink.error('metadata', '/metadata/annotations', 'the istio.io/dry-run annotation is allowed on AuthorizationPolicy only');
  if ('istio.io/always-reject' in a) sink.error('metadata', '/metadata/annotations', 'the istio.io/always-reject annotation makes Istio reject the object');
  for (const k of INTERNAL_ANNOTATIONS) if (k in a) sink.error('metadata', `/metadata/annotations/${segment(k)}`, `the ${k} annotation is internal to Istio and may not be set`);
}

function validateDestinationRule(sink: Sink, o: KubeObject, b: IstioBehaviour): void {
  const spec = rec(o.spec) ?? {};
  const ns = o.metadata.namespace || 'default';
  const host = typeof spec.host === 'string' ? spec.host : '';
  const hp = wildcardDomainProblem(host);
  if (hp) sink.error('host', '/spec/host', `host "${host}" ${hp}`);
  const tp = rec(spec.trafficPolicy);
  if (tp) checkTrafficPolicy(sink, '/spec/trafficPolicy', tp, b, ns);
  const names = new Set<string>();
  list(spec.subsets).forEach((raw, i) => {
    const sp = `/spec/subsets/${i}`;
    const s = rec(raw);
    if (!s) {
      sink.error('subsets', sp, 'subset may not be null');
      return;
    }
    const name = typeof s.name === 'string' ? s.name : '';
    if (names.has(name)) sink.error('subsets', `${sp}/name`, `subset name "${name}" is used twice`);
    names.add(name);
    if (name === '') sink.error('subsets', sp, 'subset needs a name');
    else if (!isDns1123Label(name)) sink.error('subsets', `${sp}/name`, `subset name "${name}" is not a DNS-1123 label`);
    for (const problem of labelsProblems(rec(s.labels))) sink.error('subsets', `${sp}/labels`, problem);
    const stp = rec(s.trafficPolicy);
    if (stp) checkTrafficPolicy(sink.errorsOnly(), `${sp}/trafficPolicy`, stp, b, ns);
  });
  const selector = rec(spec.workloadSelector);
  checkExportTo(sink, '/spec/exportTo', ns, spec.exportTo, false, selector !== undefined);
  if (selector) {
    const labels = rec(selector.matchLabels);
    checkSelectorLabels(sink, '/spec/workloadSelector/matchLabels', labels);
    if (!labels || Object.keys(labels).length === 0) sink.warn('workload-selector', '/spec/workloadSelector', 'workloadSelector has no labels');
  }
}

const HTTP_LIKE = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const TLS_LIKE = new Set(['https', 'tls']);
const TCP_LIKE = new Set(['tcp', 'https', 'tls', 'mongo', 'redis', 'mysql']);
const DYNAMIC_DNS_PROTOCOLS = new Set(['http', 'tls', 'grpc', 'http2']);

const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';

/** Endpoint checks shared by ServiceEntry STATIC endpoints and WorkloadEntries (validateWorkloadEntry). */
function checkWorkloadEndpoint(sink: Sink, family: IstioRuleFamily, p: string, we: Json, servicePorts: ReadonlySet<string> | undefined, allowFqdn: boolean): void {
  const addr = typeof we.address === 'string' ? we.address : '';
  if (addr === '') {
    if (!we.network) {
      sink.error(family, p, 'endpoint needs an address (or a network)');
      return;
    }
    sink.warn(family, p, `endpoint has no address but network "${String(we.network)}"`);
  }
  const ports = rec(we.ports) ?? {};
  if (addr.startsWith('unix://')) {
    const path = addr.slice('unix://'.length);
    if (path === '' || !(path.startsWith('/') || path.startsWith('@')) || path.endsWith('/')) sink.error(family, `${p}/address`, `unix address "${addr}" must be an absolute socket path or an abstract socket`);
    if (Object.keys(ports).length > 0) sink.error(family, `${p}/ports`, `unix endpoint ${addr} may not list ports`);
    if (servicePorts && servicePorts.size !== 1) sink.error(family, p, 'a unix endpoint needs exactly one service port');
  } else if (addr !== '' && ipFamily(addr) === 0) {
    if (!allowFqdn) sink.error(family, `${p}/address`, `endpoint address "${addr}" is not an IP address (resolution STATIC needs IPs)`);
    else if (fqdnProblem(addr)) sink.error(family, `${p}/address`, `endpoint address "${addr}" is neither an IP address nor a valid host name`);
  }
  for (const [name, port] of Object.entries(ports)) {
    if (servicePorts && !servicePorts.has(name)) sink.error(family, `${p}/ports/${segment(name)}`, `endpoint port "${name}" is not a port name of the ServiceEntry`);
    if (!isDns1123Label(name)) sink.error(family, `${p}/ports/${segment(name)}`, `port name "${name}" is not a DNS-1123 label`);
    const pp = portProblem(port);
    if (pp) sink.error(family, `${p}/ports/${segment(name)}`, pp);
  }
  for (const problem of labelsProblems(rec(we.labels))) sink.error(family, `${p}/labels`, problem);
}

function validateServiceEntry(sink: Sink, o: KubeObject): void {
  const spec = rec(o.spec) ?? {};
  const ns = o.metadata.namespace || 'default';
  const resolution = typeof spec.resolution === 'string' ? spec.resolution : 'NONE';
  const hosts = list(spec.hosts).map(String);
  const addresses = list(spec.addresses).map(String);
  const endpoints = list(spec.endpoints);
  const ports = list(spec.ports);
  const selector = rec(spec.workloadSelector);

  if (selector) {
    const labels = rec(selector.labels) ?? {};
    const before = sink.issues.length;
    for (const [k, v] of Object.entries(labels)) {
      if (k === '') sink.error('workload-selector', '/spec/workloadSelector/labels', 'workloadSelector has an empty label key');
      if (k.includes('*') || String(v).includes('*')) sink.error('workload-selector', `/spec/workloadSelector/labels/${segment(k)}`, `workloadSelector label ${k}=${String(v)} contains a wildcard`);
    }
    if (sink.issues.length > before) return; // Istio stops at a bad selector
    if (Object.keys(labels).length === 0) sink.warn('workload-selector', '/spec/workloadSelector', 'workloadSelector without labels selects every workload in the namespace');
  }
  if (selector && spec.endpoints !== undefined) sink.error('se-endpoints', '/spec/endpoints', 'a ServiceEntry sets either workloadSelector or endpoints, not both');

  if (hosts.length === 0) sink.error('se-hosts', '/spec/hosts', 'a ServiceEntry needs at least one host');
  hosts.forEach((h, i) => {
    if (h === '*') {
      sink.error('se-hosts', `/spec/hosts/${i}`, 'host "*" is not allowed on a ServiceEntry');
      return;
    }
    const problem = wildcardDomainProblem(h);
    if (problem) sink.error('se-hosts', `/spec/hosts/${i}`, `host "${h}" ${problem}`);
    if (resolution !== 'DYNAMIC_DNS' && h.includes('*') && h.length !== 1 && !h.startsWith('*.')) {
      sink.warn('se-hosts', `/spec/hosts/${i}`, `partial wildcard host "${h}" (only "*.<domain>" is supported)`);
    }
  });

  let cidr = false;
  addresses.forEach((a, i) => {
    cidr ||= a.includes('/');
    const problem = ipSubnetProblem(a);
    if (problem) sink.error('se-addresses', `/spec/addresses/${i}`, problem);
  });
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') sink.error('se-addresses', '/spec/addresses', 'CIDR addresses are allowed only with resolution NONE or STATIC');

  const autoAllocate = resolution !== 'NONE' && (o.metadata.labels?.[AUTOALLOCATE_LABEL] ?? '').toLowerCase() !== 'false' && addresses.length === 0;
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((raw, i) => {
    const pp = `/spec/ports/${i}`;
    const port = rec(raw);
    if (!port) {
      sink.error('se-ports', pp, 'port may not be null');
      return;
    }
    const name = typeof port.name === 'string' ? port.name : '';
    if (names.has(name)) sink.error('se-ports', `${pp}/name`, `port name "${name}" is used twice`);
    names.add(name);
    const n = typeof port.number === 'number' ? port.number : NaN;
    if (numbers.has(n)) sink.error('se-ports', `${pp}/number`, `port ${n} is listed twice`);
    numbers.add(n);
    if (port.targetPort !== undefined && port.targetPort !== 0) {
      const tp = portProblem(port.targetPort);
      if (tp) sink.error('se-ports', `${pp}/targetPort`, `target ${tp}`);
    }
    const protocol = typeof port.protocol === 'string' ? port.protocol : '';
    if (addresses.length === 0 && !autoAllocate && (protocol === '' || protocol === 'TCP')) {
      sink.warn('se-ports', pp, 'TCP (or unset protocol) port without addresses while IP auto-allocation is off: Istio warns that addresses are required');
    }
    if (!isDns1123Label(name)) sink.error('se-ports', `${pp}/name`, `port name "${name}" is not a DNS-1123 label`);
    if (protocol !== '' && !isKnownProtocol(protocol)) sink.error('se-ports', `${pp}/protocol`, `unsupported protocol "${protocol}"`);
    const np = portProblem(port.number);
    if (np) sink.error('se-ports', `${pp}/number`, np);
  });

  switch (resolution) {
    case 'NONE':
      if (endpoints.length > 0) {
        sink.error('se-resolution', '/spec/endpoints', 'resolution NONE takes no endpoints');
      }
      if (selector) sink.warn('se-resolution', '/spec/workloadSelector', 'workloadSelector should not be set with resolution NONE');
      break;
    case 'STATIC':
      endpoints.forEach((ep, i) => {
        const e = rec(ep);
        if (!e) sink.error('se-endpoints', `/spec/endpoints/${i}`, 'endpoint may not be null');
        else checkWorkloadEndpoint(sink, 'se-endpoints', `/spec/endpoints/${i}`, e, names, false);
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN': {
      if (endpoints.length === 0) {
        const bad = hosts.findIndex((h) => fqdnProblem(h) !== undefined);
        if (bad >= 0) sink.error('se-hosts', `/spec/hosts/${bad}`, `without endpoints, resolution ${resolution} needs plain host names ("${hosts[bad]}" ${fqdnProblem(hosts[bad]!)})`);
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) sink.error('se-resolution', '/spec/endpoints', `resolution DNS_ROUND_ROBIN takes at most one endpoint (${endpoints.length} given)`);
      endpoints.forEach((ep, i) => {
        const p = `/spec/endpoints/${i}`;
        const e = rec(ep);
        if (!e) {
          sink.error('se-endpoints', p, 'endpoint may not be null');
          return;
        }
        const addr = typeof e.address === 'string' ? e.address : '';
        if (!e.address && !e.network) sink.error('se-endpoints', p, 'endpoint needs an address (or a network)');
        if (ipFamily(addr) === 0 && fqdnProblem(addr)) sink.error('se-endpoints', `${p}/address`, `endpoint address "${addr}" is neither an IP address nor a valid host name`);
        for (const problem of labelsProblems(rec(e.labels))) sink.error('se-endpoints', `${p}/labels`, problem);
        for (const [name, port] of Object.entries(rec(e.ports) ?? {})) {
          if (!names.has(name)) sink.error('se-endpoints', `${p}/ports/${segment(name)}`, `endpoint port "${name}" is not a port name of the ServiceEntry`);
          if (!isDns1123Label(name)) sink.error('se-endpoints', `${p}/ports/${segment(name)}`, `port name "${name}" is not a DNS-1123 label`);
          const pp = portProblem(port);
          if (pp) sink.error('se-endpoints', `${p}/ports/${segment(name)}`, pp);
        }
      });
      if (addresses.length > 0 && hosts.length > 1) {
        const tcp = ports.some((p) => TCP_LIKE.has(String(rec(p)?.protocol ?? '').toLowerCase()));
        if (tcp) sink.warn('se-hosts', '/spec/hosts', 'more than one host together with addresses and a TCP port');
      }
      break;
    }
    case 'DYNAMIC_DNS': {
      hosts.forEach((h, i) => {
        if (!h.startsWith('*')) sink.error('se-resolution', `/spec/hosts/${i}`, `resolution DYNAMIC_DNS needs wildcard hosts ("${h}" is not one)`);
      });
      if (addresses.length > 0) sink.error('se-resolution', '/spec/addresses', 'resolution DYNAMIC_DNS takes no addresses');
      if (endpoints.length > 0) sink.error('se-resolution', '/spec/endpoints', 'resolution DYNAMIC_DNS takes no endpoints');
      ports.forEach((p, i) => {
        const proto = String(rec(p)?.protocol ?? '').toLowerCase();
        if (!DYNAMIC_DNS_PROTOCOLS.has(proto)) sink.error('se-resolution', `/spec/ports/${i}/protocol`, 'resolution DYNAMIC_DNS supports HTTP, TLS, GRPC and HTTP2 ports only');
      });
      const location = typeof spec.location === 'string' ? spec.location : 'MESH_EXTERNAL';
      const waypoint = o.metadata.labels?.['istio.io/use-waypoint'];
      if (location === 'MESH_INTERNAL' && waypoint && waypoint.toLowerCase() !== 'none') {
        sink.error('se-resolution', '/spec/location', 'resolution DYNAMIC_DNS with location MESH_INTERNAL does not work with a waypoint');
      }
      break;
    }
    default:
      sink.error('se-resolution', '/spec/resolution', `unsupported resolution "${resolution}"`);
  }

  if (resolution !== 'NONE' && hosts.length > 1) {
    const i = ports.findIndex((p) => {
      const proto = String(rec(p)?.protocol ?? '').toLowerCase();
      return !HTTP_LIKE.has(proto) && !TLS_LIKE.has(proto);
    });
    if (i >= 0) sink.error('se-hosts', `/spec/ports/${i}`, 'several hosts with a port that is neither HTTP nor TLS: Envoy cannot tell the hosts apart');
  }
  checkExportTo(sink, '/spec/exportTo', ns, spec.exportTo, true, false);
}

function validateWorkloadEntry(sink: Sink, o: KubeObject): void {
  checkWorkloadEndpoint(sink, 'workload-entry', '/spec', rec(o.spec) ?? {}, undefined, true);
}

/** The Istio kinds validated here. */
export function isValidatedKind(o: KubeObject): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.istio.io/')
    && (o.kind === 'DestinationRule' || o.kind === 'ServiceEntry' || o.kind === 'WorkloadEntry');
}

// ---------------------------------------------------------------- decoding

/** Unsigned integer fields of a traffic policy (protobuf uint32 / UInt32Value) zonal reads. */
function unsignedInTrafficPolicy(tp: Json, p: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  const lb = rec(tp.loadBalancer);
  const od = rec(tp.outlierDetection);
  if (lb) {
    out.push([`${p}/loadBalancer/zoneAwareLbSetting/minClusterSize`, rec(lb.zoneAwareLbSetting)?.minClusterSize]);
    list(rec(lb.localityLbSetting)?.distribute).forEach((d, i) => {
      for (const [k, w] of Object.entries(rec(rec(d)?.to) ?? {})) out.push([`${p}/loadBalancer/localityLbSetting/distribute/${i}/to/${segment(k)}`, w]);
    });
  }
  if (od) for (const k of ['consecutive5xxErrors', 'consecutiveGatewayErrors']) out.push([`${p}/outlierDetection/${k}`, od[k]]);
  list(tp.portLevelSettings).forEach((pl, i) => {
    const r = rec(pl);
    if (!r) return;
    out.push([`${p}/portLevelSettings/${i}/port/number`, rec(r.port)?.number]);
    out.push(...unsignedInTrafficPolicy(r, `${p}/portLevelSettings/${i}`));
  });
  return out;
}

/**
 * A negative number in an unsigned field fails istiod's decoding of the object: the webhook
 * answers with that error alone, before any validation, so the object draws no warnings.
 */
function undecodable(o: KubeObject): { pointer: string; value: number }[] {
  const spec = rec(o.spec) ?? {};
  const fields: [string, unknown][] = [];
  if (o.kind === 'DestinationRule') {
    const tp = rec(spec.trafficPolicy);
    if (tp) fields.push(...unsignedInTrafficPolicy(tp, '/spec/trafficPolicy'));
    list(spec.subsets).forEach((s, i) => {
      const stp = rec(rec(s)?.trafficPolicy);
      if (stp) fields.push(...unsignedInTrafficPolicy(stp, `/spec/subsets/${i}/trafficPolicy`));
    });
  } else if (o.kind === 'ServiceEntry') {
    list(spec.ports).forEach((pt, i) => {
      fields.push([`/spec/ports/${i}/number`, rec(pt)?.number], [`/spec/ports/${i}/targetPort`, rec(pt)?.targetPort]);
    });
    list(spec.endpoints).forEach((e, i) => {
      fields.push([`/spec/endpoints/${i}/weight`, rec(e)?.weight]);
      for (const [k, v] of Object.entries(rec(rec(e)?.ports) ?? {})) fields.push([`/spec/endpoints/${i}/ports/${segment(k)}`, v]);
    });
  } else {
    fields.push(['/spec/weight', spec.weight]);
    for (const [k, v] of Object.entries(rec(spec.ports) ?? {})) fields.push([`/spec/ports/${segment(k)}`, v]);
  }
  return fields.filter((f): f is [string, number] => typeof f[1] === 'number' && f[1] < 0).map(([pointer, value]) => ({ pointer, value }));
}

/** istiod cannot decode the object (a negative number in an unsigned field): rejected before any check. */
export function isUndecodable(o: KubeObject): boolean {
  return isValidatedKind(o) && undecodable(o).length > 0;
}

/** Istio's verdict on one object: what its webhook rejects (errors) and warns about (warnings). */
export function validateIstioObject(o: KubeObject, behaviour: IstioBehaviour = behaviourOf(DEFAULT_ISTIO_VERSION)): IstioIssue[] {
  if (!isValidatedKind(o)) return [];
  const sink = new Sink();
  checkMetadata(sink, o);
  if (sink.issues.some((i) => i.level === 'error')) return sink.issues;
  if (o.kind === 'DestinationRule') validateDestinationRule(sink, o, behaviour);
  else if (o.kind === 'ServiceEntry') validateServiceEntry(sink, o);
  else validateWorkloadEntry(sink, o);
  const bad = undecodable(o);
  if (bad.length === 0) return sink.issues;
  // istiod cannot decode the object: its webhook rejects it without warnings (the CRD schema's errors still come).
  return [
    ...bad.map((b) => ({ level: 'error' as const, family: 'schema' as const, pointer: b.pointer, message: `${b.value} in an unsigned integer field: istiod cannot decode the object` })),
    ...sink.issues.filter((i) => i.level === 'error' && !bad.some((b) => b.pointer === i.pointer)),
  ];
}
