import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// No Docker engine in CI: read the Dockerfile and check the properties the Helm chart relies on.
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..');

interface Instruction { op: string; args: string }

function parse(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const instructions = parse(readFileSync(join(appDir, 'Dockerfile'), 'utf8'));
const args = Object.fromEntries(
  instructions.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=') as [string, string]),
);
const stages: Array<{ base: string; name: string | undefined; body: Instruction[] }> = [];
for (const i of instructions) {
  if (i.op === 'FROM') {
    const [image, , name] = i.args.split(/\s+/);
    stages.push({ base: image!.replace(/^\$\{(\w+)\}$/, (_m, a: string) => args[a] ?? ''), name, body: [] });
  } else stages.at(-1)?.body.push(i);
}
const final = stages.at(-1)!;
const ignore = readFileSync(join(appDir, 'Dockerfile.dockerignore'), 'utf8');

describe('app/Dockerfile', () => {
  it('is multi-stage and ends on a distroless Node 24 image (no shell at run time)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.base).toMatch(/^gcr\.io\/distroless\/nodejs24-debian\d+/);
    // A RUN in the final stage would need a shell the image does not have.
    expect(final.body.filter((i) => i.op === 'RUN')).toEqual([]);
  });

  it('runs as the numeric non-root user 10001 the chart sets', () => {
    const users = final.body.filter((i) => i.op === 'USER');
    expect(users.at(-1)?.args).toMatch(/^10001(:10001)?$/);
  });

  it('starts the compiled server in exec form on port 8080', () => {
    const cmd = final.body.find((i) => i.op === 'CMD');
    expect(JSON.parse(cmd!.args)).toEqual(['app/dist/server.js']);
    expect(final.body.find((i) => i.op === 'EXPOSE')?.args).toBe('8080');
    expect(final.body.find((i) => i.op === 'ENV')?.args).toMatch(/PORT=8080/);
    const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/server.js');
  });

  it('ships only production dependencies', () => {
    const nodeModules = final.body.find((i) => i.op === 'COPY' && /node_modules/.test(i.args));
    const from = /--from=(\S+)/.exec(nodeModules!.args)?.[1];
    const deps = stages.find((s) => s.name === from)!;
    const install = deps.body.find((i) => i.op === 'RUN' && /npm ci/.test(i.args));
    expect(install?.args).toMatch(/--omit=dev/);
    expect(install?.args).toMatch(/--workspace app/);
  });

  it('copies only files that exist and that its .dockerignore lets into the context', () => {
    const sources = stages
      .flatMap((s) => s.body)
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['package-lock.json', 'app/src']));
    for (const source of sources) {
      expect(existsSync(join(repoRoot, source))).toBe(true);
      expect(ignore).toMatch(new RegExp(`^!${source.replace(/[.*]/g, '\\$&')}(/\\*\\*)?$`, 'm'));
    }
  });
});
