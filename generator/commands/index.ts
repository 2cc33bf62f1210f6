import type { Command } from './command.js';

/**
 * Every sub-command, in the order `zonal --help` lists them. A command's name, summary, usage and
 * flags are declared once, in its own module (see declare.ts); this table only says which module
 * answers to which name. Modules are loaded lazily so that `zonal generate` does not pay for the
 * simulator or the flow-log parser (only `zonal --help` loads them all, for their summaries).
 * test/layering.test.ts checks that each module declares the name it is listed under.
 */
export const commandModules: Readonly<Record<string, () => Promise<{ default: Command }>>> = {
  generate: () => import('./generate.js'),
  diff: () => import('./diff.js'),
  lint: () => import('./lint.js'),
  probe: () => import('./probe.js'),
  flowlogs: () => import('./flowlogs.js'),
  infra: () => import('./infra.js'),
  simulate: () => import('./simulate.js'),
  report: () => import('./report.js'),
  discover: () => import('./discover.js'),
  init: () => import('./init.js'),
  schema: () => import('./schema.js'),
};

export const commandNames: readonly string[] = Object.keys(commandModules);

/** The command registered under name, or undefined for an unknown name. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  const load = Object.hasOwn(commandModules, name) ? commandModules[name] : undefined;
  return load ? (await load()).default : undefined;
}

/** The `zonal --help` command table, from each command's own declaration. */
export async function commandTable(): Promise<string> {
  // One after the other: concurrent first imports of shared modules race in jest's ESM loader.
  const commands: Command[] = [];
  for (const n of commandNames) commands.push((await loadCommand(n))!);
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
}
