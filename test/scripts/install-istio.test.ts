import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { commandLine, FakeWorld, fileOf, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const HELM_RULES: Rule[] = [
  { tool: 'helm', args: ['list', '^istio-base$'], when: 'base', stdout: '${state:base}\n' },
  { tool: 'helm', args: ['list', '^istiod$'], when: 'istiod', stdout: '${state:istiod}\n' },
  { tool: 'helm', args: ['list'], stdout: '[]\n' },
  {
    tool: 'helm', args: ['upgrade', 'istio-base'],
    set: { base: '[{"name":"istio-base","namespace":"istio-system","revision":"1","status":"deployed","chart":"base-${arg:--version}","app_version":"${arg:--version}"}]' },
  },
  {
    tool: 'helm', args: ['upgrade', 'istiod'],
    set: {
      istiod: '[{"name":"istiod","namespace":"istio-system","revision":"1","status":"deployed","chart":"istiod-${arg:--version}","app_version":"${arg:--version}"}]',
      istiodValues: '${file:--values}',
    },
  },
  { tool: 'helm', args: ['get', 'values', 'istiod'], stdout: '${state:istiodValues}' },
];

const ISTIOCTL_RULES: Rule[] = [
  { tool: 'istioctl', args: ['version'], stdout: '${state:client}\n' },
  { tool: 'kubectl', args: ['get', 'deployment'], when: 'image', stdout: '${state:image}' },
  { tool: 'kubectl', args: ['get', 'deployment'], exit: 1, stderr: 'Error from server (NotFound)\n' },
  { tool: 'kubectl', args: ['get', 'configmap'], when: 'mesh', stdout: '${state:mesh}' },
  { tool: 'kubectl', args: ['get', 'configmap'], exit: 1, stderr: 'Error from server (NotFound)\n' },
  { tool: 'istioctl', args: ['install'], set: { image: 'docker.io/istio/pilot:1.31.1', mesh: '${file:--filename}' } },
];

const noBootstrap = (t: string) => t.replace('bootstrap: true', 'bootstrap: false');

beforeAll(requireBuiltCli);

describe('scripts/install-istio.sh', () => {
  it('GIVEN mesh.bootstrap true WHEN run without --force THEN Argo CD owns Istio and nothing is called', () => {
    const world = new FakeWorld(HELM_RULES);
    const r = world.run('install-istio.sh', ['--values', world.valuesFile()]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.stderr).toContain('Argo CD installs Istio');
  });

  it('GIVEN no Istio WHEN run twice with Helm THEN base and istiod are installed once at the version with DNS capture', () => {
    const world = new FakeWorld(HELM_RULES);
    const values = world.valuesFile(noBootstrap);
    const first = world.run('install-istio.sh', ['--values', values]);
    expect(first.code).toBe(0);
    expect(mutations(first.calls).map((c) => c.args.slice(0, 4).join(' '))).toEqual([
      'upgrade --install istio-base base', 'upgrade --install istiod istiod',
    ]);
    for (const c of mutations(first.calls)) {
      expect(flag(c, '--version')).toBe('1.31.1');
      expect(flag(c, '--repo')).toBe('https://istio-release.storage.googleapis.com/charts');
      expect(flag(c, '--namespace')).toBe('istio-system');
      expect(c.args).toContain('--wait');
      expect(JSON.stringify(c)).not.toContain('demo');
    }
    const istiod = JSON.parse(fileOf(find(first.calls, 'helm', 'upgrade', 'istiod'), '--values'));
    expect(istiod.meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
    expect(commandLine(first.calls.at(-1)!, 3)).toBe('kubectl rollout status deployment/istiod');

    const second = world.run('install-istio.sh', ['--values', values]);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(second.stderr).toContain("istiod is deployed at 1.31.1 with zonal's mesh config");

    const upgraded = world.run('install-istio.sh', ['--values', world.valuesFile((t) => noBootstrap(t).replace('istioVersion: "1.31.1"', 'istioVersion: "1.31.2"'))]);
    expect(upgraded.code).toBe(0);
    expect(mutations(upgraded.calls).map((c) => `${c.args[2]} ${flag(c, '--version')}`)).toEqual(['istio-base 1.31.2', 'istiod 1.31.2']);
  });

  it('GIVEN istiod installed with other values WHEN run THEN only istiod is upgraded', () => {
    const world = new FakeWorld(HELM_RULES, {
      base: '[{"name":"istio-base","status":"deployed","chart":"base-1.31.1"}]',
      istiod: '[{"name":"istiod","status":"deployed","chart":"istiod-1.31.1"}]',
      istiodValues: '{}',
    });
    const r = world.run('install-istio.sh', ['--values', world.valuesFile(noBootstrap)]);
    expect(mutations(r.calls).map((c) => c.args[2])).toEqual(['istiod']);
  });

  it('GIVEN istioctl at the mesh version WHEN run twice THEN the minimal IstioOperator is installed once', () => {
    const world = new FakeWorld(ISTIOCTL_RULES, { client: '1.31.1' });
    const args = ['--values', world.valuesFile(), '--force', '--installer', 'istioctl'];
    const first = world.run('install-istio.sh', args);
    expect(first.code).toBe(0);
    const install = find(first.calls, 'istioctl', 'install');
    expect(install.args).toContain('--skip-confirmation');
    const operator = load(fileOf(install, '--filename')) as { kind: string; spec: Record<string, unknown> };
    expect(operator.kind).toBe('IstioOperator');
    expect(operator.spec).toMatchObject({ profile: 'minimal', tag: '1.31.1' });
    const second = world.run('install-istio.sh', args);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
  });

  it('GIVEN istioctl of another version WHEN run THEN it stops with exit 1 and installs nothing', () => {
    const world = new FakeWorld(ISTIOCTL_RULES, { client: 'client version: 1.29.1' });
    const r = world.run('install-istio.sh', ['--values', world.valuesFile(noBootstrap), '--installer', 'istioctl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('istioctl is 1.29.1 but mesh.istioVersion is 1.31.1');
    expect(mutations(r.calls)).toEqual([]);
  });
});
