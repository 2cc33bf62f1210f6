import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { expandTemplate } from '../../generator/argocd/go-template.js';
import { argoCdCrdFiles, CrdValidators } from '../../generator/validate/crd-schema.js';
import { runCli, tempDir } from '../support/generate.js';

/** Three namespaces, services and hosts in two of them, two environments with overrides. */
function values(opts: { split?: boolean; name?: string; annotation?: number } = {}): string {
  const big = opts.annotation ? `, podAnnotations: { a: "${'x'.repeat(opts.annotation)}", b: "${'y'.repeat(opts.annotation)}" }` : '';
  return `apiVersion: zonal/v1
kind: TopologyRouting
metadata: { name: ${opts.name ?? 'shop'} }
${opts.split ? 'chart: { split: namespace }\n' : ''}cluster:
  name: c
  region: us-west-2
  kubernetesVersion: "1.34"
  zones: [{ name: us-west-2a }, { name: us-west-2b }, { name: us-west-2c }]
namespaces: [{ name: front }, { name: back }, { name: data }]
services:
  - { name: web, namespace: front, image: { repository: r/web, tag: "1.0.0" }, port: 80${big} }
  - { name: cart, namespace: back, image: { repository: r/cart, tag: "1.0.0" }, port: 80${big} }
  - { name: pay, namespace: back, image: { repository: r/pay, tag: "1.0.0" }, port: 80${big} }
externalHosts:
  - name: db
    namespace: back
    host: db.cluster-ro-abc.us-west-2.rds.amazonaws.com
    protocol: TCP
    port: 5432
    endpoints:
      - { address: db-a.abc.us-west-2.rds.amazonaws.com, zone: us-west-2a }
      - { address: db-b.abc.us-west-2.rds.amazonaws.com, zone: us-west-2b }
environments:
  - name: dev
    cluster: https://kubernetes.default.svc
    values: { localityRouting: { enabled: false }, services: { web: { replicas: 4 }, cart: { replicas: 5 } } }
  - name: prod
    cluster: https://prod.example.internal
`;
}

function write(dir: string, text: string): string {
  const file = join(dir, 'values.yaml');
  writeFileSync(file, text);
  return file;
}

