/**
 * The Istio core's index: which DestinationRule istiod applies to a host (push_context.go
 * destinationRule / setDestinationRules / mergeDestinationRule), traffic distribution precedence
 * (model.GetTrafficDistribution), the policy in force for a port, and which endpoints reach Envoy.
 */
import { describe, expect, it } from '@jest/globals';
import {
  behaviourOf, buildMeshIndex, hostsMatch, istioMinor, mostSpecificMatch, resolveShortname,
} from '../../generator/istio/index.js';
import type { KubeObject } from '../../generator/k8s/manifest.js';

const dr = (name: string, namespace: string, spec: Record<string, unknown>, created?: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
  metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) }, spec,
});
const svc = (name: string, namespace: string, extra: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...extra },
});
const ns = (name: string, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(annotations ? { annotations } : {}) } });
const od = { outlierDetection: { consecutive5xxErrors: 5 } };

describe('GIVEN host names as istiod reads them', () => {
  it('THEN only names without a dot expand, and IPs and * stay', () => {
    expect(resolveShortname('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveShortname('reviews.shop', 'x')).toBe('reviews.shop');
    expect(resolveShortname('10.0.0.1', 'x')).toBe('10.0.0.1');
    expect(resolveShortname('::1', 'x')).toBe('::1');
    expect(resolveShortname('*', 'x')).toBe('*');
  });
  it('THEN wildcards match suffixes on either side and the most specific wildcard wins', () => {
    expect(hostsMatch('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsMatch('a.example.com', '*.com')).toBe(true);
    expect(hostsMatch('*.a.example.com', '*.example.com')).toBe(true);
    expect(hostsMatch('a.example.org', '*.example.com')).toBe(false);
    const wild = new Map([['*.com', 'short'], ['*.example.com', 'long'], ['*', 'all']]);
    expect(mostSpecificMatch('a.example.com', new Map(), wild)).toBe('long');
    expect(mostSpecificMatch('a.example.com', new Map([['a.example.com', 'exact']]), wild)).toBe('exact');
  });
});

describe('GIVEN DestinationRules in several namespaces', () => {
  const objects = [
    svc('reviews', 'shop'),
    dr('in-root', 'istio-system', { host: '*.svc.cluster.local', trafficPolicy: od }),
    dr('in-shop', 'shop', { host: 'reviews', trafficPolicy: od }),
    dr('in-frontend', 'frontend', { host: 'reviews.shop.svc.cluster.local', trafficPolicy: od }),
    dr('private', 'payments', { host: 'reviews.shop.svc.cluster.local', exportTo: ['.'], trafficPolicy: od }),
  ];
  const mesh = buildMeshIndex(objects);
  const host = 'reviews.shop.svc.cluster.local';
  it('THEN a proxy\'s own namespace comes first', () => {
    expect(mesh.destinationRuleFor(host, 'shop', 'frontend')!.from[0]!.metadata.name).toBe('in-frontend');
    expect(mesh.destinationRuleFor(host, 'shop', 'payments')!.from[0]!.metadata.name).toBe('private');
  });
  it('THEN otherwise the service namespace\'s exported rule applies, then the root namespace\'s', () => {
    expect(mesh.destinationRuleFor(host, 'shop', 'billing')!.from[0]!.metadata.name).toBe('in-shop');
    const rootOnly = buildMeshIndex([svc('ratings', 'shop'), objects[1]!]);
    expect(rootOnly.destinationRuleFor('ratings.shop.svc.cluster.local', 'shop', 'billing')!.from[0]!.metadata.name).toBe('in-root');
  });
  it('THEN a rule exported to "." is invisible to other namespaces and ~ is not an exportTo', () => {
    const only = buildMeshIndex([svc('reviews', 'shop'), dr('private', 'shop', { host: 'reviews', exportTo: ['.'], trafficPolicy: od })]);
    expect(only.destinationRuleFor(host, 'shop', 'shop')).toBeDefined();
    expect(only.destinationRuleFor(host, 'shop', 'frontend')).toBeUndefined();
  });
  it('THEN targetsOf names the Service each rule governs', () => {
    for (const name of ['in-shop', 'in-frontend', 'private']) {
      expect(mesh.targetsOf(objects.find((o) => o.metadata.name === name)!).map((o) => o.metadata.name)).toEqual(['reviews']);
    }
  });
});

describe('GIVEN two DestinationRules for one host in one namespace', () => {
  const older = dr('b-older', 'shop', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } }, subsets: [{ name: 'v1', labels: { v: '1' } }] }, '2026-01-01T00:00:00Z');
  const newer = dr('a-newer', 'shop', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 9 } }, subsets: [{ name: 'v1', labels: { v: 'x' } }, { name: 'v2', labels: { v: '2' } }] }, '2026-06-01T00:00:00Z');
  it('THEN they merge: the oldest traffic policy wins and new subset names are added', () => {
    const rule = buildMeshIndex([svc('reviews', 'shop'), newer, older]).destinationRuleFor('reviews.shop.svc.cluster.local', 'shop')!;
    expect(rule.from.map((o) => o.metadata.name)).toEqual(['b-older', 'a-newer']);
    expect((rule.spec.trafficPolicy as { outlierDetection: { consecutive5xxErrors: number } }).outlierDetection.consecutive5xxErrors).toBe(1);
    expect((rule.spec.subsets as { name: string; labels: Record<string, string> }[]).map((s) => `${s.name}=${s.labels.v}`)).toEqual(['v1=1', 'v2=2']);
  });
  it('THEN without creation times the name decides', () => {
    const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { name: o.metadata.name, namespace: 'shop' } });
    const rule = buildMeshIndex([svc('reviews', 'shop'), strip(older), strip(newer)]).destinationRuleFor('reviews.shop.svc.cluster.local', 'shop')!;
    expect(rule.from[0]!.metadata.name).toBe('a-newer');
  });
});

