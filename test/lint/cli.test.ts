import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { FIXTURE_DIR } from './fixtures.js';

const HUMAN_LINE = /^(.+):(\d+): (ERROR|WARNING|INFO) (ZNL\d{3}) (.+)$/;
const fixture = (name: string) => `${FIXTURE_DIR}/rules/${name}`;
const lines = (out: string) => out.split('\n').filter((l) => l !== '');

describe('GIVEN zonal lint -f on manifests', () => {
  it('WHEN a file has errors THEN it prints file:line: SEVERITY code message lines and exits 1', async () => {
    const r = await runCli(['lint', '-f', fixture('ZNL018-fail.yaml')]);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const l of out) expect(l).toMatch(HUMAN_LINE);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^${fixture('ZNL018-fail.yaml')}:61: ERROR ZNL018 `)));
    expect(r.stderr).toMatch(/1 error\(s\)/);
  });

  it('WHEN a file has only warnings THEN it exits 0', async () => {
    const r = await runCli(['lint', '-f', fixture('ZNL002-fail.yaml')]);
    expect(lines(r.stdout).map((l) => HUMAN_LINE.exec(l)![3])).toEqual(['WARNING']);
    expect(r.code).toBe(0);
  });

  it('WHEN --json is given THEN stdout is one JSON array of findings with exactly the documented keys', async () => {
    const r = await runCli(['lint', '--json', '-f', fixture('ZNL019-fail.yaml'), fixture('ZNL002-fail.yaml')]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(findings)).toBe(true);
    expect(findings.map((f) => f.code)).toEqual(['ZNL002', 'ZNL019', 'ZNL041', 'ZNL019']);
    for (const f of findings) {
      // `istio` appears exactly on findings that reproduce Istio's own verdict.
      const keys = ['code', 'file', 'kind', 'line', 'message', 'name', 'namespace', 'severity', ...(f.istio !== undefined ? ['istio'] : [])].sort();
      expect(Object.keys(f).sort()).toEqual(keys);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }
    expect(findings[0]).toMatchObject({ code: 'ZNL002', severity: 'warning', istio: 'warns', file: fixture('ZNL002-fail.yaml'), line: 27, kind: 'DestinationRule', name: 'payments-api', namespace: 'shop' });
    expect(findings[2]).toMatchObject({ code: 'ZNL041', severity: 'error', istio: 'rejects', kind: 'ServiceEntry' });
    expect(findings[1]!.istio).toBeUndefined();
  });

  it('WHEN -f - is given THEN standard input is linted and reported as <stdin>', async () => {
    const r = await runCli(['lint', '-f', '-'], REPO, readFileSync(join(REPO, fixture('ZNL009-fail.yaml')), 'utf8'));
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^<stdin>:13: ERROR ZNL009 /)]);
  });

  it.each([
    ['empty standard input (a failed helm template)', ''],
    ['only comments and empty documents', '# nothing rendered\n---\n---\n'],
    ['YAML that is not a Kubernetes object', 'replicas: 3\nimage: nginx\n'],
  ])('WHEN -f - gets %s THEN it exits 2 with "no Kubernetes objects in <stdin>" and prints no findings', async (_, input) => {
    const r = await runCli(['lint', '-f', '-'], REPO, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^zonal lint: no Kubernetes objects in <stdin> \(/);
  });

  it('WHEN -f names files that hold no Kubernetes object (an empty file, a values file) THEN it exits 2 naming them, with no findings', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 3\nimage: nginx\n---\n# nothing\n');
    const r = await runCli(['lint', '-f', join(dir, 'empty.yaml'), join(dir, 'values.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^zonal lint: no Kubernetes objects in .*empty\.yaml, .*values\.yaml \(/);
  });

  it('WHEN --istio-version names an unsupported Istio THEN it exits 2 naming the supported range', async () => {
    const r = await runCli(['lint', '--istio-version', '1.28.2', '-f', fixture('ZNL002-fail.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--istio-version "1.28.2" is not supported \(use 1.29, 1.30, 1.31, 1.32/);
  });

  it('WHEN --istio-version 1.30 is given THEN zoneAwareLbSetting is a field its CRD rejects (ZNL045); on 1.31 it is not', async () => {
    const old = await runCli(['lint', '--json', '--istio-version', '1.30.5', '-f', fixture('ZNL045-fail.yaml')]);
    expect((JSON.parse(old.stdout) as { code: string }[]).map((f) => f.code)).toContain('ZNL045');
    const now = await runCli(['lint', '--json', '--istio-version', '1.31.1', '-f', fixture('ZNL045-fail.yaml')]);
    expect((JSON.parse(now.stdout) as { code: string }[]).map((f) => f.code)).not.toContain('ZNL045');
  });

  it('WHEN a folder is given THEN every *.yaml and *.yml below it is linted, other files are ignored', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), readFileSync(join(REPO, fixture('ZNL009-fail.yaml')), 'utf8'));
    writeFileSync(join(dir, 'nested', 'deeper', 'b.yml'), readFileSync(join(REPO, fixture('ZNL014-fail.yaml')), 'utf8'));
    writeFileSync(join(dir, 'nested', 'notes.txt'), 'not: [yaml');
    const r = await runCli(['lint', '--json', '-f', dir], dir);
    const findings = JSON.parse(r.stdout) as { code: string; file: string }[];
    expect([...new Set(findings.map((f) => f.code))].sort()).toEqual(['ZNL009', 'ZNL014']);
    expect(findings.map((f) => f.file)).toContainEqual(join(dir, 'nested', 'deeper', 'b.yml'));
  });

  it('WHEN several paths follow -f THEN all of them are linted', async () => {
    const r = await runCli(['lint', '--json', '-f', fixture('ZNL009-fail.yaml'), fixture('ZNL014-fail.yaml')]);
    expect(new Set((JSON.parse(r.stdout) as { code: string }[]).map((f) => f.code))).toEqual(new Set(['ZNL009', 'ZNL014']));
  });

  it('WHEN --zones and --region are given THEN endpoints outside them are reported, and not without them', async () => {
    const file = fixture('ZNL012-fail.yaml');
    const without = await runCli(['lint', '--json', '-f', file]);
    expect((JSON.parse(without.stdout) as { code: string }[]).filter((f) => f.code === 'ZNL012')).toEqual([]);
    const withZones = await runCli(['lint', '--json', '-f', file, '--zones', 'us-west-2a,us-west-2b,us-west-2c', '--region', 'us-west-2']);
    expect((JSON.parse(withZones.stdout) as { code: string; line: number }[]).filter((f) => f.code === 'ZNL012').map((f) => f.line)).toEqual([16, 17]);
    expect(withZones.code).toBe(1);
  });

  it('WHEN --dns-capture is given THEN a TCP ServiceEntry without addresses is accepted', async () => {
    const file = fixture('ZNL014-fail.yaml');
    const before = JSON.parse((await runCli(['lint', '--json', '-f', file])).stdout) as { code: string }[];
    const after = JSON.parse((await runCli(['lint', '--json', '-f', file, '--dns-capture'])).stdout) as { code: string }[];
    expect(before.filter((f) => f.code === 'ZNL014')).toHaveLength(2);
    expect(after.filter((f) => f.code === 'ZNL014')).toHaveLength(0);
  });

  it('WHEN the YAML is invalid THEN it exits 2 naming file:line:col', async () => {
    const r = await runCli(['lint', '-f', '-'], REPO, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^<stdin>:\d+:\d+: /);
  });

  it('WHEN a path does not exist THEN it exits 2 naming it', async () => {
    const r = await runCli(['lint', '-f', 'no/such/dir.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^no\/such\/dir\.yaml:1:1: cannot read \(no such file or directory; check the -f path\)/);
  });

  it('WHEN a folder holds no YAML THEN it exits 2', async () => {
    const r = await runCli(['lint', '-f', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no \*\.yaml or \*\.yml files/);
  });

  it.each([
    [['lint', '--values', 'values/octank-travel.yaml', '-f', 'x.yaml'], /either --values or -f/],
    [['lint', '--zones', 'us-west-2a'], /--zones applies to -f only/],
    [['lint', 'stray.yaml'], /unexpected argument "stray.yaml"/],
    [['lint', '--bogus'], /bogus/],
    [['lint', '-f', 'x.yaml', '--zones', ' , '], /--zones needs at least one zone/],
  ])('WHEN called as %j THEN it is a usage error (exit 2)', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });
});

describe('GIVEN zonal lint on a values file', () => {
  it('WHEN run without flags in the repository THEN the bundled example lints clean (exit 0, info only)', async () => {
    const r = await runCli(['lint']);
    expect(r.code).toBe(0);
    for (const l of lines(r.stdout)) expect(l).toMatch(/^values\/octank-travel\.yaml:\d+: INFO ZNL\d{3} /);
  });

  it('WHEN the values file is invalid THEN it exits 2 with file:line:col problems', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: zonal/v1\nkind: TopologyRouting\nmetadata: {}\n');
    const r = await runCli(['lint', '--values', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yaml:\d+:\d+: /m);
  });

  it('WHEN the values file is missing THEN it exits 2', async () => {
    const r = await runCli(['lint', '--values', 'nope.yaml'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nope\.yaml:1:1: cannot read/);
  });
});
