import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../generator/errors.js';
import { parseValues } from '../../generator/model/load-values.js';
import { dump } from 'js-yaml';
import { ambientTree, modelOf, withoutWaypoint } from './helpers.js';

function problems(tree: Record<string, unknown>): string[] {
  try {
    parseValues(dump(tree), 'v.yaml');
  } catch (err) {
    if (err instanceof InputError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('GIVEN mesh.dataplane and namespaces[].dataplane', () => {
  it('THEN the default is sidecar, and a namespace follows the mesh unless it says otherwise', () => {
    const tree = ambientTree();
    delete tree.mesh.dataplane;
    tree.namespaces[0].waypoint = undefined;
    delete tree.namespaces[0].waypoint;
    const m = modelOf(tree);
    expect(m.mesh.dataplane).toBe('sidecar');
    expect(m.namespaces[0]!.dataplane).toBe('sidecar');
    expect(m.namespaces[0]!.waypoint).toEqual({ enabled: false, replicasPerZone: 2 });
    tree.namespaces[0].dataplane = 'ambient';
    expect(modelOf(tree).namespaces[0]!.dataplane).toBe('ambient');
    tree.mesh.dataplane = 'ambient';
    tree.namespaces[0].dataplane = 'sidecar';
    expect(modelOf(tree).namespaces[0]!.dataplane).toBe('sidecar');
  });

  it('THEN the bundled ambient example is ambient with a waypoint of 2 pods per zone', () => {
    const m = modelOf(ambientTree());
    expect(m.mesh.dataplane).toBe('ambient');
    expect(m.namespaces[0]!.waypoint).toEqual({ enabled: true, replicasPerZone: 2 });
  });

  it('THEN an unknown data plane or a zero replicasPerZone is refused at its line', () => {
    const tree = ambientTree();
    tree.mesh.dataplane = 'sidecarless';
    expect(problems(tree).join('\n')).toMatch(/^v\.yaml:\d+:\d+: .*dataplane/m);
    const t2 = ambientTree();
    t2.namespaces[0].waypoint.replicasPerZone = 0;
    expect(problems(t2).join('\n')).toMatch(/replicasPerZone/);
  });

  it('THEN a waypoint on a sidecar namespace is refused with the fix', () => {
    const tree = ambientTree();
    tree.namespaces[0].dataplane = 'sidecar';
    const p = problems(tree);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/waypoint\/enabled|waypoint serves ambient namespaces only/);
    expect(p[0]).toMatch(/\(set dataplane: ambient/);
  });

  it('THEN zone-aware routing in an ambient namespace is refused (neither ztunnel nor a waypoint does it)', () => {
    const tree = ambientTree();
    tree.services[0].routing = { mode: 'zone-aware' };
    expect(problems(tree).join('\n')).toMatch(/zone-aware needs sidecars/);
  });

  it('THEN a DestinationRule-only setting without a waypoint is refused, and accepted with one', () => {
    const tree = withoutWaypoint();
    tree.externalHosts[1].routing = { mode: 'zone-local', failover: [{ from: 'us-west-2', to: 'us-east-1' }] };
    expect(problems(tree).join('\n')).toMatch(/routing\.failover is a DestinationRule setting.*ztunnel ignores DestinationRules/);
    const withWaypoint = ambientTree();
    withWaypoint.externalHosts[1].routing = { mode: 'zone-local', failover: [{ from: 'us-west-2', to: 'us-east-1' }] };
    expect(problems(withWaypoint).filter((l) => /ztunnel/.test(l))).toEqual([]);
  });
});
