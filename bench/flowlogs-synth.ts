/**
 * A synthetic VPC flow log in zonal's format (S3 header line + records), written in 4 MiB blocks,
 * with its ground truth. Like real VPC-wide logs, every pod-to-pod flow is logged twice (egress at
 * the sender, ingress at the receiver); one flow in ten goes to an address outside the VPC.
 * Deterministic (xorshift PRNG), so the same size always gives the same file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { FLOW_LOG_FIELDS } from '../generator/flowlogs/fields.js';

/** The zones of values/octank-travel.yaml, which the bench passes as --values. */
export const SYNTH_ZONES = [
  { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19'] },
  { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['192.168.128.0/19'] },
  { name: 'us-west-2c', id: 'usw2-az3', cidrs: ['192.168.160.0/19'] },
] as const;

export interface SynthTruth {
  readonly records: number;
  readonly bytes: number;
  readonly crossZoneBytes: number;
}

export function writeSyntheticFlowLog(path: string, targetBytes: number): SynthTruth {
  let x = 0x2545f491;
  const rand = (n: number) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
  const third = [96, 128, 160];
  const azIds = SYNTH_ZONES.map((z) => z.id);
  const hex = (n: number) => n.toString(16).padStart(17, '0').slice(-17);
  const ip = (zone: number) => `192.168.${third[zone]! + rand(32)}.${1 + rand(254)}`;
  const fd = openSync(path, 'w');
  let written = 0;
  let block = `${FLOW_LOG_FIELDS.map((f) => f.name).join(' ')}\n`;
  let records = 0;
  let total = 0;
  let cross = 0;
  try {
    while (written + block.length < targetBytes) {
      const from = rand(3);
      const to = rand(3);
      const outside = rand(10) === 0;
      const src = ip(from);
      const dst = outside ? `52.94.${rand(256)}.${rand(256)}` : ip(to);
      const bytes = 40 + rand(2_000_000);
      const start = 1_700_000_000 + rand(86_400);
      const tail = `${10_000 + rand(55_000)} ${[443, 8080, 3306, 9094][rand(4)]} 6 ${1 + (bytes >>> 10)} ${bytes} ${start} ${start + 60} ACCEPT OK vpc-0123456789abcdef0`;
      const eni = hex(rand(1 << 30));
      // egress at the sender's ENI
      block += `5 111122223333 eni-${eni} ${ip(from)} ${dst} ${tail} subnet-${eni} i-${eni} ${azIds[from]} ${src} ${dst} egress 1 - -\n`;
      records++;
      total += bytes;
      if (!outside && from !== to) cross += bytes;
      if (!outside) {
        const peer = hex(rand(1 << 30));
        block += `5 111122223333 eni-${peer} ${src} ${ip(to)} ${tail} subnet-${peer} i-${peer} ${azIds[to]} ${src} ${dst} ingress 1 - -\n`;
        records++;
      }
      if (block.length >= 4 << 20) {
        written += writeSync(fd, block);
        block = '';
      }
    }
    written += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return { records, bytes: total, crossZoneBytes: cross };
}
