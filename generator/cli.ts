#!/usr/bin/env node
// The `zonal` executable. It turns on Node's compile cache (V8 code for zonal's modules is kept
// in the OS temp folder, as npm and tsc do) and then loads the program: bin.ts bundled by the
// build (scripts/tools/bundle-cli.mjs) into a few files, because resolving and linking some 200
// modules was a quarter of a small `zonal generate`. The bundle holds the same compiled modules
// that tests import.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
// A specifier in a variable: the bundle is a build product, not a module TypeScript checks.
const program = './bundle/bin.js';
await import(program);
