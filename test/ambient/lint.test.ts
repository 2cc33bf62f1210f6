import { describe, expect, it } from '@jest/globals';
import { dump } from 'js-yaml';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { contextOfModel, lintObjects, locateRendered, type Finding } from '../../generator/lint/index.js';
import { renderObjects } from '../../generator/render/index.js';
import { ambientTree, modelOf, withoutWaypoint } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const lint = (docs: Any[], zones = ZONES) => lintObjects(parseManifests(docs.map((d) => dump(d)).join('---\n'), 'in.yaml'), { zones, region: 'us-west-2' });
const codes = (f: readonly Finding[]) => f.map((x) => x.code);

const ns = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deployment = (name: string, namespace: string, replicas = 3) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: {
    replicas, selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: name } } }],
        containers: [{ name: 'app', image: 'app:1' }],
      },
    },
  },
});
const service = (name: string, namespace: string, labels: Record<string, string> = {}, td?: string) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...(td ? { trafficDistribution: td } : {}) },
});
const dr = (name: string, namespace: string, host: string) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace },
  spec: {
    host,
    trafficPolicy: {
      loadBalancer: { localityLbSetting: { enabled: true } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
    },
  },
});
const serviceEntry = (name: string, namespace: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace, labels },
  spec: {
    hosts: [`${name}.example.com`], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
    endpoints: ZONES.map((z) => ({ address: `${z}.${name}.example.com`, locality: `us-west-2/${z}` })),
  },
});
const waypoint = (namespace: string, replicas?: number, spread = true) => [
  {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace, labels: { 'istio.io/waypoint-for': 'service' } },
    spec: {
      gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      ...(replicas !== undefined ? { infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'wp' } } } : {}),
    },
  },
  ...(replicas !== undefined ? [{
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wp', namespace },
    data: {
      deployment: dump({
        spec: {
          replicas,
          template: {
            spec: spread ? {
              topologySpreadConstraints: [{
                maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
              }],
            } : {},
          },
        },
      }),
    },
  }] : []),
];
const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const SIDECAR = { 'istio-injection': 'enabled' };

