/**
 * The streaming flow-log scanner: bytes in, tally out, in constant memory.
 *
 * Speed comes from never turning a record into strings: bytes land in one fixed buffer (plain
 * files are read straight into it), fields are found four bytes at a time (SWAR over 32-bit
 * words), a format is compiled into "skip k fields, note this one" steps, and addresses and
 * numbers are parsed from the bytes of counted records only.
 * Anything unusual (JSON lines, headers, malformed lines) leaves the hot path for a slow one.
 */
import {
  FormatError, headerLayout, inferredLayout, ROLE_AZ_ID, ROLE_BYTES, ROLE_COUNT, ROLE_DSTADDR, ROLE_END,
  ROLE_FLOW_DIRECTION, ROLE_PKT_DSTADDR, ROLE_PKT_SRCADDR, ROLE_SRCADDR, ROLE_START, type FieldLayout,
} from './layout.js';
import { parseIPv6 } from './addresses.js';
import type { ServiceMap } from './services.js';
import type { Tally } from './tally.js';
import type { ZoneIndex } from './zone-index.js';

/** A line that could not be read as a record. */
export interface SkippedLine {
  readonly file: string;
  /** 1-based line number (for JSON documents: the event's 1-based position). */
  readonly line: number;
  readonly reason: string;
  /** The start of the line, for the message. */
  readonly text: string;
}

const NL = 10;
const CR = 13;
const SPACE = 32;
const DASH = 45;
const DOT = 46;

/** Longest line kept; longer ones are skipped as malformed (flow-log records are ~100-400 bytes). */
const DATA_CAP = 1 << 20;
/** Room for one CloudWatch message copied out of its JSON line. */
const SCRATCH_CAP = 1 << 16;
const SCRATCH = DATA_CAP + 16;

/** Stands for "wrong number of fields" until the slow path words it. */
const FIELD_COUNT = 'field count';

const NOT_IPV4 = -3;
const INVALID = -2;
const MISSING = -1;

/*
 * Field splitting, four bytes at a time: an unaligned little-endian word read, then exact "which
 * bytes are zero" masks of word^spaces and word^newlines (high bit of each matching byte set).
 * The caller guarantees a newline at or after `i`, and the buffer has spare bytes past any
 * newline, so word reads stay in bounds.
 */
function zeroBytes(x: number): number {
  return ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
}

function bitCount(mask: number): number {
  return Math.imul((mask >>> 7) & 0x01010101, 0x01010101) >>> 24;
}

function lowestByte(mask: number): number {
  return (31 - Math.clz32(mask & -mask)) >> 3;
}

/**
 * Start of the field `k` (>= 1) fields after the one starting at `i`, or, when the line ends first,
 * -1 - (index of the newline).
 */
function skipFields(v: DataView, i: number, k: number): number {
  for (;;) {
    const word = v.getInt32(i, true);
    let spaces = zeroBytes(word ^ 0x20202020);
    const newline = zeroBytes(word ^ 0x0a0a0a0a);
    if ((spaces | newline) !== 0) {
      if (newline !== 0) spaces &= (newline & -newline) - 1;
      const n = bitCount(spaces);
      if (n >= k) {
        while (--k > 0) spaces &= spaces - 1;
        return i + lowestByte(spaces) + 1;
      }
      if (newline !== 0) return -1 - (i + lowestByte(newline));
      k -= n;
    }
    i += 4;
  }
}

/** Index of the newline ending the line at `i`, times 256, plus the spaces before it (at most 255). */
function lineEnd(v: DataView, i: number): number {
  let count = 0;
  for (;;) {
    const word = v.getInt32(i, true);
    let spaces = zeroBytes(word ^ 0x20202020);
    const newline = zeroBytes(word ^ 0x0a0a0a0a);
    if (newline !== 0) {
      spaces &= (newline & -newline) - 1;
      return (i + lowestByte(newline)) * 256 + Math.min(255, count + bitCount(spaces));
    }
    count += bitCount(spaces);
    i += 4;
  }
}

/** Index of the next space or newline at or after `i`. */
function fieldEnd(v: DataView, i: number): number {
  for (;;) {
    const word = v.getInt32(i, true);
    const found = zeroBytes(word ^ 0x20202020) | zeroBytes(word ^ 0x0a0a0a0a);
    if (found !== 0) return i + lowestByte(found);
    i += 4;
  }
}

