import { resolve } from 'node:path';
import { dump } from 'js-yaml';
import { loadValuesFile } from '../model/load-values.js';
import type { TopologyRouting } from '../model/types.js';
import { FLOW_LOG_FIELDS } from '../flowlogs/fields.js';
import { athenaDatabaseDdl, athenaDdl, athenaInterAzQuery, athenaZonePairQuery, toCidr, type ServiceAddresses } from '../flowlogs/queries.js';
import {
  ACCOUNT_PLACEHOLDER, isAccountId, isBucketName, isLogGroupName, isS3Prefix, isTagStyle, logGroupArn, mergeTags, parseTag, tagsAs, type Tag,
} from '../infra/aws.js';
import { dashboardBody } from '../infra/dashboard.js';
import { DEFAULT_SIZING, eksctlClusterConfig, STANDARD_ADDONS, validateSizing, type NodeGroupSizing } from '../infra/eksctl.js';
import {
  flowLogFormat, flowLogS3DestinationArn, flowLogsBucketPolicy, flowLogsCloudWatchPolicy, flowLogsS3DestinationOptions, flowLogsTrustPolicy,
} from '../infra/flowlogs.js';
import { canonicalJson, ISTIO_HELM_REPO, ISTIO_NAMESPACE, istioBaseValues, istiodValues, istioOperator, istioReleases } from '../infra/istio.js';
import { defaultTags, flowLogBucket, infraNames, nodeGroupName, testDatabase } from '../infra/names.js';
import { positiveInt } from './args.js';
import { EXIT_OK, InputError, UsageError, type CommandIO } from './command.js';
import { defineCommandWithSubcommands, parseDeclared } from './declare.js';
import { unknownNameMessage } from './flag-errors.js';
import { DEFAULT_VALUES_FILE } from './defaults.js';
import { ValueError } from '../errors.js';


const GET_KEYS = [
  'name', 'cluster.name', 'cluster.region', 'cluster.kubernetesVersion', 'cluster.zones',
  'mesh.istioVersion', 'mesh.revision', 'mesh.bootstrap', 'mesh.dnsCapture',
  'istio.namespace', 'istio.helmRepo', 'istio.baseRelease', 'istio.istiodRelease',
  'eksctl.nodegroups', 'eksctl.addons',
  'flowlogs.logGroup', 'flowlogs.logGroupArn', 'flowlogs.roleName', 'flowlogs.policyName', 'flowlogs.bucket', 'flowlogs.format',
  'dashboard.name', 'athena.database', 'athena.table', 'services',
  'database.cluster', 'database.engine', 'database.port', 'database.instances', 'database.subnetGroup', 'database.securityGroup',
] as const;

/** The options every sub-command takes (declared once: parsing and help). */
const COMMON = {
  values: { type: 'string', arg: 'FILE', help: 'values file', default: DEFAULT_VALUES_FILE },
  'account-id': {
    type: 'string', arg: 'ID',
    help: `12-digit account id for ARNs (default placeholder ${ACCOUNT_PLACEHOLDER});\nscripts pass the id of \`aws sts get-caller-identity\``,
  },
  tag: { type: 'string', multiple: true, arg: 'KEY=VALUE', help: 'extra tag for created resources (repeatable; values may hold spaces)' },
} as const;

