import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { FLOW_LOG_FIELDS, logFormatString } from '../../generator/flowlogs/fields.js';
import { insightsParseFields } from '../../generator/flowlogs/queries.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import type { TopologyRouting } from '../../generator/model/types.js';
import { ACCOUNT_PLACEHOLDER, mergeTags, parseTag, partitionOf, tagsAs } from '../../generator/infra/aws.js';
import { dashboardBody, type LogWidget } from '../../generator/infra/dashboard.js';
import { DEFAULT_SIZING, eksctlClusterConfig, validateSizing } from '../../generator/infra/eksctl.js';
import {
  flowLogFormat, flowLogsBucketPolicy, flowLogsCloudWatchPolicy, flowLogsS3DestinationOptions, flowLogsTrustPolicy, type PolicyDocument,
} from '../../generator/infra/flowlogs.js';
import { canonicalJson, istiodValues, istioOperator, istioReleases } from '../../generator/infra/istio.js';
import { defaultTags, testDatabase } from '../../generator/infra/names.js';
import { REPO } from './cli.js';

const MODEL = loadValuesFile(join(REPO, 'values', 'octank-travel.yaml'));
const ACCOUNT = '111122223333';

function withMesh(m: TopologyRouting, mesh: Partial<TopologyRouting['mesh']>): TopologyRouting {
  return { ...m, mesh: { ...m.mesh, ...mesh } };
}

describe('eksctl ClusterConfig', () => {
  const config = eksctlClusterConfig(MODEL, mergeTags(defaultTags(MODEL), [parseTag('owner=Platform Team')]));

  it('GIVEN the bundled values WHEN the config is generated THEN it carries the required eksctl fields', () => {
    expect(config.apiVersion).toBe('eksctl.io/v1alpha5');
    expect(config.kind).toBe('ClusterConfig');
    expect(config.metadata).toMatchObject({ name: 'dto-analysis-k8scluster', region: 'us-west-2', version: '1.35' });
    expect(config.metadata.tags).toEqual({ 'zonal.dev/project': 'octank-travel', 'zonal.dev/cluster': 'dto-analysis-k8scluster', owner: 'Platform Team' });
    expect(config.availabilityZones).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(config.iam.withOIDC).toBe(true);
    expect(config.vpc.nat.gateway).toBe('HighlyAvailable');
    expect(config.addons.map((a) => a.name)).toEqual(['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent']);
  });

  it('GIVEN three zones WHEN the config is generated THEN each zone has its own private node group pinned to it with topology labels', () => {
    expect(config.managedNodeGroups).toHaveLength(3);
    for (const [i, zone] of ['us-west-2a', 'us-west-2b', 'us-west-2c'].entries()) {
      const ng = config.managedNodeGroups[i]!;
      expect(ng.name).toBe(`ng-${zone}`);
      expect(ng.availabilityZones).toEqual([zone]);
      expect(ng.privateNetworking).toBe(true);
      expect(ng.labels).toEqual({ 'topology.kubernetes.io/region': 'us-west-2', 'topology.kubernetes.io/zone': zone });
      expect(ng.minSize).toBeGreaterThanOrEqual(1);
      expect(ng.propagateASGTags).toBe(true);
    }
  });

  it('GIVEN impossible sizing WHEN validated THEN each problem is reported', () => {
    expect(validateSizing(DEFAULT_SIZING)).toEqual([]);
    expect(validateSizing({ ...DEFAULT_SIZING, minPerZone: 0, desiredPerZone: 5, maxPerZone: 3, volumeSize: 8, instanceType: 'big' })).toHaveLength(4);
  });
});

function statements(doc: PolicyDocument) {
  return doc.Statement.map((s) => ({ ...s, actions: [s.Action].flat(), resources: [s.Resource ?? []].flat() }));
}

