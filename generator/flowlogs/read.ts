/**
 * Feeding files to the scanner: plain text read straight into the scanner's buffer, gzip through
 * zlib (detected by its magic bytes, inflated on the thread pool while the scanner works).
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { FlowLogScanner } from './scanner.js';

const CHUNK = 1 << 20;
const YIELD_BYTES = 64 << 20;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Streams a whole file (plain or gzip) into the scanner. */
export async function scanFile(path: string, scanner: FlowLogScanner): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (isGzip(head.subarray(0, bytesRead))) await scanGzip(fh, scanner);
    else await scanRange(fh, scanner, 0, Infinity);
  } finally {
    await fh.close();
  }
}

/**
 * Streams bytes [start, end) of a plain file into the scanner, reading straight into its buffer.
 * Reads are synchronous (from the page cache they are memcpys, cheaper than a thread-pool round
 * trip); the event loop gets a turn every YIELD_BYTES so callers in a server stay responsive.
 */
export async function scanRange(fh: FileHandle, scanner: FlowLogScanner, start: number, end: number): Promise<void> {
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
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Gzip (several concatenated members too); a damaged tail is counted as skipped, not fatal. */
async function scanGzip(fh: FileHandle, scanner: FlowLogScanner): Promise<void> {
  const source = fh.createReadStream({ start: 0, highWaterMark: CHUNK, autoClose: false });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    for await (const data of gunzip) scanner.feed(data as Buffer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined || !code.startsWith('Z_')) throw err;
    scanner.skipFile(`gzip data is damaged (${(err as Error).message}); the rest of the file was not read`);
  } finally {
    source.destroy();
  }
}
