import type { KubeObject } from '../../generator/k8s/manifest.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The properties that make zone-local routing real, checked on any set of rendered objects
 * (generator output or `helm template` output). Returns one line per violation.
 */
export function routingInvariantViolations(objects: readonly KubeObject[], region: string, zones: readonly string[]): string[] {
  const v: string[] = [];
  const id = (o: KubeObject | Any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) v.push(`${id(o)}: duplicate name`);
    seen.add(key);
    if (o.apiVersion.startsWith('networking.istio.io/') && o.apiVersion !== 'networking.istio.io/v1') v.push(`${id(o)}: not networking.istio.io/v1`);
  }
  const serviceEntries = objects.filter((o) => o.kind === 'ServiceEntry') as Any[];
  const services = objects.filter((o) => o.kind === 'Service') as Any[];
  const seHosts = new Set(serviceEntries.flatMap((se) => se.spec.hosts as string[]));
  const svcHosts = new Set(services.map((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local`));

  for (const dr of objects.filter((o) => o.kind === 'DestinationRule') as Any[]) {
    const tp = dr.spec.trafficPolicy ?? {};
    const lb = tp.loadBalancer?.localityLbSetting;
    if (!lb) v.push(`${id(dr)}: no localityLbSetting (mesh default would apply)`);
    if (lb?.enabled && !tp.outlierDetection) v.push(`${id(dr)}: locality routing without outlierDetection does nothing`);
    const od = tp.outlierDetection ?? {};
    if ('consecutiveErrors' in od) v.push(`${id(dr)}: uses ignored consecutiveErrors`);
    if (od && !od.consecutive5xxErrors) v.push(`${id(dr)}: outlierDetection without consecutive5xxErrors`);
    if (!od.interval || !od.baseEjectionTime) v.push(`${id(dr)}: outlierDetection without interval/baseEjectionTime`);
    if (lb?.distribute && lb?.failover) v.push(`${id(dr)}: distribute and failover together`);
    if (!seHosts.has(dr.spec.host) && !svcHosts.has(dr.spec.host)) v.push(`${id(dr)}: host ${dr.spec.host} matches no Service or ServiceEntry`);
    // One endpoint of the pool must be ejectable.
    const se = serviceEntries.find((s) => s.spec.hosts.includes(dr.spec.host));
    const svc = services.find((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === dr.spec.host);
    const dep = svc && (objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === svc.metadata.namespace &&
      Object.entries(svc.spec.selector).every(([k, val]) => (o as Any).spec.template.metadata.labels[k] === val)) as Any);
    const pool = se ? se.spec.endpoints.length : dep ? dep.spec.replicas : 0;
    if (pool > 0 && (od.maxEjectionPercent ?? 10) < (100 / pool)) v.push(`${id(dr)}: maxEjectionPercent ${od.maxEjectionPercent} cannot eject one of ${pool}`);
  }
  for (const se of serviceEntries) {
    if (se.spec.resolution !== 'DNS') v.push(`${id(se)}: resolution ${se.spec.resolution}, want DNS`);
    if (se.spec.location !== 'MESH_EXTERNAL') v.push(`${id(se)}: location ${se.spec.location}`);
    for (const p of se.spec.ports) if (p.protocol !== String(p.protocol).toUpperCase()) v.push(`${id(se)}: lower-case protocol ${p.protocol}`);
    for (const ep of se.spec.endpoints ?? []) {
      const [r, z] = String(ep.locality ?? '').split('/');
      if (r !== region || !zones.includes(z!)) v.push(`${id(se)}: endpoint ${ep.address} locality ${ep.locality} is not a cluster zone`);
    }
  }
  for (const svc of services) {
    const sel = svc.spec.selector as Record<string, string>;
    const matches = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === svc.metadata.namespace &&
      Object.entries(sel).every(([k, val]) => (o as Any).spec.template.metadata.labels?.[k] === val));
    if (matches.length !== 1) v.push(`${id(svc)}: selector matches ${matches.length} Deployments`);
  }
  for (const dep of objects.filter((o) => o.kind === 'Deployment') as Any[]) {
    const sel = dep.spec.selector.matchLabels as Record<string, string>;
    if (Object.keys(sel).sort().join() !== 'app.kubernetes.io/instance,app.kubernetes.io/name') v.push(`${id(dep)}: selector is not name+instance`);
    for (const [k, val] of Object.entries(sel)) if (dep.spec.template.metadata.labels[k] !== val) v.push(`${id(dep)}: selector ${k} not on pod labels`);
    const tsc = (dep.spec.template.spec.topologySpreadConstraints ?? []) as Any[];
    if (!tsc.some((c) => c.topologyKey === 'topology.kubernetes.io/zone' && c.whenUnsatisfiable === 'DoNotSchedule')) v.push(`${id(dep)}: no zone spread`);
    const pod = dep.spec.template.spec;
    if (pod.securityContext?.runAsNonRoot !== true || pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') v.push(`${id(dep)}: pod not restricted`);
    for (const c of pod.containers as Any[]) {
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false || !(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${id(dep)}: container ${c.name} not restricted`);
      if (!c.readinessProbe || !c.livenessProbe) v.push(`${id(dep)}: container ${c.name} without probes`);
      if (!c.resources?.requests) v.push(`${id(dep)}: container ${c.name} without resource requests`);
    }
  }
  for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
    const l = ns.metadata.labels ?? {};
    if (l['istio.io/dataplane-mode'] === 'ambient') {
      // Ambient: ztunnel, not a sidecar; an injection label would take the pods out of ambient.
      if (l['istio-injection'] === 'enabled') v.push(`${id(ns)}: ambient namespace with the sidecar injection label`);
    } else if (l['istio-injection'] !== 'enabled' && !l['istio.io/rev']) v.push(`${id(ns)}: no sidecar injection label`);
  }
  return v;
}
