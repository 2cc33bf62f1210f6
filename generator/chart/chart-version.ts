/**
 * The two questions the managed chart version asks of the previous Chart.yaml's version: is it a
 * semantic version, and what is the next patch release. Answered as npm's semver 7 answers them
 * (`valid`, `inc(v, 'patch')`; test/chart/chart-version.test.ts compares the two on the tricky
 * cases and on random strings), without loading semver: its module builds some 120 regular
 * expressions when it loads, 2-3 ms of every `zonal generate`, for two questions about one string.
 */

/** A Semantic Versioning 2.0.0 version (semver.org's grammar), led by a `v` as semver also reads it. */
const SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:[0-9]*[A-Za-z-][0-9A-Za-z-]*|0|[1-9][0-9]*)(?:\.(?:[0-9]*[A-Za-z-][0-9A-Za-z-]*|0|[1-9][0-9]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** semver refuses longer version strings. */
const MAX_LENGTH = 256;

interface Parsed {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The pre-release identifiers after `-`, if any. */
  readonly prerelease?: string;
}

function parse(version: string): Parsed | undefined {
  if (version.length > MAX_LENGTH) return undefined;
  // semver trims the string first (every Unicode blank, as String.prototype.trim does).
  const m = SEMVER.exec(version.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  // Beyond 2^53 - 1 a number is no longer exact: semver refuses such a version.
  if (major > Number.MAX_SAFE_INTEGER || minor > Number.MAX_SAFE_INTEGER || patch > Number.MAX_SAFE_INTEGER) return undefined;
  return { major, minor, patch, ...(m[4] !== undefined ? { prerelease: m[4] } : {}) };
}

/** Whether `version` is a semantic version (semver's `valid` is not null). */
export function isSemver(version: string): boolean {
  return parse(version) !== undefined;
}

/**
 * The next patch release (semver's `inc(version, 'patch')`): 1.2.3 -> 1.2.4; a pre-release goes
 * to its own release (1.2.3-rc.1 -> 1.2.3); build metadata and a leading `v` are dropped.
 * Undefined when `version` is not a semantic version.
 */
export function nextPatch(version: string): string | undefined {
  const v = parse(version);
  if (!v) return undefined;
  return `${v.major}.${v.minor}.${v.prerelease === undefined ? v.patch + 1 : v.patch}`;
}