describe('GIVEN traffic distribution on a Service, its annotation and its namespace', () => {
  const TD = 'networking.istio.io/traffic-distribution';
  it('THEN spec > Service annotation > namespace annotation, PreferClose meaning PreferSameZone', () => {
    const m = buildMeshIndex([ns('shop', { [TD]: 'PreferSameNode' }),
      svc('a', 'shop', { trafficDistribution: 'PreferClose' }, { [TD]: 'PreferSameNode' }), svc('b', 'shop', {}, { [TD]: 'preferclose' }), svc('c', 'shop')]);
    expect(m.services.map((s) => m.trafficDistributionOf(s))).toEqual(['PreferSameZone', 'PreferSameZone', 'PreferSameNode']);
  });
  it('THEN an unknown Service annotation value means no preference, even with a namespace annotation', () => {
    const m = buildMeshIndex([ns('shop', { [TD]: 'PreferSameZone' }), svc('a', 'shop', {}, { [TD]: 'Nearby' })]);
    expect(m.trafficDistributionOf(m.services[0]!)).toBeUndefined();
  });
  it('THEN Istio 1.29 does not read the namespace annotation', () => {
    const objs = [ns('shop', { [TD]: 'PreferSameZone' }), svc('c', 'shop')];
    expect(buildMeshIndex(objs, { istioVersion: '1.29.3' }).trafficDistributionOf(objs[1]!)).toBeUndefined();
    expect(buildMeshIndex(objs, { istioVersion: '1.30.5' }).trafficDistributionOf(objs[1]!)).toBe('PreferSameZone');
  });
});

