// Random configurations for the differential checks: one destination (a Service with its
// Deployment, or a ServiceEntry), the DestinationRule for it, and sometimes a mesh config. Valid
// and invalid on purpose: locality settings (distribute, failover, failoverPriority), zone-aware
// settings (Istio 1.31 zoneAwareLbSetting), outlier
// detection, resolutions, endpoints, ports, protocols, trafficDistribution, mesh defaults.

const ZONE_LETTERS = ['a', 'b', 'c', 'd'];
const REGIONS = ['us-west-2', 'eu-central-1'];
const OTHER_REGION = { 'us-west-2': 'us-east-1', 'eu-central-1': 'eu-west-1' };
export const MESH_NAMESPACE = 'istio-system';
const TOPOLOGY = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

function zonesOf(region, n) {
  return ZONE_LETTERS.slice(0, n).map((l) => `${region}${l}`);
}

/** A locality pattern: mostly valid shapes, sometimes malformed ones. */
function localityPattern(r, region, zones, { allowBad }) {
  if (allowBad && r.chance(0.12)) {
    return r.pick([`${region}//${zones[0]}`, `${region}/*/${zones[0]}`, `${region}/${zones[0]}/a/b`, `${region}/${zones[0]}*`, '', `*/${zones[0]}`]);
  }
  return r.pick([`${region}/${r.pick(zones)}/*`, `${region}/${r.pick(zones)}`, `${region}/*`, `${region}/${r.pick(zones)}/*`, '*']);
}

function distribute(r, region, zones, allowBad) {
  const entries = [];
  const n = r.int(1, zones.length);
  for (let i = 0; i < n; i++) {
    const targets = r.subset(zones, 1);
    let weights = r.weights(targets.length);
    if (allowBad && r.chance(0.15)) weights = weights.map((w, j) => (j === 0 ? w + r.pick([1, -w, 50]) : w));
    const to = {};
    targets.forEach((z, j) => { to[r.chance(0.8) ? `${region}/${z}/*` : localityPattern(r, region, zones, { allowBad })] = weights[j]; });
    entries.push({ from: r.chance(0.85) ? `${region}/${zones[i % zones.length]}/*` : localityPattern(r, region, zones, { allowBad }), to });
  }
  return entries;
}

function failover(r, region, zones, allowBad) {
  const other = OTHER_REGION[region];
  if (allowBad && r.chance(0.2)) return [r.pick([{ from: region, to: region }, { from: region, to: '*' }, { from: `${region}/${zones[0]}`, to: other }, { from: '', to: other }])];
  return r.chance(0.8) ? [{ from: region, to: other }] : [{ from: region, to: other }, { from: other, to: region }];
}

function failoverPriority(r, allowBad) {
  return r.pick([
    [TOPOLOGY[0], TOPOLOGY[1]],
    [TOPOLOGY[1]],
    ['version'],
    ['version', TOPOLOGY[1]],
    ...(allowBad ? [['topology.istio.io/network=net-a'], [''], ['version=']] : []),
  ]);
}

function localityLbSetting(r, region, zones, allowBad) {
  const s = {};
  if (r.chance(0.5)) s.enabled = r.chance(0.85);
  const shape = r.pick(['none', 'failover', 'failoverPriority', 'distribute', 'both', 'fp+failover']);
  if (shape === 'failover') s.failover = failover(r, region, zones, allowBad);
  if (shape === 'failoverPriority') s.failoverPriority = failoverPriority(r, allowBad);
  if (shape === 'distribute') s.distribute = distribute(r, region, zones, allowBad);
  if (shape === 'fp+failover') { s.failover = failover(r, region, zones, false); s.failoverPriority = failoverPriority(r, allowBad); }
  if (shape === 'both' && allowBad) { s.distribute = distribute(r, region, zones, false); s.failover = failover(r, region, zones, false); }
  return s;
}

/** Istio 1.31 zoneAwareLbSetting: valid shapes, and topology labels / same-region failover when bad ones are allowed. */
function zoneAwareLbSetting(r, region, allowBad) {
  const s = {};
  if (r.chance(0.6)) s.enabled = r.chance(0.8);
  if (r.chance(0.6)) s.minClusterSize = r.pick([1, 2, 3, 6, 8]);
  if (r.chance(0.25)) s.failover = allowBad && r.chance(0.3) ? [{ from: region, to: region }] : [{ from: region, to: OTHER_REGION[region] }];
  else if (r.chance(0.2)) s.failoverPriority = r.pick([['version'], ['version', 'app'], ...(allowBad ? [[TOPOLOGY[1]]] : [])]);
  return s;
}

