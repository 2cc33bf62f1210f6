import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { argoCdCrdFiles, CrdValidators } from '../../generator/validate/crd-schema.js';
import { generateInto } from '../support/generate.js';
import { AMBIENT_VALUES, SIDECAR_VALUES } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const docs = (root: string, file: string) => (loadAll(readFileSync(join(root, 'argocd', file), 'utf8')) as Any[]).filter(Boolean);
const wave = (o: Any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
const byComponent = (apps: Any[], c: string) => apps.filter((a) => a.metadata.labels['zonal.dev/component'] === c);

let ambient: string;
let sidecar: string;

beforeAll(async () => {
  ambient = await generateInto(AMBIENT_VALUES);
  sidecar = await generateInto(SIDECAR_VALUES);
});

describe('GIVEN the ambient example WHEN its Argo CD bootstrap is generated', () => {
  it('THEN istio-cni and ztunnel come from the official charts at the mesh version, per cluster, before the workloads', () => {
    const apps = docs(ambient, 'apps/istio.yaml');
    const workloads = docs(ambient, 'apps/applicationset.yaml')[0]!;
    for (const c of ['istio-cni', 'ztunnel']) {
      const found = byComponent(apps, c);
      expect(found.map((a) => a.metadata.labels['zonal.dev/environment']).sort()).toEqual(['dev', 'prod']);
      for (const a of found) {
        expect(a.spec.source).toMatchObject({ repoURL: 'https://istio-release.storage.googleapis.com/charts', targetRevision: '1.31.1' });
        expect(a.spec.destination.namespace).toBe('istio-system');
        expect(wave(a)).toBeLessThan(wave(workloads));
      }
    }
    const cni = byComponent(apps, 'istio-cni')[0]!;
    expect(cni.spec.source).toMatchObject({ chart: 'cni', helm: { releaseName: 'istio-cni', valuesObject: { profile: 'ambient' } } });
    expect(byComponent(apps, 'ztunnel')[0]!.spec.source).toMatchObject({ chart: 'ztunnel', helm: { releaseName: 'ztunnel' } });
    // ztunnel gets its certificates from istiod: not in an earlier wave than istiod.
    expect(wave(byComponent(apps, 'ztunnel')[0]!)).toBeGreaterThanOrEqual(wave(byComponent(apps, 'istiod')[0]!));
    expect(byComponent(apps, 'istiod')[0]!.spec.source.helm.valuesObject.profile).toBe('ambient');
  });

  it('THEN the Gateway API CRDs the waypoint needs sync from their release, without a finalizer, in an allowed repository', () => {
    const apps = docs(ambient, 'apps/istio.yaml');
    const gw = byComponent(apps, 'gateway-api-crds')[0]!;
    expect(gw.spec.source).toEqual({ repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git', path: 'config/crd/standard', targetRevision: 'v1.6.0' });
    expect(gw.metadata.finalizers).toBeUndefined();
    expect(gw.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    const project = docs(ambient, 'apps/projects.yaml').find((p) => p.metadata.name === gw.spec.project)!;
    expect(project.spec.sourceRepos).toContain('https://github.com/kubernetes-sigs/gateway-api.git');
    const workloadProject = docs(ambient, 'apps/projects.yaml').find((p) => p.metadata.name === 'octank-travel-ambient')!;
    expect(workloadProject.spec.namespaceResourceWhitelist).toEqual(expect.arrayContaining([{ group: 'gateway.networking.k8s.io', kind: 'Gateway' }]));
  });

  it('THEN every generated Argo CD object validates against the Argo CD CRDs', () => {
    const crds = new CrdValidators(argoCdCrdFiles());
    const objs = ['apps/istio.yaml', 'apps/projects.yaml', 'apps/applicationset.yaml', 'root.yaml'].flatMap((f) => docs(ambient, f));
    expect(objs.flatMap((o) => (crds.has(o.apiVersion, o.kind) ? crds.validate(o as { apiVersion: string; kind: string }).map((p) => `${o.kind} ${o.metadata.name}: ${p}`) : []))).toEqual([]);
  });
});

describe('GIVEN the sidecar example', () => {
  it('THEN its bootstrap stays base + istiod, without the ambient profile', () => {
    const apps = docs(sidecar, 'apps/istio.yaml');
    expect([...new Set(apps.map((a) => a.metadata.labels['zonal.dev/component']))].sort()).toEqual(['istio-base', 'istiod']);
    expect(JSON.stringify(apps)).not.toContain('ambient');
  });
});

describe('GIVEN the committed ambient example (examples/octank-travel-ambient)', () => {
  it('THEN it is what `npm run generate` writes, and its chart README says where the DestinationRule applies', async () => {
    const { runCli } = await import('../support/generate.js');
    const r = await runCli(['generate', '--values', 'values/octank-travel-ambient.yaml', '--out', 'examples/octank-travel-ambient', '--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const readme = readFileSync(join(ambient, 'charts', 'octank-travel-ambient', 'README.md'), 'utf8');
    expect(readme).toMatch(/## Ambient data plane/);
    expect(readme).toMatch(/With a waypoint, the service's DestinationRule \(outlier detection, locality failover\) applies at the waypoint/);
    expect(readFileSync(join(sidecar, 'charts', 'octank-travel', 'README.md'), 'utf8')).not.toMatch(/Ambient/);
  });
});
