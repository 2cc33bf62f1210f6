/**
 * Kill points of the write transaction: real child processes SIGKILL themselves at step K
 * (ZONAL_TEST_CRASH_AT, see output-transaction.ts). After each kill, the next start's recovery
 * leaves exactly the old or exactly the new generation (and no leftovers), and the next run
 * leaves exactly the new one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOutput } from '../../generator/commands/generate-output.js';
import {
  MANIFEST, planGeneration, recoverInterrupted, writeGeneration, type OutputDir,
} from '../../generator/commands/shared/output-transaction.js';
import { parseValues } from '../../generator/model/load-values.js';
import { syntheticValues } from '../../bench/synthetic-values.js';
import { runCli, tempDir, BUILT_CLI as CLI } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { readTree } from '../support/tree.js';

const CHILD = join(REPO, 'test', 'adversarial', 'write-child.mjs');
const BASE = readFileSync(join(REPO, 'test', 'adversarial', 'base.yaml'), 'utf8');
/** The next generation: a changed tag, a service gone and a new one (writes, additions, deletions). */
const NEXT = BASE
  .replace('tag: "2.0.0"', 'tag: "2.1.0"')
  .replace(/  - name: spread[\s\S]*?(?=externalHosts:)/, `  - name: added
    namespace: shop
    image: { repository: registry.example.com/added, tag: "1.0.0" }
    port: 8081
`);

