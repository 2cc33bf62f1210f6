// Builds the Istio oracle (verify/istio, Go) into the git-ignored cache folder .cache/istio-oracle/,
// keyed by a hash of its sources, go.mod, go.sum and the Go version: an unchanged harness is reused,
// so only the first run pays for downloading and compiling Istio.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, copyFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODULE_DIR = join(ROOT, 'verify', 'istio');
export const CACHE_DIR = join(ROOT, '.cache', 'istio-oracle');
const BINARY = 'zonal-istio-oracle';
/** Istio's own CRDs inside the pinned module: the API server's schema checks are built from them. */
const CRD_IN_MODULE = join('manifests', 'charts', 'base', 'files', 'crd-all.gen.yaml');

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.go') || e.name === 'go.mod' || e.name === 'go.sum') out.push(p);
  }
  return out.sort();
}

function go(args, options = {}) {
  return execFileSync('go', args, { cwd: MODULE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

let goVersionText;
/** `go version` (asked once): part of every build's cache key. */
export function goVersion() {
  return (goVersionText ??= go(['version']).trim());
}

/**
 * Builds into the cache folder `cacheDir/name` with `make(tmp)`: into a temporary folder renamed in
 * one step, so that a killed build leaves no half of one; then removes the folders of `cacheDir`
 * that `stale(entry)` says older builds left. Callers check first whether the folder is complete.
 */
export function buildInto(cacheDir, name, make, stale) {
  const dir = join(cacheDir, name);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  make(tmp);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  for (const e of readdirSync(cacheDir)) {
    const p = join(cacheDir, e);
    if (e !== name && stale(e) && statSync(p).isDirectory()) rmSync(p, { recursive: true, force: true });
  }
  return dir;
}

/** The cache key: harness sources + Go version. */
function buildKey() {
  const h = createHash('sha256');
  h.update(goVersion());
  for (const f of sourceFiles(MODULE_DIR)) {
    h.update(relative(MODULE_DIR, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Returns { binary, crds, built, seconds }: the path of an up-to-date oracle binary (building it
 * when the sources changed) and of the CRD file it validates against.
 */
export function ensureOracle(log = (m) => process.stderr.write(`${m}\n`)) {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('verify:istio needs Go (1.26+) on PATH: https://go.dev/dl/');
  }
  const key = buildKey();
  const dir = join(CACHE_DIR, key);
  const binary = join(dir, BINARY);
  const crds = join(dir, 'crd-all.gen.yaml');
  if (existsSync(binary) && existsSync(crds)) return { binary, crds, built: false, seconds: 0 };
  const started = Date.now();
  log(`istio-oracle: building ${relative(ROOT, MODULE_DIR)} (first build downloads and compiles Istio: several minutes)`);
  // Older builds of the harness (every other folder) are of no use any more.
  buildInto(CACHE_DIR, key, (tmp) => {
    // -mod=readonly: go.mod/go.sum pin every module; a build never edits them.
    go(['build', '-mod=readonly', '-trimpath', '-o', join(tmp, BINARY), '.'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const istioDir = go(['list', '-mod=readonly', '-m', '-f', '{{.Dir}}', 'istio.io/istio']).trim();
    copyFileSync(join(istioDir, CRD_IN_MODULE), join(tmp, 'crd-all.gen.yaml'));
  }, () => true);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`istio-oracle: built in ${seconds}s`);
  return { binary, crds, built: true, seconds };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = ensureOracle();
  process.stdout.write(`${r.binary}\n`);
}