function isTerminator(c: number): boolean {
  return c === SPACE || c === NL || c === CR;
}

/** The field at `p` is `-`, AWS's "missing". */
function isMissing(b: Uint8Array, p: number): boolean {
  return b[p] === DASH && isTerminator(b[p + 1]!);
}

/** Unsigned decimal at `p`: its value, MISSING for `-`, INVALID otherwise. */
function parseCount(b: Uint8Array, p: number): number {
  let c = b[p]!;
  if (c === DASH) return isTerminator(b[p + 1]!) ? MISSING : INVALID;
  let v = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = b[++p]!;
    digits++;
  }
  return digits > 0 && digits <= 16 && isTerminator(c) ? v : INVALID;
}

/**
 * IPv4 at `p` as a number; MISSING for `-`, NOT_IPV4 when it may be IPv6, INVALID otherwise.
 * Unrolled per octet (at most three digits each): this runs twice per counted record.
 */
function parseIPv4At(b: Uint8Array, p: number): number {
  const from = p;
  let ip = 0;
  for (let part = 0; part < 4; part++) {
    let octet = b[p]! - 48;
    if (octet >>> 0 > 9) return part === 0 && octet === DASH - 48 && isTerminator(b[p + 1]!) ? MISSING : notIPv4(b, from);
    let d = b[++p]! - 48;
    if (d >>> 0 <= 9) {
      octet = octet * 10 + d;
      d = b[++p]! - 48;
      if (d >>> 0 <= 9) {
        octet = octet * 10 + d;
        p++;
      }
    }
    if (octet > 255) return notIPv4(b, from);
    ip = ip * 256 + octet;
    const c = b[p]!;
    if (part < 3) {
      if (c !== DOT) return notIPv4(b, from);
      p++;
    } else if (!isTerminator(c)) return notIPv4(b, from);
  }
  return ip;
}

/** NOT_IPV4 when the field has a colon (IPv6, parsed on the slow path), INVALID otherwise. */
function notIPv4(b: Uint8Array, p: number): number {
  for (let c = b[p]!; !isTerminator(c); c = b[++p]!) if (c === 58) return NOT_IPV4;
  return INVALID;
}

export interface ScannerOptions {
  readonly zones: ZoneIndex;
  readonly tally: Tally;
  /** Format from `--log-format`; without it each file's header (or field count) decides. */
  readonly layout?: FieldLayout;
  readonly fallbackLayout: FieldLayout;
  readonly services?: ServiceMap;
  readonly onSkipped?: (line: SkippedLine) => void;
  /** How many skipped lines to pass to onSkipped (the count in the tally is always complete). */
  readonly reportSkipped: number;
}

export interface LayoutState {
  readonly layout: FieldLayout;
  /** Set by `--log-format` or a header line; otherwise the field count may still switch it. */
  readonly explicit: boolean;
}

export class FlowLogScanner {
  private readonly mem = new ArrayBuffer(SCRATCH + SCRATCH_CAP + 16);
  private readonly b = new Uint8Array(this.mem);
  private readonly v = new DataView(this.mem);
  /** Buffer view of the same memory, for the slow paths' string conversions. */
  private readonly buf = Buffer.from(this.mem);
  /** Position of each role's field in the current record (-1: not in this format). */
  private readonly at = new Int32Array(ROLE_COUNT);
  private fill = 0;
  private reported = 0;

  private layout!: FieldLayout;
  private stepSkips!: Int32Array;
  private stepRoles!: Int8Array;
  private tailFields = 0;
  private fieldCount = 0;
  private explicit = false;
  private file = '';
  private lineNo = 0;
  private firstLine = true;
  private discarding = false;
  private document: Buffer[] | undefined;

  constructor(private readonly o: ScannerOptions) {}

  /**
   * Starts a file, or (with `midFile`) a byte range of one that starts on a line boundary: no
   * header or JSON detection, and the format the file's earlier lines established.
   */
  beginFile(file: string, midFile?: LayoutState): void {
    this.file = file;
    this.lineNo = 0;
    this.fill = 0;
    this.firstLine = midFile === undefined;
    this.discarding = false;
    this.document = undefined;
    if (midFile) this.use(midFile.layout, midFile.explicit);
    else this.use(this.o.layout ?? this.o.fallbackLayout, this.o.layout !== undefined);
  }

