#!/usr/bin/env node
// The `zonal` executable. It turns on Node's compile cache (V8 code for zonal's modules is kept
// where Node keeps it by default, the OS temp folder, as tsc does) and then loads the program:
// bin.ts bundled by the build (scripts/tools/bundle-cli.mjs) into a few files, because resolving
// and linking some 200 modules was a quarter of a small `zonal generate`. The bundle holds the
// same compiled modules that tests import.
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from './fs/make-dirs.js';

const cacheDir = process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'node-compile-cache');
try {
  // Made here first: Node's own mkdir -p loops forever below /proc (TMPDIR=/proc/x hung zonal);
  // a folder that cannot be made only means no cache.
  makeDirs(cacheDir);
  enableCompileCache?.(cacheDir);
} catch {
  // no cache
}
// A specifier in a variable: the bundle is a build product, not a module TypeScript checks.
const program = './bundle/bin.js';
await import(program);
