/**
 * The streaming flow-log scanner: bytes in, tally out, in constant memory.
 *
 * Speed comes from never turning a record into strings: bytes land in one fixed buffer (plain
 * files are read straight into it), fields are found four bytes at a time (SWAR over 32-bit
 * words), a format is compiled into "skip k fields, note this one" steps, and addresses and
 * numbers are parsed from the bytes of counted records only.
 * Anything unusual (JSON lines, headers, malformed lines) leaves the hot path for a slow one.
 * The byte-level helpers live in record-bytes.ts, the CloudWatch JSON unwrapping in cloudwatch.ts.
 */
import {
  FormatError, headerLayout, inferredLayout, ROLE_AZ_ID, ROLE_BYTES, ROLE_COUNT, ROLE_DSTADDR, ROLE_END,
  ROLE_FLOW_DIRECTION, ROLE_PKT_DSTADDR, ROLE_PKT_SRCADDR, ROLE_SRCADDR, ROLE_START, type FieldLayout,
} from './layout.js';
import { parseIPv6 } from './addresses.js';
import { opensDocument, unwrapDocument, unwrapJsonLine, type Unwrapped } from './cloudwatch.js';
import {
  CR, DASH, fieldEnd, INVALID, isMissing, LINE_END_SHIFT, LOWER_A, LOWER_E, LOWER_I, LOWER_Z, lineEnd, MAX_COUNTED_SPACES, MAX_RECORD_BYTES, MISSING, NL,
  NOT_AN_ADDRESS, NOT_IPV4, OPEN_BRACE, parseCount, parseIPv4At, skipFields, TOO_LARGE, UNKNOWN_ZONE,
} from './record-bytes.js';
import type { ServiceMap } from './services.js';
import type { Tally, TallySnapshot } from './tally.js';
import type { ZoneIndex } from './zone-index.js';

/** A line that could not be read as a record. */
export interface SkippedLine {
  readonly file: string;
  /** 1-based line number (for JSON documents: the event's 1-based position). */
  readonly line: number;
  readonly reason: string;
  /** The start of the line, for the message. */
  readonly text: string;
  /**
   * Damage to the file itself (a gzip member that fails its check): always reported, beyond the
   * `reportSkipped` budget of malformed-line notes.
   */
  readonly damage?: boolean;
}

/** Longest line kept; longer ones are skipped as malformed (flow-log records are ~100-400 bytes). */
const DATA_CAP = 1 << 20;
/** Room for one CloudWatch message copied out of its JSON line. */
const SCRATCH_CAP = 1 << 16;
/** Where the scratch area starts: after the data area and the word reads' overrun room. */
const SCRATCH = DATA_CAP + 16;

