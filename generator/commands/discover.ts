import { resolve } from 'node:path';
import { parseJsonDocuments } from '../discover/aws-json.js';
import { discoverMsk, DEFAULT_MSK_PORT } from '../discover/msk.js';
import { discoverRds, type Discovery } from '../discover/rds.js';
import { readInputFile } from '../model/input-file.js';
import { loadValuesFile } from '../model/load-values.js';
import type { TopologyRouting } from '../model/types.js';
import { toYaml } from '../yaml/dump.js';
import { EXIT_OK, InputError, UsageError } from './command.js';
import { defineCommand } from './declare.js';
import { unknownNameMessage } from './flag-errors.js';
import { DEFAULT_VALUES_FILE } from './defaults.js';

const STDIN = '<stdin>';
/** Entry names become object names: DNS-1123 labels (the values schema's rule). */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function namespaceOf(model: TopologyRouting, flag: string | undefined): string {
  if (flag === undefined) return model.namespaces[0]!.name;
  if (!model.namespaces.some((n) => n.name === flag)) {
    throw new UsageError(`--namespace ${JSON.stringify(flag)} is not a namespace of the values file (${model.namespaces.map((n) => n.name).join(', ')})`);
  }
  return flag;
}

/** AWS output reaches the values file only as DNS names: anything else is refused, not pasted. */
function checkNames(found: Discovery, input: string): void {
  const bad = [
    ...found.hosts.flatMap((h) => [h.host, ...h.endpoints.map((e) => e.address)]).filter((n) => !DNS_NAME.test(n)),
    ...found.hosts.map((h) => h.name).filter((n) => !DNS_LABEL.test(n)),
  ];
  if (bad.length) {
    throw new InputError([`zonal discover: ${input} names hosts or identifiers that are not DNS names: ${bad.map((b) => JSON.stringify(b)).join(', ')} ` +
      '(pipe the AWS CLI output unchanged)']);
  }
}

export default defineCommand({
  name: 'discover',
  summary: 'print the externalHosts entries of Aurora (rds) or MSK (msk) from AWS CLI JSON on stdin',
  synopsis: [
    'rds [--values FILE] [--namespace NS] [--input FILE] [--json]   < describe-db-clusters+instances.json',
    'msk [--values FILE] [--namespace NS] [--name NAME] [--host HOST] [--port N] [--rack-aware-selector] [--input FILE] [--json]   < list-nodes.json',
  ],
  description: `Reads what the AWS CLI prints and prints the externalHosts entries for the values file, so the map
of endpoints and zones is never typed by hand and can be refreshed after instances or brokers change.

  rds  the JSON of \`aws rds describe-db-clusters\` and/or \`aws rds describe-db-instances\` (one or
       both, one after the other): per Aurora cluster a role: writer host (the cluster endpoint,
       one endpoint in the writer's zone) and a role: reader host (the cluster-ro endpoint with
       every instance endpoint and its zone). The writer is only known from describe-db-clusters,
       the zones only from describe-db-instances.
  msk  the JSON of \`aws kafka list-nodes --cluster-arn ARN\`: one type: msk host with every broker;
       each broker's zone is the zone whose cluster.zones[].cidrs hold its client VPC address.

The zones (and, for msk, the subnet CIDRs) come from the values file. Notes about what could not
be filled in go to stderr.`,
  examples: [
    'aws rds describe-db-clusters > db.json && aws rds describe-db-instances >> db.json && zonal discover rds --input db.json',
    'aws kafka list-nodes --cluster-arn ARN | zonal discover msk --rack-aware-selector --port 9098',
  ],
  flags: {
    values: { type: 'string', arg: 'FILE', help: 'values file (zones, namespaces)', default: DEFAULT_VALUES_FILE },
    namespace: { type: 'string', arg: 'NS', help: 'namespace of the entries (default: the values file\'s first namespace)' },
    input: { type: 'string', arg: 'FILE', help: 'read the AWS CLI JSON from FILE instead of stdin' },
    name: { type: 'string', arg: 'NAME', help: 'msk: the entry\'s name (default <cluster>-kafka)' },
    host: { type: 'string', arg: 'HOST', help: 'msk: the bootstrap host clients dial (default boot.<broker domain>)' },
    port: { type: 'string', arg: 'N', help: 'msk: listener port (9092 plaintext, 9094 TLS, 9096 SASL/SCRAM, 9098 IAM)', default: DEFAULT_MSK_PORT },
    'rack-aware-selector': { type: 'boolean', help: 'msk: the cluster configuration sets replica.selector.class=...RackAwareReplicaSelector' },
    json: { type: 'boolean', help: 'print { externalHosts: [...], notes: [...] } as JSON' },
  },
  positionals: true,
  footer: 'Exit codes: 0 ok, 2 bad input or usage.',
}, async ({ flags, positionals }, io) => {
  const [kind, ...extra] = positionals;
  if (kind !== 'rds' && kind !== 'msk') throw new UsageError(unknownNameMessage('kind', kind, ['rds', 'msk']));
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (kind === 'rds') {
    for (const f of ['name', 'host', 'port', 'rack-aware-selector'] as const) if (flags[f] !== undefined) throw new UsageError(`--${f} applies to msk only`);
  }
  let port: number | undefined;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port < 1 || port > 65535) throw new UsageError(`--port must be a port number (1-65535), got "${flags.port}"`);
  }
  if (flags.name !== undefined && !DNS_LABEL.test(flags.name)) throw new UsageError(`--name must be a DNS-1123 name, got ${JSON.stringify(flags.name)}`);
  if (flags.host !== undefined && !DNS_NAME.test(flags.host)) throw new UsageError(`--host must be a DNS name, got ${JSON.stringify(flags.host)}`);

  const valuesArg = flags.values ?? DEFAULT_VALUES_FILE;
  const model = loadValuesFile(resolve(io.cwd, valuesArg), valuesArg);
  const namespace = namespaceOf(model, flags.namespace);
  const input = flags.input ?? STDIN;
  const text = flags.input !== undefined ? readInputFile(resolve(io.cwd, flags.input), flags.input, 'AWS CLI output', '--input') : await io.readStdin();
  const expected = kind === 'rds' ? '`aws rds describe-db-clusters` / `describe-db-instances`' : '`aws kafka list-nodes`';
  const docs = parseJsonDocuments(text, input, expected);
  const found = kind === 'rds'
    ? discoverRds(docs, { zones: model.cluster.zones.map((z) => z.name), namespace, input, valuesFile: valuesArg })
    : discoverMsk(docs, {
      zones: model.cluster.zones, namespace, input, valuesFile: valuesArg, rackAwareSelector: flags['rack-aware-selector'] ?? false,
      ...(flags.name !== undefined ? { name: flags.name } : {}), ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  checkNames(found, input);
  if (flags.json) {
    io.stdout(`${JSON.stringify({ externalHosts: found.hosts, notes: found.notes }, null, 2)}\n`);
  } else {
    io.stdout(toYaml({ externalHosts: found.hosts }));
    // Notes quote names from the input: control characters never reach the terminal.
    for (const n of found.notes) io.stderr(`zonal discover ${kind}: ${n.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}\n`);
  }
  return EXIT_OK;
});
