import { describe, expect, it } from '@jest/globals';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { hostsMatch, resolveHost } from '../../generator/lint/inventory.js';
import { lintObjects, type LintContext } from '../../generator/lint/index.js';

const lint = (yaml: string, context: LintContext = {}) => lintObjects(parseManifests(yaml, 'in.yaml'), context);
const at = (yaml: string, needle: string) => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;

const SE = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: api, namespace: shop }
spec:
  hosts: [api.example.com]
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
  endpoints:
    - { address: a.example.com, locality: us-west-2/us-west-2a }
    - { address: b.example.com, locality: us-west-2/us-west-2b }
`;

describe('GIVEN Istio host resolution', () => {
  it('THEN only names without a dot expand in the namespace', () => {
    expect(resolveHost('cart', 'shop')).toBe('cart.shop.svc.cluster.local');
    expect(resolveHost('cart.shop', 'shop')).toBe('cart.shop');
    expect(resolveHost('*.example.com', 'shop')).toBe('*.example.com');
  });

  it('THEN wildcards match on either side', () => {
    expect(hostsMatch('*.example.com', 'api.example.com')).toBe(true);
    expect(hostsMatch('api.example.com', '*.example.com')).toBe(true);
    expect(hostsMatch('api.example.com', 'api.example.org')).toBe(false);
  });
});

describe('GIVEN traffic policies below the top level', () => {
  it('WHEN a subset sets localityLbSetting and the top level has no outlierDetection THEN ZNL001 points into the subset', () => {
    const yaml = `${SE}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api.example.com
  subsets:
    - name: v1
      labels: { v: "1" }
      trafficPolicy:
        loadBalancer:
          localityLbSetting: { enabled: true }
`;
    const f = lint(yaml).filter((x) => x.code === 'ZNL001');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(at(yaml, 'localityLbSetting: { enabled: true }'));
    expect(f[0]!.message).toMatch(/subset v1/);
  });

  it('WHEN a port-level policy replaces outlierDetection without maxEjectionPercent THEN ZNL003 points at that port', () => {
    const yaml = `${SE}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api.example.com
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 50 }
    portLevelSettings:
      - port: { number: 443 }
        outlierDetection: { consecutive5xxErrors: 1 }
`;
    const f = lint(yaml).filter((x) => x.code === 'ZNL003');
    expect(f.map((x) => [x.line, x.severity])).toEqual([[at(yaml, 'consecutive5xxErrors: 1 }'), 'error']]);
  });

  it('WHEN the pool size is unknown and maxEjectionPercent is unset THEN ZNL003 is a warning', () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ext, namespace: shop }
spec:
  host: unknown.example.com
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3 }
`;
    expect(lint(yaml).filter((x) => x.code === 'ZNL003').map((x) => x.severity)).toEqual(['warning']);
  });
});

describe('GIVEN a mesh config with a mesh-wide localityLbSetting', () => {
  it('WHEN a Service has no DestinationRule with outlierDetection THEN ZNL001 warns on the Service', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    localityLbSetting:
      enabled: true
---
apiVersion: v1
kind: Service
metadata: { name: cart, namespace: shop }
spec:
  selector: { app: cart }
  ports: [{ port: 80 }]
`;
    const f = lint(yaml).filter((x) => x.code === 'ZNL001');
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', kind: 'Service', name: 'cart', line: at(yaml, 'kind: Service') - 1 })]);
  });

  it('WHEN the mesh config captures DNS and the ServiceEntry asks for an address THEN the TCP entry is accepted', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    defaultConfig:
      proxyMetadata:
        ISTIO_META_DNS_CAPTURE: "true"
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop, labels: { networking.istio.io/enable-autoallocate-ip: "true" } }
spec:
  hosts: [db.example.com]
  resolution: DNS
  ports: [{ number: 5432, name: tcp, protocol: TCP }]
`;
    expect(lint(yaml).filter((x) => x.code === 'ZNL014')).toEqual([]);
  });
});

describe('GIVEN a DNS ServiceEntry with endpoints in one locality and a failoverPriority DestinationRule', () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: api, namespace: shop }
spec:
  hosts: [api.example.com]
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
  endpoints:
    - { address: a.example.com, locality: us-west-2/us-west-2a }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api.example.com
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 100 }
    loadBalancer:
      localityLbSetting:
        enabled: true
        failoverPriority: [topology.istio.io/network]
`;
  it('WHEN the mesh runs Istio 1.29 THEN ZNL013 warns that it is a no-op before 1.30', () => {
    expect(lint(yaml, { istioVersion: '1.29.3' }).filter((x) => x.code === 'ZNL013').map((x) => x.severity)).toEqual(['warning']);
  });
  it('WHEN the Istio version is not given THEN the default (1.31) applies and nothing is reported', () => {
    expect(lint(yaml).filter((x) => x.code === 'ZNL013')).toEqual([]);
  });
  it('WHEN the mesh runs Istio 1.30 THEN nothing is reported', () => {
    expect(lint(yaml, { istioVersion: '1.30.3' }).filter((x) => x.code === 'ZNL013')).toEqual([]);
  });
});

describe('GIVEN objects inside a v1 List (kubectl get -o yaml)', () => {
  it('THEN findings point at the line inside the list item', () => {
    const yaml = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.istio.io/v1beta1
    kind: ServiceEntry
    metadata: { name: api, namespace: shop }
    spec:
      hosts: [api.example.com]
      resolution: DNS_ROUND_ROBIN
      ports: [{ number: 443, name: tls, protocol: TLS }]
      endpoints: [{ address: a.example.com }, { address: b.example.com }]
metadata:
  resourceVersion: ""
`;
    const f = lint(yaml);
    expect(f.find((x) => x.code === 'ZNL020')!.line).toBe(4);
    expect(f.find((x) => x.code === 'ZNL009')!.line).toBe(11);
  });
});