/** Stands for "wrong number of fields" until the slow path words it. */
const FIELD_COUNT = 'field count';

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
  /** Only records whose `start` is in [from, to) are read; others are passed over (not counted). */
  readonly startRange?: { readonly from: number; readonly to: number };
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
  private memberStart: TallySnapshot | undefined;

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

  /** Counts a file-level problem (e.g. truncated gzip) as one skipped line, always reported. */
  skipFile(reason: string): void {
    this.skip(this.lineNo + 1, reason, '', true);
  }

  /** Marks the start of a gzip member: its records are taken back if the member proves damaged. */
  beginMember(): void {
    this.memberStart = this.o.tally.snapshot();
  }

  /**
   * The member since `beginMember` failed its check (CRC or length): none of its records count,
   * and the damage is one skipped line that is always reported.
   */
  damagedMember(reason: string): void {
    if (this.memberStart) this.o.tally.restore(this.memberStart);
    this.memberStart = undefined;
    this.fill = 0;
    this.skip(this.lineNo + 1, reason, '', true);
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
      s = (c === OPEN_BRACE ? this.jsonLine(s) : this.record(s)) + 1;
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
    const nl = end >> LINE_END_SHIFT;
    const problem = (end & MAX_COUNTED_SPACES) === this.tailFields ? this.count() : FIELD_COUNT;
    if (problem !== undefined) this.malformed(s, nl, problem);
    return nl;
  }

  /** Attributes the record whose fields `at` points to; returns a problem, or undefined when fine. */
  private count(): string | undefined {
    const b = this.b;
    const at = this.at;
    const tally = this.o.tally;
    const range = this.o.startRange;
    if (range !== undefined) {
      const startAt = at[ROLE_START]!;
      const start = startAt >= 0 ? parseCount(b, startAt) : MISSING;
      if (start >= 0 && (start < range.from || start >= range.to)) return undefined;
    }
    let egress = false;
    const dirAt = at[ROLE_FLOW_DIRECTION]!;
    if (dirAt >= 0) {
      const d = b[dirAt]!;
      if (d === LOWER_I /* ingress */) {
        tally.records++;
        tally.ingress++;
        return undefined;
      }
      if (d === LOWER_E /* egress */) egress = true;
      else if (d !== DASH) return 'flow-direction is neither ingress nor egress';
    }
    const bytes = parseCount(b, at[ROLE_BYTES]!);
    if (bytes === INVALID) return 'bytes is not a number';
    if (bytes === TOO_LARGE) return `bytes exceeds ${MAX_RECORD_BYTES}, more than one record can carry`;

    // Packet addresses carry the pod IPs; the ENI addresses are the fallback.
    let srcAt = at[ROLE_PKT_SRCADDR]!;
    if (srcAt < 0 || isMissing(b, srcAt)) srcAt = at[ROLE_SRCADDR]!;
    let dstAt = at[ROLE_PKT_DSTADDR]!;
    if (dstAt < 0 || isMissing(b, dstAt)) dstAt = at[ROLE_DSTADDR]!;
    const src = srcAt < 0 ? MISSING : parseIPv4At(b, srcAt);
    const dst = dstAt < 0 ? MISSING : parseIPv4At(b, dstAt);
    if (src === INVALID || dst === INVALID) return 'address is not an IP address';
    const zones = this.o.zones;
    let srcZone = src >= 0 ? zones.table.lookup4(src) : src === NOT_IPV4 ? this.zoneOfText(srcAt) : UNKNOWN_ZONE;
    const dstZone = dst >= 0 ? zones.table.lookup4(dst) : dst === NOT_IPV4 ? this.zoneOfText(dstAt) : UNKNOWN_ZONE;
    if (srcZone === NOT_AN_ADDRESS || dstZone === NOT_AN_ADDRESS) return 'address is not an IP address';

    // bytes2: the record's contribution in half-bytes. A flow logged by both of its ENIs without a
    // flow direction counts half per copy; counting in half-bytes keeps every total an integer
    // (exact in a float64), and the summary divides by 2 once at the end.
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
      const from = src >= 0 ? services.table.lookup4(src) : src === NOT_IPV4 ? this.serviceOfText(srcAt) : UNKNOWN_ZONE;
      const to = dst >= 0 ? services.table.lookup4(dst) : dst === NOT_IPV4 ? this.serviceOfText(dstAt) : UNKNOWN_ZONE;
      tally.addService(from, to, bytes2, srcZone >= 0 && dstZone >= 0 && srcZone !== dstZone, srcZone);
    }
    return undefined;
  }

  private fieldText(p: number): string {
    return this.buf.toString('latin1', p, fieldEnd(this.v, p)).replace(/\r$/, '');
  }

  /** Zone of an IPv6 address at `p`: its index, UNKNOWN_ZONE or NOT_AN_ADDRESS. */
  private zoneOfText(p: number): number {
    const v6 = parseIPv6(this.fieldText(p));
    return v6 === undefined ? NOT_AN_ADDRESS : this.o.zones.table.lookup6(v6);
  }

  private serviceOfText(p: number): number {
    const v6 = parseIPv6(this.fieldText(p));
    return v6 === undefined ? UNKNOWN_ZONE : this.o.services!.table.lookup6(v6);
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
    // The note shows the line as the user wrote it (UTF-8), not byte by byte.
    this.skip(this.lineNo, problem, this.buf.toString('utf8', s, nl));
  }

  private skip(line: number, reason: string, text: string, damage = false): void {
    this.o.tally.skipped++;
    if (!this.o.onSkipped) return;
    const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    if (damage) this.o.onSkipped({ file: this.file, line, reason, text: shown, damage });
    else if (this.reported < this.o.reportSkipped) {
      this.reported++;
      this.o.onSkipped({ file: this.file, line, reason, text: shown });
    }
  }

  private tryHeader(s: number): boolean {
    const c = this.b[s]!;
    if (c < LOWER_A || c > LOWER_Z) return false;
    const nl = this.b.indexOf(NL, s);
    const header = headerLayoutOrUndefined(this.buf.toString('latin1', s, nl));
    if (header) this.use(header, true);
    return header !== undefined;
  }

  /** CloudWatch JSON line: `{"message": "<record>", ...}` or a subscription payload with logEvents. */
  private jsonLine(s: number): number {
    const nl = this.b.indexOf(NL, s);
    const text = this.buf.toString('utf8', s, nl);
    const line = this.lineNo;
    const r = unwrapJsonLine(text);
    if ('problem' in r) this.skip(line, r.problem, text);
    else this.unwrapped(r.items, () => line);
    return nl;
  }

  /** Runs each record of a wrapper through the byte path; an event without one is one skipped line. */
  private unwrapped(items: readonly Unwrapped[], lineOf: (item: Unwrapped) => number): void {
    for (const item of items) {
      if ('message' in item) this.message(item.message, lineOf(item));
      else this.skip(lineOf(item), item.problem, item.text);
    }
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
    if (!opensDocument(this.buf.toString('latin1', s, nl))) return false;
    this.document = [Buffer.from(this.b.subarray(s, this.fill))];
    this.fill = 0;
    return true;
  }

  private endDocument(data: Buffer): void {
    const r = unwrapDocument(data.toString('utf8'));
    if ('problem' in r) this.skip(this.lineNo, r.problem, '');
    // a document's events are numbered by their position in the events list
    else this.unwrapped(r.items, (item) => item.index);
  }
}

function headerLayoutOrUndefined(text: string): FieldLayout | undefined {
  try {
    return headerLayout(text);
  } catch (err) {
    if (err instanceof FormatError) return undefined;
    throw err;
  }
}
