import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { parseValues } from '../../generator/model/load-values.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { EXAMPLE, VALUES_FILE } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const fixture = (name: string) => readFileSync(join(REPO, 'test', 'fixtures', 'aws', name), 'utf8');
const RDS = fixture('describe-db-clusters+instances.json');
const [CLUSTERS, INSTANCES] = (() => {
  const at = RDS.indexOf('}\n{') + 2;
  return [RDS.slice(0, at), RDS.slice(at)];
})();
const NODES = fixture('list-nodes.json');

async function discover(args: string[], stdin: string) {
  return runCli(['discover', ...args, '--values', VALUES_FILE], REPO, stdin);
}

function hostsOf(stdout: string): Any[] {
  return (load(stdout) as { externalHosts: Any[] }).externalHosts;
}

/** The example's externalHosts with `replace` swapped in for the entries of the same type. */
function exampleWithHosts(type: string, replace: Any[]): string {
  const doc = load(EXAMPLE) as Any;
  doc.externalHosts = [...doc.externalHosts.filter((h: Any) => h.type !== type), ...replace];
  return JSON.stringify(doc);
}

describe('GIVEN `aws rds describe-db-clusters; aws rds describe-db-instances` output on stdin', () => {
  it('WHEN discovered THEN it prints the writer (cluster endpoint in the writer\'s zone) and the reader (every instance by zone)', async () => {
    const r = await discover(['rds'], RDS);
    expect(r.code).toBe(0);
    expect(hostsOf(r.stdout)).toEqual([
      {
        name: 'octank-travel-db-writer', namespace: 'octank-travel-ns', host: 'octank-travel-db.cluster-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com',
        type: 'rds', role: 'writer', protocol: 'TCP', port: 3306,
        endpoints: [{ address: 'octank-travel-db.cluster-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', zone: 'us-west-2a' }],
      },
      {
        name: 'octank-travel-db-reader', namespace: 'octank-travel-ns', host: 'octank-travel-db.cluster-ro-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com',
        type: 'rds', role: 'reader', protocol: 'TCP', port: 3306,
        endpoints: [
          { address: 'octank-travel-db-instance-1.c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', zone: 'us-west-2a' },
          { address: 'octank-travel-db-instance-2.c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', zone: 'us-west-2b' },
        ],
      },
    ]);
  });

  it('THEN the printed entries, put into the values file, load and describe the same hosts as the bundled example', async () => {
    const r = await discover(['rds'], RDS);
    const model = parseValues(exampleWithHosts('rds', hostsOf(r.stdout)), 'v.yaml');
    const example = parseValues(EXAMPLE, 'values/octank-travel.yaml');
    const shape = (m: typeof model) => m.externalHosts.filter((h) => h.type === 'rds').map((h) => [h.host, h.role, h.endpoints]);
    expect(shape(model)).toEqual(shape(example));
  });

  it('WHEN the instances come first THEN the result is the same (order does not matter)', async () => {
    const a = await discover(['rds'], RDS);
    const b = await discover(['rds'], `${INSTANCES}\n${CLUSTERS}`);
    expect(b.stdout).toBe(a.stdout);
  });

  it('WHEN after a failover the writer is instance-2 THEN the writer entry moves to us-west-2b', async () => {
    const failedOver = RDS.replace('"IsClusterWriter": false', '"IsClusterWriter": X').replace('"IsClusterWriter": true', '"IsClusterWriter": false')
      .replace('"IsClusterWriter": X', '"IsClusterWriter": true');
    const r = await discover(['rds'], failedOver);
    expect(hostsOf(r.stdout)[0].endpoints).toEqual([{ address: 'octank-travel-db.cluster-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', zone: 'us-west-2b' }]);
  });

  it('WHEN only describe-db-instances is given THEN the reader is printed (its host derived from the instances) and a note says the writer needs describe-db-clusters', async () => {
    const r = await discover(['rds'], INSTANCES);
    expect(r.code).toBe(0);
    const hosts = hostsOf(r.stdout);
    expect(hosts.map((h) => [h.role, h.host])).toEqual([['reader', 'octank-travel-db.cluster-ro-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com']]);
    expect(r.stderr).toMatch(/no writer entry: .*describe-db-clusters/);
  });

  it('WHEN only describe-db-clusters is given THEN it is bad input: the zones are only in describe-db-instances', async () => {
    const r = await discover(['rds'], CLUSTERS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zonal discover rds: the zones of cluster octank-travel-db's instances are not in the input \(pipe `aws rds describe-db-instances` too/);
  });

  it('WHEN an instance is in a zone the values file does not have THEN it is bad input naming the instance and the zone', async () => {
    const r = await discover(['rds'], RDS.replace('"AvailabilityZone": "us-west-2b"', '"AvailabilityZone": "us-west-2d"'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/instance octank-travel-db-instance-2 is in us-west-2d, which is not a zone of/);
  });

  it('WHEN the input is broken JSON THEN it is one located line, never a stack trace', async () => {
    const r = await discover(['rds'], '{\n  "DBClusters": [\n    { "DBClusterIdentifier": "x", }\n  ]\n}\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^<stdin>:3:\d+: not valid JSON/m);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('WHEN the input is some other AWS output THEN it says what to pipe', async () => {
    const r = await discover(['rds'], NODES);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither "DBClusters" nor "DBInstances"/);
  });

  it('WHEN a cluster identifier would not be a valid object name THEN nothing is printed', async () => {
    const r = await discover(['rds'], RDS.replaceAll('"DBClusterIdentifier": "octank-travel-db"', '"DBClusterIdentifier": "Octank_DB"'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not DNS names: .*Octank_DB-writer/);
    expect(r.stdout).toBe('');
  });

  it('WHEN an endpoint in the input is not a DNS name THEN nothing is printed (no injection into the values file)', async () => {
    const r = await discover(['rds'], RDS.replace('octank-travel-db-instance-2.c1a2b3c4d5e6', 'evil\\n  role: writer #'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('GIVEN `aws kafka list-nodes` output on stdin', () => {
  it('WHEN discovered THEN every broker is listed with the zone whose subnet CIDRs hold its client address, in zone order', async () => {
    const r = await discover(['msk', '--name', 'msk-brokers', '--host', 'boot-octank.c3.kafka.us-west-2.amazonaws.com', '--rack-aware-selector'], NODES);
    expect(r.code).toBe(0);
    const [host] = hostsOf(r.stdout);
    expect(host).toEqual({
      name: 'msk-brokers', namespace: 'octank-travel-ns', host: 'boot-octank.c3.kafka.us-west-2.amazonaws.com', type: 'msk', protocol: 'TLS', port: 9094,
      kafka: { rackAwareSelector: true },
      endpoints: [
        { address: 'b-1.octank.c3.kafka.us-west-2.amazonaws.com', zone: 'us-west-2a' },
        { address: 'b-2.octank.c3.kafka.us-west-2.amazonaws.com', zone: 'us-west-2b' },
        { address: 'b-3.octank.c3.kafka.us-west-2.amazonaws.com', zone: 'us-west-2c' },
      ],
    });
    // Exactly the bundled example's MSK entry.
    const example = (load(EXAMPLE) as Any).externalHosts.find((h: Any) => h.type === 'msk');
    expect(host).toEqual(example);
  });

  it('WHEN no name/host is given THEN defaults come from the broker domain, and a plaintext port gives protocol TCP', async () => {
    const r = await discover(['msk', '--port', '9092'], NODES);
    const [host] = hostsOf(r.stdout);
    expect(host).toMatchObject({ name: 'octank-kafka', host: 'boot.octank.c3.kafka.us-west-2.amazonaws.com', protocol: 'TCP', port: 9092, kafka: { rackAwareSelector: false } });
    expect(r.stderr).toMatch(/rackAwareSelector is false/);
  });

  it('WHEN --json is given THEN the entries and notes are JSON', async () => {
    const r = await discover(['msk', '--json'], NODES);
    const out = JSON.parse(r.stdout) as Any;
    expect(out.externalHosts[0].endpoints).toHaveLength(3);
    expect(out.notes.length).toBeGreaterThan(0);
  });

  it('WHEN a broker\'s address is in no zone\'s CIDRs THEN it is bad input naming the broker, its address and subnet', async () => {
    const r = await discover(['msk'], NODES.replace('192.168.170.200', '10.9.9.9'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broker b-3\.octank\.c3\.kafka\.us-west-2\.amazonaws\.com \(10\.9\.9\.9, subnet-0c3c3c3c3c3c3c3c3\) is in none of the subnet CIDRs/);
  });

  it('WHEN the values file is given via --input instead of stdin THEN the result is the same', async () => {
    const p = join(tempDir(), 'nodes.json');
    writeFileSync(p, NODES);
    const a = await discover(['msk'], NODES);
    const b = await discover(['msk', '--input', p], '');
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('GIVEN bad usage', () => {
  it.each([
    [[], /name a kind: rds, msk/],
    [['ec2'], /unknown kind "ec2" \(kinds: rds, msk\)/],
    [['rsd'], /unknown kind "rsd" \(did you mean rds\?\)/],
    [['rds', '--host', 'x.example.com'], /--host applies to msk only/],
    [['msk', '--port', '99999'], /--port must be a port number/],
    [['msk', '--namespace', 'nope'], /--namespace "nope" is not a namespace of the values file/],
  ])('WHEN run with %j THEN it exits 2 with a usage message', async (args, message) => {
    const r = await discover(args as string[], NODES);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('THEN zonal --help lists discover', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toMatch(/^\s+discover\s+print the externalHosts entries/m);
  });
});
