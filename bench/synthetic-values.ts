/** A large, valid values file: `services` services and `hosts` external hosts over three zones. */
export function syntheticValues(services: number, hosts: number): string {
  const zones = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
  const namespaces = Array.from({ length: 10 }, (_, i) => `team-${i}`);
  const lines = [
    'apiVersion: zonal/v1',
    'kind: TopologyRouting',
    'metadata: { name: bench }',
    'cluster:',
    '  name: bench',
    '  region: us-west-2',
    '  kubernetesVersion: "1.34"',
    `  zones: [${zones.map((z) => `{ name: ${z} }`).join(', ')}]`,
    `namespaces: [${namespaces.map((n) => `{ name: ${n} }`).join(', ')}]`,
    'services:',
  ];
  for (let i = 0; i < services; i++) {
    lines.push(
      `  - name: svc-${i}`,
      `    namespace: ${namespaces[i % namespaces.length]}`,
      `    image: { repository: 111122223333.dkr.ecr.us-west-2.amazonaws.com/svc-${i}, tag: v1.${i % 7}.0 }`,
      '    replicas: 3',
      '    port: 80',
      '    targetPort: 8080',
      `    outlierDetection: { consecutive5xxErrors: ${3 + (i % 5)}, interval: 10s, baseEjectionTime: 30s }`,
    );
  }
  lines.push('externalHosts:');
  for (let i = 0; i < hosts; i++) {
    lines.push(
      `  - name: host-${i}`,
      `    namespace: ${namespaces[i % namespaces.length]}`,
      `    host: db-${i}.cluster-ro-abc.us-west-2.rds.amazonaws.com`,
      `    protocol: ${i % 2 ? 'TLS' : 'TCP'}`,
      `    port: ${i % 2 ? 443 : 3306}`,
      `    addresses: [240.240.${Math.floor(i / 250)}.${(i % 250) + 1}]`,
      '    endpoints:',
      ...zones.map((z) => `      - { address: db-${i}-${z}.abc.us-west-2.rds.amazonaws.com, zone: ${z} }`),
    );
  }
  return `${lines.join('\n')}\n`;
}
