import type { Command } from './command.js';

/**
 * Every sub-command, in the order `zonal --help` lists them. Each lives in its own module and is
 * loaded lazily so that `zonal generate` does not pay for the simulator or the flow-log parser.
 */
export const commandLoaders: ReadonlyArray<{ name: string; summary: string; load: () => Promise<Command> }> = [
  { name: 'generate', summary: 'values file -> Helm chart (and Argo CD manifests)', load: async () => (await import('./generate.js')).default },
  { name: 'probe', summary: 'call a zone-reporting service N times, tally the zones that answered', load: async () => (await import('./probe.js')).default },
];
