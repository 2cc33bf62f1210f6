import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandModules } from '../generator/commands/index.js';

/**
 * The one direction of imports (README, design notes): cli/main -> commands -> domain modules ->
 * errors.ts / well-known.ts. The app and the CLI share only the @zonal/zone-discovery package.
 */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or with import(). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return specs.map((m) => m[1]!);
}

/** Repository-relative path of a relative import, or the bare specifier. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(REPO, resolve(dirname(file), spec)).split('\\').join('/') : spec;
}

function edges(dir: string): Array<{ from: string; to: string }> {
  return tsFiles(join(REPO, dir)).flatMap((f) => importsOf(f).map((s) => ({ from: relative(REPO, f).split('\\').join('/'), to: target(f, s) })));
}

const generator = edges('generator');
const CLI_LAYER = /^generator\/(commands\/|cli\.ts$|bin\.ts$|main\.ts$)/;

describe('layering', () => {
  it('finds the imports it checks (the scanner sees both static and lazy imports)', () => {
    expect(generator.some((e) => e.from === 'generator/main.ts' && e.to === 'generator/commands/index.js')).toBe(true);
    expect(generator.some((e) => e.from === 'generator/commands/index.ts' && e.to === 'generator/commands/simulate.js')).toBe(true);
  });

  it('GIVEN a domain module THEN it never imports the CLI layer (commands/, cli.ts, bin.ts, main.ts)', () => {
    const wrong = generator.filter((e) => !CLI_LAYER.test(e.from) && /^generator\/(commands\/|cli\.js$|bin\.js$|main\.js$)/.test(e.to));
    expect(wrong).toEqual([]);
  });

  it('GIVEN errors.ts and well-known.ts THEN they sit at the bottom and import nothing of zonal', () => {
    const wrong = generator.filter((e) => /^generator\/(errors|well-known)\.ts$/.test(e.from) && e.to.startsWith('generator/'));
    expect(wrong).toEqual([]);
  });

  it('GIVEN the CLI and the app THEN neither imports the other; they share only @zonal/zone-discovery', () => {
    expect(generator.filter((e) => e.to.startsWith('app/'))).toEqual([]);
    const app = edges('app/src');
    expect(app.filter((e) => e.to.startsWith('generator/') || e.to.startsWith('packages/'))).toEqual([]);
    expect(app.some((e) => e.to === '@zonal/zone-discovery')).toBe(true);
    expect(generator.some((e) => e.to === '@zonal/zone-discovery')).toBe(true);
    const pkg = edges('packages/zone-discovery/src');
    expect(pkg.filter((e) => !e.to.startsWith('packages/zone-discovery/') && !e.to.startsWith('node:'))).toEqual([]);
  });

  it('GIVEN each registered command THEN its module declares the name it is registered under', async () => {
    for (const [name, load] of Object.entries(commandModules)) {
      const command = (await load()).default;
      expect(command.name).toBe(name);
      expect(command.summary.length).toBeGreaterThan(0);
      expect(command.usage).toMatch(new RegExp(`^Usage:\\s+zonal ${name}`));
    }
  });
});
