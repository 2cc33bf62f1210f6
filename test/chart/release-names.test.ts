import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { selectorMatches } from '../../generator/lint/rules/selectors.js';
import { generateInto, BUILT_CLI as CLI } from '../support/generate.js';
import { helm, helmBinaries, helmFails, REPO, type HelmBinary } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SINGLE = join(REPO, 'test', 'fixtures', 'values', 'adoption.yaml');
const MULTI = join(REPO, 'test', 'fixtures', 'values', 'variants.yaml');
let out: string;
let multiOut: string;
let chart: string;
let multiChart: string;

beforeAll(async () => {
  out = await generateInto(SINGLE);
  multiOut = await generateInto(MULTI);
  chart = join(out, 'charts', 'shop');
  multiChart = join(multiOut, 'charts', 'variants');
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(multiOut, { recursive: true, force: true });
});

function render(bin: HelmBinary, dir: string, release: string, namespace: string, ...extra: string[]): { text: string; objects: Any[] } {
  const text = helm(bin, ['template', release, dir, '--namespace', namespace, ...extra]);
  return { text, objects: parseManifests(text, 'helm').map((l) => l.object as Any) };
}

const podLabels = (d: Any) => d.spec.template.metadata.labels as Record<string, string>;

/** Every selector of the chart must select the pods of its own workload, whatever the release. */
function selectorProblems(objects: readonly Any[]): string[] {
  const problems: string[] = [];
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  for (const d of deployments) {
    const labels = podLabels(d);
    if (!selectorMatches(d.spec.selector, labels)) problems.push(`Deployment ${d.metadata.name}: selector`);
    for (const c of d.spec.template.spec.topologySpreadConstraints) {
      if (!selectorMatches(c.labelSelector, labels)) problems.push(`Deployment ${d.metadata.name}: spread ${c.topologyKey}`);
    }
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    if (!deployments.some((d) => selectorMatches(pdb.spec.selector, podLabels(d)))) problems.push(`PDB ${pdb.metadata.name}`);
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    if (deployments.filter((d) => selectorMatches({ matchLabels: svc.spec.selector }, podLabels(d))).length !== 1) problems.push(`Service ${svc.metadata.name}`);
  }
  return problems;
}

