// What a cluster would add to a configuration before istiod sees it: a Node per zone, the pods of
// each Deployment (spread evenly over the zones in order, as topologySpreadConstraints with
// maxSkew 1 place them, which is what `zonal simulate` assumes; some failing readiness when the
// configuration says so, which the scenario tells zonal), and the EndpointSlices the
// EndpointSlice controller would write for each Service. istiod learns pod localities from these.

/** Replicas per zone, first zones first (zonal simulate's spreadEvenly). */
export function spread(replicas, zones) {
  const base = Math.floor(replicas / zones.length);
  const extra = replicas % zones.length;
  return zones.map((_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Pods per zone of a Deployment with `notReady` of its replicas failing readiness: the not-ready
 * ones are the first pods made, zone by zone (so the first zones lose ready pods first).
 * @returns {{zone: string, total: number, notReady: number}[]}
 */
export function podsPerZone(replicas, notReady, zones) {
  let left = notReady;
  return spread(replicas, zones).map((total, i) => {
    const n = Math.min(left, total);
    left -= n;
    return { zone: zones[i], total, notReady: n };
  });
}

function selects(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/**
 * @param {any[]} objects the configuration
 * @param {{region: string, zones: string[], index: number}} where
 * @returns {any[]} Nodes, Pods and EndpointSlices to add
 */
export function clusterObjects(objects, { region, zones, index, notReady = 0 }) {
  const out = zones.map((zone) => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: `node-${zone}`, labels: { 'topology.kubernetes.io/region': region, 'topology.kubernetes.io/zone': zone } },
  }));
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  let podNo = 0;
  for (const svc of objects.filter((o) => o.kind === 'Service' && o.spec?.type !== 'ExternalName')) {
    const ns = svc.metadata.namespace ?? 'default';
    const pods = [];
    for (const d of deployments.filter((w) => (w.metadata.namespace ?? 'default') === ns && selects(svc.spec.selector, w.spec?.template?.metadata?.labels))) {
      podsPerZone(d.spec.replicas ?? 1, notReady, zones).forEach(({ total: count, notReady: failing }, zi) => {
        for (let k = 0; k < count; k++) {
          podNo++;
          const name = `${d.metadata.name}-${zones[zi]}-${k}`;
          const podIP = `10.${128 + ((index >> 8) & 127)}.${index & 255}.${podNo}`;
          const ready = k >= failing;
          pods.push({ name, podIP, zone: zones[zi], ready });
          out.push({
            apiVersion: 'v1', kind: 'Pod',
            metadata: { name, namespace: ns, labels: { ...d.spec.template.metadata.labels } },
            spec: { nodeName: `node-${zones[zi]}`, containers: [{ name: 'app', image: 'example/app:1' }] },
            status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
          });
        }
      });
    }
    if (pods.length === 0) continue;
    out.push({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `${svc.metadata.name}-slice`, namespace: ns, labels: { 'kubernetes.io/service-name': svc.metadata.name } },
      addressType: 'IPv4',
      ports: (svc.spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' })),
      endpoints: pods.map((p) => ({
        addresses: [p.podIP], conditions: { ready: p.ready, serving: p.ready, terminating: false },
        targetRef: { kind: 'Pod', name: p.name, namespace: ns }, nodeName: `node-${p.zone}`, zone: p.zone,
      })),
    });
  }
  return out;
}
