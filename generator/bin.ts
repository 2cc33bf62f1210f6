// The `zonal` program: wires the real process to main(), which tests call in-process. The build
// bundles it into dist/generator/bundle/zonal.cjs, which the executable (cli.ts) runs; the
// launcher reads its exports to keep the command's compiled code (code-cache.ts).
import { main } from './main.js';
import type { CommandIO } from './commands/command.js';
import { EXIT_INTERNAL } from './errors.js';
import { stderr, stdout } from './std-output.js';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

const io: CommandIO = {
  cwd: process.cwd(),
  stdout: (t) => stdout.write(t),
  stderr: (t) => stderr.write(t),
  readStdin,
  env: process.env,
  tty: stdout.isTTY && stderr.isTTY,
  ...(stderr.columns ? { columns: stderr.columns } : {}),
};

export { commandNames } from './commands/index.js';
export { whenWritten } from './std-output.js';

/** The run's exit code, once the command has finished. */
export const exitCode: Promise<number> = main(process.argv.slice(2), io).then(
  (code) => (process.exitCode = code),
  // main() catches everything a command throws; reaching this is a bug in zonal itself.
  (err: Error) => {
    stderr.write(`zonal: this is a bug in zonal: ${err.message}\n`);
    return (process.exitCode = EXIT_INTERNAL);
  },
);