describe('flow-log IAM documents', () => {
  const target = { region: 'us-west-2', accountId: ACCOUNT };
  const logGroup = '/zonal/dto-analysis-k8scluster/vpc-flow-logs';

  it('GIVEN the field list WHEN the log format is generated THEN it is the fields in order', () => {
    expect(flowLogFormat()).toBe(logFormatString(FLOW_LOG_FIELDS));
    expect(flowLogFormat().split(' ')).toHaveLength(FLOW_LOG_FIELDS.length);
  });

  it('GIVEN an account WHEN the trust policy is generated THEN only VPC Flow Logs of that account may assume the role', () => {
    const doc = flowLogsTrustPolicy(target);
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc-flow-log/*` } },
    });
  });

  it('GIVEN a log group WHEN the permission policy is generated THEN writes are scoped to that group and nothing is "*"', () => {
    const doc = flowLogsCloudWatchPolicy({ ...target, logGroup });
    const arn = `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:${logGroup}`;
    const all = statements(doc);
    for (const s of all) for (const r of s.resources) expect(r).not.toBe('*');
    const write = all.find((s) => s.actions.includes('logs:PutLogEvents'))!;
    expect(write.resources).toEqual([arn, `${arn}:log-stream:*`]);
    expect(all.flatMap((s) => s.actions)).not.toContain('logs:CreateLogGroup');
  });

  it('GIVEN a bucket and prefix WHEN the bucket policy is generated THEN delivery may write only this account\'s prefix', () => {
    const doc = flowLogsBucketPolicy({ ...target, bucket: 'zonal-flowlogs-x', prefix: 'vpc/flows' });
    const [write, check] = statements(doc);
    expect(write!.actions).toEqual(['s3:PutObject']);
    expect(write!.resources).toEqual([
      `arn:aws:s3:::zonal-flowlogs-x/vpc/flows/AWSLogs/${ACCOUNT}/*`,
      `arn:aws:s3:::zonal-flowlogs-x/vpc/flows/AWSLogs/aws-account-id=${ACCOUNT}/*`,
    ]);
    expect(write!.Condition).toMatchObject({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': ACCOUNT } });
    expect(check!.resources).toEqual(['arn:aws:s3:::zonal-flowlogs-x']);
    expect(flowLogsS3DestinationOptions()).toEqual({ FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true });
  });

  it('GIVEN China and GovCloud regions WHEN ARNs are built THEN they use those partitions', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(flowLogsTrustPolicy({ region: 'cn-north-1', accountId: ACCOUNT }).Statement[0]!.Condition!.ArnLike!['aws:SourceArn'])
      .toBe(`arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:vpc-flow-log/*`);
  });
});

describe('CloudWatch dashboard', () => {
  const logGroup = '/zonal/dto-analysis-k8scluster/vpc-flow-logs';
  const logWidgets = (body: ReturnType<typeof dashboardBody>) => body.widgets.filter((w): w is LogWidget => w.type === 'log');

  it('GIVEN the bundled values WHEN the dashboard is generated THEN it is JSON data whose every query parses the real field order', () => {
    const body = JSON.parse(JSON.stringify(dashboardBody(MODEL, { logGroup }))) as ReturnType<typeof dashboardBody>;
    const widgets = logWidgets(body);
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'Inter-AZ traffic: bytes and flows (all zone pairs)',
      'Into us-west-2a (usw2-az1): bytes and flows by source AZ',
      'Into us-west-2b (usw2-az2): bytes and flows by source AZ',
      'Into us-west-2c (usw2-az3): bytes and flows by source AZ',
      'Internet-bound traffic (via NAT) by source AZ',
      'Cluster ENI traffic by AZ and direction',
    ]);
    for (const w of widgets) {
      expect(w.properties.query.startsWith(`SOURCE '${logGroup}' | parse @message`)).toBe(true);
      expect(insightsParseFields(w.properties.query)).toEqual(FLOW_LOG_FIELDS.map((f) => f.column));
      expect(w.properties.region).toBe('us-west-2');
    }
  });

  it('GIVEN NAT ENIs and service pod IPs WHEN the dashboard is generated THEN it adds the NAT ENI and per-service widgets', () => {
    const body = dashboardBody(MODEL, {
      logGroup, natInterfaceIds: ['eni-0aaa1111bbbb2222c'], services: [{ name: 'zip-lookup-service', addresses: ['192.168.100.7'] }], bin: '15m',
    });
    const widgets = logWidgets(body);
    const nat = widgets.find((w) => w.properties.title.startsWith('NAT gateway ENI'))!;
    expect(nat.properties.query).toContain('interface_id in ["eni-0aaa1111bbbb2222c"]');
    const svc = widgets.find((w) => w.properties.title === 'zip-lookup-service: inter-AZ bytes and flows')!;
    expect(svc.properties.query).toContain('isIpv4InSubnet(pkt_dstaddr, "192.168.100.7/32")');
    expect(svc.properties.query).toContain('by bin(15m)');
  });

  it('GIVEN any dashboard WHEN laid out THEN widgets stay in the 24-column grid without overlapping', () => {
    const body = dashboardBody(MODEL, { logGroup, services: [{ name: 'a', addresses: ['10.0.0.1'] }, { name: 'b', addresses: ['10.0.0.2'] }] });
    const cells = new Set<string>();
    for (const w of body.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('Istio install settings', () => {
  it('GIVEN the bundled values WHEN the IstioOperator is generated THEN it is minimal at the version with DNS capture + auto-allocation', () => {
    const op = istioOperator(MODEL);
    expect(op.spec.profile).toBe('minimal');
    expect(op.spec.tag).toBe('1.31.1');
    expect(op.spec.meshConfig.defaultConfig!.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
    expect(JSON.stringify(op)).not.toContain('demo');
  });

  it('GIVEN a revision and no DNS capture WHEN settings are generated THEN the revision is used and no proxy metadata is set', () => {
    const m = withMesh(MODEL, { revision: 'canary', dnsCapture: false });
    expect(istioReleases(m)).toEqual({ base: 'istio-base', istiod: 'istiod-canary' });
    expect(istiodValues(m)).toEqual({ revision: 'canary' });
    expect(istioOperator(m).spec).toMatchObject({ revision: 'canary', meshConfig: {} });
  });

  it('GIVEN nested values WHEN canonicalised THEN keys are sorted and there is no whitespace, like helm get values -o json', () => {
    expect(canonicalJson({ b: 1, a: { d: 'x', c: [2, { f: true, e: null }] } })).toBe('{"a":{"c":[2,{"e":null,"f":true}],"d":"x"},"b":1}');
    expect(canonicalJson(istiodValues(MODEL))).toBe('{"meshConfig":{"defaultConfig":{"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true"}}},"pilot":{"env":{"PILOT_ENABLE_IP_AUTOALLOCATE":"true"}}}');
  });
});

describe('names and tags', () => {
  it('GIVEN the bundled rds host WHEN the test database is derived THEN writer and reader are its instances in two zones', () => {
    expect(testDatabase(MODEL)).toEqual({
      clusterIdentifier: 'octank-travel-db',
      engine: 'aurora-mysql',
      port: 3306,
      instances: [{ identifier: 'octank-travel-db-instance-1', zone: 'us-west-2a' }, { identifier: 'octank-travel-db-instance-2', zone: 'us-west-2b' }],
      subnetGroup: 'octank-travel-db-subnets',
      securityGroup: 'octank-travel-db-clients',
    });
  });

  it('GIVEN no rds host WHEN the test database is derived THEN it gets a writer and a reader in the first two zones', () => {
    const db = testDatabase({ ...MODEL, externalHosts: [] });
    expect(db.clusterIdentifier).toBe('octank-travel-db');
    expect(db.instances.map((i) => i.zone)).toEqual(['us-west-2a', 'us-west-2b']);
    expect(new Set(db.instances.map((i) => i.identifier)).size).toBe(2);
  });

  it('GIVEN tags with spaces WHEN shaped for each AWS API THEN values stay intact', () => {
    const tags = mergeTags([{ key: 'a', value: '1' }], [parseTag('owner=Platform Team'), parseTag('a=2=3')]);
    expect(tags).toEqual([{ key: 'a', value: '2=3' }, { key: 'owner', value: 'Platform Team' }]);
    expect(tagsAs(tags, 'map')).toEqual({ a: '2=3', owner: 'Platform Team' });
    expect(tagsAs(tags, 'kv')).toBe('a=2=3,owner=Platform Team');
    expect(tagsAs(tags, 'tagset')).toEqual({ TagSet: [{ Key: 'a', Value: '2=3' }, { Key: 'owner', Value: 'Platform Team' }] });
    expect(tagsAs(tags, 'ec2:vpc-flow-log')).toEqual([{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'a', Value: '2=3' }, { Key: 'owner', Value: 'Platform Team' }] }]);
    for (const bad of ['novalue', '=x', 'aws:x=1', 'k=a,b', 'k=semi;colon']) expect(() => parseTag(bad)).toThrow();
    expect(ACCOUNT_PLACEHOLDER).toBe('${AWS::AccountId}');
  });
});
