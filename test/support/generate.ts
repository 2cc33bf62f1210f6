import { tempDir } from './temp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../generator/main.js';
import type { CommandIO } from '../../generator/commands/command.js';
import { REPO } from './helm.js';

/** The built `zonal` executable (package.json's bin; `npm test` builds it first). */
export const BUILT_CLI = join(REPO, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: { zonal: string } }).bin.zonal);

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the zonal CLI in-process with captured output. */
export async function runCli(args: string[], cwd = REPO, stdin = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    cwd,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => stdin,
    env: { ...process.env },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

// Temp dirs are removed after each test file (test/support/temp.ts).
export { tempDir } from './temp.js';

/** Generates the chart for a values file into a fresh temp dir; returns the output root. */
export async function generateInto(valuesFile = join(REPO, 'values', 'octank-travel.yaml'), out = tempDir()): Promise<string> {
  const r = await runCli(['generate', '--values', valuesFile, '--out', out]);
  if (r.code !== 0) throw new Error(`generate failed (${r.code}): ${r.stderr}`);
  return out;
}