const chartsIn = (out: string) => readdirSync(join(out, 'charts')).sort();
const docs = (file: string) => loadAll(readFileSync(file, 'utf8')) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GIVEN chart.split: namespace', () => {
  it('THEN generate writes one chart per namespace, each an Application per environment, and --check passes', async () => {
    const out = tempDir();
    const file = write(out, values({ split: true }));
    const r = await runCli(['generate', '--values', file, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 3 charts in .*charts\/ \(shop-front 0\.1\.0, shop-back 0\.1\.0, shop-data 0\.1\.0\)/);
    expect(chartsIn(out)).toEqual(['shop-back', 'shop-data', 'shop-front']);

    // Each chart holds its namespace's services and hosts only, and its values the environment's keys for them.
    const back = join(out, 'charts', 'shop-back');
    expect(readdirSync(join(back, 'templates', 'services')).sort()).toEqual(['cart.yaml', 'pay.yaml']);
    expect(readdirSync(join(back, 'templates', 'external-hosts'))).toEqual(['db.yaml']);
    expect(existsSync(join(out, 'charts', 'shop-data', 'templates', 'services'))).toBe(false);
    expect(load(readFileSync(join(back, 'Chart.yaml'), 'utf8'))).toMatchObject({ name: 'shop-back', version: '0.1.0' });
    expect(load(readFileSync(join(back, 'values-dev.yaml'), 'utf8'))).toEqual({ localityRouting: { enabled: false }, services: { cart: { replicas: 5 } } });
    expect(load(readFileSync(join(out, 'charts', 'shop-front', 'values-dev.yaml'), 'utf8')))
      .toEqual({ localityRouting: { enabled: false }, services: { web: { replicas: 4 } } });
    expect(load(readFileSync(join(out, 'charts', 'shop-data', 'values-dev.yaml'), 'utf8'))).toEqual({ localityRouting: { enabled: false } });
    expect(JSON.parse(readFileSync(join(back, '.zonal-manifest.json'), 'utf8')).owner).toBe('shop');

    // The ApplicationSet makes one Application per environment x chart, with the chart's path, release and namespace.
    const appSet = docs(join(out, 'argocd', 'apps', 'applicationset.yaml')).find((d) => d?.kind === 'ApplicationSet')!;
    const apps = appSet.spec.generators[0].list.elements.map((e: Record<string, unknown>) => expandTemplate(appSet.spec.template, e));
    expect(apps.map((a: any) => a.metadata.name).sort()).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      'shop-back-dev', 'shop-back-prod', 'shop-data-dev', 'shop-data-prod', 'shop-front-dev', 'shop-front-prod']);
    const backProd = apps.find((a: any) => a.metadata.name === 'shop-back-prod'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(backProd.spec.source).toMatchObject({ path: 'charts/shop-back', helm: { releaseName: 'shop-back', valueFiles: ['values-prod.yaml'] } });
    expect(backProd.spec.destination).toEqual({ server: 'https://prod.example.internal', namespace: 'back' });
    for (const a of apps) expect(existsSync(join(out, a.spec.source.path, a.spec.source.helm.valueFiles[0]))).toBe(true);
    // The ApplicationSet, its Applications and the project pass the strict Argo CD CRD schemas (when CI placed them).
    if (argoCdCrdFiles().every((f) => existsSync(f))) {
      const crds = new CrdValidators(argoCdCrdFiles());
      const objects = [appSet, ...apps.map((a: object) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...a })),
        ...docs(join(out, 'argocd', 'apps', 'projects.yaml')).filter(Boolean)];
      for (const o of objects) expect([o.kind, crds.validate(o as { apiVersion: string; kind: string })]).toEqual([o.kind, []]);
    }

    const check = await runCli(['generate', '--values', file, '--out', out, '--check']);
    expect(check).toMatchObject({ code: 0, stderr: '' });
    expect(check.stdout).toMatch(/^3 charts \(charts\/shop-front, charts\/shop-back, \.\.\.\) and argocd\/ are up to date/);

    // The managed version is per chart: a change in one namespace bumps only that chart.
    writeFileSync(file, values({ split: true }).replace('{ name: pay, namespace: back, image: { repository: r/pay, tag: "1.0.0" }, port: 80',
      '{ name: pay, namespace: back, image: { repository: r/pay, tag: "1.0.0" }, port: 8080'));
    expect((await runCli(['generate', '--values', file, '--out', out, '--check'])).code).toBe(1);
    expect((await runCli(['generate', '--values', file, '--out', out])).code).toBe(0);
    const version = (chart: string) => (load(readFileSync(join(out, 'charts', chart, 'Chart.yaml'), 'utf8')) as { version: string }).version;
    expect([version('shop-front'), version('shop-back'), version('shop-data')]).toEqual(['0.1.0', '0.1.1', '0.1.0']);
  });

  it('THEN turning the split on and off replaces the charts in one transaction, leaving charts of others alone', async () => {
    const out = tempDir();
    const file = write(out, values());
    expect((await runCli(['generate', '--values', file, '--out', out])).code).toBe(0);
    // Another values file's chart whose name starts like a split chart, and a folder of the user's.
    writeFileSync(join(out, 'other.yaml'), values({ name: 'shop-front' }).replace('namespaces: [{ name: front }, { name: back }, { name: data }]',
      'namespaces: [{ name: front }, { name: back }, { name: data }]\ngitops: { project: other }'));
    expect((await runCli(['generate', '--values', join(out, 'other.yaml'), '--out', join(out, 'x')])).code).toBe(0);
    expect(chartsIn(out)).toEqual(['shop']);

    writeFileSync(file, values({ split: true }));
    expect((await runCli(['generate', '--values', file, '--out', out])).code).toBe(0);
    expect(chartsIn(out)).toEqual(['shop-back', 'shop-data', 'shop-front']);

    // A namespace removed from the values file takes its chart with it.
    writeFileSync(file, values({ split: true }).replace(', { name: data }]', ']'));
    expect((await runCli(['generate', '--values', file, '--out', out])).code).toBe(0);
    expect(chartsIn(out)).toEqual(['shop-back', 'shop-front']);

    writeFileSync(file, values());
    expect((await runCli(['generate', '--values', file, '--out', out])).code).toBe(0);
    expect(chartsIn(out)).toEqual(['shop']);
    expect((await runCli(['generate', '--values', file, '--out', out, '--check'])).code).toBe(0);
  });

  it('THEN a chart name over 53 characters is refused at the namespace, with the fix', async () => {
    const out = tempDir();
    const file = write(out, values({ split: true, name: 'n'.repeat(48) }));
    const r = await runCli(['generate', '--values', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:10:\\d+: .*chart of namespace "front" is named "n{48}-front" \\(54 characters, Helm allows 53\\) \\(shorten metadata.name or the namespace name`)),
    ]);
  });

  it('THEN zonal diff --values compares every chart of the values file and names the one that changed', async () => {
    const repo = tempDir();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
      { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q', '-b', 'main');
    const file = write(repo, values({ split: true }));
    expect((await runCli(['generate', '--values', 'values.yaml'], repo)).code).toBe(0);
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    writeFileSync(file, values({ split: true }).replace('{ name: pay, namespace: back, image: { repository: r/pay, tag: "1.0.0" }, port: 80',
      '{ name: pay, namespace: back, image: { repository: r/pay, tag: "1.0.0" }, port: 8080'));
    expect((await runCli(['generate', '--values', 'values.yaml'], repo)).code).toBe(0);
    const r = await runCli(['diff', '--values', 'values.yaml'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/chart shop-back: 0\.1\.0 -> 0\.1\.1/);
    expect(r.stdout).toMatch(/=== Service back\/pay/);
    expect(r.stdout).not.toMatch(/chart shop-front: 0\.1\.0 -> /);
  });

  it('THEN lint and simulate read the split values file as a whole', async () => {
    const out = tempDir();
    const file = write(out, values({ split: true }));
    const unsplit = write(tempDir(), values());
    const lint = await runCli(['lint', '--values', file, '--json']);
    const lintWhole = await runCli(['lint', '--values', unsplit, '--json']);
    expect(lint.code).toBe(lintWhole.code);
    expect(JSON.parse(lint.stdout).findings?.length ?? 0).toBe(JSON.parse(lintWhole.stdout).findings?.length ?? 0);
    const sim = await runCli(['simulate', '--values', file, '--json']);
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout)).toEqual(JSON.parse((await runCli(['simulate', '--values', unsplit, '--json'])).stdout));
  });
});

describe('GIVEN a values file whose one chart would exceed Helm\'s 5 MiB per file', () => {
  // Three services with two 0.9 MiB pod annotations each, in three namespaces: values.yaml ~ 5.4 MiB as one chart.
  const annotation = Math.round(0.9 * 1024 * 1024);

  it('THEN generate refuses it, pointing at chart.split: namespace, and writes nothing', async () => {
    const out = tempDir();
    const file = write(out, values({ annotation }).replace('{ name: pay, namespace: back', '{ name: pay, namespace: data'));
    const r = await runCli(['generate', '--values', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:3:\d+: charts\/shop\/values\.yaml would be 5\.\d MiB, over Helm's 5 MiB limit per chart file \(one chart of 3 services and 1 external hosts\) \(set chart\.split: namespace/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(out, 'charts'))).toBe(false);
  });

  it('THEN with chart.split: namespace every chart file stays under the limit and it is written', async () => {
    const out = tempDir();
    const file = write(out, values({ annotation, split: true }).replace('{ name: pay, namespace: back', '{ name: pay, namespace: data'));
    const r = await runCli(['generate', '--values', file, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const chart of chartsIn(out)) {
      expect(readFileSync(join(out, 'charts', chart, 'values.yaml')).length).toBeLessThan(5 * 1024 * 1024);
    }
  });
});
