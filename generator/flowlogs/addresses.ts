/**
 * IP addresses and CIDR prefix tables for zone and service attribution. IPv4 addresses are plain
 * numbers (0 .. 2^32-1) so the hot path never allocates; IPv6 (rare in EKS, but valid in flow logs)
 * goes through BigInt on a slow path.
 */

/** Parses dotted-quad IPv4 text into a number, or undefined if it is not exactly that. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let ip = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    ip = ip * 256 + n;
  }
  return ip;
}

/** Parses IPv6 text (with `::` compression and an optional embedded IPv4 tail) into a BigInt. */
export function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  let head = text;
  let v4Tail: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    v4Tail = parseIPv4(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) value = (value & ~0xffffffffn) | BigInt(v4Tail);
  return value;
}

export type Cidr =
  | { readonly family: 4; readonly first: number; readonly last: number; readonly prefix: number }
  | { readonly family: 6; readonly network: bigint; readonly prefix: number };

/**
 * Parses `a.b.c.d/n` or an IPv6 `x::/n`; a bare address is a host route (/32 or /128).
 * Host bits must be zero, as AWS requires for subnet CIDRs, except for host routes.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) {
    const prefix = bitsText === undefined ? 32 : Number(bitsText);
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    if (v4 % size !== 0) return undefined;
    return { family: 4, first: v4, last: v4 + size - 1, prefix };
  }
  const v6 = parseIPv6(addr);
  if (v6 === undefined) return undefined;
  const prefix = bitsText === undefined ? 128 : Number(bitsText);
  if (prefix > 128) return undefined;
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  if ((v6 & hostMask) !== 0n) return undefined;
  return { family: 6, network: v6, prefix };
}

/**
 * Longest-prefix-match table from CIDRs to small integer values. IPv4 prefixes are flattened into
 * sorted, disjoint intervals (CIDR blocks are either nested or disjoint, so one stack sweep does
 * it) and looked up by binary search over typed arrays: no allocation per lookup.
 */
export class PrefixTable {
  /**
   * The IPv4 table as sorted, disjoint intervals (what lookup4 searches), for engines that match
   * addresses themselves (the DuckDB queries use them, so both agree on every address).
   */
  readonly intervals4: ReadonlyArray<{ readonly first: number; readonly last: number; readonly value: number }>;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly values: Int32Array;
  private readonly v6: ReadonlyArray<{ network: bigint; mask: bigint; value: number }>;

  constructor(entries: ReadonlyArray<{ cidr: Cidr; value: number }>) {
    const v4 = entries
      .map((e, order) => ({ ...e, order }))
      .filter((e): e is { cidr: Extract<Cidr, { family: 4 }>; value: number; order: number } => e.cidr.family === 4)
      .sort((a, b) => a.cidr.first - b.cidr.first || a.cidr.prefix - b.cidr.prefix || a.order - b.order);
    const out: Array<{ first: number; last: number; value: number }> = [];
    const emit = (first: number, last: number, value: number) => {
      if (first > last) return;
      const prev = out[out.length - 1];
      if (prev && prev.value === value && prev.last + 1 === first) prev.last = last;
      else out.push({ first, last, value });
    };
    const stack: Array<{ last: number; value: number }> = [];
    let cursor = 0;
    const popUntil = (limit: number) => {
      while (stack.length > 0 && stack[stack.length - 1]!.last < limit) {
        const top = stack.pop()!;
        emit(cursor, top.last, top.value);
        cursor = top.last + 1;
      }
    };
    for (const e of v4) {
      popUntil(e.cidr.first);
      const top = stack[stack.length - 1];
      if (top) emit(cursor, e.cidr.first - 1, top.value);
      cursor = e.cidr.first;
      stack.push({ last: e.cidr.last, value: e.value });
    }
    popUntil(Infinity);
    this.intervals4 = out;
    this.starts = Float64Array.from(out, (o) => o.first);
    this.ends = Float64Array.from(out, (o) => o.last);
    this.values = Int32Array.from(out, (o) => o.value);
    this.v6 = entries
      .filter((e): e is { cidr: Extract<Cidr, { family: 6 }>; value: number } => e.cidr.family === 6)
      .map((e, order) => ({ ...e, order }))
      .sort((a, b) => b.cidr.prefix - a.cidr.prefix || b.order - a.order)
      .map((e) => ({
        network: e.cidr.network,
        mask: ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - e.cidr.prefix)) - 1n),
        value: e.value,
      }));
  }

  /** Value of the most specific prefix containing the IPv4 address, or -1. */
  lookup4(ip: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && ip <= this.ends[hi]! ? this.values[hi]! : -1;
  }

  /** Value of the most specific prefix containing the IPv6 address, or -1. */
  lookup6(ip: bigint): number {
    for (const e of this.v6) if ((ip & e.mask) === e.network) return e.value;
    return -1;
  }

  /** Looks up an address given as text (either family); -1 when unknown or unparseable. */
  lookupText(text: string): number {
    const v4 = parseIPv4(text);
    if (v4 !== undefined) return this.lookup4(v4);
    const v6 = parseIPv6(text);
    return v6 === undefined ? -1 : this.lookup6(v6);
  }
}
