/**
 * The byte level of the flow-log scanner: character codes, field splitting four bytes at a time,
 * and the number and IPv4 parsers that read a field in place. Nothing here allocates; every
 * function takes the record buffer and an index into it.
 */

// Character codes the scanner compares bytes against.
export const NL = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const COLON = 0x3a;
export const DIGIT_0 = 0x30;
export const LOWER_A = 0x61;
export const LOWER_E = 0x65;
export const LOWER_I = 0x69;
export const LOWER_Z = 0x7a;
export const OPEN_BRACE = 0x7b;

/** Four copies of a byte, for comparing a 32-bit word against it in one operation. */
const SPACES = 0x20202020;
const NEWLINES = 0x0a0a0a0a;

/*
 * Sentinels returned by the field parsers in place of a value (all negative: values never are).
 */
/** The field is `-`, AWS's "no value". */
export const MISSING = -1;
/** The field is neither a value of its kind nor `-`. */
export const INVALID = -2;
/** The address field is not IPv4 but has a colon: it may be IPv6 (parsed on the slow path). */
export const NOT_IPV4 = -3;
/** The count is a number above MAX_RECORD_BYTES: refused rather than rounded. */
export const TOO_LARGE = -4;

/*
 * Sentinels of the zone and service lookups (a lookup returns an index >= 0 otherwise).
 */
/** The address is outside every mapped subnet (the end is "unattributed"). */
export const UNKNOWN_ZONE = -1;
/** The field is not an address at all. */
export const NOT_AN_ADDRESS = -2;

/**
 * Largest byte count one record may carry. The tally counts in half-bytes (see `bytes2` in
 * scanner.ts), so twice this must stay an exact float64 integer: 2^52 - 1 bytes (4 PiB) per
 * record, far beyond what one flow-log aggregation interval can carry.
 */
export const MAX_RECORD_BYTES = 2 ** 52 - 1;

/*
 * Field splitting, four bytes at a time (SWAR): an unaligned little-endian word read, then exact
 * "which bytes are zero" masks of word^spaces and word^newlines (high bit of each matching byte
 * set). The caller guarantees a newline at or after `i`, and the buffer has spare bytes past any
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
export function skipFields(v: DataView, i: number, k: number): number {
  for (;;) {
    const word = v.getInt32(i, true);
    let spaces = zeroBytes(word ^ SPACES);
    const newline = zeroBytes(word ^ NEWLINES);
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

/** Most spaces `lineEnd` reports (also the mask of the space count); more are as wrong for any format. */
export const MAX_COUNTED_SPACES = 255;
/** `lineEnd` packs the newline's index above the space count: `index << LINE_END_SHIFT | spaces`. */
export const LINE_END_SHIFT = 8;

/**
 * Index of the newline ending the line at `i`, shifted left by LINE_END_SHIFT, plus the spaces
 * before it (at most MAX_COUNTED_SPACES): two results in one number, so the hot loop allocates
 * nothing. Indices stay below 2^23, so the packed value is a small integer.
 */
export function lineEnd(v: DataView, i: number): number {
  let count = 0;
  for (;;) {
    const word = v.getInt32(i, true);
    let spaces = zeroBytes(word ^ SPACES);
    const newline = zeroBytes(word ^ NEWLINES);
    if (newline !== 0) {
      spaces &= (newline & -newline) - 1;
      return (i + lowestByte(newline)) * (1 << LINE_END_SHIFT) + Math.min(MAX_COUNTED_SPACES, count + bitCount(spaces));
    }
    count += bitCount(spaces);
    i += 4;
  }
}

/** Index of the next space or newline at or after `i`. */
export function fieldEnd(v: DataView, i: number): number {
  for (;;) {
    const word = v.getInt32(i, true);
    const found = zeroBytes(word ^ SPACES) | zeroBytes(word ^ NEWLINES);
    if (found !== 0) return i + lowestByte(found);
    i += 4;
  }
}

export function isTerminator(c: number): boolean {
  return c === SPACE || c === NL || c === CR;
}

/** The field at `p` is `-`, AWS's "missing". */
export function isMissing(b: Uint8Array, p: number): boolean {
  return b[p] === DASH && isTerminator(b[p + 1]!);
}

/** Most digits a count may have: 16 digits still fit a float64 exactly up to 2^53. */
const MAX_DIGITS = 16;

/**
 * Unsigned decimal at `p`: its value, MISSING for `-`, TOO_LARGE above MAX_RECORD_BYTES (refused
 * rather than rounded), INVALID otherwise.
 */
export function parseCount(b: Uint8Array, p: number): number {
  let c = b[p]!;
  if (c === DASH) return isTerminator(b[p + 1]!) ? MISSING : INVALID;
  let v = 0;
  let digits = 0;
  while (c >= DIGIT_0 && c <= DIGIT_0 + 9) {
    v = v * 10 + (c - DIGIT_0);
    c = b[++p]!;
    digits++;
  }
  if (digits === 0 || !isTerminator(c)) return INVALID;
  return digits <= MAX_DIGITS && v <= MAX_RECORD_BYTES ? v : TOO_LARGE;
}

/**
 * IPv4 at `p` as a number; MISSING for `-`, NOT_IPV4 when it may be IPv6, INVALID otherwise.
 * Unrolled per octet (at most three digits each): this runs twice per counted record.
 */
export function parseIPv4At(b: Uint8Array, p: number): number {
  const from = p;
  let ip = 0;
  for (let part = 0; part < 4; part++) {
    let octet = b[p]! - DIGIT_0;
    if (octet >>> 0 > 9) return part === 0 && octet === DASH - DIGIT_0 && isTerminator(b[p + 1]!) ? MISSING : notIPv4(b, from);
    let d = b[++p]! - DIGIT_0;
    if (d >>> 0 <= 9) {
      octet = octet * 10 + d;
      d = b[++p]! - DIGIT_0;
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
  for (let c = b[p]!; !isTerminator(c); c = b[++p]!) if (c === COLON) return NOT_IPV4;
  return INVALID;
}
