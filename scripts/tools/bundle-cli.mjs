// Build step (npm run build, after tsc): bundles the compiled program (dist/generator/bin.js and
// everything it imports) into one CommonJS file, dist/generator/bundle/zonal.cjs, which the `zonal`
// executable (dist/generator/cli.cjs, built here from generator/cli.ts) runs with a V8 code cache
// (generator/code-cache.ts). One file, so that one code cache holds all of a command's compiled
// functions; commands are still initialised lazily (esbuild turns `import()` of a bundled module
// into a deferred initialiser), so `zonal generate` does not run the prober's HTTP client or the
// simulator (README, design notes). The precompiled validators and chart templates go inside,
// loaded when first asked for.
// Left outside: DuckDB (a native addon); ajv, handlebars' compiler and cli-progress are loaded with
// require at run time, only when needed.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/generator/', import.meta.url));
const sources = fileURLToPath(new URL('../../generator/', import.meta.url));
rmSync(`${dist}bundle`, { recursive: true, force: true });
await build({
  entryPoints: [`${dist}bin.js`],
  outfile: `${dist}bundle/zonal.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  external: ['@duckdb/node-api'],
  // import.meta does not exist in CommonJS: modules that find zonal's shipped files from their
  // own location (package-root.ts) get the bundle's location instead, at run time.
  define: { 'import.meta.url': '__zonalModuleUrl' },
  // The file is the body of CommonJS's own module wrapper, written out here so that the executable
  // compiles the file's text as it is (adding the wrapper at run time copied 2 MB of source on
  // every run). The wrapper and "use strict" come first, on the first line: the program runs in
  // strict mode as its ES modules do under test, and stack traces keep the bundle's line numbers.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {"use strict";var __zonalModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  footer: { js: '\n})' },
  legalComments: 'eof',
  // Whitespace and syntax only: names stay, for stack traces and profiles. Every run reads 2.1 MB
  // instead of 3.3 MB (the precompiled validators are most of it).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [{
    // The precompiled validators and templates the build step before this one wrote
    // (precompile-validators.mjs) go inside the bundle (generator/validate/bundled-precompiled.ts).
    name: 'zonal-bundled-precompiled',
    setup(b) {
      b.onLoad({ filter: /[\\/]validate[\\/]bundled-precompiled\.js$/ }, () => {
        const files = readdirSync(`${dist}validate/precompiled`).filter((f) => f.endsWith('.cjs')).sort();
        const entries = files.map((f) => `  ${JSON.stringify(f)}: () => require(${JSON.stringify(`./precompiled/${f}`)}),`);
        return { contents: `export const bundledPrecompiled = {\n${entries.join('\n')}\n};\n`, loader: 'js', resolveDir: `${dist}validate` };
      });
    },
  }],
});

// The executable reads the bundle as Latin-1, which copies bytes, where UTF-8 must decode them
// (2 ms of every run); that is the same text only while the bundle is ASCII. esbuild escapes
// non-ASCII characters in strings, not in regular expression literals: write those with \u escapes.
const bundleBytes = readFileSync(`${dist}bundle/zonal.cjs`);
const nonAscii = bundleBytes.findIndex((b) => b > 0x7f);
if (nonAscii >= 0) {
  const line = bundleBytes.subarray(0, nonAscii).toString('latin1').split('\n').length;
  throw new Error(`bundle-cli: dist/generator/bundle/zonal.cjs line ${line} holds a non-ASCII character ` +
    `(${JSON.stringify(bundleBytes.subarray(Math.max(0, nonAscii - 40), nonAscii + 20).toString('utf8'))}); write it as a \\u escape in the source`);
}

// The executable: a CommonJS file of its own (Node starts an ES module entry through its ES module
// loader, some 10 ms more per run), with the bundle's hash, which names its code caches. npx, npm's
// bin links and `./dist/generator/cli.cjs` run it by its shebang; esbuild writes files without the
// executable bit.
await build({
  entryPoints: [`${sources}cli.ts`],
  outfile: `${dist}cli.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  define: {
    'import.meta.dirname': '__dirname',
    __ZONAL_BUNDLE_HASH__: JSON.stringify(createHash('sha256').update(bundleBytes).digest('hex')),
  },
  logLevel: 'warning',
});
chmodSync(`${dist}cli.cjs`, 0o755);
// The executable's path in earlier builds, kept as a way in: npx keeps a link to it in its cache of
// a local checkout (~/.npm/_npx), and scripts may name it. It runs the same executable.
writeFileSync(`${dist}cli.js`, '#!/usr/bin/env node\n// The executable is cli.cjs (package.json "bin"); this is its path in earlier builds.\nimport \'./cli.cjs\';\n');
chmodSync(`${dist}cli.js`, 0o755);
