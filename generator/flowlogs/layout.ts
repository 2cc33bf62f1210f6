/**
 * Where, in a record of a given format, the fields the analyzer needs are. A format is any list of
 * flow-log fields (the default format, zonal's FLOW_LOG_FIELDS, an S3 header line or a custom
 * `--log-format`); the scanner only ever looks at these roles.
 */
import { DEFAULT_FORMAT_FIELDS, FLOW_LOG_FIELDS, FormatError, parseLogFormat, type FlowLogField } from './fields.js';

/** Field roles; plain numbers (not an enum) so they index a typed array in the hot loop. */
export const ROLE_OTHER = 0;
export const ROLE_SRCADDR = 1;
export const ROLE_DSTADDR = 2;
export const ROLE_PKT_SRCADDR = 3;
export const ROLE_PKT_DSTADDR = 4;
export const ROLE_BYTES = 5;
export const ROLE_AZ_ID = 6;
export const ROLE_FLOW_DIRECTION = 7;
export const ROLE_START = 8;
export const ROLE_END = 9;
export const ROLE_COUNT = 10;

const ROLE_OF: Readonly<Record<string, number>> = {
  srcaddr: ROLE_SRCADDR,
  dstaddr: ROLE_DSTADDR,
  'pkt-srcaddr': ROLE_PKT_SRCADDR,
  'pkt-dstaddr': ROLE_PKT_DSTADDR,
  bytes: ROLE_BYTES,
  'az-id': ROLE_AZ_ID,
  'flow-direction': ROLE_FLOW_DIRECTION,
  start: ROLE_START,
  end: ROLE_END,
};

/**
 * A format compiled for the scanner: it walks a record as "skip k fields, note where the field of
 * role r starts" steps, then checks that the rest of the line has exactly `tailFields` more fields.
 */
export interface FieldLayout {
  readonly fields: readonly FlowLogField[];
  readonly fieldCount: number;
  /** Fields to skip before each step's field (the first may be 0). */
  readonly stepSkips: Int32Array;
  /** Role of each step's field. */
  readonly stepRoles: Int8Array;
  /** Fields after the last step's field. */
  readonly tailFields: number;
  readonly hasRole: (role: number) => boolean;
}

export { FormatError };

/** Layout of a field list; throws FormatError when the analysis is impossible (no bytes field). */
export function layoutOf(fields: readonly FlowLogField[]): FieldLayout {
  const seen = new Set<number>();
  const skips: number[] = [];
  const roles: number[] = [];
  let previous = 0;
  fields.forEach((f, i) => {
    const role = ROLE_OF[f.name] ?? ROLE_OTHER;
    if (role === ROLE_OTHER) return;
    if (seen.has(role)) throw new FormatError(`field ${f.name} appears twice in the flow-log format`);
    seen.add(role);
    skips.push(i - previous);
    roles.push(role);
    previous = i;
  });
  if (!seen.has(ROLE_BYTES)) throw new FormatError('the flow-log format has no ${bytes} field: there is nothing to measure');
  return {
    fields,
    fieldCount: fields.length,
    stepSkips: Int32Array.from(skips),
    stepRoles: Int8Array.from(roles),
    tailFields: fields.length - 1 - previous,
    hasRole: (r) => seen.has(r),
  };
}

/** Layout of a `--log-format` string (`${a} ${b}` or plain names). */
export function layoutOfFormat(format: string): FieldLayout {
  return layoutOf(parseLogFormat(format));
}

export const DEFAULT_LAYOUT = layoutOf(DEFAULT_FORMAT_FIELDS);
export const ZONAL_LAYOUT = layoutOf(FLOW_LOG_FIELDS);

/**
 * Without a header line or `--log-format`, a record's field count picks the format: AWS's default
 * (14 fields) or zonal's own (the one `zonal infra` configures).
 */
export function inferredLayout(fieldCount: number): FieldLayout | undefined {
  if (fieldCount === DEFAULT_LAYOUT.fieldCount) return DEFAULT_LAYOUT;
  if (fieldCount === ZONAL_LAYOUT.fieldCount) return ZONAL_LAYOUT;
  return undefined;
}

const FIELD_NAME = /^(\$\{)?[a-z][a-z0-9_-]*\}?$/;

/**
 * Recognises an S3 header line (`version account-id ... bytes ...`): every token is a field name
 * and one of them is `bytes`. A record never has the literal token `bytes`, so data lines (even
 * custom formats starting with `eni-...`) are not mistaken for headers.
 */
export function headerLayout(line: string): FieldLayout | undefined {
  const tokens = line.trim().split(/\s+/);
  if (!tokens.every((t) => FIELD_NAME.test(t))) return undefined;
  if (!tokens.some((t) => t === 'bytes' || t === '${bytes}')) return undefined;
  return layoutOf(parseLogFormat(line));
}
