/**
 * Every command in the README's and docs' `sh` blocks runs as written on a fresh clone.
 *
 * Lines made only of `npx zonal ...` and `.tools/helm{3,4}/helm ...` (pipes included) run for real,
 * in order, in a copy of the repository (a git repository with an `origin/main`, the build and the
 * node_modules of this checkout linked in). The output of the AWS/kubectl lines they read
 * (cluster.yaml, subnets.json) is stood in for by test fixtures. Every other line is checked
 * without running it: `npm` scripts exist, `scripts/*.sh` exist and take every flag shown (their
 * --help), repository files named exist, and each `npx zonal` line parses with the command's own
 * flags. A bare `zonal` or `helm` is refused: neither is on PATH after `npm ci`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCommand } from '../../generator/commands/index.js';
import { tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { simpleCommands } from '../support/shell-words.js';

interface ShellLine { readonly file: string; readonly line: number; readonly text: string }

/** The command lines of the ```sh blocks of a Markdown file (continuations joined, comments kept). */
function shellLines(file: string): ShellLine[] {
  const out: ShellLine[] = [];
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  let inBlock = false;
  let pending: ShellLine | undefined;
  lines.forEach((raw, i) => {
    const fence = /^\s*```(\S*)\s*$/.exec(raw);
    if (fence) {
      inBlock = !inBlock && ['sh', 'bash', 'shell'].includes(fence[1]!);
      return;
    }
    if (!inBlock) return;
    const text = raw.trim();
    if (pending) pending = { ...pending, text: `${pending.text} ${text.replace(/\\$/, '').trim()}` };
    else if (text && !text.startsWith('#')) pending = { file, line: i + 1, text: text.replace(/\\$/, '').trim() };
    if (pending && !text.endsWith('\\')) {
      out.push(pending);
      pending = undefined;
    }
  });
  return out;
}

const DOCS = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const LINES = DOCS.flatMap(shellLines);
const HELM = /^\.tools\/helm[34]\/helm$/;
/** Tools of the user's machine or cloud that the tests do not run; their repository paths are checked. */
const EXTERNAL = new Set(['kubectl', 'aws', 'eksctl', 'argocd', 'docker', 'curl', 'git', 'diff']);
const REPO_PATH = /^(argocd|charts|app|values|scripts|examples|docs|schemas)\//;
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

/** Words of a simple command without leading VAR=value assignments. */
const withoutEnv = (words: string[]) => words.slice(words.findIndex((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w)));

function runnable(line: ShellLine): boolean {
  return simpleCommands(line.text).every((c) => {
    const w = withoutEnv(c);
    return (w[0] === 'npx' && w[1] === 'zonal') || HELM.test(w[0]!);
  });
}

const scriptHelp = new Map<string, string>();
function helpOf(script: string): string {
  if (!scriptHelp.has(script)) {
    const r = spawnSync(join(REPO, script), ['--help'], { encoding: 'utf8', env: { ...process.env, ZONAL_VALUES: join(REPO, 'values', 'octank-travel.yaml') } });
    scriptHelp.set(script, r.stdout + r.stderr);
  }
  return scriptHelp.get(script)!;
}

/** Problems of one simple command that is not run (empty: it would run as written). */
async function staticProblems(words: string[]): Promise<string[]> {
  const w = withoutEnv(words);
  const [tool, ...args] = w as [string, ...string[]];
  if (tool === 'zonal') return ['bare `zonal` is not on PATH after npm ci: write `npx zonal`'];
  if (tool === 'helm') return ['bare `helm`: write `.tools/helm4/helm` (extracted by npm ci), or say which helm'];
  if (tool === 'npx') {
    if (args[0] !== 'zonal' || pkg.bin.zonal === undefined) return [`npx ${args[0]}: not this package's bin`];
    const command = await loadCommand(args[1] ?? '');
    if (!command) return [`zonal ${args[1]}: no such command`];
    try {
      command.checkArgs!(args.slice(2));
      return [];
    } catch (err) {
      return [`zonal ${args[1]}: ${(err as Error).message}`];
    }
  }
  if (tool === 'npm') {
    if (['ci', 'test'].includes(args[0]!)) return [];
    if (args[0] === 'run' && pkg.scripts[args[1]!] !== undefined) return [];
    return [`npm ${args.join(' ')}: no such npm script in package.json`];
  }
  if (HELM.test(tool)) return existsSync(join(REPO, tool)) ? [] : [`${tool} does not exist (npm ci / pretest extracts it)`];
  if (tool.startsWith('scripts/')) {
    try {
      accessSync(join(REPO, tool), constants.X_OK);
    } catch {
      return [`${tool} is not an executable file of the repository`];
    }
    const help = helpOf(tool);
    return args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!)
      .filter((flag) => !new RegExp(`(^|\\s)${flag}(\\s|$|[ =,])`, 'm').test(help))
      .map((flag) => `${tool} takes no ${flag} (see ${tool} --help)`);
  }
  if (EXTERNAL.has(tool)) {
    return args.filter((a) => REPO_PATH.test(a) && !existsSync(join(REPO, a))).map((a) => `${a} does not exist in the repository`);
  }
  return [`${tool}: a command the README test does not know (classify it in test/readme/commands.test.ts)`];
}

