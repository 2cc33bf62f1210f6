import { main } from '../../generator/main.js';
import type { CommandIO } from '../../generator/commands/command.js';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `zonal ...` in-process from the repository root, output captured. */
export async function zonal(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    cwd: REPO,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => '',
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
