import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATE_WORKER_FILE, GATE_WORKER_MIN_CHARS, lintGate, lintGateInWorker } from '../../generator/commands/generate-lint-gate.js';
import { InputError } from '../../generator/commands/command.js';
import { parseValues } from '../../generator/model/load-values.js';
import { syntheticValues } from '../../bench/synthetic-values.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { readTree } from '../support/tree.js';

/** The built executable: from a big values file it runs the lint gate in a worker thread. */
function built(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'dist', 'generator', 'cli.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A comment that makes a values file big enough for the worker without changing what it says. */
const PADDING = `${'# padding\n'.repeat(Math.ceil(GATE_WORKER_MIN_CHARS / 10))}`;

// Without DNS capture two TCP ServiceEntries without addresses share one listener: ZNL015, an error.
const COLLIDING = `apiVersion: zonal/v1
kind: TopologyRouting
metadata: { name: collide }
cluster: { name: c, region: us-west-2, kubernetesVersion: "1.34", zones: [{ name: us-west-2a }, { name: us-west-2b }] }
mesh: { dnsCapture: false }
namespaces: [{ name: data }]
externalHosts:
  - { name: orders-db, namespace: data, host: orders.example.com, protocol: TCP, port: 5432, endpoints: [{ address: orders-1.example.com, zone: us-west-2a }] }
  - { name: billing-db, namespace: data, host: billing.example.com, protocol: TCP, port: 5432, endpoints: [{ address: billing-1.example.com, zone: us-west-2b }] }
`;

describe('GIVEN the lint gate in a worker thread (the bundled worker, as zonal generate starts it)', () => {
  const problemsOf = (f: () => void) => {
    try {
      f();
      return [];
    } catch (err) {
      return (err as InputError).problems;
    }
  };

  it('WHEN the values have lint errors THEN its verdict rejects with exactly the problems of the in-thread gate', async () => {
    const text = PADDING + COLLIDING;
    const inThread = problemsOf(() => lintGate(parseValues(text, 'v.yaml'), 'v.yaml', text));
    expect(inThread.join('\n')).toMatch(/ZNL015/);
    const gate = lintGateInWorker({ text, displayName: 'v.yaml' }, GATE_WORKER_FILE);
    await expect(gate.verdict).rejects.toBeInstanceOf(InputError);
    await expect(gate.verdict).rejects.toMatchObject({ problems: inThread });
  });

  it('WHEN the values are clean THEN its verdict resolves', async () => {
    const text = syntheticValues(20, 4);
    await expect(lintGateInWorker({ text, displayName: 'v.yaml' }, GATE_WORKER_FILE).verdict).resolves.toBeUndefined();
  });
});

describe('GIVEN a values file big enough for the lint gate to run in a worker thread', () => {
  it('WHEN it has lint errors THEN the built zonal refuses exactly as the in-thread gate does: exit 2, same messages, nothing written', async () => {
    const dir = tempDir();
    const file = join(dir, 'values.yaml');
    writeFileSync(file, PADDING + COLLIDING);
    const viaWorker = built(['generate', '--values', file, '--out', join(dir, 'a')]);
    const inThread = await runCli(['generate', '--values', file, '--out', join(dir, 'b')]);
    expect(viaWorker.stderr).toMatch(/values\.yaml:\d+:\d+: ERROR ZNL015 .*nothing was written/);
    expect([viaWorker.code, viaWorker.stderr, viaWorker.stdout]).toEqual([inThread.code, inThread.stderr, inThread.stdout]);
    expect(() => readdirSync(join(dir, 'a'))).toThrow();
  });

  it('WHEN it does not parse THEN the parse error is reported and the worker does not keep the process alive', () => {
    const dir = tempDir();
    const file = join(dir, 'values.yaml');
    writeFileSync(file, `${PADDING}${COLLIDING}namespaces: [{ name: data }]\n`);
    const r = built(['generate', '--values', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/values\.yaml:\d+:\d+: duplicated mapping key/);
    expect(r.stderr).not.toMatch(/ZNL015|bug in zonal/);
  });

  it('WHEN it is valid THEN the built zonal (worker) writes the same files as the in-thread gate', async () => {
    const dir = tempDir();
    const file = join(dir, 'values.yaml');
    const text = syntheticValues(220, 44);
    expect(text.length).toBeGreaterThan(GATE_WORKER_MIN_CHARS);
    writeFileSync(file, text);
    const viaWorker = built(['generate', '--values', file, '--out', join(dir, 'a')]);
    const inThread = await runCli(['generate', '--values', file, '--out', join(dir, 'b')]);
    expect([viaWorker.code, viaWorker.stderr]).toEqual([0, '']);
    expect(inThread.code).toBe(0);
    expect(readTree(join(dir, 'a'))).toEqual(readTree(join(dir, 'b')));
  });
});