/** Each sub-command's own flags (parsing; `zonal infra --help` lists them in its footer). */
const EKSCTL_FLAGS = {
  ...COMMON,
  'instance-type': { type: 'string' },
  'nodes-per-zone': { type: 'string' },
  'min-nodes-per-zone': { type: 'string' },
  'max-nodes-per-zone': { type: 'string' },
  'volume-size': { type: 'string' },
  'private-endpoint': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;
const FLOWLOGS_FLAGS = {
  ...COMMON,
  print: { type: 'string' },
  'log-group': { type: 'string' },
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  'daily-partitions': { type: 'boolean' },
} as const;
const DASHBOARD_FLAGS = {
  ...COMMON,
  'log-group': { type: 'string' },
  'nat-eni': { type: 'string', multiple: true },
  service: { type: 'string', multiple: true },
  bin: { type: 'string' },
} as const;
const ATHENA_FLAGS = {
  ...COMMON,
  print: { type: 'string' },
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  database: { type: 'string' },
  table: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'all-pairs': { type: 'boolean' },
  'daily-partitions': { type: 'boolean' },
} as const;
const ISTIO_FLAGS = { ...COMMON, print: { type: 'string' } } as const;
const GET_FLAGS = { ...COMMON, null: { type: 'boolean' } } as const;

interface Common {
  readonly model: TopologyRouting;
  readonly valuesArg: string;
  readonly accountId: string;
  readonly tags: Tag[];
}

function common(flags: { values?: string; 'account-id'?: string; tag?: string[] }, io: CommandIO): Common {
  const valuesArg = flags.values ?? DEFAULT_VALUES_FILE;
  const model = loadValuesFile(resolve(io.cwd, valuesArg), valuesArg);
  const accountId = flags['account-id'] ?? ACCOUNT_PLACEHOLDER;
  if (!isAccountId(accountId)) throw new UsageError(`--account-id must be 12 digits, got "${accountId}"`);
  let extra: Tag[];
  try {
    extra = (flags.tag ?? []).map(parseTag);
  } catch (err) {
    if (err instanceof ValueError) throw new UsageError(err.message);
    throw err;
  }
  return { model, valuesArg, accountId, tags: mergeTags(defaultTags(model), extra) };
}

/**
 * A ValueError of the pure builders is about the values file (missing CIDRs, ids): report it as
 * input. Any other error is a bug and goes up as it is (exit 70).
 */
function build<T>(valuesArg: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ValueError) throw new InputError([`zonal infra: ${valuesArg}: ${err.message}`]);
    throw err;
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function eksctl(args: readonly string[], io: CommandIO): number {
  const { flags: f } = parseDeclared(args, EKSCTL_FLAGS);
  const c = common(f, io);
  const desired = positiveInt('nodes-per-zone', f['nodes-per-zone'], DEFAULT_SIZING.desiredPerZone);
  const sizing: NodeGroupSizing = {
    instanceType: f['instance-type'] ?? DEFAULT_SIZING.instanceType,
    desiredPerZone: desired,
    // Defaults stretch around --nodes-per-zone so that alone it always makes a valid group.
    minPerZone: positiveInt('min-nodes-per-zone', f['min-nodes-per-zone'], Math.min(DEFAULT_SIZING.minPerZone, desired)),
    maxPerZone: positiveInt('max-nodes-per-zone', f['max-nodes-per-zone'], Math.max(DEFAULT_SIZING.maxPerZone, desired)),
    volumeSize: positiveInt('volume-size', f['volume-size'], DEFAULT_SIZING.volumeSize),
  };
  const problems = validateSizing(sizing);
  if (problems.length) throw new UsageError(problems.join('; '));
  const config = eksctlClusterConfig(c.model, c.tags, sizing, !f['private-endpoint']);
  io.stdout(f.json ? json(config) : `# eksctl ClusterConfig generated by zonal from ${c.valuesArg}; edit the values file, not this.\n${dump(config, { lineWidth: -1, noRefs: true })}`);
  return EXIT_OK;
}

function logGroupFlag(value: string | undefined, model: TopologyRouting): string {
  const name = value ?? infraNames(model).logGroup;
  if (!isLogGroupName(name)) throw new UsageError(`--log-group "${name}" is not a log group name ([.-_/#A-Za-z0-9])`);
  return name;
}

function bucketFlag(value: string | undefined, c: Common): string {
  const name = value ?? flowLogBucket(c.model, c.accountId);
  if (!isBucketName(name)) throw new UsageError(`--bucket "${name}" is not an S3 bucket name (3-63 of a-z 0-9 . -)`);
  return name;
}

function prefixFlag(value: string | undefined): string {
  const prefix = value ?? '';
  if (!isS3Prefix(prefix)) throw new UsageError(`--prefix "${prefix}" must be a key prefix without leading/trailing "/" that does not start with AWSLogs`);
  return prefix;
}

function flowlogs(args: readonly string[], io: CommandIO): number {
  const { flags: f } = parseDeclared(args, FLOWLOGS_FLAGS);
  const c = common(f, io);
  const region = c.model.cluster.region;
  const names = infraNames(c.model);
  const logGroup = logGroupFlag(f['log-group'], c.model);
  const bucket = bucketFlag(f.bucket, c);
  const prefix = prefixFlag(f.prefix);
  const target = { region, accountId: c.accountId };
  const docs = {
    format: flowLogFormat(),
    'trust-policy': flowLogsTrustPolicy(target),
    'permissions-policy': flowLogsCloudWatchPolicy({ ...target, logGroup }),
    'bucket-policy': flowLogsBucketPolicy({ ...target, bucket, prefix }),
    'destination-options': flowLogsS3DestinationOptions(!f['daily-partitions']),
    's3-destination': flowLogS3DestinationArn(region, bucket, prefix),
  };
  const what = oneOf('print', f.print, ['all', ...Object.keys(docs)] as Array<'all' | keyof typeof docs>, 'all');
  if (what === 'format' || what === 's3-destination') {
    io.stdout(`${docs[what]}\n`);
  } else if (what === 'all') {
    io.stdout(json({
      logFormat: docs.format,
      fields: FLOW_LOG_FIELDS.map((x) => x.name),
      cloudwatch: {
        logGroup, logGroupArn: logGroupArn(region, c.accountId, logGroup), roleName: names.flowLogRole, policyName: names.flowLogPolicy,
        trustPolicy: docs['trust-policy'], permissionsPolicy: docs['permissions-policy'],
      },
      s3: { bucket, prefix, destination: docs['s3-destination'], bucketPolicy: docs['bucket-policy'], destinationOptions: docs['destination-options'] },
    }));
  } else {
    io.stdout(json(docs[what]));
  }
  return EXIT_OK;
}

function serviceFlag(raw: string): ServiceAddresses {
  const eq = raw.indexOf('=');
  const name = raw.slice(0, eq);
  const addresses = raw.slice(eq + 1).split(',').map((s) => s.trim()).filter(Boolean);
  if (eq < 1 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || addresses.length === 0) {
    throw new UsageError(`--service "${raw}" must be NAME=IP_OR_CIDR[,IP_OR_CIDR...]`);
  }
  try {
    addresses.forEach(toCidr);
  } catch (err) {
    if (err instanceof ValueError) throw new UsageError(`--service ${name}: ${err.message}`);
    throw err;
  }
  return { name, addresses };
}

function dashboard(args: readonly string[], io: CommandIO): number {
  const { flags: f } = parseDeclared(args, DASHBOARD_FLAGS);
  const c = common(f, io);
  const natInterfaceIds = (f['nat-eni'] ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  for (const id of natInterfaceIds) if (!/^eni-[0-9a-f]{8,17}$/.test(id)) throw new UsageError(`--nat-eni "${id}" is not an ENI id like eni-0123456789abcdef0`);
  const services = (f.service ?? []).map(serviceFlag);
  if (f.bin !== undefined && !/^\d+(s|m|h|d)$/.test(f.bin)) throw new UsageError(`--bin "${f.bin}" must look like 5m or 1h`);
  const body = build(c.valuesArg, () => dashboardBody(c.model, {
    logGroup: logGroupFlag(f['log-group'], c.model),
    natInterfaceIds,
    services,
    ...(f.bin ? { bin: f.bin } : {}),
  }));
  io.stdout(json(body));
  return EXIT_OK;
}

function athena(args: readonly string[], io: CommandIO): number {
  const { flags: f } = parseDeclared(args, ATHENA_FLAGS);
  const c = common(f, io);
  const names = infraNames(c.model);
  const what = oneOf('print', f.print, ['all', 'database', 'ddl', 'query'] as const, 'all');
  const database = f.database ?? names.athenaDatabase;
  const table = f.table ?? names.athenaTable;
  const needsLocation = what === 'all' || what === 'ddl';
  if (needsLocation && c.accountId === ACCOUNT_PLACEHOLDER) {
    throw new UsageError('the table LOCATION needs --account-id (scripts pass the id of `aws sts get-caller-identity`)');
  }
  const sections: string[] = [];
  build(c.valuesArg, () => {
    if (what === 'all' || what === 'database') sections.push(athenaDatabaseDdl(database));
    if (needsLocation) {
      sections.push(athenaDdl({
        bucket: bucketFlag(f.bucket, c), prefix: prefixFlag(f.prefix), accountId: c.accountId, region: c.model.cluster.region,
        database, table, perHour: !f['daily-partitions'],
      }));
    }
    if (what === 'all' || what === 'query') {
      const o = { database, table, ...(f.since ? { since: f.since } : {}), ...(f.until ? { until: f.until } : {}) };
      sections.push(f['all-pairs'] ? athenaZonePairQuery(c.model.cluster.zones, o) : athenaInterAzQuery(c.model.cluster.zones, o));
    }
  });
  // One statement per section, `;`-terminated, so the output can be pasted or split on ";\n".
  io.stdout(`${sections.map((s) => `${s};\n`).join('\n')}`);
  return EXIT_OK;
}

function istio(args: readonly string[], io: CommandIO): number {
  const { flags: f } = parseDeclared(args, ISTIO_FLAGS);
  const c = common(f, io);
  const what = oneOf('print', f.print, ['operator', 'base-values', 'istiod-values'] as const, 'operator');
  if (what === 'operator') {
    io.stdout(`# IstioOperator generated by zonal from ${c.valuesArg} (istioctl install -f)\n${dump(istioOperator(c.model), { lineWidth: -1, noRefs: true })}`);
  } else {
    // Canonical JSON: `helm get values -o json` prints the same string when nothing changed.
    io.stdout(`${canonicalJson(what === 'base-values' ? istioBaseValues(c.model) : istiodValues(c.model))}\n`);
  }
  return EXIT_OK;
}

type GetKey = (typeof GET_KEYS)[number];

function getValue(key: GetKey | `tags.${string}`, c: Common): string | readonly string[] {
  const m = c.model;
  const names = infraNames(m);
  const db = testDatabase(m);
  if (key.startsWith('tags.')) {
    const style = key.slice('tags.'.length);
    if (!isTagStyle(style)) throw new UsageError(`tag style must be list, map, tagset, kv or ec2:<resource-type>, got "${style}"`);
    const tags = tagsAs(c.tags, style);
    return typeof tags === 'string' ? tags : JSON.stringify(tags);
  }
  switch (key as GetKey) {
    case 'name': return m.name;
    case 'cluster.name': return m.cluster.name;
    case 'cluster.region': return m.cluster.region;
    case 'cluster.kubernetesVersion': return m.cluster.kubernetesVersion;
    case 'cluster.zones': return m.cluster.zones.map((z) => z.name);
    case 'mesh.istioVersion': return m.mesh.istioVersion;
    case 'mesh.revision': return m.mesh.revision;
    case 'mesh.bootstrap': return String(m.mesh.bootstrap);
    case 'mesh.dnsCapture': return String(m.mesh.dnsCapture);
    case 'istio.namespace': return ISTIO_NAMESPACE;
    case 'istio.helmRepo': return ISTIO_HELM_REPO;
    case 'istio.baseRelease': return istioReleases(m).base;
    case 'istio.istiodRelease': return istioReleases(m).istiod;
    case 'eksctl.nodegroups': return m.cluster.zones.map((z) => nodeGroupName(z.name));
    case 'eksctl.addons': return [...STANDARD_ADDONS];
    case 'flowlogs.logGroup': return names.logGroup;
    case 'flowlogs.logGroupArn': return logGroupArn(m.cluster.region, c.accountId, names.logGroup);
    case 'flowlogs.roleName': return names.flowLogRole;
    case 'flowlogs.policyName': return names.flowLogPolicy;
    case 'flowlogs.bucket': return flowLogBucket(m, c.accountId);
    case 'flowlogs.format': return flowLogFormat();
    case 'dashboard.name': return names.dashboard;
    case 'athena.database': return names.athenaDatabase;
    case 'athena.table': return names.athenaTable;
    case 'services': return m.services.map((s) => `${s.namespace} ${s.name}`);
    case 'database.cluster': return db.clusterIdentifier;
    case 'database.engine': return db.engine;
    case 'database.port': return String(db.port);
    case 'database.instances': return db.instances.map((i) => `${i.identifier} ${i.zone}`);
    case 'database.subnetGroup': return db.subnetGroup;
    case 'database.securityGroup': return db.securityGroup;
  }
}

function get(args: readonly string[], io: CommandIO): number {
  const { flags: f, positionals: keys } = parseDeclared(args, GET_FLAGS, true);
  if (keys.length === 0) throw new UsageError(`get needs at least one KEY (${GET_KEYS.join(', ')}, tags.<style>)`);
  for (const key of keys) {
    if (!(GET_KEYS as readonly string[]).includes(key) && !key.startsWith('tags.')) {
      throw new UsageError(`unknown key "${key}" (keys: ${GET_KEYS.join(', ')}, tags.<style>)`);
    }
  }
  const c = common(f, io);
  const values = keys.map((key) => getValue(key as GetKey, c));
  // --null: each value NUL-terminated (list items joined by newlines), so one call feeds many
  // `read -d ''` in a script; otherwise one line per value or list item.
  io.stdout(values.map((v) => {
    const items = typeof v === 'string' ? [v] : v;
    return f.null ? `${items.join('\n')}\0` : items.map((i) => `${i}\n`).join('');
  }).join(''));
  return EXIT_OK;
}

const SUB_COMMANDS: Readonly<Record<string, (args: readonly string[], io: CommandIO) => number>> = {
  eksctl, flowlogs, dashboard, athena, istio, get,
};

export default defineCommandWithSubcommands({
  name: 'infra',
  summary: 'eksctl config, flow-log IAM, dashboard, Athena, Istio settings for scripts/',
  synopsis: ['<sub-command> [options]'],
  description: `Generates the AWS and cluster configuration the scripts in scripts/ apply, from the values file.
Pure: reads the values file, prints to stdout, touches no AWS account.

Sub-commands:
  eksctl      eksctl ClusterConfig (YAML): one managed node group per zone, private nodes,
              OIDC, standard addons, one NAT gateway per zone
  flowlogs    VPC flow-log --log-format and IAM documents (CloudWatch Logs and S3 destinations)
  dashboard   CloudWatch dashboard body (JSON) with Logs Insights widgets
  athena      Athena database + table DDL (Parquet, partition projection) and inter-AZ query
  istio       Istio install settings (IstioOperator for istioctl, values for the Helm charts)
  get KEY...  values for scripts (lists print one item per line; --null: NUL after each value)`,
  examples: [
    'zonal infra eksctl --instance-type m6i.xlarge --nodes-per-zone 2',
    'zonal infra flowlogs --print trust-policy --account-id 123456789012',
    'zonal infra get cluster.name cluster.region',
  ],
  flags: COMMON,
  subcommands: {
    eksctl: { flags: EKSCTL_FLAGS },
    flowlogs: { flags: FLOWLOGS_FLAGS },
    dashboard: { flags: DASHBOARD_FLAGS },
    athena: { flags: ATHENA_FLAGS },
    istio: { flags: ISTIO_FLAGS },
    get: { flags: GET_FLAGS, positionals: true },
  },
  flagsTitle: 'Common options:',
  footer: `eksctl:     [--instance-type ${DEFAULT_SIZING.instanceType}] [--nodes-per-zone ${DEFAULT_SIZING.desiredPerZone}] [--min-nodes-per-zone ${DEFAULT_SIZING.minPerZone}]
            [--max-nodes-per-zone ${DEFAULT_SIZING.maxPerZone}] [--volume-size ${DEFAULT_SIZING.volumeSize}] [--private-endpoint] [--json]
flowlogs:   [--print all|format|trust-policy|permissions-policy|bucket-policy|destination-options|s3-destination]
            [--log-group NAME] [--bucket NAME] [--prefix PREFIX] [--daily-partitions]
dashboard:  [--log-group NAME] [--nat-eni ENI_ID]... [--service NAME=IP_OR_CIDR[,...]]... [--bin 5m]
athena:     [--print all|database|ddl|query] [--bucket NAME] [--prefix PREFIX] [--database NAME]
            [--table NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--all-pairs] [--daily-partitions]
istio:      [--print operator|base-values|istiod-values]
get:        KEY... [--null]
            keys: ${GET_KEYS.join(', ')},
            tags.list|tags.map|tags.tagset|tags.kv|tags.ec2:RESOURCE_TYPE (tags in each AWS API's JSON shape)`,
}, async (args, io) => {
  const [sub, ...rest] = args;
  const run = sub === undefined ? undefined : SUB_COMMANDS[sub];
  if (!run) throw new UsageError(unknownNameMessage('sub-command', sub, Object.keys(SUB_COMMANDS)));
  return run(rest, io);
});
