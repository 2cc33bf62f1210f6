/**
 * Names of the AWS resources zonal's scripts create, all derived from the values file so that every
 * script (and every re-run) finds the same resources without anyone typing a name twice.
 */
import type { TopologyRouting } from '../model/types.js';
import { ACCOUNT_PLACEHOLDER, type Tag } from './aws.js';
import { zonalKey } from '../well-known.js';

export interface InfraNames {
  /** CloudWatch Logs group the VPC flow logs go to. */
  readonly logGroup: string;
  /** IAM role VPC Flow Logs assumes to write into the log group. */
  readonly flowLogRole: string;
  /** Inline policy on that role. */
  readonly flowLogPolicy: string;
  /** CloudWatch dashboard (alphanumerics, `-`, `_`). */
  readonly dashboard: string;
  readonly athenaDatabase: string;
  readonly athenaTable: string;
}

export function infraNames(model: TopologyRouting): InfraNames {
  return {
    logGroup: `/zonal/${model.cluster.name}/vpc-flow-logs`,
    // IAM role names stop at 64 characters; cluster names may be longer.
    flowLogRole: `zonal-flowlogs-${model.cluster.name}`.slice(0, 64),
    flowLogPolicy: 'zonal-flowlogs-write',
    dashboard: `zonal-${model.name}`,
    athenaDatabase: `zonal_${model.name.replace(/-/g, '_')}`,
    athenaTable: 'vpc_flow_logs',
  };
}

/** Default flow-log bucket: unique per account and region, as S3 bucket names are global. */
export function flowLogBucket(model: TopologyRouting, accountId = ACCOUNT_PLACEHOLDER): string {
  return `zonal-flowlogs-${accountId}-${model.cluster.region}`;
}

/** One managed node group per zone, so every zone keeps capacity of its own. */
export function nodeGroupName(zone: string): string {
  return `ng-${zone}`;
}

/** Tags every resource zonal creates carries, so they can be found and cleaned up. */
export function defaultTags(model: TopologyRouting): Tag[] {
  return [
    { key: zonalKey('project'), value: model.name },
    { key: zonalKey('cluster'), value: model.cluster.name },
  ];
}

export type DatabaseEngine = 'aurora-mysql' | 'aurora-postgresql';

export interface TestDatabase {
  readonly clusterIdentifier: string;
  readonly engine: DatabaseEngine;
  readonly port: number;
  /** Writer first, then the reader(s); each pinned to a different zone. */
  readonly instances: ReadonlyArray<{ readonly identifier: string; readonly zone: string }>;
  readonly subnetGroup: string;
  readonly securityGroup: string;
}

const RDS_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The Aurora test database. When the values file declares an `rds` external host
 * (`<cluster>.cluster-<hash>.<region>.rds.amazonaws.com` with one endpoint per instance), the
 * identifiers and zones come from it, so the database the script creates is the one the chart
 * routes to; otherwise `<name>-db` with a writer and a reader in the first two zones.
 */
export function testDatabase(model: TopologyRouting): TestDatabase {
  const zones = model.cluster.zones.map((z) => z.name);
  const rds = model.externalHosts.find((h) => h.type === 'rds');
  const firstLabel = (dns: string) => dns.split('.')[0]!.toLowerCase();
  const clusterIdentifier = rds && RDS_ID.test(firstLabel(rds.host)) ? firstLabel(rds.host) : `${model.name}-db`.slice(0, 63);
  const instances: Array<{ identifier: string; zone: string }> = [];
  for (const ep of rds?.endpoints ?? []) {
    const id = firstLabel(ep.address);
    if (id !== clusterIdentifier && RDS_ID.test(id) && zones.includes(ep.zone) && !instances.some((i) => i.identifier === id)) {
      instances.push({ identifier: id, zone: ep.zone });
    }
  }
  // Writer and reader must sit in two different zones, or a zone outage takes the database with it.
  for (const zone of zones) {
    if (instances.length >= 2 && new Set(instances.map((i) => i.zone)).size >= 2) break;
    if (instances.some((i) => i.zone === zone)) continue;
    instances.push({ identifier: `${clusterIdentifier}-instance-${instances.length + 1}`.slice(0, 63), zone });
  }
  const port = rds?.port ?? 3306;
  return {
    clusterIdentifier,
    engine: port === 5432 ? 'aurora-postgresql' : 'aurora-mysql',
    port,
    instances,
    subnetGroup: `${clusterIdentifier}-subnets`,
    securityGroup: `${clusterIdentifier}-clients`,
  };
}
