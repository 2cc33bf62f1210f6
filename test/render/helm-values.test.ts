import { describe, expect, it } from '@jest/globals';
import { toHelmYaml } from '../../generator/chart/helm-yaml.js';
import { HelmValues } from '../../generator/render/value-source.js';

describe('GIVEN a Helm-mode render (HelmValues) and its placeholder tokens', () => {
  it('WHEN a line holds a token THEN firstToken finds it; a token of another render, a bare mark or a token without its end is no token', () => {
    const helm = new HelmValues();
    const other = new HelmValues();
    const token = helm.scalar('.Values.replicas', 3) as unknown as string;
    const foreign = other.scalar('.Values.x', 1) as unknown as string;
    expect(helm.firstToken(`  replicas: ${token}`)).toEqual({ at: 12, end: 12 + token.length });
    expect(helm.placeholderAt(`  replicas: ${token}`, 12, 12 + token.length)).toMatchObject({ kind: 'scalar', expr: '.Values.replicas', value: 3 });
    expect(helm.firstToken(`a: ${foreign}`)).toBeUndefined();
    expect(helm.firstToken(`a: ${helm.tokenMark}ZNL`)).toBeUndefined();
    expect(helm.firstToken(`a: ${token.slice(0, -1)}`)).toBeUndefined();
    // A malformed mark first, then a token: the token is found.
    expect(helm.firstToken(`${helm.tokenMark}x ${token}`)).toEqual({ at: helm.tokenMark.length + 2, end: helm.tokenMark.length + 2 + token.length });
  });

  it('WHEN a user string holds a token of this render inside other text THEN resolve keeps it as text and the template writes it as data', () => {
    const helm = new HelmValues();
    const token = helm.scalar('.Values.replicas', 3) as unknown as string;
    expect(helm.resolve({ a: `x${token}`, b: token })).toEqual({ a: `x${token}`, b: 3 });
    expect(toHelmYaml({ b: token }, helm)).toBe('b: {{ .Values.replicas }}');
  });

  it('WHEN a tree is resolved THEN placeholders take their defaults, `when` its branch, undefined keys go, and the input tree is left as it was', () => {
    const helm = new HelmValues();
    const tree = {
      kind: 'Deployment',
      metadata: { name: helm.scalar('include "name" .', 'svc'), labels: { app: 'svc', team: 'a' } },
      spec: {
        replicas: helm.scalar('.Values.replicas', 3),
        strategy: helm.when('.Values.rolling', false, { type: 'RollingUpdate' }, undefined),
        template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }], tolerations: helm.block('toYaml .Values.t', [{ key: 'k' }]) } },
        paused: undefined,
      },
    };
    const before = structuredClone(tree);
    const resolved = helm.resolve(tree) as typeof tree;
    expect(resolved).toEqual({
      kind: 'Deployment',
      metadata: { name: 'svc', labels: { app: 'svc', team: 'a' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }], tolerations: [{ key: 'k' }] } } },
    });
    expect(Object.keys(resolved.spec)).toEqual(['replicas', 'template']);
    expect(tree).toEqual(before);
    expect(Object.keys(tree.spec)).toContain('paused');
    // A part without placeholders is the input's own: rendered trees are read, never modified.
    expect(resolved.metadata.labels).toBe(tree.metadata.labels);
    expect(resolved.spec.template.spec.containers).toBe(tree.spec.template.spec.containers);
  });

  it('WHEN `replace` rewrites a string THEN only the parts holding it are new', () => {
    const helm = new HelmValues();
    const tree = { labels: { version: 'V', app: 'a' }, ports: [80], list: ['V', 'x'] };
    const resolved = helm.resolve(tree, (s) => (s === 'V' ? '1.2.3' : s)) as typeof tree;
    expect(resolved).toEqual({ labels: { version: '1.2.3', app: 'a' }, ports: [80], list: ['1.2.3', 'x'] });
    expect(resolved.ports).toBe(tree.ports);
    expect(tree).toEqual({ labels: { version: 'V', app: 'a' }, ports: [80], list: ['V', 'x'] });
  });
});
