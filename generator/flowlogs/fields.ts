import { ValueError } from '../errors.js';

/**
 * THE flow-log field list. The `--log-format` that `zonal infra flowlogs` emits, the analyzer's
 * default parser, the Logs Insights `parse` patterns and the Athena DDL are all derived from this
 * one array, so their column orders cannot disagree.
 */
export type FlowLogFieldType = 'int' | 'bigint' | 'string';

export interface FlowLogField {
  /** AWS field name as written in `--log-format` (`${name}`). */
  readonly name: string;
  /** Column name for Athena / Logs Insights (AWS's own convention: hyphens become underscores). */
  readonly column: string;
  readonly type: FlowLogFieldType;
}

function field(name: string, type: FlowLogFieldType = 'string'): FlowLogField {
  return { name, column: name.replace(/-/g, '_'), type };
}

/**
 * AWS's default format (version 2), which flow logs use when no custom format is given. Types are
 * the ones AWS writes in Parquet flow logs (int32 `int`, int64 `bigint`, UTF-8 `string`).
 */
export const DEFAULT_FORMAT_FIELDS: readonly FlowLogField[] = [
  field('version', 'int'), field('account-id'), field('interface-id'), field('srcaddr'), field('dstaddr'),
  field('srcport', 'int'), field('dstport', 'int'), field('protocol', 'bigint'), field('packets', 'bigint'),
  field('bytes', 'bigint'), field('start', 'bigint'), field('end', 'bigint'), field('action'), field('log-status'),
];

/**
 * zonal's custom format: the default fields plus what zone attribution needs: the ENI's AZ
 * (`az-id`), the pod addresses behind the ENI (`pkt-srcaddr`/`pkt-dstaddr`, VPC CNI), the
 * direction (to count a flow once) and the path/service fields that identify NAT and AWS services.
 */
export const FLOW_LOG_FIELDS: readonly FlowLogField[] = [
  ...DEFAULT_FORMAT_FIELDS,
  field('vpc-id'), field('subnet-id'), field('instance-id'), field('az-id'),
  field('pkt-srcaddr'), field('pkt-dstaddr'), field('flow-direction'), field('traffic-path', 'int'),
  field('pkt-src-aws-service'), field('pkt-dst-aws-service'),
];

/** `${version} ${account-id} ...` for `aws ec2 create-flow-logs --log-format`. */
export function logFormatString(fields: readonly FlowLogField[] = FLOW_LOG_FIELDS): string {
  return fields.map((f) => `\${${f.name}}`).join(' ');
}

const KNOWN = new Map(FLOW_LOG_FIELDS.map((f) => [f.name, f]));

/** A `--log-format` (or header line) that cannot be analyzed; the CLI reports it as bad input. */
export class FormatError extends ValueError {}

/**
 * What a flow-log field name may be: AWS's names are lower-case words joined by hyphens. Field
 * names become Athena columns, DuckDB columns and Logs Insights names, so nothing else is let
 * through to a query (no quote, backtick, space or operator can reach one).
 */
const FIELD_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Parses a `--log-format` string (or an S3 header line, which lists field names separated by spaces)
 * into field descriptors in the order AWS writes them. Unknown names are kept as strings, so any
 * custom format parses. Throws FormatError on an empty format or a name that is not a field name.
 */
export function parseLogFormat(format: string): FlowLogField[] {
  const names = format.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^\$\{(.+)\}$/, '$1').replace(/_/g, '-'));
  if (names.length === 0) throw new FormatError('empty flow-log format');
  for (const n of names) {
    if (!FIELD_NAME.test(n)) throw new FormatError(`${JSON.stringify(n)} is not a flow-log field name (write fields like \${srcaddr} \${pkt-dstaddr}, lower-case letters, digits and -)`);
  }
  return names.map((n) => KNOWN.get(n) ?? field(n, /^(bytes|packets|start|end)$/.test(n) ? 'bigint' : 'string'));
}
