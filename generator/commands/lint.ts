import { readManifestSources } from '../k8s/read-manifests.js';
import { formatHuman, formatJson, hasErrors, lintModel, lintObjects, type Finding, type LintContext } from '../lint/index.js';
import { loadValuesFile } from '../model/load-values.js';
import { resolve } from 'node:path';
import { parseFlags } from './args.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type Command, type CommandIO } from './command.js';

const DEFAULT_VALUES = 'values/octank-travel.yaml';

const usage = `Usage: zonal lint [--values FILE] [--json]
       zonal lint -f PATH... [--zones Z1,Z2,...] [--region R] [--istio-version V] [--dns-capture] [--json]

Finds locality-routing configurations that Istio accepts but that keep traffic crossing zones.
Rules and fixes: docs/lint-rules.md.

  --values FILE      lint the values file and the chart it would generate (default ${DEFAULT_VALUES})
  -f, --file PATH    lint Kubernetes/Istio YAML instead: files, or folders searched recursively for
                     *.yaml/*.yml; multi-document; "-" reads standard input (e.g. helm template ... | zonal lint -f -)
  --zones LIST       the cluster's zones (comma-separated), for the zone-membership rule (with -f)
  --region R         the cluster's region (with -f)
  --istio-version V  Istio version of the control plane (with -f), e.g. 1.30.3
  --dns-capture      the mesh captures DNS and auto-allocates ServiceEntry addresses mesh-wide (with -f)
  --json             print one JSON array of findings {code, severity, message, file, line, kind, name, namespace}

Output: file:line: SEVERITY ZNLnnn message. Exit 0 without errors, 1 with errors, 2 for bad usage or unreadable/invalid input.
`;

function parseZones(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const zones = raw.split(',').map((z) => z.trim()).filter((z) => z !== '');
  if (zones.length === 0) throw new UsageError('--zones needs at least one zone, e.g. --zones us-west-2a,us-west-2b');
  return zones;
}

function lintValuesFile(valuesArg: string, io: CommandIO): Finding[] {
  return lintModel(loadValuesFile(resolve(io.cwd, valuesArg), valuesArg), valuesArg);
}

function summary(findings: readonly Finding[]): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return `zonal lint: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info\n`;
}

const command: Command = {
  name: 'lint',
  summary: 'find locality-routing configs that silently keep traffic crossing zones',
  usage,
  async run(args, io) {
    const { values: flags, positionals } = parseFlags(args, {
      values: { type: 'string' },
      file: { type: 'string', short: 'f', multiple: true },
      zones: { type: 'string' },
      region: { type: 'string' },
      'istio-version': { type: 'string' },
      'dns-capture': { type: 'boolean' },
      json: { type: 'boolean' },
    }, true);
    const files = flags.file ?? [];
    if (positionals.length > 0 && files.length === 0) {
      throw new UsageError(`unexpected argument "${positionals[0]}" (lint files with -f PATH, a values file with --values FILE)`);
    }
    const clusterFlags = (['zones', 'region', 'istio-version', 'dns-capture'] as const).filter((k) => flags[k] !== undefined);
    let findings: Finding[];
    if (files.length > 0) {
      if (flags.values !== undefined) throw new UsageError('use either --values or -f, not both');
      const context: LintContext = {
        ...(flags.zones !== undefined ? { zones: parseZones(flags.zones) } : {}),
        ...(flags.region !== undefined ? { region: flags.region } : {}),
        ...(flags['istio-version'] !== undefined ? { istioVersion: flags['istio-version'] } : {}),
        ...(flags['dns-capture'] ? { meshDnsAutoAllocate: true } : {}),
      };
      findings = lintObjects(await readManifestSources([...files, ...positionals], io.cwd, io.readStdin), context);
    } else {
      if (clusterFlags.length > 0) {
        throw new UsageError(`--${clusterFlags[0]} applies to -f only; with --values the values file describes the cluster and mesh`);
      }
      findings = lintValuesFile(flags.values ?? DEFAULT_VALUES, io);
    }
    if (flags.json) io.stdout(formatJson(findings));
    else {
      io.stdout(formatHuman(findings));
      io.stderr(summary(findings));
    }
    return hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK;
  },
};

export default command;
