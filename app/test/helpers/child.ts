import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverJs = join(appDir, 'dist', 'server.js');

/** Compiles app/src to app/dist exactly as `npm run build -w app` does (tests run the shipped JS). */
export function buildApp(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(appDir, 'tsconfig.json')], { stdio: 'pipe' });
}

export interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly logs: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the first log line whose msg matches. */
  waitFor(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Runs `node app/dist/server.js` with only the given environment (never the metadata service). */
export function spawnServer(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [serverJs], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; resolve: (l: Record<string, unknown>) => void }> = [];
  let buffered = '';
  let err = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
      buffered = buffered.slice(nl + 1);
      logs.push(line);
      for (const w of waiters.filter((w) => w.msg === line.msg)) w.resolve(line);
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c: string) => (err += c));
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    logs,
    stderr: () => err,
    exited,
    waitFor: (msg, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const found = logs.find((l) => l.msg === msg);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no "${msg}" log within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({ msg, resolve: (l) => { clearTimeout(timer); resolve(l); } });
      }),
  };
}
