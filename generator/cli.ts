#!/usr/bin/env -S node --v8-pool-size=0
// The `zonal` executable, built into dist/generator/cli.cjs (scripts/tools/bundle-cli.mjs): a
// CommonJS file, because an ES module entry starts Node's ES module loader first (its fs/promises,
// readline and streams), some 10 ms of every run. It runs the program the build bundled into one
// file (dist/generator/bundle/zonal.cjs: resolving and linking some 200 modules was a quarter of a
// small `zonal generate`) with the V8 code cache its command's first successful run left
// (code-cache.ts: lazily compiled functions were another third), and turns on Node's compile cache
// for the modules loaded from outside the bundle (the flow-log worker; cli-progress; ajv and
// Handlebars' compiler when a precompiled module does not apply). The bundle holds the same
// compiled modules that tests import.
//
// The `#!` line sizes V8's background thread pool to the machine (Node's `--v8-pool-size=0`: one
// thread fewer than the CPUs it may use) instead of Node's fixed four. A run compiles a few hundred
// functions with V8's optimising compilers on those threads (some 110 ms of CPU at 100 services
// before v8-tiering.ts made them start later); on a 2-CPU machine four of them took the main
// thread's CPU: 100 services took 14% longer, 1,000 services 9%. The flag can only be given when
// Node starts: `node dist/generator/cli.cjs` runs without it, as before. `env -S` splits the line
// (GNU coreutils 8.30+, BSD and macOS env).
import { readFileSync, statSync } from 'node:fs';
import { createRequire, enableCompileCache } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { cacheDir, codeCacheFile, readCodeCache, writeCodeCache } from './code-cache.js';
import { tieringFlags } from './v8-tiering.js';

/** sha256 of the bundle, put here by the build (esbuild `define`). */
declare const __ZONAL_BUNDLE_HASH__: string;

// Before the bundle is compiled: the flags are part of what a code cache is checked against, and
// every way of starting the executable sets the same ones.
const tiering = tieringFlags(process.versions.v8);
if (tiering) setFlagsFromString(tiering);

const dir = cacheDir(process.env);
try {
  if (dir) enableCompileCache?.(dir);
} catch {
  // no cache
}

// The bundle is a CommonJS module already inside Node's wrapper function, and ASCII, which the
// build checks (bundle-cli.mjs): read as Latin-1, its bytes are copied, not decoded.
const program = join(import.meta.dirname, 'bundle', 'zonal.cjs');
const source = readFileSync(program, 'latin1');
// The name the cache is kept under: the command's, or `main` for `zonal`, `zonal --help`, ...;
// an argument that cannot be a command name never becomes part of a file name.
const first = process.argv[2];
const name = first === undefined || first.startsWith('-') ? 'main' : /^[a-z]{1,20}$/.test(first) ? first : undefined;
const cacheFile = dir && name ? codeCacheFile(dir, { buildHash: __ZONAL_BUNDLE_HASH__, ...sizeAndTime(program) }, name) : undefined;
const cachedData = cacheFile ? readCodeCache(cacheFile) : undefined;
const script = new vm.Script(source, {
  filename: program,
  ...(cachedData ? { cachedData } : {}),
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
/** What the bundled program (bin.ts) exports. */
interface Program {
  readonly exitCode: Promise<number>;
  readonly commandNames: readonly string[];
  readonly whenWritten: (done: () => void) => void;
}
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(program), module, program, dirname(program));

const { exitCode, commandNames, whenWritten } = module.exports as Program;
const makeCache = cacheFile && (!cachedData || script.cachedDataRejected) && (name === 'main' || commandNames.includes(name!));
void exitCode.then((code) => {
  // Made after a successful run only, when the functions it needed have been compiled.
  if (makeCache && code === 0) writeCodeCache(cacheFile, script.createCachedData());
  // The process ends as soon as what it wrote to stdout and stderr is out (std-output.ts): the
  // command is done, and letting Node tear the heap down first cost some 15 ms of every run (a
  // quarter of them at 100 services).
  whenWritten(() => process.exit(code));
});

function sizeAndTime(file: string): { size: number; mtimeMs: number } {
  const st = statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs };
}