describe('GIVEN a mesh defaultTrafficPolicy and not-ready endpoints', () => {
  const meshOd = { mesh: { defaultTrafficPolicy: { outlierDetection: { consecutive5xxErrors: 7 } } } };
  it('THEN from 1.31 a DestinationRule without outlierDetection inherits the mesh\'s (before it does not)', () => {
    const objs = [svc('reviews', 'shop'), dr('r', 'shop', { host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } })];
    for (const [version, expected] of [['1.31.1', 7], ['1.30.5', undefined]] as const) {
      const m = buildMeshIndex(objs, { istioVersion: version, ...meshOd });
      const policy = m.trafficPolicyFor(m.destinationRuleFor('reviews.shop.svc.cluster.local', 'shop'), 80);
      expect((policy.outlierDetection as { consecutive5xxErrors?: number } | undefined)?.consecutive5xxErrors).toBe(expected);
    }
  });
  it('THEN a port-level outlierDetection replaces the top-level one for that port only', () => {
    const objs = [svc('reviews', 'shop'), dr('r', 'shop', { host: 'reviews', trafficPolicy: { ...od, portLevelSettings: [{ port: { number: 80 }, outlierDetection: { consecutive5xxErrors: 2 } }] } })];
    const m = buildMeshIndex(objs);
    const rule = m.destinationRuleFor('reviews.shop.svc.cluster.local', 'shop');
    expect((m.trafficPolicyFor(rule, 80).outlierDetection as { consecutive5xxErrors: number }).consecutive5xxErrors).toBe(2);
    expect((m.trafficPolicyFor(rule, 9090).outlierDetection as { consecutive5xxErrors: number }).consecutive5xxErrors).toBe(5);
  });
  it('THEN 1.31 sends not-ready endpoints unless minHealthPercent > 0; 1.30 only for a traffic distribution', () => {
    const plain = svc('reviews', 'shop');
    const withMin = dr('r', 'shop', { host: 'reviews', trafficPolicy: { outlierDetection: { minHealthPercent: 50 } } });
    const m31 = buildMeshIndex([plain, withMin], { istioVersion: '1.31.1' });
    expect(m31.sendsNotReady(plain, undefined, 80)).toBe(true);
    expect(m31.sendsNotReady(plain, m31.destinationRuleFor('reviews.shop.svc.cluster.local', 'shop'), 80)).toBe(false);
    const m30 = buildMeshIndex([plain], { istioVersion: '1.30.5' });
    expect(m30.sendsNotReady(plain, undefined, 80)).toBe(false);
    const td = svc('t', 'shop', { trafficDistribution: 'PreferSameZone' });
    expect(buildMeshIndex([td], { istioVersion: '1.30.5' }).sendsNotReady(td, undefined, 80)).toBe(true);
  });
});

describe('GIVEN the version table', () => {
  it('THEN 1.29 to 1.32 are supported in any spelling and the default is 1.31', () => {
    expect(['1.29', '1.30.5', 'v1.31.1', '1.32.x'].map(istioMinor)).toEqual(['1.29', '1.30', '1.31', '1.32']);
    expect(istioMinor('1.28.4')).toBeUndefined();
    expect(behaviourOf().minor).toBe('1.31');
    expect(() => behaviourOf('2.0.0')).toThrow(/not supported/);
  });
  it('THEN a multi-locality DNS ServiceEntry with failoverPriority crashes istiod from 1.30 (istio#61857), not on 1.29', () => {
    const se: KubeObject = {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'db', namespace: 'shop' },
      spec: { hosts: ['db.example.com'], resolution: 'DNS', ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }],
        endpoints: [{ address: 'a.example.com', locality: 'r/a' }, { address: 'b.example.com', locality: 'r/b' }] },
    };
    const rule = dr('db', 'shop', { host: 'db.example.com', trafficPolicy: { ...od, loadBalancer: { localityLbSetting: { failoverPriority: ['topology.istio.io/network'] } } } });
    for (const [v, panics] of [['1.29.3', false], ['1.30.5', true], ['1.31.1', true], ['1.32.0', true]] as const) {
      const m = buildMeshIndex([se, rule], { istioVersion: v });
      expect(m.istiodPanic(se, m.destinationRuleFor('db.example.com', 'shop'), 5432) !== undefined).toBe(panics);
    }
    const oneLocality = { ...se, spec: { ...(se.spec as object), endpoints: [{ address: 'a.example.com', locality: 'r/a' }] } } as KubeObject;
    const m = buildMeshIndex([oneLocality, rule]);
    expect(m.istiodPanic(oneLocality, m.destinationRuleFor('db.example.com', 'shop'), 5432)).toBeUndefined();
  });
});