function lintStdin(text: string) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--zones', 'eu-west-1a,eu-west-1b,eu-west-1c', '-f', '-'], { input: text, encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function simulateStdin(text: string) {
  const r = spawnSync(process.execPath, [CLI, 'simulate', '--zones', 'eu-west-1a,eu-west-1b,eu-west-1c', '-f', '-'], { input: text, encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cases = [
  { release: 'shop', namespace: 'shop', prefix: '' },
  { release: 'blue', namespace: 'team-blue', prefix: 'blue-shop-' },
  { release: 'shop-canary', namespace: 'shop', prefix: 'shop-canary-' },
] as const;

describe.each(helmBinaries())('GIVEN a single-namespace chart WHEN real Helm $major renders it', (bin) => {
  describe.each(cases)('under release $release in namespace $namespace', ({ release, namespace, prefix }) => {
    let objects: Any[];
    let text: string;
    beforeAll(() => {
      ({ text, objects } = render(bin, chart, release, namespace));
    });

    it('THEN every object is in the release namespace and the Namespace object is that namespace', () => {
      for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, namespace]);
      expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([namespace]);
    });

    it('THEN names carry the release prefix, except under the release named like the chart', () => {
      const names = objects.filter((o) => o.kind !== 'Namespace').map((o) => `${o.kind}/${o.metadata.name}`).sort();
      expect(names).toContain(`Service/${prefix}cart-api`);
      expect(names).toContain(`Deployment/${prefix}checkout`);
      expect(names).toContain(`ServiceEntry/${prefix}orders-db`);
      const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `${prefix}cart`)!;
      expect(dep.spec.template.spec.serviceAccountName).toBe(`${prefix}cart`);
      expect(objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === `${prefix}cart`)).toBe(true);
    });

    it('THEN every selector, spread constraint and PodDisruptionBudget selects the pods of this release', () => {
      expect(selectorProblems(objects)).toEqual([]);
      for (const d of objects.filter((o) => o.kind === 'Deployment')) expect(podLabels(d)['app.kubernetes.io/instance']).toBe(release);
    });

    it('THEN each DestinationRule host is the Service FQDN in the release namespace', () => {
      const dr = objects.find((o) => o.kind === 'DestinationRule' && o.metadata.name === `${prefix}cart`)!;
      expect(dr.spec.host).toBe(`${prefix}cart-api.${namespace}.svc.cluster.local`);
    });

    it('THEN zonal lint -f - finds no error and no selector that misses its pods', () => {
      const r = lintStdin(text);
      expect(r.stdout).not.toMatch(/ZNL025|ERROR/);
      expect(r.code).toBe(0);
    });
  });

  it('WHEN a chart rendered for one release has its spread selector left on the old instance THEN zonal lint -f reports ZNL025', () => {
    const { text } = render(bin, chart, 'blue', 'team-blue');
    const broken = text.replace(/(labelSelector:\n\s+matchLabels:\n\s+app\.kubernetes\.io\/instance: )"blue"/g, '$1"shop"')
      .replace(/(selector:\n\s+matchLabels:\n\s+app\.kubernetes\.io\/instance: )"blue"(\n\s+app\.kubernetes\.io\/name: "cart")(\n\s*---|\n*$)/, '$1"shop"$2$3');
    expect(broken).not.toBe(text);
    const r = lintStdin(broken);
    expect(r.stdout).toMatch(/ERROR ZNL025 .*topologySpreadConstraints\[0\]/);
    expect(r.stdout).toMatch(/ERROR ZNL025 PodDisruptionBudget blue-shop-cart selects app\.kubernetes\.io\/instance=shop/);
    expect(r.code).toBe(1);
    // The prediction no longer takes the one-replica-per-zone placement for granted.
    const predicted = simulateStdin(broken);
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).toMatch(/note: Deployment\/blue-shop-cart: its zone topologySpreadConstraint selects none of its own pods/);
    expect(simulateStdin(text).stdout).not.toMatch(/topologySpreadConstraint/);
  });

  it('WHEN fullnameOverride / nameOverride are set THEN names and part-of follow, selectors still match', () => {
    const { objects } = render(bin, chart, 'whatever', 'ns1', '--set', 'fullnameOverride=acme', '--set', 'nameOverride=boutique');
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'acme-cart')).toBeDefined();
    expect(objects.every((o) => o.metadata.labels['app.kubernetes.io/part-of'] === 'boutique')).toBe(true);
    expect(selectorProblems(objects)).toEqual([]);
  });

  it('WHEN the release name is long THEN every name is cut to 63 characters without a trailing "-"', () => {
    // 50 characters: <release>-shop-orders-db is cut right after "orders-", which must not end the name.
    const release = `r${'x'.repeat(49)}`;
    const { objects } = render(bin, chart, release, 'ns1');
    expect(objects.find((o) => o.kind === 'ServiceEntry')!.metadata.name).toBe(`${release}-shop-orders`);
    for (const o of objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      expect(o.metadata.name).not.toMatch(/-$/);
    }
    expect(selectorProblems(objects)).toEqual([]);
  });

  it('WHEN namespaces.<ns>.name or .create are set THEN objects move / the Namespace object is left to its owner', () => {
    const moved = render(bin, chart, 'shop', 'default', '--set', 'namespaces.shop.name=elsewhere').objects;
    expect(new Set(moved.map((o) => o.metadata.namespace ?? o.metadata.name))).toEqual(new Set(['elsewhere']));
    const owned = render(bin, chart, 'shop', 'shop', '--set', 'namespaces.shop.create=false').objects;
    expect(owned.some((o) => o.kind === 'Namespace')).toBe(false);
  });

  it('WHEN cluster.region or cluster.zones are --set THEN the schema refuses them: they are cluster facts, not knobs', () => {
    expect(helmFails(bin, ['template', 'shop', chart, '--set', 'cluster.region=us-east-1'])).toMatch(/cluster/);
    const eps = render(bin, chart, 'shop', 'shop').objects.find((o) => o.kind === 'ServiceEntry')!.spec.endpoints;
    expect(eps.map((e: Any) => e.locality)).toEqual(['eu-west-1/eu-west-1a', 'eu-west-1/eu-west-1b']);
  });

  it('WHEN a multi-namespace chart is rendered under two releases and namespaces THEN its namespaces come from values', () => {
    for (const [release, ns] of [['variants', 'x'], ['green', 'y']] as const) {
      const { objects } = render(bin, multiChart, release, ns, '--set', 'namespaces.edge.name=edge-2');
      const namespaces = new Set(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace));
      expect(namespaces).toEqual(new Set(['shop', 'edge-2']));
      expect(selectorProblems(objects)).toEqual([]);
    }
  });
});

describe('GIVEN the chart text files', () => {
  it('THEN README.md is plain Markdown: no escaped backticks, balanced code fences, the install commands name the namespace', () => {
    const readme = readFileSync(join(chart, 'README.md'), 'utf8');
    expect(readme).not.toContain('\\`');
    expect((readme.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(readme).toMatch(/^helm template shop charts\/shop --namespace shop/m);
  });

  // Helm 3.17 wants a cluster even for --dry-run=client; Helm 4 renders NOTES.txt offline.
  it('THEN NOTES.txt names a pullable image and the release\'s own Service (Helm 4)', () => {
    for (const bin of helmBinaries().filter((b) => b.major === 4)) {
      const notes = helm(bin, ['install', '--dry-run=client', 'blue', chart, '--namespace', 'team-blue']);
      expect(notes).not.toMatch(/<zonal image>/);
      expect(notes).toMatch(/--image=curlimages\/curl:\d+\.\d+\.\d+/);
      expect(notes).toMatch(/http:\/\/blue-shop-cart-api\.team-blue:80\//);
    }
  });

  it('THEN Chart.yaml annotations use the one zonal.dev/ domain', () => {
    const text = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
    expect(text).toMatch(/zonal\.dev\//);
    expect(text).not.toMatch(/zonal\.io\//);
  });
});
