/**
 * Istio 1.31+ overlays the mesh defaultTrafficPolicy on every cluster whose policy leaves a block
 * unset: a DestinationRule without outlierDetection inherits the mesh's and fails over. Lint (ZNL001)
 * must agree with the Istio core's trafficPolicyFor on each version.
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
  it.each([['1.31.1', false], ['1.32.0', false], ['1.30.3', true], ['1.29.4', true]] as const)(
    'WHEN Istio is %s THEN ZNL001 is reported: %s, as the core\'s policy has outlierDetection or not', (version, reported) => {
      const objects = [dr, svc, meshConfig];
      const mesh = buildMeshIndex(objects, { istioVersion: version });
      const inherits = mesh.trafficPolicyFor(mesh.destinationRuleFor('cart.shop.svc.cluster.local', 'shop'), 80).outlierDetection !== undefined;
      expect(inherits).toBe(!reported);
      const codes = lintObjects(locateRendered(objects), { istioVersion: version }).map((f) => f.code);
      expect(codes.includes('ZNL001')).toBe(reported);
    });

  it('WHEN the mesh config has no defaultTrafficPolicy THEN ZNL001 is reported on 1.31 too', () => {
    const codes = lintObjects(locateRendered([dr, svc]), { istioVersion: '1.31.1' }).map((f) => f.code);
    expect(codes).toContain('ZNL001');
  });
});
