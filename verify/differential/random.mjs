// A small seeded PRNG (mulberry32) with the choices the generators need: same seed, same run.
import { execFileSync } from 'node:child_process';

export class Random {
  /** @param {number} seed */
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p) {
    return this.next() < p;
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A random subset (order kept) with at least `min` items. @template T @param {readonly T[]} items */
  subset(items, min = 0) {
    const out = items.filter(() => this.chance(0.5));
    while (out.length < min && out.length < items.length) {
      const c = this.pick(items);
      if (!out.includes(c)) out.push(c);
    }
    return out;
  }

  /** Splits 100 into n positive integer weights. */
  weights(n) {
    if (n <= 0) return [];
    const cuts = new Set();
    while (cuts.size < n - 1) cuts.add(this.int(1, 99));
    const sorted = [0, ...[...cuts].sort((a, b) => a - b), 100];
    return sorted.slice(1).map((v, i) => v - sorted[i]);
  }
}

/** A fresh seed from the clock, printed so a run can be reproduced. */
export function freshSeed() {
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/**
 * The default seed: from the commit checked out (its first 8 hex digits), so every commit explores
 * new configurations while CI, a clean clone and the developer who ran it before pushing all run
 * the same ones; the clock's when there is no git checkout.
 */
export function commitSeed(root) {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (/^[0-9a-f]{8}/.test(head)) return Number.parseInt(head.slice(0, 8), 16) >>> 0;
  } catch {
    // not a git checkout (or no git): fall through
  }
  return freshSeed();
}

/** The random stream of configuration `index` in a run with `seed` (main.mjs; make-case.mjs regenerates one). */
export function configRandom(seed, index) {
  return new Random((seed + Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}