function outlierDetection(r, allowBad) {
  const od = {};
  if (r.chance(0.7)) od.consecutive5xxErrors = r.int(0, 10);
  if (r.chance(0.15)) od.consecutiveGatewayErrors = r.int(0, 5);
  if (r.chance(0.1)) od.consecutiveErrors = r.int(1, 5);
  if (r.chance(0.7)) od.interval = r.pick(['10s', '1s', '30s', '5m', ...(allowBad ? ['0s', '1ms'] : [])]);
  if (r.chance(0.7)) od.baseEjectionTime = r.pick(['30s', '1m', '15s', ...(allowBad ? ['0.5ms'] : [])]);
  if (r.chance(0.5)) od.maxEjectionPercent = r.pick([0, 10, 34, 50, 100, ...(allowBad ? [101, 150] : [])]);
  if (r.chance(0.3)) od.minHealthPercent = r.pick([0, 30, 50, 100, ...(allowBad ? [101] : [])]);
  return od;
}

function trafficPolicy(r, region, zones, allowBad, port) {
  const tp = {};
  if (r.chance(0.75)) {
    tp.loadBalancer = {};
    if (r.chance(0.3)) tp.loadBalancer.simple = r.pick(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM']);
    if (r.chance(0.85)) tp.loadBalancer.localityLbSetting = localityLbSetting(r, region, zones, allowBad);
    if (r.chance(0.2)) {
      // Zone-aware instead of locality (both together only as a bad configuration Istio rejects).
      tp.loadBalancer.zoneAwareLbSetting = zoneAwareLbSetting(r, region, allowBad);
      if (!allowBad || r.chance(0.8)) delete tp.loadBalancer.localityLbSetting;
    }
  }
  if (r.chance(0.65)) tp.outlierDetection = outlierDetection(r, allowBad);
  if (r.chance(0.1)) {
    const pls = { port: { number: port } };
    if (r.chance(0.6)) pls.loadBalancer = { localityLbSetting: localityLbSetting(r, region, zones, allowBad) };
    if (r.chance(0.6)) pls.outlierDetection = outlierDetection(r, allowBad);
    tp.portLevelSettings = [pls];
  }
  return tp;
}

const PORT_NAMES = ['http', 'http-web', 'grpc', 'tcp', 'tcp-db', 'tls', 'web', 'mongo'];
const SE_PROTOCOLS = ['TCP', 'HTTP', 'HTTPS', 'TLS', 'GRPC', 'HTTP2', 'MONGO'];

function serviceDestination(r, ctx, allowBad) {
  const { region, zones, ns, index } = ctx;
  const name = `svc${index}`;
  const port = r.pick([80, 8080, 9090, 5432]);
  const portName = r.pick(PORT_NAMES);
  const replicas = r.int(0, 7);
  const svcSpec = {
    clusterIP: `10.96.${(index >> 8) & 255}.${index & 255}`,
    selector: { app: name },
    ports: [{ name: portName, port, targetPort: r.chance(0.5) ? port : 8080, protocol: 'TCP', ...(r.chance(0.2) ? { appProtocol: r.pick(['http', 'grpc', 'tcp']) } : {}) }],
  };
  if (r.chance(0.2)) svcSpec.trafficDistribution = r.pick(['PreferClose', 'PreferSameZone']);
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: svcSpec };
  const labels = { app: name, ...(r.chance(0.4) ? { version: r.pick(['v1', 'v2']) } : {}) };
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } } },
  };
  const host = r.chance(0.7) ? `${name}.${ns}.svc.cluster.local` : r.pick([name, `${name}.${ns}`]);
  return { objects: [service, deployment], host, port, kind: 'service', replicas, labels, zones, region, allowBad };
}

function ip(index, k) {
  return `10.${(index >> 8) & 255}.${index & 255}.${k + 1}`;
}

