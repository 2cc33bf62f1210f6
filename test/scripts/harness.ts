/**
 * Runs scripts/*.sh against fake aws/eksctl/kubectl/istioctl/helm (test/fixtures/fakebin) and the
 * real zonal CLI (dist/, built by `npm run build`), in temp directories whose paths hold spaces.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../support/temp.js';
import { dirname, join } from 'node:path';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const FAKE_TOOLS = ['aws', 'eksctl', 'kubectl', 'istioctl', 'helm'] as const;
const FAKE = join(REPO, 'test', 'fixtures', 'fakebin', 'fake-tool.mjs');

export interface Rule {
  readonly tool: (typeof FAKE_TOOLS)[number];
  readonly args?: readonly string[];
  readonly when?: string;
  readonly unless?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: number;
  readonly set?: Readonly<Record<string, string>>;
}

export interface Call {
  readonly tool: string;
  readonly args: readonly string[];
  /** Content of files the arguments named (file://..., -f FILE, --values FILE, --config-file FILE). */
  readonly files: Readonly<Record<string, string>>;
}

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Calls to the fake tools made by this run only, in order. */
  readonly calls: readonly Call[];
}

/** Built CLI present? The scripts run `node dist/generator/cli.cjs`. */
export function requireBuiltCli(): void {
  if (!existsSync(join(REPO, 'dist', 'generator', 'commands', 'infra.js'))) {
    throw new Error('dist/generator/commands/infra.js missing: run `npx tsc -p tsconfig.build.json` (npm test does it in pretest)');
  }
}

/** A fake AWS account + cluster: rules, their state, and the calls made so far. */
export class FakeWorld {
  readonly root: string;
  readonly fakeDir: string;
  readonly binDir: string;
  /** TMPDIR of the scripts: has a space, so generated file paths do too. */
  readonly tmp: string;
  private seen = 0;

  constructor(rules: readonly Rule[], state: Record<string, string> = {}) {
    this.root = tempDir('zonal-scripts-');
    this.fakeDir = join(this.root, 'fake state');
    this.binDir = join(this.root, 'bin');
    this.tmp = join(this.root, 'tmp dir');
    for (const d of [this.fakeDir, this.binDir, this.tmp]) mkdirSync(d);
    writeFileSync(join(this.fakeDir, 'rules.json'), JSON.stringify(rules));
    writeFileSync(join(this.fakeDir, 'state.json'), JSON.stringify(state));
    writeFileSync(join(this.fakeDir, 'calls.jsonl'), '');
    for (const tool of FAKE_TOOLS) {
      const bin = join(this.binDir, tool);
      writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" ${tool} "$@"\n`, { mode: 0o755 });
    }
  }

  /** Copies the bundled values file (optionally edited) to a path with spaces; returns it. */
  valuesFile(edit: (text: string) => string = (t) => t): string {
    const dir = join(this.root, 'my values');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'octank travel.yaml');
    copyFileSync(join(REPO, 'values', 'octank-travel.yaml'), file);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return file;
  }

  state(): Record<string, string> {
    return JSON.parse(readFileSync(join(this.fakeDir, 'state.json'), 'utf8')) as Record<string, string>;
  }

  allCalls(): Call[] {
    return readFileSync(join(this.fakeDir, 'calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);
  }

  run(script: string, args: readonly string[], env: Record<string, string> = {}): ScriptRun {
    const r = spawnSync('bash', [join(REPO, 'scripts', script), ...args], {
      encoding: 'utf8',
      env: {
        // Fakes first; node for the zonal CLI and the fakes; coreutils. Nothing else of the host.
        PATH: `${this.binDir}:${dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: this.root,
        TMPDIR: this.tmp,
        FAKE_DIR: this.fakeDir,
        LANG: 'C.UTF-8',
        ...env,
      },
      timeout: 60_000,
    });
    const calls = this.allCalls();
    const mine = calls.slice(this.seen);
    this.seen = calls.length;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, calls: mine };
  }
}

/** `tool arg0 arg1` of each call: the readable sequence a test asserts. */
export function commandLine(call: Call, words = 2): string {
  return [call.tool, ...call.args.slice(0, words)].join(' ');
}

/** Calls that change something in the account or cluster (create/put/install/...). */
export function mutations(calls: readonly Call[]): Call[] {
  return calls.filter((c) =>
    c.args.some((a) => /^(create|put|authorize|associate|delete|attach)(-|$)/.test(a)) ||
    (c.tool === 'helm' && (c.args[0] === 'upgrade' || c.args[0] === 'install')) ||
    (c.tool === 'istioctl' && c.args[0] === 'install'));
}

/** The value after `flag` in a call's arguments (throws when absent). */
export function flag(call: Call, name: string): string {
  const i = call.args.indexOf(name);
  if (i < 0 || i + 1 >= call.args.length) throw new Error(`${commandLine(call)}: no ${name} in ${JSON.stringify(call.args)}`);
  return call.args[i + 1]!;
}

/** The content of the file a flag names (recorded by the fake when it was called). */
export function fileOf(call: Call, name: string): string {
  const arg = flag(call, name);
  const content = call.files[arg];
  if (content === undefined) throw new Error(`${commandLine(call)}: ${name} ${arg} named no readable file`);
  return content;
}

export function find(calls: readonly Call[], tool: string, ...words: string[]): Call {
  const c = calls.find((x) => x.tool === tool && words.every((w) => x.args.includes(w)));
  if (!c) throw new Error(`no call ${tool} ${words.join(' ')} among:\n${calls.map((x) => commandLine(x, 3)).join('\n')}`);
  return c;
}
