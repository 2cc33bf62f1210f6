/**
 * Flow logs with known ground truth: a list of flows (pod -> pod, pod -> outside) rendered as the
 * records AWS would write for them, in any format.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Zone } from '../../generator/model/types.js';
import { DEFAULT_FORMAT_FIELDS, FLOW_LOG_FIELDS } from '../../generator/flowlogs/fields.js';

export const ZONES: readonly Zone[] = [
  { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19'] },
  { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['192.168.128.0/19'] },
  { name: 'us-west-2c', id: 'usw2-az3', cidrs: ['192.168.160.0/19'] },
];

/** Pod / node addresses per zone (inside that zone's CIDR). */
export const POD = {
  a1: '192.168.100.11', a2: '192.168.101.12',
  b1: '192.168.130.21', b2: '192.168.131.22',
  c1: '192.168.170.31',
} as const;
export const NODE = { a: '192.168.96.5', b: '192.168.128.5', c: '192.168.160.5' } as const;
export const OUTSIDE = '52.94.236.248';

const ZONE_OF_POD: Readonly<Record<string, { node: string; az: string; zone: string }>> = {
  [POD.a1]: { node: NODE.a, az: 'usw2-az1', zone: 'us-west-2a' },
  [POD.a2]: { node: NODE.a, az: 'usw2-az1', zone: 'us-west-2a' },
  [POD.b1]: { node: NODE.b, az: 'usw2-az2', zone: 'us-west-2b' },
  [POD.b2]: { node: NODE.b, az: 'usw2-az2', zone: 'us-west-2b' },
  [POD.c1]: { node: NODE.c, az: 'usw2-az3', zone: 'us-west-2c' },
};

export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
}

/** Ground truth: pod-to-pod flows across and within zones, and two flows to/from outside the VPC. */
export const FLOWS: readonly Flow[] = [
  { src: POD.a1, dst: POD.b1, bytes: 1_000_000, start: 1_700_000_000, end: 1_700_000_060 },
  { src: POD.b1, dst: POD.a1, bytes: 250_000, start: 1_700_000_000, end: 1_700_000_060 },
  { src: POD.a1, dst: POD.a2, bytes: 4_000_000, start: 1_700_000_060, end: 1_700_000_120 },
  { src: POD.c1, dst: POD.b2, bytes: 30_000, start: 1_700_000_120, end: 1_700_000_180 },
  { src: POD.b2, dst: POD.c1, bytes: 7_000, start: 1_700_000_120, end: 1_700_000_180 },
  { src: POD.c1, dst: POD.c1, bytes: 123, start: 1_700_000_120, end: 1_700_000_180 },
  { src: POD.a2, dst: OUTSIDE, bytes: 50_000, start: 1_700_000_000, end: 1_700_000_240 },
  { src: OUTSIDE, dst: POD.b1, bytes: 9_000, start: 1_700_000_000, end: 1_700_000_240 },
];

/**
 * What the analyzer must report. With flow-direction only egress records count, so the flow from
 * outside the VPC (logged only as ingress) is not in the totals; without flow-direction every
 * flow counts once (TRUTH_UNDIRECTED).
 */
export const TRUTH = {
  total: 1_000_000 + 250_000 + 4_000_000 + 30_000 + 7_000 + 123 + 50_000,
  crossZone: 1_000_000 + 250_000 + 30_000 + 7_000,
  sameZone: 4_000_000 + 123,
  unattributed: 50_000,
  byZonePair: [
    { from: 'us-west-2a', to: 'us-west-2a', bytes: 4_000_000 },
    { from: 'us-west-2a', to: 'us-west-2b', bytes: 1_000_000 },
    { from: 'us-west-2b', to: 'us-west-2a', bytes: 250_000 },
    { from: 'us-west-2c', to: 'us-west-2b', bytes: 30_000 },
    { from: 'us-west-2b', to: 'us-west-2c', bytes: 7_000 },
    { from: 'us-west-2c', to: 'us-west-2c', bytes: 123 },
  ],
  window: { start: 1_700_000_000, end: 1_700_000_240 },
};

export const TRUTH_UNDIRECTED = { ...TRUTH, total: TRUTH.total + 9_000, unattributed: TRUTH.unattributed + 9_000 };

export type Values = Readonly<Record<string, string>>;

/**
 * The records AWS writes for a flow, with every field zonal's format has: an egress record at the
 * sender's ENI and an ingress record at the receiver's (only the VPC side for outside traffic).
 * srcaddr/dstaddr of the logging side are the node ENI's primary IP; pkt-* carry the pod IPs.
 */
export function recordsOf(flow: Flow): Values[] {
  const base = {
    version: '5', 'account-id': '111122223333', srcport: '43512', dstport: '8080', protocol: '6',
    packets: String(Math.max(1, Math.round(flow.bytes / 1400))), bytes: String(flow.bytes),
    start: String(flow.start), end: String(flow.end), action: 'ACCEPT', 'log-status': 'OK',
    'vpc-id': 'vpc-0123456789abcdef0', 'traffic-path': '-', 'pkt-src-aws-service': '-', 'pkt-dst-aws-service': '-',
    'pkt-srcaddr': flow.src, 'pkt-dstaddr': flow.dst,
  };
  const out: Values[] = [];
  const from = ZONE_OF_POD[flow.src];
  const to = ZONE_OF_POD[flow.dst];
  if (from) {
    out.push({
      ...base, 'interface-id': 'eni-0aaaaaaaaaaaaaaa1', 'subnet-id': 'subnet-0aaaaaaaaaaaaaaa1', 'instance-id': 'i-0aaaaaaaaaaaaaaa1',
      'az-id': from.az, srcaddr: from.node, dstaddr: flow.dst, 'flow-direction': 'egress',
    });
  }
  if (to) {
    out.push({
      ...base, 'interface-id': 'eni-0bbbbbbbbbbbbbbb2', 'subnet-id': 'subnet-0bbbbbbbbbbbbbbb2', 'instance-id': 'i-0bbbbbbbbbbbbbbb2',
      'az-id': to.az, srcaddr: flow.src, dstaddr: to.node, 'flow-direction': 'ingress',
    });
  }
  return out;
}

export const ZONAL_NAMES = FLOW_LOG_FIELDS.map((f) => f.name);
export const DEFAULT_NAMES = DEFAULT_FORMAT_FIELDS.map((f) => f.name);

/** One line per record in the given field order; absent fields are written as `-`. */
export function render(records: readonly Values[], names: readonly string[]): string[] {
  return records.map((r) => names.map((n) => r[n] ?? '-').join(' '));
}

export function allRecords(flows: readonly Flow[] = FLOWS): Values[] {
  return flows.flatMap(recordsOf);
}

export function writeText(dir: string, name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => `${l}\n`).join(''));
  return p;
}

export function writeGzip(dir: string, name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, gzipSync(lines.map((l) => `${l}\n`).join('')));
  return p;
}