describe('GIVEN an ambient namespace WHEN linted', () => {
  it('THEN no injection warning (ZNL021), but the DestinationRule reached through ztunnel only does nothing (ZNL060)', () => {
    const f = lint([ns('shop', AMBIENT), deployment('cart', 'shop'), service('cart', 'shop', {}, 'PreferClose'), dr('cart', 'shop', 'cart.shop.svc.cluster.local')]);
    expect(codes(f)).not.toContain('ZNL021');
    const znl060 = f.filter((x) => x.code === 'ZNL060');
    expect(znl060).toHaveLength(1);
    expect(znl060[0]!.message).toMatch(/reached through ztunnel only .*ignores DestinationRule traffic policy/);
    expect(znl060[0]!.kind).toBe('DestinationRule');
  });

  it('THEN the same namespace without the ambient label still gets the injection warning', () => {
    const f = lint([ns('shop', {}), deployment('cart', 'shop'), service('cart', 'shop'), dr('cart', 'shop', 'cart.shop.svc.cluster.local')]);
    expect(codes(f)).toContain('ZNL021');
    expect(codes(f)).not.toContain('ZNL060');
  });

  it('THEN with a waypoint (namespace or Service label) the DestinationRule applies and ZNL060 is silent', () => {
    const base = [deployment('cart', 'shop'), dr('cart', 'shop', 'cart.shop.svc.cluster.local'), ...waypoint('shop', 6)];
    expect(codes(lint([ns('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }), service('cart', 'shop'), ...base]))).not.toContain('ZNL060');
    expect(codes(lint([ns('shop', AMBIENT), service('cart', 'shop', { 'istio.io/use-waypoint': 'waypoint' }), ...base]))).not.toContain('ZNL060');
    // The Service opting out with `none` goes back to ztunnel only.
    expect(codes(lint([ns('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }), service('cart', 'shop', { 'istio.io/use-waypoint': 'none' }), ...base])))
      .toContain('ZNL060');
  });

  it('THEN an external host counting on outlier detection without a waypoint is ZNL062 (not ZNL060)', () => {
    const f = lint([ns('shop', AMBIENT), deployment('cart', 'shop'), serviceEntry('db', 'shop'), dr('db', 'shop', 'db.example.com')]);
    expect(codes(f)).toContain('ZNL062');
    expect(codes(f)).not.toContain('ZNL060');
    expect(f.find((x) => x.code === 'ZNL062')!.message).toMatch(/never ejects/);
    const viaWaypoint = lint([ns('shop', AMBIENT), deployment('cart', 'shop'), serviceEntry('db', 'shop', { 'istio.io/use-waypoint': 'waypoint' }),
      dr('db', 'shop', 'db.example.com'), ...waypoint('shop', 3)]);
    expect(codes(viaWaypoint)).not.toContain('ZNL062');
  });
});

describe('GIVEN a waypoint WHEN linted', () => {
  const base = [ns('shop', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }), deployment('cart', 'shop'), service('cart', 'shop')];

  it.each([
    ['no parameters (one replica)', true, waypoint('shop')],
    ['2 replicas spread over 3 zones', true, waypoint('shop', 2)],
    ['6 replicas without a zone spread', true, waypoint('shop', 6, false)],
    ['3 replicas spread over 3 zones', false, waypoint('shop', 3)],
  ])('THEN %s -> ZNL061 %s', (_what, expected, objs) => {
    const f = lint([...base, ...objs]);
    expect(codes(f).includes('ZNL061')).toBe(expected);
  });

  it('THEN in a two-zone cluster 2 spread replicas are enough', () => {
    expect(codes(lint([...base, ...waypoint('shop', 2)], ZONES.slice(0, 2)))).not.toContain('ZNL061');
  });
});

describe('GIVEN sidecar and ambient namespaces side by side', () => {
  it('THEN ZNL063 names both, once per ambient namespace', () => {
    const f = lint([ns('shop', AMBIENT), deployment('cart', 'shop'), service('cart', 'shop', {}, 'PreferClose'),
      ns('pay', SIDECAR), deployment('pay', 'pay'), service('pay', 'pay')]);
    const mixed = f.filter((x) => x.code === 'ZNL063');
    expect(mixed).toHaveLength(1);
    expect(mixed[0]!.name).toBe('shop');
    expect(mixed[0]!.message).toMatch(/shop is ambient while pay runs sidecars/);
  });

  it('THEN an all-ambient mesh has no ZNL063', () => {
    expect(codes(lint([ns('shop', AMBIENT), deployment('cart', 'shop'), ns('pay', AMBIENT), deployment('pay', 'pay')]))).not.toContain('ZNL063');
  });
});

describe('GIVEN the rendered ambient example WHEN linted', () => {
  it('THEN it is clean of ambient findings with the waypoint, and without it no DestinationRule is left to warn about', () => {
    const model = modelOf(ambientTree());
    const f = lintObjects(locateRendered(renderObjects(model)), contextOfModel(model));
    expect(f.filter((x) => /^ZNL06|ZNL021|ZNL025/.test(x.code))).toEqual([]);
    const bare = modelOf(withoutWaypoint());
    const g = lintObjects(locateRendered(renderObjects(bare)), contextOfModel(bare));
    expect(g.filter((x) => /^ZNL06|ZNL021|ZNL013/.test(x.code))).toEqual([]);
  });

  it('THEN a waypoint PodDisruptionBudget selecting a Gateway that is not there is still ZNL025', () => {
    const model = modelOf(ambientTree());
    const objs = renderObjects(model).filter((o) => o.kind !== 'Gateway');
    expect(codes(lintObjects(locateRendered(objs), contextOfModel(model)))).toContain('ZNL025');
  });
});