let sandbox: string;
beforeAll(() => {
  sandbox = tempDir('zonal-readme-');
  for (const dir of ['values', 'charts', 'argocd', 'examples', 'schemas']) cpSync(join(REPO, dir), join(sandbox, dir), { recursive: true });
  // The links below are symlinks, which `node_modules/` (directories only) would not ignore.
  writeFileSync(join(sandbox, '.gitignore'), `${readFileSync(join(REPO, '.gitignore'), 'utf8')}\n/node_modules\n/dist\n/.tools\n`);
  const { workspaces: _ws, ...manifest } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(sandbox, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const link of ['node_modules', 'dist', '.tools']) symlinkSync(join(REPO, link), join(sandbox, link));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: sandbox, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'clone');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  // What `kubectl get svc,deploy,sts,dr,se -A -o yaml` and `aws ec2 describe-subnets` print.
  copyFileSync(join(REPO, 'test', 'fixtures', 'init', 'cluster.yaml'), join(sandbox, 'cluster.yaml'));
  copyFileSync(join(REPO, 'test', 'fixtures', 'init', 'subnets.json'), join(sandbox, 'subnets.json'));
  mkdirSync(join(sandbox, 'tmp'));
  // `npx zonal` in a clone runs the package's own bin (checked for real below, in this checkout);
  // in the copy, where npx would install the directory into its cache first, a shim does the same.
  mkdirSync(join(sandbox, '.bin'));
  writeFileSync(join(sandbox, '.bin', 'npx'), `#!/bin/sh\n[ "$1" = zonal ] || { echo "npx: only zonal here" >&2; exit 127; }\nshift\nexec node '${join(REPO, pkg.bin.zonal!)}' "$@"\n`, { mode: 0o755 });
});
afterAll(() => { rmSync(sandbox, { recursive: true, force: true }); });

describe('GIVEN the sh blocks of README.md and docs/*.md', () => {
  it('THEN there are command lines to check, zonal ones among them', () => {
    expect(LINES.length).toBeGreaterThan(20);
    expect(LINES.filter(runnable).length).toBeGreaterThan(8);
  });

  it('THEN every line that is not run would run as written (scripts, flags, files, npm scripts)', async () => {
    const problems: string[] = [];
    for (const line of LINES) {
      for (const c of simpleCommands(line.text)) {
        for (const p of await staticProblems(c)) problems.push(`${line.file}:${line.line}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('WHEN the npx zonal and .tools/helm lines run in order in a clone THEN each succeeds (0, or 1 for findings/differences)', () => {
    const failures: string[] = [];
    for (const line of LINES.filter(runnable)) {
      const text = line.text.replaceAll('/tmp/', `${join(sandbox, 'tmp')}/`);
      const env = { ...process.env, PATH: `${join(sandbox, '.bin')}:${process.env.PATH}` };
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', text], { cwd: sandbox, encoding: 'utf8', env, maxBuffer: 64 << 20 });
      const zonalLine = /\bnpx zonal\b/.test(text);
      const ok = r.status === 0 || (zonalLine && r.status === 1);
      if (!ok || /this is a bug in zonal/.test(r.stderr)) failures.push(`${line.file}:${line.line}: exit ${r.status}: ${line.text}\n${r.stderr.split('\n').slice(0, 5).join('\n')}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('WHEN npx zonal runs in this checkout THEN it is the package\'s bin (this build)', () => {
    const r = spawnSync('npx', ['zonal', '--version'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/npm error/);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    expect(pkg.bin.zonal).toBe('dist/generator/cli.cjs');
  }, 180_000);

  it('THEN the README command table names only declared flags, and a flag it shows as required is required in --help too', async () => {
    const rows = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('| `zonal '));
    expect(rows.length).toBeGreaterThan(8);
    const problems: string[] = [];
    for (const row of rows) {
      const usages = [...row.split(' | ')[0]!.matchAll(/`(zonal [^`]+)`/g)].map((m) => m[1]!.replaceAll('\\|', '|'));
      for (const usage of usages) {
        const [, name, ...rest] = usage.split(/\s+/);
        const command = (await loadCommand(name!))!;
        if (!command) { problems.push(`${usage}: no command ${name}`); continue; }
        const sub = rest[0] && /^[a-z]/.test(rest[0]) ? rest[0].split('|')[0]! : undefined;
        const prefix = sub ? [sub] : [];
        let depth = 0;
        const required = new Set<string>();
        for (const token of usage.split(/(\[|\]|\s+)/)) {
          if (token === '[') depth++;
          else if (token === ']') depth--;
          else for (const flag of token.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? []) {
            if (depth === 0) required.add(flag);
            const asFlag = () => command.checkArgs!([...prefix, flag]);
            const withValue = () => command.checkArgs!([...prefix, flag, 'x']);
            try { asFlag(); } catch { try { withValue(); } catch (err) { if (/unknown flag/.test((err as Error).message)) problems.push(`${usage}: ${flag} is not a flag of zonal ${name}${sub ? ` ${sub}` : ''}`); } }
          }
        }
        const help = command.usage.split('\n\n')[0]!.replace(/\[[^\]]*\]/g, '');
        for (const flag of required) if (!new RegExp(`(^|[\\s(|])${flag}\\b`).test(help)) problems.push(`${usage}: README shows ${flag} as required, zonal ${name} --help does not`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('THEN the check is real: a bare zonal, an unknown script flag and a missing npm script are reported', async () => {
    expect(await staticProblems(['zonal', 'lint'])).toHaveLength(1);
    expect(await staticProblems(['helm', 'template', 'x', 'charts/octank-travel'])).toHaveLength(1);
    expect(await staticProblems(['scripts/create-cluster.sh', '--no-such-flag'])).toEqual(['scripts/create-cluster.sh takes no --no-such-flag (see scripts/create-cluster.sh --help)']);
    expect(await staticProblems(['npm', 'run', 'no-such-script'])).toHaveLength(1);
    expect(await staticProblems(['npx', 'zonal', 'lint', '--vaules', 'x'])).toEqual(['zonal lint: unknown flag --vaules (did you mean --values?)']);
    expect(await staticProblems(['kubectl', 'apply', '-f', 'argocd/nope.yaml'])).toEqual(['argocd/nope.yaml does not exist in the repository']);
  });
});
