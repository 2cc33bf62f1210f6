import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { formatChartDiff } from '../../generator/diff/format.js';
import { diffLines, unifiedHunks } from '../../generator/diff/line-diff.js';
import { diffRendered, hasDifferences } from '../../generator/diff/object-diff.js';

describe('GIVEN two texts WHEN diffed line by line', () => {
  it('THEN unchanged lines are kept and a replaced line shows as - then +', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'x' }, { op: ' ', text: 'c' },
    ]);
  });

  it('THEN hunks match diff -u: headers, 3 lines of context, changes more than 6 lines apart in separate hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const b = [...a];
    b[1] = 'L2';
    b[17] = 'L18';
    b.splice(10, 0, 'new');
    expect(unifiedHunks(diffLines(a, b))).toEqual([
      '@@ -1,5 +1,5 @@', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5',
      // Exactly what `diff -u` prints for these inputs.
      '@@ -8,6 +8,7 @@', ' l8', ' l9', ' l10', '+new', ' l11', ' l12', ' l13',
      '@@ -15,6 +16,6 @@', ' l15', ' l16', ' l17', '-l18', '+L18', ' l19', ' l20',
    ]);
  });

  it('THEN equal texts give no hunks and pure additions count from the line before', () => {
    expect(unifiedHunks(diffLines(['a'], ['a']))).toEqual([]);
    expect(unifiedHunks(diffLines([], ['x']))).toEqual(['@@ -0,0 +1,1 @@', '+x']);
  });
});

const obj = (kind: string, name: string, extra: Record<string, unknown> = {}, version = '0.1.0', namespace: string | undefined = 'ns'): KubeObject => ({
  apiVersion: kind === 'DestinationRule' ? 'networking.istio.io/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), labels: { 'helm.sh/chart': `demo-${version}` } },
  ...extra,
});

describe('GIVEN two renderings of a chart WHEN compared object by object', () => {
  it('THEN a version bump alone is reported once in the version line, not on each object', () => {
    const d = diffRendered('demo',
      { version: '0.1.0', objects: [obj('Namespace', 'ns', {}, '0.1.0', undefined), obj('Service', 's')] },
      { version: '0.1.1', objects: [obj('Namespace', 'ns', {}, '0.1.1', undefined), obj('Service', 's', {}, '0.1.1')] });
    expect(d).toMatchObject({ baseVersion: '0.1.0', headVersion: '0.1.1', labelOnly: 2, relabelled: 2, changes: [] });
    expect(hasDifferences(d)).toBe(true);
    const text = formatChartDiff(d, { base: 'HEAD', head: 'working tree' }, 'charts/demo');
    expect(text).toContain('chart demo: 0.1.0 -> 0.1.1\n');
    expect(text).not.toContain('===');
  });

  it('THEN changed, added and removed objects get `=== Kind namespace/name` sections with +/- lines', () => {
    const d = diffRendered('demo',
      { version: '0.1.0', objects: [obj('Deployment', 'web', { spec: { replicas: 3 } }), obj('Service', 'old')] },
      { version: '0.1.1', objects: [obj('Deployment', 'web', { spec: { replicas: 6 } }, '0.1.1'), obj('Service', 'new', {}, '0.1.1')] });
    expect(d.changes.map((c) => `${c.change} ${c.kind}/${c.name}`)).toEqual(['changed Deployment/web', 'added Service/new', 'removed Service/old']);
    const text = formatChartDiff(d, { base: 'HEAD', head: 'working tree' }, 'charts/demo');
    expect(text).toContain('=== Deployment ns/web (changed)\n');
    expect(text).toContain('-  replicas: 3\n+  replicas: 6\n');
    expect(text).toContain('=== Service ns/new (added)\n+apiVersion: v1\n');
    expect(text).toContain('=== Service ns/old (removed)\n-apiVersion: v1\n');
    expect(text).toMatch(/charts\/demo: 1 changed, 1 added, 1 removed\n$/);
    // In the changed object the label moved with the version and is not shown as a change.
    const changed = text.slice(text.indexOf('=== Deployment'), text.indexOf('=== Service'));
    expect(changed).not.toContain('helm.sh/chart');
  });

  it('THEN objects are matched by group, kind, namespace and name, and key order does not count', () => {
    const a = obj('Service', 's', { spec: { b: 1, a: 2 } });
    const b = { ...obj('Service', 's'), spec: { a: 2, b: 1 } } as KubeObject;
    const other = obj('Service', 's', { spec: { a: 2, b: 1 } }, '0.1.0', 'ns2');
    const d = diffRendered('demo', { version: '0.1.0', objects: [a] }, { version: '0.1.0', objects: [b, other] });
    expect(d.changes.map((c) => `${c.change} ${c.namespace}/${c.name}`)).toEqual(['added ns2/s']);
  });

  it('THEN objects that changed while the version did not carry a warning', () => {
    const d = diffRendered('demo',
      { version: '0.1.0', objects: [obj('Deployment', 'web', { spec: { replicas: 3 } })] },
      { version: '0.1.0', objects: [obj('Deployment', 'web', { spec: { replicas: 4 } })] });
    expect(formatChartDiff(d, { base: 'HEAD', head: 'working tree' }, 'charts/demo')).toContain('chart demo: 0.1.0 (unchanged)\n  warning:');
  });

  it('THEN identical renderings have no differences', () => {
    const d = diffRendered('demo', { version: '0.1.0', objects: [obj('Service', 's')] }, { version: '0.1.0', objects: [obj('Service', 's')] });
    expect(hasDifferences(d)).toBe(false);
    expect(formatChartDiff(d, { base: 'HEAD', head: 'working tree' }, 'charts/demo')).toMatch(/charts\/demo: no differences\n$/);
  });
});
