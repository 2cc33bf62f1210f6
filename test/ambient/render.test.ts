import { describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { renderObjects } from '../../generator/render/index.js';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { ambientTree, modelOf, withoutWaypoint } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const objects = (tree: Any): Any[] => renderObjects(modelOf(tree)) as unknown as Any[];
const kinds = (objs: Any[], kind: string) => objs.filter((o) => o.kind === kind);
const one = (objs: Any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

describe('GIVEN the ambient example WHEN rendered', () => {
  const objs = objects(ambientTree());

  it('THEN the namespace is ambient, uses the waypoint and has no injection label', () => {
    const ns = one(objs, 'Namespace', 'octank-travel-ns');
    expect(ns.metadata.labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(ns.metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    expect(ns.metadata.labels).not.toHaveProperty('istio-injection');
    expect(ns.metadata.labels).not.toHaveProperty('istio.io/rev');
  });

  it('THEN a revisioned control plane still gets istio.io/rev, but never istio-injection', () => {
    const tree = ambientTree();
    tree.mesh.revision = 'canary';
    const ns = one(objects(tree), 'Namespace', 'octank-travel-ns');
    expect(ns.metadata.labels['istio.io/rev']).toBe('canary');
    expect(ns.metadata.labels).not.toHaveProperty('istio-injection');
  });

  it('THEN the Service carries PreferClose on Kubernetes 1.34 and PreferSameZone from 1.35, none with routing off', () => {
    const t134 = ambientTree();
    t134.cluster.kubernetesVersion = '1.34';
    expect(one(objects(t134), 'Service', 'zip-lookup-service-local').spec.trafficDistribution).toBe('PreferClose');
    expect(one(objs, 'Service', 'zip-lookup-service-local').spec.trafficDistribution).toBe('PreferSameZone'); // the example: 1.35
    const off = ambientTree();
    off.services[0].routing = { mode: 'off' };
    expect(one(objects(off), 'Service', 'zip-lookup-service-local').spec).not.toHaveProperty('trafficDistribution');
  });

  it('THEN the waypoint is a Gateway of class istio-waypoint whose parameters spread 2 pods per zone', () => {
    const gw = one(objs, 'Gateway', 'waypoint');
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.spec.gatewayClassName).toBe('istio-waypoint');
    expect(gw.metadata.labels['istio.io/waypoint-for']).toBe('service');
    expect(gw.spec.listeners).toEqual([{ name: 'mesh', port: 15008, protocol: 'HBONE' }]);
    expect(gw.spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: 'waypoint-parameters' });
    const cm = one(objs, 'ConfigMap', 'waypoint-parameters');
    const overlay = load(cm.data.deployment) as Any;
    expect(overlay.spec.replicas).toBe(6);
    expect(overlay.spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, minDomains: 3, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
    }]);
    const pdb = one(objs, 'PodDisruptionBudget', 'waypoint');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } } });
  });

  it('THEN replicasPerZone scales the waypoint with the zones', () => {
    const tree = ambientTree();
    tree.namespaces[0].waypoint.replicasPerZone = 1;
    expect((load(one(objects(tree), 'ConfigMap', 'waypoint-parameters').data.deployment) as Any).spec.replicas).toBe(3);
  });

  it('THEN with the waypoint the DestinationRules stay (the waypoint applies them) and hosts opt in to it', () => {
    expect(kinds(objs, 'DestinationRule').map((d) => d.metadata.name).sort()).toEqual(['aurora-reader', 'msk-brokers', 's3-interface-endpoint', 'zip-lookup-service']);
    expect(one(objs, 'Service', 'zip-lookup-service-local').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    expect(one(objs, 'ServiceEntry', 'aurora-reader').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    expect(one(objs, 'ServiceEntry', 'aurora-reader').metadata.annotations['networking.istio.io/traffic-distribution']).toBe('PreferSameZone');
  });
});

describe('GIVEN the ambient example without a waypoint WHEN rendered', () => {
  const objs = objects(withoutWaypoint());

  it('THEN no DestinationRule, Gateway or use-waypoint label is rendered (ztunnel would ignore them)', () => {
    expect(kinds(objs, 'DestinationRule')).toEqual([]);
    expect(kinds(objs, 'Gateway')).toEqual([]);
    expect(JSON.stringify(objs)).not.toContain('istio.io/use-waypoint');
  });

  it('THEN single-zone hosts get the traffic-distribution annotation, multi-zone DNS hosts not where istiod would panic', () => {
    const ann = (name: string) => one(objs, 'ServiceEntry', name).metadata.annotations['networking.istio.io/traffic-distribution'];
    expect(ann('aurora-writer')).toBe('PreferSameZone');
    // Istio 1.30.3: the annotation on a DNS ServiceEntry spanning zones crashes istiod (istio/istio#61857).
    expect(ann('aurora-reader')).toBeUndefined();
    expect(ann('s3-interface-endpoint')).toBeUndefined();
  });

  it('THEN localityRouting off removes the traffic distribution too', () => {
    const tree = withoutWaypoint();
    tree.localityRouting = false;
    const o = objects(tree);
    expect(one(o, 'Service', 'zip-lookup-service-local').spec).not.toHaveProperty('trafficDistribution');
    expect(one(o, 'ServiceEntry', 'aurora-writer').metadata.annotations).not.toHaveProperty('networking.istio.io/traffic-distribution');
  });
});

describe('GIVEN one ambient and one sidecar namespace', () => {
  it('THEN only the sidecar namespace gets the injection label and keeps its DestinationRules', () => {
    const tree = withoutWaypoint();
    tree.mesh.dataplane = 'sidecar';
    tree.namespaces.push({ name: 'payments', dataplane: 'ambient' });
    tree.services.push({ ...tree.services[0], name: 'pay', serviceName: 'pay', namespace: 'payments' });
    const o = objects(tree) as unknown as KubeObject[];
    const ns = (n: string) => (o.find((x) => x.kind === 'Namespace' && x.metadata.name === n)!).metadata.labels!;
    expect(ns('octank-travel-ns')['istio-injection']).toBe('enabled');
    expect(ns('payments')).not.toHaveProperty('istio-injection');
    expect(ns('payments')['istio.io/dataplane-mode']).toBe('ambient');
    expect(o.filter((x) => x.kind === 'DestinationRule').map((d) => d.metadata.namespace)).not.toContain('payments');
    expect(o.filter((x) => x.kind === 'DestinationRule' && x.metadata.name === 'zip-lookup-service')).toHaveLength(1);
  });
});
