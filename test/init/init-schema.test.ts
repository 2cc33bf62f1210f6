import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { parseValues } from '../../generator/model/load-values.js';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { generateInto, runCli, tempDir } from '../support/generate.js';
import { helm, helmBinaries, REPO } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIX = join(REPO, 'test', 'fixtures', 'init');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

describe('GIVEN kubectl and describe-subnets output of a running cluster WHEN zonal init scaffolds a values file', () => {
  it('THEN Services become workload: external entries with replicas, selector and zone spread read from their workloads', async () => {
    const r = await runCli(['init', '--name', 'pay', '-f', join(FIX, 'cluster.yaml'), '--subnets', join(FIX, 'subnets.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = load(r.stdout) as Any;
    expect(v.cluster).toMatchObject({ region: 'us-west-2', zones: [
      { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['10.0.0.0/19', '10.0.96.0/20'] },
      { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['10.0.32.0/19'] },
      { name: 'us-west-2c', id: 'usw2-az3', cidrs: ['10.0.64.0/19'] },
    ] });
    expect(v.namespaces).toEqual([{ name: 'payments', create: false }]);
    expect(v.services).toEqual([
      { name: 'ledger', namespace: 'payments', workload: 'external', port: 9000, protocol: 'GRPC', replicas: 3, selector: { app: 'ledger' }, zoneSpread: false, trafficDistribution: true },
      { name: 'payments-api', namespace: 'payments', workload: 'external', port: 80, targetPort: 8080, protocol: 'HTTP', replicas: 6,
        selector: { 'app.kubernetes.io/name': 'payments', 'app.kubernetes.io/instance': 'payments' }, zoneSpread: true },
    ]);
    expect(v.externalHosts[0]).toMatchObject({ name: 'ledger-db', host: 'ledger.cluster-ro-abc.us-west-2.rds.amazonaws.com', port: 5432,
      endpoints: [{ address: 'ledger-1.abc.us-west-2.rds.amazonaws.com', zone: 'us-west-2a' }, { address: 'ledger-2.abc.us-west-2.rds.amazonaws.com', zone: 'us-west-2b' }] });
    expect(r.stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/zonal-values.schema.json');
  });

  it('THEN the file (from stdin too) generates a chart that renders only routing objects, with Helm 3 and 4', async () => {
    const dir = temp();
    const out = join(dir, 'values', 'pay.yaml');
    const stdin = readFileSync(join(FIX, 'cluster.yaml'), 'utf8');
    const r = await runCli(['init', '--name', 'pay', '-f', '-', '--subnets', join(FIX, 'subnets.json'), '--out', out], REPO, stdin);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*pay\.yaml: 2 service\(s\), 1 external host\(s\), 3 zones/);
    const root = await generateInto(out, join(dir, 'gen'));
    for (const bin of helmBinaries()) {
      const objs = parseManifests(helm(bin, ['template', 'pay', join(root, 'charts', 'pay')]), 'h').map((l) => l.object as Any);
      expect(objs.map((o) => o.kind).sort()).toEqual(['DestinationRule', 'DestinationRule', 'DestinationRule', 'ServiceEntry']);
      expect(objs.filter((o) => o.kind === 'DestinationRule').map((o) => o.spec.host).sort())
        .toEqual(['ledger.cluster-ro-abc.us-west-2.rds.amazonaws.com', 'ledger.payments.svc.cluster.local', 'payments-api.payments.svc.cluster.local']);
      if (bin.major === 4) { // NOTES.txt offline (Helm 3.17 wants a cluster): no zone check against a Service this chart does not render
        const notes = helm(bin, ['install', '--dry-run=client', 'pay', join(root, 'charts', 'pay'), '--namespace', 'payments']);
        expect(notes).toMatch(/- service payments-api \(Service payments-api\.payments, deployed by its own chart; routing only\)/);
        expect(notes).not.toMatch(/zonal-zone-check/);
      }
    }
    // --out never overwrites.
    const again = await runCli(['init', '--name', 'pay', '-f', join(FIX, 'cluster.yaml'), '--subnets', join(FIX, 'subnets.json'), '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; zonal init never overwrites/);
  });

  it('WHEN an input is missing or wrong THEN one line says what and how to fix it, exit 2', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'one-zone.json'), JSON.stringify({ Subnets: [{ AvailabilityZone: 'us-west-2a', CidrBlock: '10.0.0.0/16' }] }));
    const cases: Array<[string[], RegExp]> = [
      [['--name', 'pay', '-f', join(FIX, 'cluster.yaml')], /--subnets is required/],
      [['--name', 'pay', '-f', join(FIX, 'cluster.yaml'), '--subnets', join(dir, 'one-zone.json')], /1 zone\(s\); zone-local routing needs at least 2/],
      [['--name', 'pay', '-f', join(FIX, 'cluster.yaml'), '--subnets', join(dir, 'absent.json')], /absent\.json/],
      [['--name', 'pay', '-f', join(FIX, 'subnets.json'), '--subnets', join(FIX, 'subnets.json')], /no Service with a selector/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['init', ...args]);
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('GIVEN zonal schema', () => {
  it('THEN it prints the schema zonal validates with, the committed schemas/ copy is that output, and it accepts the example', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(REPO, 'schemas', 'zonal-values.schema.json'), 'utf8')).toBe(r.stdout);
    const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(JSON.parse(r.stdout));
    const example = readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8');
    expect(validate(load(example))).toBe(true);
    expect(validate({ apiVersion: 'zonal/v1', kind: 'TopologyRouting', metadata: { name: 'x' }, cluster: {}, namespaces: [], typo: 1 })).toBe(false);
    expect(() => parseValues(example, 'values/octank-travel.yaml')).not.toThrow();
  });

  it('THEN the example values file starts with the editor modeline pointing at that schema', () => {
    const first = readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m).not.toBeNull();
    expect(existsSync(resolve(dirname(join(REPO, 'values', 'octank-travel.yaml')), m![1]!))).toBe(true);
  });
});
