import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { expandTemplate } from '../../generator/argocd/go-template.js';
import { isClusterScoped } from '../../generator/argocd/projects.js';
import { apiGroup, parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { argoCdCrdFiles, CrdValidators } from '../../generator/validate/crd-schema.js';
import { generateInto } from '../support/generate.js';
import { helm, helmBinaries, type HelmBinary } from '../support/helm.js';
import { docs, EXAMPLE, exampleModel, permits, permitsDestination, waveOf, type Any } from './helpers.js';

const model = exampleModel();
let repo: string;
let argo: Any[];

/** Every file below dir, recursively, relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(dir).sort().flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]);
}

/** The Applications Argo CD would create: plain ones plus each ApplicationSet expanded per list element. */
function applications(): Any[] {
  return argo.flatMap((o) => {
    if (o.kind === 'Application') return [o];
    if (o.kind === 'ApplicationSet') {
      return (o.spec.generators[0].list.elements as Any[]).map((el) => ({ kind: 'Application', ...expandTemplate(o.spec.template, el) }));
    }
    return [];
  });
}

const gitApps = () => applications().filter((a) => a.spec.source.path !== undefined);
const chartApps = () => gitApps().filter((a) => a.spec.source.helm);
const projectNamed = (name: string) => argo.find((o) => o.kind === 'AppProject' && o.metadata.name === name)!;

/** `helm template` as Argo CD runs it: release name and exactly the listed value files, relative to the path. */
function render(bin: HelmBinary, app: Any): KubeObject[] {
  const dir = join(repo, app.spec.source.path);
  const valueArgs = (app.spec.source.helm.valueFiles as string[]).flatMap((f) => ['--values', join(dir, f)]);
  const out = helm(bin, ['template', app.spec.source.helm.releaseName, dir, '--namespace', app.spec.destination.namespace, ...valueArgs]);
  return parseManifests(out, `${app.metadata.name}.yaml`).map((l) => l.object);
}

beforeAll(async () => {
  repo = await generateInto(EXAMPLE);
  argo = filesBelow(join(repo, 'argocd'))
    .filter((f) => f !== 'argocd-cm-patch.yaml' && f.endsWith('.yaml'))
    .flatMap((f) => docs(readFileSync(join(repo, 'argocd', f), 'utf8')));
});

describe('GIVEN `zonal generate` output on disk', () => {
  it('THEN every Argo CD manifest in argocd/ validates against the strict Argo CD CRD schemas', () => {
    const crds = new CrdValidators(argoCdCrdFiles());
    expect(argo.length).toBeGreaterThan(0);
    for (const o of argo) expect({ o: `${o.kind}/${o.metadata.name}`, problems: crds.validate(o as KubeObject) }).toEqual({ o: `${o.kind}/${o.metadata.name}`, problems: [] });
  });

  it('THEN each Git-sourced Application\'s source.path exists in the repository, and so does each value file', () => {
    const apps = gitApps();
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(['octank-travel-dev', 'octank-travel-prod', 'octank-travel-root']);
    for (const app of apps) {
      expect(existsSync(join(repo, app.spec.source.path))).toBe(true);
      for (const f of app.spec.source.helm?.valueFiles ?? []) expect(existsSync(join(repo, app.spec.source.path, f))).toBe(true);
    }
  });

  it('THEN the root Application\'s directory holds only Argo CD objects its project permits', () => {
    const root = gitApps().find((a) => a.metadata.name === 'octank-travel-root')!;
    const project = projectNamed(root.spec.project);
    const children = filesBelow(join(repo, root.spec.source.path)).flatMap((f) => docs(readFileSync(join(repo, root.spec.source.path, f), 'utf8')));
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) {
      expect(permits(project.spec.namespaceResourceWhitelist, apiGroup(c.apiVersion), c.kind)).toBe(true);
      expect(permitsDestination(project, root.spec.destination.server, c.metadata.namespace)).toBe(true);
    }
  });
});

describe.each(helmBinaries())('GIVEN each workload Application WHEN its chart is rendered by Helm $major with exactly its valueFiles', (bin) => {
  it('THEN it renders, and the environment\'s overrides take effect', () => {
    for (const app of chartApps()) {
      const objects = render(bin, app);
      expect(objects.length).toBeGreaterThan(0);
      const env = app.metadata.labels['zonal.dev/environment'];
      const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'zip-lookup-service') as Any;
      expect({ env, replicas: dep.spec.replicas }).toEqual({ env, replicas: env === 'prod' ? 6 : 3 });
    }
  });

  it('THEN every rendered kind and namespace is allowed by the Application\'s AppProject', () => {
    for (const app of chartApps()) {
      const project = projectNamed(app.spec.project);
      expect(project.spec.sourceRepos).toContain(app.spec.source.repoURL);
      expect(permitsDestination(project, app.spec.destination.server, app.spec.destination.namespace)).toBe(true);
      for (const o of render(bin, app)) {
        const id = `${app.metadata.name}: ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        const group = apiGroup(o.apiVersion);
        const allowed = isClusterScoped(o)
          ? permits(project.spec.clusterResourceWhitelist, group, o.kind, o.metadata.name)
          : permits(project.spec.namespaceResourceWhitelist, group, o.kind) &&
            permitsDestination(project, app.spec.destination.server, o.metadata.namespace ?? app.spec.destination.namespace);
        expect({ id, allowed }).toEqual({ id, allowed: true });
      }
    }
  });

  it('THEN sync waves put Namespaces before workloads before Istio custom resources, which skip the dry run', () => {
    for (const app of chartApps()) {
      const objects = render(bin, app) as Any[];
      const waves = (pred: (o: Any) => boolean) => objects.filter(pred).map(waveOf);
      const namespaces = waves((o) => o.kind === 'Namespace');
      const istio = objects.filter((o) => apiGroup(o.apiVersion).endsWith('istio.io'));
      const workloads = waves((o) => o.kind !== 'Namespace' && !apiGroup(o.apiVersion).endsWith('istio.io'));
      expect([namespaces.length, workloads.length, istio.length].every((n) => n > 0)).toBe(true);
      expect(Math.max(...namespaces)).toBeLessThan(Math.min(...workloads));
      expect(Math.max(...workloads)).toBeLessThan(Math.min(...istio.map(waveOf)));
      for (const o of istio) expect(o.metadata.annotations['argocd.argoproj.io/sync-options']).toContain('SkipDryRunOnMissingResource=true');
    }
  });
});

describe('GIVEN an environment value file the chart schema rejects', () => {
  it('THEN Helm refuses to render it, so a typo in environments[].values cannot reach a cluster', () => {
    const tmp = tempDir();
    writeFileSync(join(tmp, 'values-bad.yaml'), 'services:\n  zip-lookup-service:\n    replica: 6\n');
    for (const bin of helmBinaries()) {
      expect(() => helm(bin, ['template', model.name, join(repo, 'charts', model.name), '--values', join(tmp, 'values-bad.yaml')])).toThrow(/replica/);
    }
  });
});