  /** The format in force now (a header or the field count may have changed it). */
  get layoutState(): LayoutState {
    return { layout: this.layout, explicit: this.explicit };
  }

  /** Lines of the current file (or range) read so far. */
  get lines(): number {
    return this.lineNo;
  }

  /** Passes skipped lines found elsewhere (by a worker) to onSkipped, within the same budget. */
  forwardSkipped(lines: readonly SkippedLine[]): void {
    for (const line of lines) {
      if (!this.o.onSkipped || this.reported >= this.o.reportSkipped) return;
      this.reported++;
      this.o.onSkipped(line);
    }
  }

  /** Scans a chunk (copied in): for inputs that arrive in buffers of their own, like gzip. */
  feed(chunk: Uint8Array): void {
    if (this.document) {
      this.document.push(Buffer.from(chunk));
      return;
    }
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, DATA_CAP - this.fill);
      this.b.set(chunk.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      this.drain();
      // drain() switches to document mode when the file turns out to be one JSON document
      const document = this.document as Buffer[] | undefined;
      if (document) {
        document.push(Buffer.from(chunk.subarray(off)));
        return;
      }
    }
  }

  /**
   * The free end of the scanner's buffer, for a reader to fill in place (no copy); then call
   * `written(n)`. Never empty.
   */
  writable(): Uint8Array {
    return this.b.subarray(this.fill, DATA_CAP);
  }

  /** Scans the `n` bytes a reader put into `writable()`. */
  written(n: number): void {
    if (this.document) {
      this.document.push(Buffer.from(this.b.subarray(this.fill, this.fill + n)));
      return;
    }
    this.fill += n;
    this.drain();
  }

  /** Ends the current file: its last line may lack a newline; a JSON document is parsed now. */
  endFile(): void {
    if (!this.document && this.fill > 0) {
      this.b[this.fill++] = NL;
      this.drain();
    }
    if (this.document) this.endDocument(Buffer.concat(this.document));
    this.fill = 0;
  }

  /** Counts a file-level problem (e.g. truncated gzip) as one skipped line. */
  skipFile(reason: string): void {
    this.skip(this.lineNo + 1, reason, '');
  }

  private use(layout: FieldLayout, explicit: boolean): void {
    this.layout = layout;
    this.stepSkips = layout.stepSkips;
    this.stepRoles = layout.stepRoles;
    this.tailFields = layout.tailFields;
    this.fieldCount = layout.fieldCount;
    this.explicit = explicit;
    this.at.fill(-1);
  }

  private drain(): void {
    const b = this.b;
    if (this.fill === 0) return;
    let s = 0;
    if (this.discarding) {
      const nl = b.indexOf(NL);
      if (nl < 0 || nl >= this.fill) {
        this.fill = 0;
        return;
      }
      this.discarding = false;
      s = nl + 1;
    }
    const last = b.lastIndexOf(NL, this.fill - 1);
    if (last < s) {
      if (s === 0 && this.fill === DATA_CAP) {
        this.skip(this.lineNo + 1, `line longer than ${DATA_CAP} bytes`, '');
        this.lineNo++;
        this.discarding = true;
        this.fill = 0;
      } else {
        b.copyWithin(0, s, this.fill);
        this.fill -= s;
      }
      return;
    }
    while (s <= last) {
      this.lineNo++;
      const c = b[s]!;
      if (c === NL || (c === CR && b[s + 1] === NL)) {
        s = b[s] === NL ? s + 1 : s + 2;
        continue;
      }
      if (this.firstLine) {
        this.firstLine = false;
        if (this.startsDocument(s)) return;
        if (this.tryHeader(s)) {
          s = b.indexOf(NL, s) + 1;
          continue;
        }
      }
      s = (c === 123 ? this.jsonLine(s) : this.record(s)) + 1;
    }
    b.copyWithin(0, s, this.fill);
    this.fill -= s;
  }

  /** Reads the record starting at `s`; returns the index of its newline. */
  private record(s: number): number {
    const v = this.v;
    const skips = this.stepSkips;
    const roles = this.stepRoles;
    const at = this.at;
    const steps = skips.length;
    let i = s;
    for (let j = 0; j < steps; j++) {
      const k = skips[j]!;
      if (k > 0) {
        i = skipFields(v, i, k);
        if (i < 0) {
          this.malformed(s, -1 - i, FIELD_COUNT);
          return -1 - i;
        }
      }
      at[roles[j]!] = i;
    }
    const end = lineEnd(v, i);
    const nl = end >> 8;
    const problem = (end & 255) === this.tailFields ? this.count() : FIELD_COUNT;
    if (problem !== undefined) this.malformed(s, nl, problem);
    return nl;
  }

  /** Attributes the record whose fields `at` points to; returns a problem, or undefined when fine. */
  private count(): string | undefined {
    const b = this.b;
    const at = this.at;
    const tally = this.o.tally;
    let egress = false;
    const dirAt = at[ROLE_FLOW_DIRECTION]!;
    if (dirAt >= 0) {
      const d = b[dirAt]!;
      if (d === 105 /* i */) {
        tally.records++;
        tally.ingress++;
        return undefined;
      }
      if (d === 101 /* e */) egress = true;
      else if (d !== DASH) return 'flow-direction is neither ingress nor egress';
    }
    const bytes = parseCount(b, at[ROLE_BYTES]!);
    if (bytes === INVALID) return 'bytes is not a number';

    // Packet addresses carry the pod IPs; the ENI addresses are the fallback.
    let srcAt = at[ROLE_PKT_SRCADDR]!;
    if (srcAt < 0 || isMissing(b, srcAt)) srcAt = at[ROLE_SRCADDR]!;
    let dstAt = at[ROLE_PKT_DSTADDR]!;
    if (dstAt < 0 || isMissing(b, dstAt)) dstAt = at[ROLE_DSTADDR]!;
    const src = srcAt < 0 ? MISSING : parseIPv4At(b, srcAt);
    const dst = dstAt < 0 ? MISSING : parseIPv4At(b, dstAt);
    if (src === INVALID || dst === INVALID) return 'address is not an IP address';
    const zones = this.o.zones;
    let srcZone = src >= 0 ? zones.table.lookup4(src) : src === NOT_IPV4 ? this.zoneOfText(srcAt) : -1;
    const dstZone = dst >= 0 ? zones.table.lookup4(dst) : dst === NOT_IPV4 ? this.zoneOfText(dstAt) : -1;
    if (srcZone === -2 || dstZone === -2) return 'address is not an IP address';

    let bytes2: number;
    if (egress) {
      // Logged by the sender's ENI: az-id is the source zone.
      const azAt = at[ROLE_AZ_ID]!;
      if (azAt >= 0) {
        const z = zones.zoneOfAzId(b, azAt);
        if (z >= 0) srcZone = z;
      }
      tally.egress++;
      bytes2 = 2 * bytes;
    } else {
      // No direction: a flow between two mapped subnets is logged by both ENIs, so each copy counts half.
      tally.undirected++;
      bytes2 = srcZone >= 0 && dstZone >= 0 ? bytes : 2 * bytes;
    }
    tally.records++;
    if (bytes <= 0) return undefined;
    tally.add(srcZone, dstZone, bytes2);
    const startAt = at[ROLE_START]!;
    const endAt = at[ROLE_END]!;
    if (startAt >= 0 && endAt >= 0) {
      const start = parseCount(b, startAt);
      const end = parseCount(b, endAt);
      if (start >= 0 && end >= 0) tally.window(start, end);
    }
    const services = this.o.services;
    if (services) {
      const from = src >= 0 ? services.table.lookup4(src) : src === NOT_IPV4 ? this.serviceOfText(srcAt) : -1;
      const to = dst >= 0 ? services.table.lookup4(dst) : dst === NOT_IPV4 ? this.serviceOfText(dstAt) : -1;
      tally.addService(from, to, bytes2, srcZone >= 0 && dstZone >= 0 && srcZone !== dstZone);
    }
    return undefined;
  }

  private fieldText(p: number): string {
    return this.buf.toString('latin1', p, fieldEnd(this.v, p)).replace(/\r$/, '');
  }

  /** Zone of an IPv6 address at `p`: index, -1 unknown, -2 not an address. */
  private zoneOfText(p: number): number {
    const v6 = parseIPv6(this.fieldText(p));
    return v6 === undefined ? -2 : this.o.zones.table.lookup6(v6);
  }

  private serviceOfText(p: number): number {
    const v6 = parseIPv6(this.fieldText(p));
    return v6 === undefined ? -1 : this.o.services!.table.lookup6(v6);
  }

  /**
   * Slow path for a line the current format cannot read: it may be a header (files concatenated
   * with cat), or tell the format by its field count; otherwise it is skipped.
   */
  private malformed(s: number, nl: number, problem: string): void {
    const text = this.buf.toString('latin1', s, nl);
    const fields = text.replace(/\r$/, '').split(' ').length;
    if (problem === FIELD_COUNT) problem = `${fields} fields, the format has ${this.fieldCount}`;
    const header = headerLayoutOrUndefined(text);
    if (header) {
      this.use(header, true);
      return;
    }
    if (!this.explicit) {
      const inferred = inferredLayout(fields);
      if (inferred && inferred !== this.layout) {
        this.use(inferred, false);
        this.record(s);
        return;
      }
    }
    this.skip(this.lineNo, problem, text);
  }

  private skip(line: number, reason: string, text: string): void {
    this.o.tally.skipped++;
    if (this.o.onSkipped && this.reported < this.o.reportSkipped) {
      this.reported++;
      this.o.onSkipped({ file: this.file, line, reason, text: text.length > 120 ? `${text.slice(0, 117)}...` : text });
    }
  }

  private tryHeader(s: number): boolean {
    const c = this.b[s]!;
    if (c < 97 || c > 122) return false;
    const nl = this.b.indexOf(NL, s);
    const header = headerLayoutOrUndefined(this.buf.toString('latin1', s, nl));
    if (header) this.use(header, true);
    return header !== undefined;
  }

  /** CloudWatch JSON line: `{"message": "<record>", ...}` or a subscription payload with logEvents. */
  private jsonLine(s: number): number {
    const nl = this.b.indexOf(NL, s);
    const text = this.buf.toString('utf8', s, nl);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.skip(this.lineNo, 'not valid JSON', text);
      return nl;
    }
    const messages = messagesOf(value);
    if (!messages) this.skip(this.lineNo, 'JSON line without a "message"', text);
    else for (const m of messages) this.message(m, this.lineNo);
    return nl;
  }

  /** Runs one record held in a string through the byte path, via the scratch area. */
  private message(text: string, line: number): void {
    const saved = this.lineNo;
    this.lineNo = line;
    const clean = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (clean.length >= SCRATCH_CAP || clean.includes('\n')) {
      this.skip(line, 'message is not one flow-log record', clean);
    } else if (clean.length > 0) {
      const n = this.buf.write(clean, SCRATCH, 'latin1');
      this.b[SCRATCH + n] = NL;
      this.record(SCRATCH);
    }
    this.lineNo = saved;
  }

  /**
   * A file whose first line is `{` alone or starts with `[` is one pretty-printed JSON document
   * (`aws logs filter-log-events` output): it is collected and parsed at the end of the file.
   */
  private startsDocument(s: number): boolean {
    const nl = this.b.indexOf(NL, s);
    const first = this.buf.toString('latin1', s, nl).trim();
    if (first !== '{' && !first.startsWith('[')) return false;
    this.document = [Buffer.from(this.b.subarray(s, this.fill))];
    this.fill = 0;
    return true;
  }

  private endDocument(data: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch (err) {
      this.skip(this.lineNo, `not a flow-log JSON document (${(err as Error).message})`, '');
      return;
    }
    const events = Array.isArray(value) ? value : (value as { events?: unknown })?.events;
    if (!Array.isArray(events)) {
      this.skip(this.lineNo, 'JSON document without an "events" list', '');
      return;
    }
    events.forEach((e, k) => {
      const m = (e as { message?: unknown })?.message;
      if (typeof m === 'string') this.message(m, k + 1);
      else this.skip(k + 1, 'event without a "message"', JSON.stringify(e) ?? '');
    });
  }
}

function messagesOf(value: unknown): string[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { message?: unknown; logEvents?: unknown; events?: unknown };
  if (typeof v.message === 'string') return [v.message];
  // a CloudWatch subscription payload (logEvents) or a one-line filter-log-events output (events)
  const list = Array.isArray(v.logEvents) ? v.logEvents : Array.isArray(v.events) ? v.events : undefined;
  if (!list) return undefined;
  const out = list.map((e: { message?: unknown }) => e?.message).filter((m): m is string => typeof m === 'string');
  return out.length === list.length ? out : undefined;
}

function headerLayoutOrUndefined(text: string): FieldLayout | undefined {
  try {
    return headerLayout(text);
  } catch (err) {
    if (err instanceof FormatError) return undefined;
    throw err;
  }
}
