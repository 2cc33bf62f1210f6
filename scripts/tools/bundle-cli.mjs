// Build step (npm run build, after tsc): bundles the compiled program (dist/generator/bin.js and
// everything it imports) into dist/generator/bundle/, which the `zonal` executable
// (dist/generator/cli.js) loads: bin.js plus one chunk per lazily loaded command, so `zonal
// generate` reads a few files instead of some 200 modules and does not load the prober's HTTP
// client or the simulator (README, design notes). Left outside: DuckDB (a native addon); ajv and
// cli-progress are loaded with createRequire at run time, only when needed.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/generator/', import.meta.url));
rmSync(`${dist}bundle`, { recursive: true, force: true });
await build({
  entryPoints: [`${dist}bin.js`],
  outdir: `${dist}bundle`,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: ['@duckdb/node-api'],
  // Bundled CommonJS packages (handlebars, semver) call require() for Node's own modules.
  banner: { js: "import { createRequire as zonalCreateRequire } from 'node:module';\nconst require = zonalCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});

// The executable itself: npx, npm's bin links and `./dist/generator/cli.js` run it by its
// shebang, and tsc writes files without the executable bit.
chmodSync(`${dist}cli.js`, 0o755);
