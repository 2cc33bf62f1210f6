// What a cluster would add to a configuration before istiod sees it: a Node per zone, the pods of
// each Deployment (spread evenly over the zones in order, as topologySpreadConstraints with
// maxSkew 1 place them, which is what `zonal simulate` assumes), and the EndpointSlices the
// EndpointSlice controller would write for each Service. istiod learns pod localities from these.

/** Replicas per zone, first zones first (zonal simulate's spreadEvenly). */
export function spread(replicas, zones) {
  const base = Math.floor(replicas / zones.length);
  const extra = replicas % zones.length;
  return zones.map((_, i) => base + (i < extra ? 1 : 0));
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
export function clusterObjects(objects, { region, zones, index }) {
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
      spread(d.spec.replicas ?? 1, zones).forEach((count, zi) => {
        for (let k = 0; k < count; k++) {
          podNo++;
          const name = `${d.metadata.name}-${zones[zi]}-${k}`;
          const podIP = `10.${128 + ((index >> 8) & 127)}.${index & 255}.${podNo}`;
          pods.push({ name, podIP, zone: zones[zi] });
          out.push({
            apiVersion: 'v1', kind: 'Pod',
            metadata: { name, namespace: ns, labels: { ...d.spec.template.metadata.labels } },
            spec: { nodeName: `node-${zones[zi]}`, containers: [{ name: 'app', image: 'example/app:1' }] },
            status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }], conditions: [{ type: 'Ready', status: 'True' }] },
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
        addresses: [p.podIP], conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', name: p.name, namespace: ns }, nodeName: `node-${p.zone}`, zone: p.zone,
      })),
    });
  }
  return out;
}
