/**
 * The precompiled modules (validators, chart templates) the build placed inside the executable's
 * bundle, by file name, each loaded when first asked for. Empty here: the sources and dist/ load
 * them as files (precompiled.ts). scripts/tools/bundle-cli.mjs replaces this module when it bundles
 * the program, so that the executable's V8 code cache (code-cache.ts) holds their compiled
 * functions too: compiled from files, the functions of the values and CRD validators were compiled
 * again on every run (Node's compile cache keeps only what is compiled before a module runs).
 */
export const bundledPrecompiled: Readonly<Record<string, () => unknown>> = {};
