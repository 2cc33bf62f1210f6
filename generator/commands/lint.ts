import { behaviourOf } from '../istio/versions.js';
import { readManifestSources, STDIN_NAME } from '../k8s/read-manifests.js';
import { InputError } from '../errors.js';
import { formatHuman, formatJson, hasErrors, lintModel, lintObjects, type Finding, type LintContext } from '../lint/index.js';
import { loadValuesFile } from '../model/load-values.js';
import { resolve } from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from './command.js';
import { defineCommand } from './declare.js';
import { DEFAULT_VALUES_FILE } from './defaults.js';
import { parseZonesFlag } from './shared/zones-flag.js';

function lintValuesFile(valuesArg: string, io: CommandIO): Finding[] {
  return lintModel(loadValuesFile(resolve(io.cwd, valuesArg), valuesArg), valuesArg);
}

function summary(findings: readonly Finding[]): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return `zonal lint: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info\n`;
}

export default defineCommand({
  name: 'lint',
  summary: 'find locality-routing configs that silently keep traffic crossing zones',
  synopsis: [
    '[--values FILE] [--json]',
    '-f PATH... [--zones Z1,Z2,...] [--region R] [--istio-version V] [--dns-capture] [--json]',
  ],
  description: `Finds locality-routing configurations that Istio accepts but that keep traffic crossing zones.
Rules and fixes: docs/lint-rules.md.`,
  examples: [
    'zonal lint --values values/octank-travel.yaml',
    'helm template octank-travel charts/octank-travel | zonal lint -f - --zones us-west-2a,us-west-2b,us-west-2c',
    'zonal lint -f manifests/ --istio-version 1.31 --json',
  ],
  flags: {
    values: { type: 'string', arg: 'FILE', help: 'lint the values file and the chart it would generate', default: DEFAULT_VALUES_FILE },
    file: {
      type: 'string', short: 'f', multiple: true, arg: 'PATH',
      help: 'lint Kubernetes/Istio YAML instead: files, or folders searched recursively for\n*.yaml/*.yml; multi-document; "-" reads standard input (e.g. helm template ... | zonal lint -f -)',
    },
    zones: { type: 'string', arg: 'LIST', help: 'the cluster\'s zones (comma-separated), for the zone-membership rule (with -f)' },
    region: { type: 'string', arg: 'R', help: 'the cluster\'s region (with -f)' },
    'istio-version': { type: 'string', arg: 'V', help: 'Istio version of the control plane (with -f): 1.29 to 1.32, default 1.31.1' },
    'dns-capture': { type: 'boolean', help: 'the mesh captures DNS and auto-allocates ServiceEntry addresses mesh-wide (with -f)' },
    json: { type: 'boolean', help: 'print one JSON array of findings {code, severity, message, file, line, kind, name, namespace[, istio]}' },
  },
  positionals: true,
  footer: 'Output: file:line: SEVERITY ZNLnnn message. Exit 0 without errors, 1 with errors, 2 for bad usage or unreadable/invalid input.',
}, async ({ flags, positionals }, io) => {
  const files = flags.file ?? [];
  if (positionals.length > 0 && files.length === 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (lint files with -f PATH, a values file with --values FILE)`);
  }
  const clusterFlags = (['zones', 'region', 'istio-version', 'dns-capture'] as const).filter((k) => flags[k] !== undefined);
  let findings: Finding[];
  if (files.length > 0) {
    if (flags.values !== undefined) throw new UsageError('use either --values or -f, not both');
    const context: LintContext = {
      ...(flags.zones !== undefined ? { zones: parseZonesFlag(flags.zones) } : {}),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      ...(flags['istio-version'] !== undefined ? { istioVersion: flags['istio-version'] } : {}),
      ...(flags['dns-capture'] ? { meshDnsAutoAllocate: true } : {}),
    };
    if (context.istioVersion !== undefined) behaviourOf(context.istioVersion, 'zonal lint: --istio-version');
    const sources = [...files, ...positionals];
    const objects = await readManifestSources(sources, io.cwd, io.readStdin);
    // A failed `helm template | zonal lint -f -` gives empty input: that must not pass as clean.
    if (objects.length === 0) {
      throw new InputError([`zonal lint: no Kubernetes objects in ${sources.map((s) => (s === '-' ? STDIN_NAME : s)).join(', ')} (pass manifests with apiVersion, kind and metadata, e.g. helm template ... | zonal lint -f -)`]);
    }
    findings = lintObjects(objects, context);
  } else {
    if (clusterFlags.length > 0) {
      throw new UsageError(`--${clusterFlags[0]} applies to -f only; with --values the values file describes the cluster and mesh`);
    }
    findings = lintValuesFile(flags.values ?? DEFAULT_VALUES_FILE, io);
  }
  if (flags.json) io.stdout(formatJson(findings));
  else {
    io.stdout(formatHuman(findings));
    io.stderr(summary(findings));
  }
  return hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK;
});
