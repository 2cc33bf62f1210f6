import type { Command } from './command.js';

/**
 * Every sub-command, in the order `zonal --help` lists them. Each lives in its own module and is
 * loaded lazily so that `zonal generate` does not pay for the simulator or the flow-log parser.
 */
export const commandLoaders: ReadonlyArray<{ name: string; summary: string; load: () => Promise<Command> }> = [
  { name: 'generate', summary: 'values file -> Helm chart (and Argo CD manifests)', load: async () => (await import('./generate.js')).default },
  { name: 'diff', summary: 'rendered-manifest diff of the chart: working tree vs a git revision', load: async () => (await import('./diff.js')).default },
  { name: 'lint', summary: 'find locality-routing configs that silently keep traffic crossing zones', load: async () => (await import('./lint.js')).default },
  { name: 'probe', summary: 'call a zone-reporting service N times, tally the zones that answered', load: async () => (await import('./probe.js')).default },
  { name: 'flowlogs', summary: 'measure cross-zone traffic in VPC flow logs (analyze | query)', load: async () => (await import('./flowlogs.js')).default },
  { name: 'infra', summary: 'eksctl config, flow-log IAM, dashboard, Athena and Istio settings for scripts/', load: async () => (await import('./infra.js')).default },
  { name: 'simulate', summary: 'predict where each zone\'s calls go and what cross-zone traffic costs', load: async () => (await import('./simulate.js')).default },
  { name: 'report', summary: 'self-contained HTML report: traffic heatmaps, cost before/after, measured vs predicted', load: async () => (await import('./report.js')).default },
];
