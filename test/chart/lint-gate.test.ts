import { describe, expect, it } from '@jest/globals';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';

// Valid values (schema and cross-checks pass) whose chart would still route wrongly: without DNS
// capture, two TCP ServiceEntries without addresses share the 0.0.0.0:5432 listener.
const COLLIDING = `apiVersion: zonal/v1
kind: TopologyRouting
metadata: { name: collide }
cluster: { name: c, region: us-west-2, kubernetesVersion: "1.34", zones: [{ name: us-west-2a }, { name: us-west-2b }] }
mesh: { dnsCapture: false }
namespaces: [{ name: data }]
externalHosts:
  - name: orders-db
    namespace: data
    host: orders.cluster-abc.us-west-2.rds.amazonaws.com
    protocol: TCP
    port: 5432
    endpoints: [{ address: orders-1.abc.us-west-2.rds.amazonaws.com, zone: us-west-2a }]
  - name: billing-db
    namespace: data
    host: billing.cluster-abc.us-west-2.rds.amazonaws.com
    protocol: TCP
    port: 5432
    endpoints: [{ address: billing-1.abc.us-west-2.rds.amazonaws.com, zone: us-west-2b }]
`;

describe('GIVEN valid values whose chart has lint errors', () => {
  it('WHEN generated THEN zonal refuses: exit 2, the lint codes located in the values file, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'values.yaml'), COLLIDING);
    const out = join(dir, 'out');
    const r = await runCli(['generate', '--values', join(dir, 'values.yaml'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/values\.yaml:\d+:\d+: ERROR ZNL015 /);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(() => readdirSync(out)).toThrow();
  });

  it('WHEN the same hosts get fixed addresses THEN the chart is written', async () => {
    const dir = tempDir();
    const fixed = COLLIDING.replace(/port: 5432\n    endpoints: \[\{ address: orders/, 'port: 5432\n    addresses: [240.240.0.1]\n    endpoints: [{ address: orders')
      .replace(/port: 5432\n    endpoints: \[\{ address: billing/, 'port: 5432\n    addresses: [240.240.0.2]\n    endpoints: [{ address: billing');
    writeFileSync(join(dir, 'values.yaml'), fixed);
    const r = await runCli(['generate', '--values', join(dir, 'values.yaml'), '--out', join(dir, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
