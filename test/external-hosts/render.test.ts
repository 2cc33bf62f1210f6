import { describe, expect, it } from '@jest/globals';
import { parseValues } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { schemaOf, valuesTree } from '../../generator/chart/values-tree.js';
import { KAFKA_CLIENT_RACK_FROM_NODE } from '../../generator/model/external-hosts.js';
import { FROM_NODE_ZONE_ID } from '../../app/src/kafka-rack.js';
import { EXAMPLE, exampleWith } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const model = parseValues(EXAMPLE, 'values/octank-travel.yaml');
const objects = renderObjects(model) as Any[];
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('GIVEN the bundled example rendered', () => {
  it('THEN the Aurora writer is one ServiceEntry with one endpoint (the cluster endpoint) and no DestinationRule', () => {
    const se = find('ServiceEntry', 'aurora-writer');
    expect(se.spec.hosts).toEqual(['octank-travel-db.cluster-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com']);
    expect(se.spec.endpoints).toEqual([{ address: se.spec.hosts[0], locality: 'us-west-2/us-west-2a' }]);
    expect(se.metadata.annotations).toMatchObject({ 'zonal.dev/host-type': 'rds', 'zonal.dev/rds-role': 'writer' });
    expect(find('DestinationRule', 'aurora-writer')).toBeUndefined();
  });

  it('THEN the Aurora reader routes both instance endpoints by zone, with failover (localityLbSetting + outlierDetection)', () => {
    const se = find('ServiceEntry', 'aurora-reader');
    expect(se.spec.endpoints.map((e: Any) => e.locality)).toEqual(['us-west-2/us-west-2a', 'us-west-2/us-west-2b']);
    expect(se.metadata.annotations['zonal.dev/rds-role']).toBe('reader');
    const dr = find('DestinationRule', 'aurora-reader');
    expect(dr.spec.host).toBe(se.spec.hosts[0]);
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.enabled).toBe(true);
    expect(dr.spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBeGreaterThanOrEqual(50);
  });

  it('THEN MSK is the bootstrap ServiceEntry (+ DestinationRule) and one ServiceEntry per broker: its own host, one endpoint, its zone', () => {
    const boot = find('ServiceEntry', 'msk-brokers');
    expect(boot.metadata.annotations).toMatchObject({ 'zonal.dev/kafka-role': 'bootstrap', 'zonal.dev/kafka-rack-aware-selector': 'true' });
    expect(find('DestinationRule', 'msk-brokers')).toBeDefined();
    const brokers = objects.filter((o) => o.kind === 'ServiceEntry' && o.metadata.annotations?.['zonal.dev/kafka-role'] === 'broker');
    expect(brokers.map((b) => [b.metadata.name, b.spec.hosts, b.spec.endpoints])).toEqual(
      boot.spec.endpoints.map((ep: Any) => [`msk-brokers-${ep.address.split('.')[0]}`, [ep.address], [{ address: ep.address, locality: ep.locality }]]),
    );
    for (const b of brokers) {
      expect(b.spec).toMatchObject({ resolution: 'DNS', location: 'MESH_EXTERNAL', ports: boot.spec.ports });
      expect(find('DestinationRule', b.metadata.name)).toBeUndefined();
    }
  });

  it('THEN the consumer with kafka.clientRack gets env KAFKA_CLIENT_RACK set to the node-zone-id marker the app resolves', () => {
    const env = find('Deployment', 'zip-lookup-service').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'KAFKA_CLIENT_RACK', value: 'topology.k8s.aws/zone-id' });
    expect(KAFKA_CLIENT_RACK_FROM_NODE).toBe(FROM_NODE_ZONE_ID);
  });

  it('WHEN kafka.clientRack is off THEN there is no KAFKA_CLIENT_RACK env', () => {
    const m = parseValues(exampleWith(/    kafka: \{ clientRack: true \}.*\n/, ''), 'v.yaml');
    const deployment = (renderObjects(m) as Any[]).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].env.map((e: Any) => e.name)).not.toContain('KAFKA_CLIENT_RACK');
  });

  it('THEN the chart schema lets --set give the writer at most one zone and one address, and has no outlier knobs for it', () => {
    const schema = schemaOf(valuesTree(model)) as Any;
    const writer = schema.properties.externalHosts.properties['aurora-writer'];
    const def = schema.definitions[writer.$ref.split('/').pop()];
    expect(def.properties.endpoints).toMatchObject({ maxProperties: 1, additionalProperties: { maxItems: 1 } });
    expect(def.properties.outlierDetection).toBeUndefined();
    const reader = schema.definitions[schema.properties.externalHosts.properties['aurora-reader'].$ref.split('/').pop()];
    expect(reader.properties.endpoints.maxProperties).toBeUndefined();
  });
});
