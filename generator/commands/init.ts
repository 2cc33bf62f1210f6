import { existsSync, readFileSync } from 'node:fs';
import { DEFAULTS } from '../model/defaults.js';
import { resolve } from 'node:path';
import { toYaml } from '../yaml/dump.js';
import { isFileError, fileErrorReason } from '../errors.js';
import { scaffoldValues } from '../init/scaffold.js';
import { readManifestSources } from '../k8s/read-manifests.js';
import { parseValues } from '../model/load-values.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { EXIT_OK, InputError, UsageError } from './command.js';
import { defineCommand } from './declare.js';
import { SCHEMA_FILE } from './schema.js';

/** Kubernetes minor version written when --kubernetes-version is not given. */
export const DEFAULT_KUBERNETES_VERSION = DEFAULTS.kubernetesVersion;

export default defineCommand({
  name: 'init',
  summary: 'scaffold a values file from a running cluster (kubectl + aws ec2 describe-subnets output)',
  synopsis: ['--name NAME -f KUBECTL_YAML --subnets SUBNETS_JSON [--cluster NAME] [--kubernetes-version 1.NN] [--out FILE]'],
  description: `Writes a first zonal values file for what the cluster already runs: every Service with a selector
becomes a "workload: external" entry (its own chart keeps deploying it, zonal adds the zone-local
routing; replicas, selector and zone spread are read from its Deployment/StatefulSet), every DNS
ServiceEntry whose endpoints have zone localities an external host, and the subnets give the
zones with their AZ ids and CIDRs. Namespaces are listed with create: false. The result is
validated like any values file; --out never overwrites an existing file.`,
  examples: [
    'kubectl get svc,deploy,sts,dr,se -A -o yaml > cluster.yaml && aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-0abc > subnets.json && zonal init --name shop -f cluster.yaml --subnets subnets.json',
    'zonal init --name shop -f cluster.yaml --subnets subnets.json --out values/shop.yaml',
    'kubectl get svc,deploy,sts,dr,se -A -o yaml | zonal init --name shop -f - --subnets subnets.json',
  ],
  flags: {
    name: { type: 'string', arg: 'NAME', help: 'metadata.name: chart and release name (required)' },
    file: { type: 'string', short: 'f', multiple: true, arg: 'PATH', help: 'kubectl get svc,deploy,sts,dr,se -A -o yaml output, or - for stdin (required)' },
    subnets: { type: 'string', arg: 'FILE', help: 'aws ec2 describe-subnets JSON of the cluster VPC (required)' },
    cluster: { type: 'string', arg: 'NAME', help: 'EKS cluster name (default: --name)' },
    'kubernetes-version': { type: 'string', arg: '1.NN', help: 'cluster Kubernetes minor version', default: DEFAULT_KUBERNETES_VERSION },
    out: { type: 'string', arg: 'FILE', help: 'write here instead of standard output (never overwrites)' },
  },
  footer: 'Exit codes: 0 ok, 2 bad input or usage.',
}, async ({ flags }, io) => {
  if (!flags.name) throw new UsageError('--name is required (the chart and release name, e.g. --name shop)');
  if (!flags.file?.length) throw new UsageError('-f is required (kubectl get svc,deploy,sts,dr,se -A -o yaml output, or - for stdin)');
  if (!flags.subnets) throw new UsageError('--subnets is required (aws ec2 describe-subnets JSON)');
  const objects = (await readManifestSources(flags.file, io.cwd, io.readStdin)).map((l) => l.object);
  let subnetsText: string;
  try {
    subnetsText = readFileSync(resolve(io.cwd, flags.subnets), 'utf8');
  } catch (err) {
    if (isFileError(err)) throw new InputError([`zonal init: ${flags.subnets}: ${fileErrorReason(err, '--subnets')}`]);
    throw err;
  }
  let subnets: unknown;
  try {
    subnets = JSON.parse(subnetsText);
  } catch {
    throw new InputError([`${flags.subnets}:1:1: not JSON (pass the output of aws ec2 describe-subnets)`]);
  }
  const values = scaffoldValues({
    name: flags.name,
    clusterName: flags.cluster ?? flags.name,
    kubernetesVersion: flags['kubernetes-version'] ?? DEFAULT_KUBERNETES_VERSION,
    subnets,
    subnetsFile: flags.subnets,
    objects,
  });
  const text = `# yaml-language-server: $schema=../${SCHEMA_FILE}\n# Scaffolded by zonal init; every key is described in zonal's README ("Values reference").\n${toYaml(values)}`;
  parseValues(text, flags.out ?? '<zonal init output>'); // never hand out a file zonal itself would refuse
  if (!flags.out) {
    io.stdout(text);
    return EXIT_OK;
  }
  const target = resolve(io.cwd, flags.out);
  if (existsSync(target)) throw new InputError([`zonal init: ${flags.out} exists; zonal init never overwrites a file (choose another --out or remove it)`]);
  writeFileAtomic(target, text);
  io.stderr(`wrote ${flags.out}: ${values.services.length} service(s), ${values.externalHosts?.length ?? 0} external host(s), ${values.cluster.zones.length} zones\n`);
  return EXIT_OK;
});
