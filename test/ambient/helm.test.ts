import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseManifests, type KubeObject } from '../../generator/k8s/manifest.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { CrdValidators, istioCrdFile } from '../../generator/validate/crd-schema.js';
import { validateObjects } from '../../generator/validate/objects.js';
import { generateInto } from '../support/generate.js';
import { helm, helmBinaries, REPO, type HelmBinary } from '../support/helm.js';
import { routingInvariantViolations } from '../support/invariants.js';
import { AMBIENT_VALUES } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Gateway API v1.6.0 (the release Istio 1.31 builds against), vendored: see its SOURCE.txt. */
const GATEWAY_CRD = join(REPO, 'test', 'fixtures', 'crds', 'gateway-api-v1.6.0', 'gateway.networking.k8s.io_gateways.yaml');
const model = loadValuesFile(AMBIENT_VALUES);
const zones = model.cluster.zones.map((z) => z.name);
let chartDir: string;
let crds: CrdValidators;

function template(bin: HelmBinary, ...extra: string[]): KubeObject[] {
  return parseManifests(helm(bin, ['template', model.name, chartDir, '--namespace', model.namespaces[0]!.name, ...extra]), 'helm-template')
    .map((l) => l.object);
}

/** What makes the ambient chart zone-local, on any rendered objects. */
function ambientInvariantViolations(objects: readonly KubeObject[]): string[] {
  const v: string[] = [];
  const o = objects as unknown as Any[];
  const ambient = new Set(o.filter((x) => x.kind === 'Namespace' && x.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient').map((x) => x.metadata.name));
  const waypointNs = new Set(o.filter((x) => x.kind === 'Gateway' && x.spec.gatewayClassName === 'istio-waypoint').map((x) => x.metadata.namespace));
  for (const svc of o.filter((x) => x.kind === 'Service' && ambient.has(x.metadata.namespace))) {
    if (!['PreferClose', 'PreferSameZone'].includes(svc.spec.trafficDistribution)) v.push(`Service ${svc.metadata.name}: no zone-preferring trafficDistribution`);
  }
  for (const dr of o.filter((x) => x.kind === 'DestinationRule' && ambient.has(x.metadata.namespace) && !waypointNs.has(x.metadata.namespace))) {
    v.push(`DestinationRule ${dr.metadata.name}: in an ambient namespace without a waypoint (ztunnel ignores it)`);
  }
  for (const gw of o.filter((x) => x.kind === 'Gateway')) {
    const cm = o.find((x) => x.kind === 'ConfigMap' && x.metadata.namespace === gw.metadata.namespace && x.metadata.name === gw.spec.infrastructure?.parametersRef?.name);
    if (!cm) v.push(`Gateway ${gw.metadata.name}: parametersRef names no ConfigMap of the chart`);
    const pdb = o.find((x) => x.kind === 'PodDisruptionBudget' && x.metadata.namespace === gw.metadata.namespace &&
      x.spec.selector?.matchLabels?.['gateway.networking.k8s.io/gateway-name'] === gw.metadata.name);
    if (!pdb) v.push(`Gateway ${gw.metadata.name}: no PodDisruptionBudget selects its pods`);
    const ns = o.find((x) => x.kind === 'Namespace' && x.metadata.name === gw.metadata.namespace);
    if (ns?.metadata.labels?.['istio.io/use-waypoint'] !== gw.metadata.name) v.push(`Gateway ${gw.metadata.name}: its namespace does not use it`);
  }
  return v;
}

beforeAll(async () => {
  chartDir = join(await generateInto(AMBIENT_VALUES), 'charts', model.name);
  crds = new CrdValidators([istioCrdFile(), GATEWAY_CRD]);
});

describe.each(helmBinaries())('GIVEN the ambient example chart WHEN rendered by real Helm $major', (bin) => {
  it('THEN helm lint --strict passes', () => {
    expect(helm(bin, ['lint', '--strict', chartDir])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('THEN helm template equals what the generator predicts, object for object', () => {
    const rendered = template(bin);
    const predicted = renderObjects(model, '0.1.0');
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(rendered.map(key).sort()).toEqual(predicted.map(key).sort());
    const byKey = new Map(predicted.map((o) => [key(o), o]));
    for (const o of rendered) expect(o).toEqual(byKey.get(key(o)));
  });

  it('THEN every object validates: kubernetes-models, the strict Istio CRDs and the Gateway API v1.6.0 Gateway CRD', async () => {
    const rendered = template(bin);
    expect(rendered.filter((o) => o.kind === 'Gateway')).toHaveLength(1);
    expect(await validateObjects(rendered, crds)).toEqual([]);
    // The vendored schema has teeth: a misspelt field or a listener without a port is refused.
    const gw = rendered.find((o) => o.kind === 'Gateway') as unknown as Any;
    const misspelt: Any = { ...gw, spec: { ...gw.spec, gatewayClass: 'istio-waypoint' } };
    const noPort: Any = { ...gw, spec: { ...gw.spec, listeners: [{ name: 'mesh', protocol: 'HBONE' }] } };
    expect(crds.validate(misspelt as KubeObject).join('\n')).toMatch(/gatewayClass/);
    expect(crds.validate(noPort as KubeObject).join('\n')).toMatch(/port/);
  });

  it('THEN the routing and ambient invariants hold, with routing on and off', () => {
    expect(routingInvariantViolations(template(bin), model.cluster.region, zones)).toEqual([]);
    expect(ambientInvariantViolations(template(bin))).toEqual([]);
    const off = template(bin, '--set', 'localityRouting.enabled=false') as unknown as Any[];
    expect(off.filter((o) => o.kind === 'Service').map((s) => s.spec.trafficDistribution)).toEqual([undefined]);
    expect(off.filter((o) => o.kind === 'ServiceEntry' && o.metadata.annotations['networking.istio.io/traffic-distribution'])).toEqual([]);
  });

  it('THEN under another release name the waypoint keeps the name its namespace label points at', () => {
    const other = parseManifests(helm(bin, ['template', 'other', chartDir, '--namespace', 'elsewhere']), 'helm-template').map((l) => l.object);
    expect(other.find((o) => o.kind === 'Gateway')?.metadata.name).toBe('waypoint');
    expect(ambientInvariantViolations(other)).toEqual([]);
  });

  it('THEN the invariant check itself catches a DestinationRule left in an ambient namespace without a waypoint', () => {
    const rendered = template(bin).filter((o) => o.kind !== 'Gateway');
    expect(ambientInvariantViolations(rendered).join('\n')).toMatch(/DestinationRule zip-lookup-service: in an ambient namespace without a waypoint/);
  });
});
