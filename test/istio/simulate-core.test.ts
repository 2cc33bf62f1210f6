/** simulate asks the Istio core: the mesh config in the input applies when no mesh setting is given. */
import { describe, expect, it } from '@jest/globals';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { simulateObjects } from '../../generator/simulate/index.js';

const yaml = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
  addresses: [240.0.0.9]
  ports: [{ number: 5432, name: tcp-pg, protocol: TCP }]
  resolution: STATIC
  endpoints:
    - { address: 10.0.1.1, locality: us-west-2/us-west-2a }
    - { address: 10.0.2.1, locality: us-west-2/us-west-2b }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    localityLbSetting: {"enabled": true, "distribute": [{"from": "us-west-2/us-west-2a/*", "to": {"us-west-2/us-west-2b/*": 100}}]}
`;

describe('GIVEN manifests with an istio ConfigMap whose mesh distributes traffic', () => {
  const objects = parseManifests(yaml, 'case.yaml').map((o) => o.object);
  const zonesOf = (r: ReturnType<typeof simulateObjects>, zone: string) =>
    r.destinations[0]!.callers.find((c) => c.zone === zone)!.priorities.flatMap((p) => p.zones);
  it('THEN simulate applies the mesh distribute rule (callers in us-west-2a reach only us-west-2b)', () => {
    const r = simulateObjects(objects, { zones: ['us-west-2a', 'us-west-2b'], region: 'us-west-2' });
    expect(zonesOf(r, 'us-west-2a')).toEqual(['us-west-2b']);
    expect(zonesOf(r, 'us-west-2b').sort()).toEqual(['us-west-2a', 'us-west-2b']);
  });
  it('THEN an explicit mesh setting wins over the ConfigMap', () => {
    const r = simulateObjects(objects, { zones: ['us-west-2a', 'us-west-2b'], region: 'us-west-2', meshLocalityLb: { enabled: false } });
    expect(zonesOf(r, 'us-west-2a').sort()).toEqual(['us-west-2a', 'us-west-2b']);
  });
});
