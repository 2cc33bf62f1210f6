/**
 * Feeding files to the scanner: plain text read straight into the scanner's buffer, gzip through
 * zlib member by member (detected by its magic bytes, inflated on the thread pool while the
 * scanner works).
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import type { FlowLogScanner } from './scanner.js';

const CHUNK = 1 << 20;
const YIELD_BYTES = 64 << 20;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Streams a whole file (plain or gzip) into the scanner. */
export async function scanFile(path: string, scanner: FlowLogScanner, onBytes?: (position: number) => void): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (isGzip(head.subarray(0, bytesRead))) await scanGzip(fh, scanner);
    else await scanRange(fh, scanner, 0, Infinity, onBytes);
  } finally {
    await fh.close();
  }
}

/**
 * Streams bytes [start, end) of a plain file into the scanner, reading straight into its buffer.
 * Reads are synchronous (from the page cache they are memcpys, cheaper than a thread-pool round
 * trip); the event loop gets a turn every YIELD_BYTES so callers in a server stay responsive.
 */
export async function scanRange(fh: FileHandle, scanner: FlowLogScanner, start: number, end: number, onBytes?: (position: number) => void): Promise<void> {
  let position = start;
  let sinceYield = 0;
  while (position < end) {
    const area = scanner.writable();
    const n = readSync(fh.fd, area, 0, Math.min(area.length, end - position), position);
    if (n === 0) break;
    position += n;
    scanner.written(n);
    sinceYield += n;
    if (sinceYield >= YIELD_BYTES) {
      sinceYield = 0;
      onBytes?.(position);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** The file's bytes from `start` on, in CHUNK pieces (the handle stays open: the caller owns it). */
async function* chunksFrom(fh: FileHandle, start: number): AsyncGenerator<Buffer> {
  for (let position = start; ;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await fh.read(chunk, 0, CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield chunk.subarray(0, bytesRead);
  }
}

/** Gzip header flag bits (RFC 1952, section 2.3.1). */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const DEFLATE = 8;
/** A member's trailer: CRC-32 and ISIZE (length mod 2^32), little-endian. */
const TRAILER = 8;
const HEADER_PROBE = 64 * 1024;

/** Length of the gzip member header at the start of `b`, or undefined when it is not one. */
function gzipHeaderLength(b: Buffer): number | undefined {
  if (b.length < 10 || !isGzip(b) || b[2] !== DEFLATE) return undefined;
  const flags = b[3]!;
  let p = 10;
  if (flags & FEXTRA) {
    if (p + 2 > b.length) return undefined;
    p += 2 + b.readUInt16LE(p);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = b.indexOf(0, p);
    if (zero < 0) return undefined;
    p = zero + 1;
  }
  if (flags & FHCRC) p += 2;
  return p <= b.length ? p : undefined;
}

/**
 * Gzip, member by member (AWS and `cat a.gz b.gz` concatenate them). zlib inflates each member's
 * deflate stream; the member's CRC-32 and length are checked here, so that a member that fails
 * its check is taken back whole (none of its records count) and reported as damage, and the
 * members after it are still read. A cut-off or undecodable member ends the file (reported too).
 */
async function scanGzip(fh: FileHandle, scanner: FlowLogScanner): Promise<void> {
  const { size } = await fh.stat();
  const probe = Buffer.alloc(HEADER_PROBE);
  let position = 0;
  for (let member = 1; position < size; member++) {
    const { bytesRead } = await fh.read(probe, 0, HEADER_PROBE, position);
    const head = probe.subarray(0, bytesRead);
    const headerLength = gzipHeaderLength(head);
    if (headerLength === undefined) {
      // zero padding after the last member is common (tape-style writers); anything else is damage
      if (member > 1 && head.every((c) => c === 0)) return;
      scanner.skipFile(`gzip member ${member} has no valid header; the rest of the file was not read`);
      return;
    }
    scanner.beginMember();
    const source = Readable.from(chunksFrom(fh, position + headerLength), { objectMode: false });
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    source.on('error', (err) => inflate.destroy(err));
    source.pipe(inflate);
    let crc = 0;
    let length = 0;
    try {
      for await (const data of inflate) {
        crc = crc32(data as Buffer, crc);
        length += (data as Buffer).length;
        scanner.feed(data as Buffer);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === undefined || !code.startsWith('Z_')) throw err;
      scanner.skipFile(`gzip data is damaged in member ${member} (${(err as Error).message}); the rest of the file was not read`);
      return;
    } finally {
      source.unpipe(inflate);
      source.destroy();
    }
    const trailerAt = position + headerLength + inflate.bytesWritten;
    const trailer = Buffer.alloc(TRAILER);
    const { bytesRead: got } = await fh.read(trailer, 0, TRAILER, trailerAt);
    if (got < TRAILER) {
      scanner.skipFile(`gzip data is damaged in member ${member} (unexpected end of file); the rest of the file was not read`);
      return;
    }
    if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== length % 2 ** 32) {
      scanner.damagedMember(`gzip member ${member} fails its CRC-32/length check: its records are not counted`);
    }
    position = trailerAt + TRAILER;
  }
}
