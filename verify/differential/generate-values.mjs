// Random zonal values files (apiVersion zonal/v1): what users may write, so every chart zonal
// generates from them can be checked against Istio's validation. Files zonal itself refuses are
// counted apart (they produce no chart).

const REGION = 'us-west-2';
const OTHER = 'us-east-1';

function zoneList(r) {
  return ['a', 'b', 'c', 'd'].slice(0, r.int(2, 4)).map((l) => `${REGION}${l}`);
}

function routing(r, zones, endpointZones) {
  const mode = r.pick(['zone-local', 'zone-local', 'weighted', 'off', 'zone-aware']);
  const out = { mode };
  if (mode === 'zone-local' && r.chance(0.2)) out.mechanism = 'trafficDistribution';
  if (mode === 'zone-local' && r.chance(0.25)) out.failover = [{ from: REGION, to: OTHER }];
  if (mode === 'zone-local' && r.chance(0.2)) out.failoverPriority = r.pick([['topology.istio.io/network'], ['version']]);
  if (mode === 'weighted') {
    const to = endpointZones.length ? endpointZones : zones;
    // zonal requires every zone in some "to" map: the first rule lists them all.
    out.distribute = zones.map((z, zi) => {
      const targets = zi === 0 ? to : r.subset(to, 1);
      const w = r.weights(targets.length);
      return { from: `${REGION}/${z}/*`, to: Object.fromEntries(targets.map((t, i) => [`${REGION}/${t}/*`, w[i]])) };
    });
  }
  return out;
}

function outlier(r, pool) {
  const od = {};
  if (r.chance(0.6)) od.consecutive5xxErrors = r.int(1, 10);
  if (r.chance(0.5)) od.interval = r.pick(['5s', '10s', '30s', '1m']);
  if (r.chance(0.5)) od.baseEjectionTime = r.pick(['15s', '30s', '2m']);
  if (r.chance(0.3)) od.maxEjectionPercent = r.pick([Math.ceil(100 / Math.max(pool, 1)), 50, 100]);
  if (r.chance(0.2)) od.minHealthPercent = r.pick([0, 25, 50]);
  return od;
}

const HOST_KINDS = [
  (i) => ({ type: 'rds', host: `db${i}.cluster-ro-abc${i}.${REGION}.rds.amazonaws.com`, protocol: 'TCP', port: 3306, ep: (k) => `db${i}-instance-${k}.abc${i}.${REGION}.rds.amazonaws.com` }),
  (i) => ({ type: 'msk', host: `boot-${i}.c1.kafka.${REGION}.amazonaws.com`, protocol: 'TLS', port: 9094, ep: (k) => `b-${k + 1}.m${i}.c1.kafka.${REGION}.amazonaws.com` }),
  (i) => ({ type: 'interface-endpoint', host: `bucket.vpce-0${i}abc-x.s3.${REGION}.vpce.amazonaws.com`, protocol: 'TLS', port: 443, ep: (k, z) => `bucket.vpce-0${i}abc-x-${z}.s3.${REGION}.vpce.amazonaws.com` }),
  (i, r) => ({ type: 'ec2', host: `api${i}.internal.example.com`, protocol: r.pick(['HTTP', 'TCP', 'HTTPS']), port: 8443, ep: (k) => `api${i}-${k}.internal.example.com` }),
];

/** One values document (a plain object; the caller serialises it). */
export function generateValues(r, index) {
  const zones = zoneList(r);
  // Ambient meshes (ztunnel, sometimes a waypoint per namespace) next to sidecar ones.
  const ambient = r.chance(0.2);
  const namespaces = ['apps', 'data'].slice(0, r.int(1, 2)).map((name) => ({
    name, ...(ambient && r.chance(0.5) ? { waypoint: { enabled: true, replicasPerZone: r.int(1, 2) } } : {}),
  }));
  const nsName = () => r.pick(namespaces).name;
  const services = [];
  for (let i = 0; i < r.int(1, 3); i++) {
    const replicas = r.int(1, 7);
    const port = r.pick([80, 8080, 9000]);
    const s = {
      name: `svc-${index}-${i}`,
      namespace: nsName(),
      image: { repository: 'example.com/app', tag: `v${r.int(1, 9)}` },
      replicas,
      port,
      ...(r.chance(0.5) ? { targetPort: r.pick([8080, 8081]) } : {}),
      protocol: r.pick(['HTTP', 'HTTP2', 'GRPC', 'TCP']),
      routing: routing(r, zones, []),
    };
    if (r.chance(0.6)) s.outlierDetection = outlier(r, replicas);
    if (r.chance(0.15)) {
      // A service another chart deploys: zonal renders only its routing objects.
      delete s.image;
      s.workload = 'external';
      s.selector = { app: s.name };
      if (r.chance(0.5)) s.zoneSpread = true;
    }
    services.push(s);
  }
  const externalHosts = [];
  for (let i = 0; i < r.int(0, 3); i++) {
    const kind = r.pick(HOST_KINDS)(index * 10 + i, r);
    const epZones = r.subset(zones, 1);
    const h = {
      name: `ext-${index}-${i}`,
      namespace: nsName(),
      host: kind.host,
      type: kind.type,
      protocol: kind.protocol,
      port: kind.port,
      endpoints: epZones.map((z, k) => ({ address: kind.ep(k, z), zone: z })),
    };
    if (kind.type === 'rds') h.role = 'reader';
    if (kind.type === 'rds' && r.chance(0.3)) {
      // The cluster (writer) endpoint: one instance, no locality pool.
      h.role = 'writer';
      h.host = h.host.replace('.cluster-ro-', '.cluster-');
      h.endpoints = h.endpoints.slice(0, 1);
      delete h.routing;
      delete h.outlierDetection;
    }
    if (kind.type === 'msk' && r.chance(0.5)) h.kafka = { rackAwareSelector: true };
    if (r.chance(0.3)) h.addresses = [`240.240.${index & 255}.${i + 1}`];
    if (r.chance(0.5)) h.routing = routing(r, zones, epZones);
    if (r.chance(0.5)) h.outlierDetection = outlier(r, epZones.length);
    externalHosts.push(h);
  }
  return {
    apiVersion: 'zonal/v1',
    kind: 'TopologyRouting',
    metadata: { name: `random-${index}` },
    cluster: { name: `c${index}`, region: REGION, kubernetesVersion: '1.34', zones: zones.map((name) => ({ name })) },
    mesh: { istioVersion: '1.31.1', dnsCapture: r.chance(0.7), ...(ambient ? { dataplane: 'ambient' } : {}) },
    localityRouting: r.chance(0.9),
    namespaces,
    services,
    ...(externalHosts.length ? { externalHosts } : {}),
  };
}
