import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface HelmBinary {
  readonly major: 3 | 4;
  readonly path: string;
}

/** The real Helm 3 and Helm 4 binaries extracted by scripts/tools/install-helm.mjs (pretest). */
export function helmBinaries(): HelmBinary[] {
  const found = ([3, 4] as const).map((major) => ({ major, path: join(REPO, '.tools', `helm${major}`, 'helm') }));
  const missing = found.filter((h) => !existsSync(h.path));
  if (missing.length) {
    throw new Error(`Helm ${missing.map((h) => h.major).join(', ')} not found under .tools/: run \`npm run pretest\``);
  }
  return found;
}

export function helm(bin: HelmBinary, args: string[], cwd?: string): string {
  return execFileSync(bin.path, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024 });
}

/** Runs Helm expecting failure; returns its stderr. */
export function helmFails(bin: HelmBinary, args: string[]): string {
  try {
    execFileSync(bin.path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? '');
  }
  throw new Error(`helm ${args.join(' ')} succeeded but was expected to fail`);
}
