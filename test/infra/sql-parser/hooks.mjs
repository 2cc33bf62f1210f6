// Node module hooks for dt-sql-parser: its dist/ is ES modules written for bundlers (extensionless
// relative imports, directory imports, no "type": "module"); these resolve them the bundler way.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE = '/node_modules/dt-sql-parser/';

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && context.parentURL?.includes(PACKAGE)) {
    const base = fileURLToPath(new URL(specifier, context.parentURL));
    for (const candidate of [`${base}.js`, `${base}/index.js`]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return { url: pathToFileURL(candidate).href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  return next(url, url.includes(PACKAGE) ? { ...context, format: 'module' } : context);
}
