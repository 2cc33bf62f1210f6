/**
 * What `zonal flowlogs analyze FILE...` reads: files and folders (walked, as `aws s3 sync` brings
 * an S3 prefix down), each real file once, Parquet told apart from text/gzip by its magic bytes,
 * and S3 partitions outside the `--since/--until` days left unread.
 */
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileErrorReason, InputError } from '../errors.js';
import { isParquet } from './parquet.js';

/** Unix seconds [from, to): the days `--since` to `--until`, both included. */
export interface StartRange {
  readonly from: number;
  readonly to: number;
}

const DAY = 86_400;

/** Seconds of `YYYY-MM-DD` 00:00 UTC, or undefined when it is not a real date (2025-02-31). */
export function dayStart(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 1000;
}

/**
 * `--since`/`--until` as a start range; bad input (an impossible date, since after until) is an
 * InputError naming the command.
 */
export function dayRange(command: string, since: string | undefined, until: string | undefined): StartRange | undefined {
  if (since === undefined && until === undefined) return undefined;
  const problems: string[] = [];
  const parse = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const s = dayStart(v);
    if (s === undefined) problems.push(`zonal ${command}: ${flag} ${JSON.stringify(v)} is not a date (write a real day as YYYY-MM-DD, e.g. 2025-02-28)`);
    return s;
  };
  const from = parse('--since', since);
  const to = parse('--until', until);
  if (from !== undefined && to !== undefined && from > to) {
    problems.push(`zonal ${command}: --since ${since} is after --until ${until} (give the earlier day first)`);
  }
  if (problems.length) throw new InputError(problems);
  return { from: from ?? 0, to: to === undefined ? Number.MAX_SAFE_INTEGER : to + DAY };
}

/**
 * The time a file's S3 partition covers, from its path: Hive-compatible
 * (`year=2025/month=01/day=31[/hour=07]`) or AWS's plain layout (`vpcflowlogs/<region>/2025/01/31[/07]`).
 */
export function partitionOf(path: string): StartRange | undefined {
  const p = path.replace(/\\/g, '/');
  const m = /(?:^|\/)year=(\d{4})\/month=(\d{2})\/day=(\d{2})(?:\/hour=(\d{2}))?\//.exec(p)
    ?? /\/vpcflowlogs\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})(?:\/(\d{2}))?\//.exec(p);
  if (!m) return undefined;
  const day = dayStart(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === undefined) return undefined;
  if (m[4] === undefined) return { from: day, to: day + DAY };
  const from = day + Number(m[4]) * 3600;
  return { from, to: from + 3600 };
}

/**
 * Slack around a partition: records are filed by delivery time, so a record may start up to an
 * aggregation interval (10 min) plus delivery delay before its partition; an hour covers it.
 */
const PARTITION_SLACK = 3600;

export interface InputFiles {
  /** Text, gzip and CloudWatch JSON files, in the order given. */
  readonly streams: readonly string[];
  /**
   * The Parquet files per FILE argument, in the order given: each argument is one input whose time
   * window is compared with the others' (two copies of the same S3 hours are reported).
   */
  readonly parquetInputs: ReadonlyArray<{ readonly input: string; readonly files: readonly string[] }>;
  /** Files left out because their partition is outside the days asked for. */
  readonly pruned: number;
  readonly warnings: readonly string[];
}

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

/**
 * Expands and classifies the inputs. `shown(path)` gives the name to use in messages. A path
 * that cannot be read is an InputError; a file given twice (directly, through a folder or a
 * link) is read once, with a warning.
 */
export function collectInputs(command: string, paths: readonly string[], range: StartRange | undefined, shown: (p: string) => string): InputFiles {
  const files: string[] = [];
  /** The FILE argument each file came from. */
  const argumentOf = new Map<string, string>();
  const problems: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(`zonal ${command}: cannot read ${shown(p)} (${code === 'ENOENT' ? 'no such file or folder; check the path' : fileErrorReason(err, 'input')})`);
      continue;
    }
    const before = files.length;
    if (st.isDirectory()) walk(p, files);
    else files.push(p);
    for (const f of files.slice(before)) if (!argumentOf.has(f)) argumentOf.set(f, p);
  }
  if (problems.length) throw new InputError(problems);
  const seen = new Map<string, string>();
  const streams: string[] = [];
  const parquetInputs = new Map<string, string[]>();
  const warnings: string[] = [];
  let pruned = 0;
  for (const f of files) {
    let key: string;
    try {
      const st = statSync(f);
      // device and inode: the same file through a folder, a link or another spelling of its path
      key = st.ino ? `${st.dev}:${st.ino}` : realpathSync(f);
    } catch {
      key = f;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      warnings.push(`${shown(f)} is the same file as ${shown(first)}: counted once`);
      continue;
    }
    seen.set(key, f);
    if (range) {
      const part = partitionOf(f);
      if (part && (part.to + PARTITION_SLACK <= range.from || part.from - PARTITION_SLACK >= range.to)) {
        pruned++;
        continue;
      }
    }
    let magic: Buffer;
    try {
      magic = head(f);
    } catch (err) {
      throw new InputError([`zonal ${command}: cannot read ${shown(f)} (${fileErrorReason(err, 'input')})`]);
    }
    if (isParquet(magic)) {
      const input = argumentOf.get(f) ?? f;
      parquetInputs.set(input, [...(parquetInputs.get(input) ?? []), f]);
    } else {
      streams.push(f);
    }
  }
  return { streams, parquetInputs: [...parquetInputs].map(([input, group]) => ({ input, files: group })), pruned, warnings };
}
