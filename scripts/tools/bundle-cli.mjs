// Build step (npm run build, after tsc): bundles the compiled program (dist/generator/bin.js and
// everything it imports) into one CommonJS file, dist/generator/bundle/zonal.cjs, which the `zonal`
// executable (dist/generator/cli.js) runs with a V8 code cache (generator/code-cache.ts). One file,
// so that one code cache holds all of a command's compiled functions; commands are still
// initialised lazily (esbuild turns `import()` of a bundled module into a deferred initialiser),
// so `zonal generate` does not run the prober's HTTP client or the simulator (README, design
// notes). Left outside: DuckDB (a native addon); ajv, handlebars' compiler and cli-progress are
// loaded with require at run time, only when needed.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/generator/', import.meta.url));
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
  banner: { js: 'var __zonalModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'eof',
  logLevel: 'warning',
});

// The executable itself: npx, npm's bin links and `./dist/generator/cli.js` run it by its
// shebang, and tsc writes files without the executable bit.
chmodSync(`${dist}cli.js`, 0o755);