let work: string;
beforeAll(() => {
  work = tempDir('zonal-kill-');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** runCli with extra environment variables (the test hooks). */
async function runCliWithEnv(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runCli(args);
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
}

/** The output root as a tree (everything, leftovers included). */
const snapshot = (root: string) => readTree(root) ?? {};

/** Which generation the root holds: 'old', 'new', or a description of the mess. */
function which(root: string, old: Record<string, string>, next: Record<string, string>): string {
  const now = snapshot(root);
  const same = (t: Record<string, string>) => JSON.stringify(Object.entries(now).sort()) === JSON.stringify(Object.entries(t).sort());
  if (same(old)) return 'old';
  if (same(next)) return 'new';
  const paths = new Set([...Object.keys(now), ...Object.keys(old), ...Object.keys(next)]);
  return `neither: ${[...paths].filter((p) => now[p] !== old[p] && now[p] !== next[p]).slice(0, 5).join(', ')}`;
}

type Tree = Record<string, string>;

/**
 * Runs `zonal generate` in child processes that SIGKILL themselves at step K of the write, K = 1, 2,
 * ... until one finishes (which must take more than `minSteps` steps), each into a fresh folder made
 * by `prepare`. After each kill the next start's recovery must leave exactly `old` or `next` and
 * nothing of zonal's; `afterRecovery` checks more. Returns the outcome of each kill.
 */
async function killAtEveryStep(values: string, name: string, prepare: (out: string) => void, trees: { old: Tree; next: Tree }, minSteps: number,
  afterRecovery: (out: string, state: string) => Promise<void>): Promise<string[]> {
  const outcomes: string[] = [];
  for (let k = 1; k < 400; k++) {
    const out = join(work, `${name}-k${k}`);
    prepare(out);
    const child = spawnSync(process.execPath, [CLI, 'generate', '--values', values, '--out', out], {
      env: { ...process.env, ZONAL_TEST_CRASH_AT: String(k) }, encoding: 'utf8',
    });
    if (child.status === 0) {
      // K is past the last step: the run completed.
      expect(which(out, trees.old, trees.next)).toBe('new');
      expect(k).toBeGreaterThan(minSteps);
      return outcomes;
    }
    expect(child.signal).toBe('SIGKILL');
    // The next start recovers first; nothing of zonal's is left over.
    recoverInterrupted(out);
    const state = which(out, trees.old, trees.next);
    outcomes.push(state);
    expect([`${k}:old`, `${k}:new`]).toContain(`${k}:${state}`);
    expect(readdirSync(out).filter((n) => n.startsWith('.zonal'))).toEqual([]);
    await afterRecovery(out, state);
    rmSync(out, { recursive: true, force: true });
  }
  throw new Error('the write never finished');
}

describe('GIVEN a generated chart and a changed values file', () => {
  it('WHEN zonal generate is SIGKILLed at every step of the write THEN recovery leaves exactly the old or the new generation, and the next run the new', async () => {
    const oldValues = join(work, 'old.yaml');
    const newValues = join(work, 'new.yaml');
    writeFileSync(oldValues, BASE);
    writeFileSync(newValues, NEXT);
    // A file of the user's in argocd/, which no step may touch.
    const pristine = join(work, 'pristine');
    expect((await runCli(['generate', '--values', oldValues, '--out', pristine])).code).toBe(0);
    writeFileSync(join(pristine, 'argocd', 'mine.yaml'), 'kind: Mine\n');
    const old = snapshot(pristine);
    const expected = join(work, 'expected');
    cpSync(pristine, expected, { recursive: true });
    expect((await runCli(['generate', '--values', newValues, '--out', expected])).code).toBe(0);
    const next = snapshot(expected);
    expect(next['argocd/mine.yaml']).toBe('kind: Mine\n');
    expect(Object.keys(next).some((p) => p.endsWith('services/added.yaml'))).toBe(true);
    expect(Object.keys(next).some((p) => p.endsWith('services/spread.yaml'))).toBe(false);

    const outcomes = await killAtEveryStep(newValues, 'changed', (out) => cpSync(pristine, out, { recursive: true }), { old, next }, 5, async (out) => {
      // And the next run finishes the job.
      const again = await runCli(['generate', '--values', newValues, '--out', out]);
      expect(again.code).toBe(0);
      expect(which(out, old, next)).toBe('new');
    });
    // Kills before the commit roll back, the kill after it finishes: both outcomes occur.
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
  });
});

describe('GIVEN an empty output folder (a first generation: every file is created in place, not staged)', () => {
  it('WHEN zonal generate is SIGKILLed at every step THEN recovery leaves nothing of it or all of it, and the next run all of it', async () => {
    const values = join(work, 'first.yaml');
    writeFileSync(values, BASE);
    const expected = join(work, 'first-expected');
    expect((await runCli(['generate', '--values', values, '--out', expected])).code).toBe(0);
    const next = snapshot(expected);
    // One step per created file at least.
    const outcomes = await killAtEveryStep(values, 'first', (out) => mkdirSync(out), { old: {}, next }, Object.keys(next).length, async (out, state) => {
      // Rolled back: not even the folders it made are left.
      if (state === 'old') expect(readdirSync(out)).toEqual([]);
    });
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
  });

  it('WHEN it writes THEN it reports progress from 0 to its total: every file it creates, stages or renames (a bar reaches its end)', () => {
    const model = parseValues(syntheticValues(100, 5), 'bench.yaml');
    const generated = generateOutput(model, 'bench.yaml');
    const targets: OutputDir[] = [{ dir: `charts/${model.name}`, files: generated.chart }, { dir: 'argocd', files: generated.argocd }];
    const files = Object.keys(generated.chart).length + Object.keys(generated.argocd).length + 2; // and the two manifests
    const reports = (out: string, t: OutputDir[]) => {
      const seen: Array<[number, number]> = [];
      writeGeneration(out, t, { onProgress: (done, total) => seen.push([done, total]) });
      return seen;
    };
    const out = join(work, 'progress');
    mkdirSync(out);
    // A first generation creates every file in place: one unit each.
    const first = reports(out, targets);
    expect([first[0], first.at(-1)]).toEqual([[0, files], [files, files]]);
    expect(first.every(([done, total], i) => total === files && (i === 0 || done >= first[i - 1]![0]))).toBe(true);
    // A new version of one existing file is staged, then renamed: two units (the manifests, listing
    // the same files, stay as they are).
    const changed = targets.map((t) => (t.dir === 'argocd' ? t : { ...t, files: { ...t.files, 'values.yaml': `${t.files['values.yaml']!}# changed\n` } }));
    expect(reports(out, changed)).toEqual([[0, 2], [2, 2]]);
  });

  it('WHEN somebody else creates one of its files while it writes THEN the write stops, rolls back what it made and leaves that file alone', () => {
    // Enough files that the write reports progress while it creates them (every 64).
    const model = parseValues(syntheticValues(100, 5), 'bench.yaml');
    const generated = generateOutput(model, 'bench.yaml');
    const targets: OutputDir[] = [{ dir: `charts/${model.name}`, files: generated.chart }, { dir: 'argocd', files: generated.argocd }];
    const out = join(work, 'race');
    mkdirSync(out);
    // The last file the write creates, made by "somebody else" once the write has begun.
    const last = `argocd/${Object.keys(generated.argocd).at(-1)!}`;
    let made = false;
    const onProgress = () => {
      if (made) return;
      made = true;
      mkdirSync(join(out, 'argocd'), { recursive: true });
      writeFileSync(join(out, last), 'theirs\n');
    };
    expect(() => writeGeneration(out, targets, { onProgress })).toThrow(/EEXIST/);
    expect(made).toBe(true);
    expect(snapshot(out)).toEqual({ [last]: 'theirs\n' });
  });
});

describe('GIVEN a generated chart WHEN a step of the write fails (the file system refuses a rename)', () => {
  it('THEN at every step: exit 2 with a message, exactly the old generation, nothing left over', async () => {
    const oldValues = join(work, 'fail-old.yaml');
    const newValues = join(work, 'fail-new.yaml');
    writeFileSync(oldValues, BASE);
    writeFileSync(newValues, NEXT);
    const out = join(work, 'fail');
    expect((await runCli(['generate', '--values', oldValues, '--out', out])).code).toBe(0);
    const old = snapshot(out);
    let k = 1;
    for (; k < 200; k++) {
      const r = await runCliWithEnv(['generate', '--values', newValues, '--out', out], { ZONAL_TEST_FAIL_AT: String(k) });
      if (r.code === 0) break;
      expect({ k, code: r.code, stderr: r.stderr }).toEqual({ k, code: 2, stderr: expect.stringMatching(/^zonal generate: cannot write .+; nothing was changed\)\n$/) });
      expect(snapshot(out)).toEqual(old);
    }
    // The step after the commit cannot fail the run: the new generation is in place.
    expect(k).toBeGreaterThan(5);
    expect(snapshot(out)).not.toEqual(old);
  });
});

describe('GIVEN a generated chart WHEN the cleanup after the commit fails', () => {
  it('THEN exit 0 (the new generation is in place) with a one-line warning, and the next run removes the leftovers', async () => {
    const oldValues = join(work, 'clean-old.yaml');
    const newValues = join(work, 'clean-new.yaml');
    writeFileSync(oldValues, BASE);
    writeFileSync(newValues, NEXT);
    const out = join(work, 'clean');
    const expected = join(work, 'clean-expected');
    expect((await runCli(['generate', '--values', oldValues, '--out', out])).code).toBe(0);
    cpSync(out, expected, { recursive: true });
    expect((await runCli(['generate', '--values', newValues, '--out', expected])).code).toBe(0);
    const old = snapshot(out);
    const next = snapshot(expected);
    // The step of the commit: a failure injected there can only hit the cleanup.
    let k = 1;
    for (; k < 200; k++) {
      const r = await runCliWithEnv(['generate', '--values', newValues, '--out', out], { ZONAL_TEST_FAIL_AT: String(k) });
      if (r.code === 0) {
        expect(r.stderr).toMatch(/^zonal generate: warning: could not remove \.zonal-old-[0-9-]+ \(EIO\); zonal generate removes it next time\n$/);
        expect(r.stdout).toMatch(/^wrote /);
        break;
      }
    }
    const leftovers = readdirSync(out).filter((n) => n.startsWith('.zonal'));
    expect(leftovers).toHaveLength(1);
    const visible = Object.fromEntries(Object.entries(snapshot(out)).filter(([p]) => !p.startsWith('.zonal')));
    expect(visible).toEqual(next);
    expect(old).not.toEqual(next);
    const again = await runCli(['generate', '--values', newValues, '--out', out]);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(snapshot(out)).toEqual(next);
  });
});

describe('GIVEN a .zonal-journal.json that zonal did not write (committed next to the chart, crafted or corrupt)', () => {
  it.each([
    ['a target outside the output directories', { tag: '1-2', state: 'applying', steps: [{ target: '../victim.txt', staged: '.zonal-tmp-1-2/../victim.txt' }] }],
    ['a target in the repository, not in charts/ or argocd/', { tag: '1-2', state: 'applying', steps: [{ target: 'victim.txt', staged: '.zonal-tmp-1-2/victim.txt' }] }],
    ['a tag that climbs out of the root', { tag: '1-2/../../victim-dir', state: 'committed', steps: [] }],
    ['a backup outside its own folder', { tag: '1-2', state: 'applying', steps: [{ target: 'argocd/root.yaml', backup: '../victim.txt' }] }],
  ])('WHEN it names %s THEN generate refuses it (exit 2, one line), and touches nothing', async (_what, journal) => {
    const values = join(work, 'journal.yaml');
    writeFileSync(values, BASE);
    const parent = tempDir('zonal-journal-');
    const out = join(parent, 'out');
    expect((await runCli(['generate', '--values', values, '--out', out])).code).toBe(0);
    writeFileSync(join(parent, 'victim.txt'), 'precious\n');
    mkdirSync(join(parent, 'victim-dir'));
    writeFileSync(join(parent, 'victim-dir', 'f'), 'precious\n');
    writeFileSync(join(out, 'victim.txt'), 'precious\n');
    writeFileSync(join(out, '.zonal-journal.json'), JSON.stringify({ zonal: 'generation', ...journal }));
    const before = snapshot(parent);
    const r = await runCli(['generate', '--values', values, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zonal generate: .+\.zonal-journal\.json is not a journal zonal wrote \(.+\); nothing was touched \(.+\)\n$/);
    expect(snapshot(parent)).toEqual(before);
  });

  it('WHEN it is not JSON THEN the same refusal, and the file stays', async () => {
    const values = join(work, 'journal2.yaml');
    writeFileSync(values, BASE);
    const out = join(tempDir('zonal-journal-'), 'out');
    expect((await runCli(['generate', '--values', values, '--out', out])).code).toBe(0);
    writeFileSync(join(out, '.zonal-journal.json'), 'my notes\n');
    const r = await runCli(['generate', '--values', values, '--out', out]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is not a journal zonal wrote (it is not JSON)')]);
    expect(readFileSync(join(out, '.zonal-journal.json'), 'utf8')).toBe('my notes\n');
  });
});

describe('GIVEN a 1,000-service values file', () => {
  it('WHEN the write is SIGKILLed at 20 random steps THEN recovery leaves exactly the old or the new generation, and the next run the new', () => {
    const outputOf = (text: string): OutputDir[] => {
      const model = parseValues(text, 'bench.yaml');
      const out = generateOutput(model, 'bench.yaml');
      return [{ dir: `charts/${model.name}`, files: out.chart }, { dir: 'argocd', files: out.argocd }];
    };
    const text = syntheticValues(1000, 1);
    const oldTargets = outputOf(text);
    // A new container port changes every template; one service fewer deletes a file.
    const newTargets = outputOf(text.replace(/targetPort: 8080/g, 'targetPort: 8081').replace(/  - name: svc-999\n[\s\S]*?(?=  - name: |externalHosts:)/, ''));
    const pristine = join(work, 'big-pristine');
    mkdirSync(pristine);
    writeGeneration(pristine, oldTargets);
    const expected = join(work, 'big-expected');
    cpSync(pristine, expected, { recursive: true });
    writeGeneration(expected, newTargets);
    const old = snapshot(pristine);
    const next = snapshot(expected);
    expect(Object.keys(old).length).toBeGreaterThan(1000);
    expect(planGeneration(pristine, newTargets).changes.length).toBeGreaterThan(1000);
    const targetsFile = { old: join(work, 'big-old.json'), new: join(work, 'big-new.json') };
    writeFileSync(targetsFile.old, JSON.stringify(oldTargets));
    writeFileSync(targetsFile.new, JSON.stringify(newTargets));
    // Steps: staged, journal, two renames per replaced file and one for the deleted (or added) one, commit.
    const steps = 2 + 2 * planGeneration(pristine, newTargets).changes.length;

    let seed = 14;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const outcomes: string[] = [];
    // Each round writes the other generation over the current one, so no copy is needed between rounds.
    const out = pristine;
    let from: 'old' | 'new' = 'old';
    for (let i = 0; i < 20; i++) {
      const to: 'old' | 'new' = from === 'old' ? 'new' : 'old';
      const k = 1 + Math.floor(random() * steps);
      const child = spawnSync(process.execPath, [CHILD, out, targetsFile[to]], { env: { ...process.env, ZONAL_TEST_CRASH_AT: String(k) }, encoding: 'utf8' });
      expect(`${k}:${child.signal ?? child.status}:${child.stderr}`).toBe(`${k}:SIGKILL:`);
      recoverInterrupted(out);
      const state = which(out, old, next);
      outcomes.push(state === from ? 'rolled back' : state === to ? 'finished' : state);
      expect([`${k}:${from}`, `${k}:${to}`]).toContain(`${k}:${state}`);
      writeGeneration(out, to === 'new' ? newTargets : oldTargets);
      expect(which(out, old, next)).toBe(to);
      from = to;
    }
    expect(outcomes).toContain('rolled back');
  });
});

describe('GIVEN an output directory with files zonal did not write', () => {
  it('THEN generate leaves them alone, refuses one in the way of a generated file, and deletes only its own stale files', async () => {
    const values = join(work, 'own.yaml');
    writeFileSync(values, BASE);
    const out = join(work, 'own');
    expect((await runCli(['generate', '--values', values, '--out', out])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'argocd', MANIFEST), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('root.yaml');
    writeFileSync(join(out, 'argocd', 'mine.yaml'), 'kind: Mine\n');
    writeFileSync(join(out, 'charts', 'adv', 'templates', 'extra.yaml'), '# mine\n');
    // Removing a service deletes its template (zonal wrote it) but not the user's files.
    writeFileSync(values, NEXT);
    expect((await runCli(['generate', '--values', values, '--out', out])).code).toBe(0);
    const tree = snapshot(out);
    expect(tree['argocd/mine.yaml']).toBe('kind: Mine\n');
    expect(tree['charts/adv/templates/extra.yaml']).toBe('# mine\n');
    expect(tree['charts/adv/templates/services/spread.yaml']).toBeUndefined();

    // A file of the user's where zonal would write one: refused, nothing changed.
    writeFileSync(values, NEXT.replace('name: added', 'name: extra-svc'));
    writeFileSync(join(out, 'charts', 'adv', 'templates', 'services', 'extra-svc.yaml'), '# also mine\n');
    const before = snapshot(out);
    const r = await runCli(['generate', '--values', values, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('zonal generate: charts/adv/templates/services/extra-svc.yaml is in the way and was not written by zonal ' +
      `(move it away; zonal replaces only the files listed in ${MANIFEST} of its output directories; nothing was written)\n`);
    expect(snapshot(out)).toEqual(before);
  });

  it('WHEN a run of an older zonal stopped between its two directory renames THEN the next run restores the directory first', async () => {
    const values = join(work, 'legacy.yaml');
    writeFileSync(values, BASE);
    const out = join(work, 'legacy');
    expect((await runCli(['generate', '--values', values, '--out', out])).code).toBe(0);
    const before = snapshot(out);
    // The old swap renamed argocd/ aside and was killed before moving the new one in.
    cpSync(join(out, 'argocd'), join(out, '.argocd.zonal-old-123-456'), { recursive: true });
    rmSync(join(out, 'argocd'), { recursive: true });
    mkdirSync(join(out, '.argocd.zonal-tmp-123-456'));
    const r = await runCli(['generate', '--values', values, '--out', out, '--check']);
    expect(r.stderr).toBe('zonal generate: restored argocd from an interrupted zonal generate\n');
    expect(r.code).toBe(0);
    expect(snapshot(out)).toEqual(before);
  });
});
