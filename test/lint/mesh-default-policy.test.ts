/**
 * Istio 1.31+ overlays the mesh defaultTrafficPolicy on every cluster whose policy leaves a block
 * unset, but istiod's endpoint (EDS) builder reads only the DestinationRule's own policy: the
 * inherited outlierDetection turns failover on only where the endpoints come with the cluster
 * (DNS ServiceEntries). The Istio oracle showed it (test/istio-regressions/cases/mesh-outlier-default-*).
 */
import { describe, expect, it } from '@jest/globals';
import { buildMeshIndex } from '../../generator/istio/index.js';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { lintObjects, locateRendered } from '../../generator/lint/index.js';

const dr: KubeObject = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'cart', namespace: 'shop' },
  spec: { host: 'cart.shop.svc.cluster.local', trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true } } } },
};
const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' }, spec: { selector: { app: 'cart' }, ports: [{ name: 'http', port: 80 }] } };
const meshConfig: KubeObject = {
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' },
  data: { mesh: 'defaultTrafficPolicy:\n  outlierDetection:\n    consecutive5xxErrors: 5\n    interval: 10s\n' },
};

describe('GIVEN a DestinationRule with localityLbSetting and no outlierDetection, and a mesh defaultTrafficPolicy with one', () => {
  it.each(['1.31.1', '1.32.0', '1.30.3', '1.29.4'] as const)(
    'WHEN Istio is %s and the host is a Service (EDS) THEN ZNL001 is reported: the EDS builder ignores the inherited outlierDetection', (version) => {
      const objects = [dr, svc, meshConfig];
      const codes = lintObjects(locateRendered(objects), { istioVersion: version }).map((f) => f.code);
      expect(codes).toContain('ZNL001');
    });

  it.each([['1.31.1', false], ['1.32.0', false], ['1.30.3', true]] as const)(
    'WHEN Istio is %s and the host is a DNS ServiceEntry THEN ZNL001 is reported: %s (its endpoints come with the cluster, which inherits)', (version, reported) => {
      const se: KubeObject = {
        apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'db', namespace: 'shop' },
        spec: {
          hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS', addresses: ['240.0.0.9'],
          endpoints: [{ address: 'a.db.example.com', locality: 'us-west-2/us-west-2a' }, { address: 'b.db.example.com', locality: 'us-west-2/us-west-2b' }],
        },
      };
      const seRule: KubeObject = { ...dr, metadata: { name: 'db', namespace: 'shop' }, spec: { ...(dr.spec as object), host: 'db.example.com' } } as KubeObject;
      const mesh = buildMeshIndex([se, seRule, meshConfig], { istioVersion: version });
      expect(mesh.trafficPolicyFor(mesh.destinationRuleFor('db.example.com', 'shop'), 5432).outlierDetection !== undefined).toBe(!reported);
      const codes = lintObjects(locateRendered([se, seRule, meshConfig]), { istioVersion: version }).map((f) => f.code);
      expect(codes.includes('ZNL001')).toBe(reported);
    });

  it('WHEN the mesh config has no defaultTrafficPolicy THEN ZNL001 is reported on 1.31 too', () => {
    const codes = lintObjects(locateRendered([dr, svc]), { istioVersion: '1.31.1' }).map((f) => f.code);
    expect(codes).toContain('ZNL001');
  });
});
