import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * zonal's own installation or checkout root: the nearest folder above this module with a
 * package.json. Files zonal ships (package.json, the precompiled validators and templates under
 * dist/, the flow-log worker, `.tools/helm*`) are found from here, not relative to the module,
 * because the `zonal` executable runs a bundle (dist/generator/bundle/) whose location is not where
 * the modules it was bundled from used to be.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (root = dir);
}

/**
 * Whether the module at `moduleUrl` runs from zonal's compiled output (the bundle or dist/), not
 * from the TypeScript sources as tests run them: build products (precompiled validators and
 * templates, the flow-log worker) are used only then, so tests of the sources exercise the
 * run-time paths.
 */
export function runsFromDist(moduleUrl: string): boolean {
  return fileURLToPath(moduleUrl).startsWith(join(packageRoot(), 'dist') + sep);
}

/** A file of zonal's compiled output, below `<root>/dist/generator/`. */
export function distFile(...parts: string[]): string {
  return join(packageRoot(), 'dist', 'generator', ...parts);
}