function serviceEntryDestination(r, ctx, allowBad) {
  const { region, zones, ns, index } = ctx;
  const other = OTHER_REGION[region];
  const resolution = r.pick(['STATIC', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'NONE']);
  const host = r.chance(0.9) ? `ext${index}.example.com` : `*.ext${index}.example.com`;
  const port = r.pick([443, 5432, 3306, 9094, 80]);
  const protocol = allowBad && r.chance(0.08) ? 'tcp' : r.pick(SE_PROTOCOLS);
  const endpoints = [];
  const n = r.int(resolution === 'NONE' ? 0 : 0, 4);
  for (let k = 0; k < n; k++) {
    const ep = {};
    const wantIp = resolution === 'STATIC' ? !(allowBad && r.chance(0.08)) : (allowBad && r.chance(0.08));
    ep.address = wantIp ? ip(index, k) : `ep${k}.ext${index}.example.com`;
    if (r.chance(0.85)) {
      ep.locality = allowBad && r.chance(0.08)
        ? r.pick([`${region}//${zones[0]}`, `${zones[0]}`, `${region}/${zones[0]}/x/y`])
        : r.chance(0.15) ? `${other}/${other}a` : `${region}/${zones[k % zones.length]}`;
    }
    if (r.chance(0.25)) ep.weight = r.pick([1, 2, 3, 10, ...(allowBad ? [0] : [])]);
    if (r.chance(0.2)) ep.labels = { version: r.pick(['v1', 'v2']) };
    if (r.chance(0.15)) ep.ports = { [`p${port}`]: r.pick([port, port + 1]) };
    endpoints.push(ep);
  }
  const spec = {
    hosts: [host],
    ports: [{ number: port, name: `p${port}`, protocol, ...(r.chance(0.2) ? { targetPort: port + 1 } : {}) }],
    resolution,
    location: r.chance(0.8) ? 'MESH_EXTERNAL' : 'MESH_INTERNAL',
    ...(endpoints.length ? { endpoints } : {}),
  };
  if (r.chance(0.4)) spec.addresses = [`240.${(index >> 8) & 255}.${index & 255}.1`];
  const apiVersion = r.pick(['networking.istio.io/v1', 'networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']);
  const se = { apiVersion, kind: 'ServiceEntry', metadata: { name: `ext${index}`, namespace: ns }, spec };
  return { objects: [se], host, port, kind: 'external', resolution, zones, region, allowBad };
}

function meshConfig(r, region, zones) {
  const other = OTHER_REGION[region];
  const setting = r.pick([
    { enabled: false },
    { enabled: true },
    { enabled: true, failover: [{ from: region, to: other }] },
    { enabled: true, failoverPriority: [TOPOLOGY[0], TOPOLOGY[1]] },
    { enabled: true, distribute: [{ from: `${region}/${zones[0]}/*`, to: { [`${region}/${zones[0]}/*`]: 80, [`${region}/${zones[1]}/*`]: 20 } }] },
  ]);
  return setting;
}

/**
 * One configuration: `{ id, region, zones, objects, meshLocalityLb?, destination }`; `index` keeps
 * names and addresses distinct, `allowBad` lets it contain invalid settings.
 */
export function generateConfig(r, index) {
  const region = r.pick(REGIONS);
  const zones = zonesOf(region, r.int(2, region === 'us-west-2' ? 4 : 3));
  const ns = r.pick(['shop', 'payments', 'default']);
  const allowBad = r.chance(0.4);
  const ctx = { region, zones, ns, index };
  const dest = r.chance(0.45) ? serviceDestination(r, ctx, allowBad) : serviceEntryDestination(r, ctx, allowBad);
  const objects = [...dest.objects];
  if (r.chance(0.85)) {
    const drApi = r.pick(['networking.istio.io/v1', 'networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']);
    const dr = { apiVersion: drApi, kind: 'DestinationRule', metadata: { name: `dr${index}`, namespace: ns }, spec: { host: dest.host } };
    const tp = trafficPolicy(r, region, zones, allowBad, dest.port);
    if (Object.keys(tp).length > 0 || r.chance(0.5)) dr.spec.trafficPolicy = tp;
    objects.push(dr);
  }
  let meshLocalityLb;
  if (r.chance(0.25)) {
    meshLocalityLb = meshConfig(r, region, zones);
    // Sometimes a mesh-wide zoneAwareLbSetting too (1.31): it outranks the mesh localityLbSetting.
    const zoneAware = r.chance(0.3) ? { enabled: r.chance(0.8), ...(r.chance(0.5) ? { minClusterSize: r.pick([1, 3, 6]) } : {}) } : undefined;
    const mesh = `localityLbSetting: ${JSON.stringify(meshLocalityLb)}\n${zoneAware ? `zoneAwareLbSetting: ${JSON.stringify(zoneAware)}\n` : ''}`;
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: MESH_NAMESPACE }, data: { mesh } });
  }
  return { id: index, region, zones, objects, ...(meshLocalityLb ? { meshLocalityLb } : {}), destination: dest };
}
