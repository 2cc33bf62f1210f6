/**
 * One declaration per command: its name, one-line summary, synopsis and flags (type + help text)
 * are written once, in the command's own module, and everything else is generated from them:
 * the `zonal <cmd> --help` text (an option table in the style of cdk8s-cli/yargs), the flag parser
 * configuration, and the `zonal --help` command table (main.ts reads `summary`).
 *
 *   export default defineCommand({
 *     name: 'simulate',
 *     summary: 'predict where ...',
 *     synopsis: ['--values FILE [--json]'],
 *     description: 'Predicts ...',
 *     flags: { json: { type: 'boolean', help: 'print JSON' }, values: { type: 'string', arg: 'FILE', help: '...' } },
 *     footer: 'Exit codes: 0 ok, 2 bad input or usage.',
 *   }, async ({ flags, positionals }, io) => EXIT_OK);
 *
 * Commands with sub-commands (infra, flowlogs) declare their sub-commands' flags the same way with
 * `flagTable`/`parseDeclared` and put the sub-command list in `description`.
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command, type CommandIO } from './command.js';
import { flagErrorMessage, unknownNameMessage } from './flag-errors.js';

/** One flag: how it parses and how `--help` describes it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder for the value in the option table, e.g. FILE, N, LIST (string flags). */
  readonly arg?: string;
  /** Help text; a multi-line text is indented under its first line (flags without help are not listed). */
  readonly help?: string;
  /** Shown as "(default X)" after the help text; the command applies it (one source: pass the same constant). */
  readonly default?: string | number;
  /** Left out of the option table (aliases kept for compatibility). */
  readonly hidden?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? (S['multiple'] extends true ? boolean[] : boolean)
  : (S['multiple'] extends true ? string[] : string);

/** The parsed flags: each one absent unless given. */
export type FlagValues<F extends FlagSpecs> = { -readonly [K in keyof F]?: FlagValue<F[K]> };

export interface CommandSpec<F extends FlagSpecs> {
  readonly name: string;
  /** One line for the `zonal --help` command table. */
  readonly summary: string;
  /** Usage lines without the leading `zonal <name> `, e.g. `--values FILE [--json]`. */
  readonly synopsis: readonly string[];
  /** What the command does, one or more paragraphs (printed between usage and options). */
  readonly description?: string;
  readonly flags: F;
  /** Whether positional arguments are accepted (otherwise they are a usage error). */
  readonly positionals?: boolean;
  /** Printed after the option table, e.g. the exit codes. */
  readonly footer?: string;
  /** Title of the option table. @default 'Options:' */
  readonly flagsTitle?: string;
  /**
   * Complete command lines (`zonal <name> ...`) printed under "Examples:" in `--help`; each one
   * parses with the command's own flags (test/commands/help-examples.test.ts checks them).
   */
  readonly examples?: readonly string[];
}

/** How one sub-command parses (for commands declared with defineCommandWithSubcommands). */
export interface SubcommandSpec {
  readonly flags: FlagSpecs;
  readonly positionals?: boolean;
}

export interface Parsed<F extends FlagSpecs> {
  readonly flags: FlagValues<F>;
  readonly positionals: string[];
}

/** The flag column of the option table: `-f, --file PATH` or `    --json`. */
function flagColumn(name: string, spec: FlagSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.arg ?? 'VALUE'}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
}

/** The option table for a set of flags, aligned on one help column. */
export function flagTable(flags: FlagSpecs, title = 'Options:'): string {
  const rows = Object.entries(flags).filter(([, s]) => !s.hidden && s.help !== undefined).map(([name, spec]) => {
    const help = spec.default !== undefined ? `${spec.help} (default ${spec.default})` : spec.help!;
    return { left: flagColumn(name, spec), lines: help.split('\n') };
  });
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  const body = rows.map((r) => r.lines.map((l, i) => `  ${(i === 0 ? r.left : '').padEnd(width)}${l}`.trimEnd()).join('\n'));
  return `${title}\n${body.join('\n')}\n`;
}

/** The full `zonal <name> --help` text of a declaration. */
export function usageText(spec: CommandSpec<FlagSpecs>): string {
  const lead = 'Usage: ';
  const usage = spec.synopsis
    .map((s, i) => `${i === 0 ? lead : ' '.repeat(lead.length)}zonal ${spec.name}${s ? ` ${s}` : ''}`)
    .join('\n');
  const examples = spec.examples?.length ? [`Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`] : [];
  const parts = [usage, ...(spec.description ? [spec.description.trimEnd()] : []), flagTable(spec.flags, spec.flagsTitle).trimEnd(), ...examples, ...(spec.footer ? [spec.footer.trimEnd()] : [])];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** Parses args against declared flags (strict: unknown flags are a UsageError, exit 2). */
export function parseDeclared<const F extends FlagSpecs>(args: readonly string[], flags: F, allowPositionals = false): Parsed<F> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(flags)) {
    options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals, strict: true });
    return { flags: values as FlagValues<F>, positionals };
  } catch (err) {
    throw new UsageError(flagErrorMessage(err, Object.keys(flags).filter((f) => !flags[f]!.hidden), (f) => flags[f]?.arg ?? 'VALUE'));
  }
}

/** A Command whose usage text and flag parsing come from its one declaration. */
export function defineCommand<const F extends FlagSpecs>(
  spec: CommandSpec<F>,
  run: (parsed: Parsed<F>, io: CommandIO) => Promise<number>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: usageText(spec),
    examples: spec.examples ?? [],
    checkArgs: (args) => { parseDeclared(args, spec.flags, spec.positionals ?? false); },
    run: async (args, io) => run(parseDeclared(args, spec.flags, spec.positionals ?? false), io),
  };
}

/**
 * A command with sub-commands (`zonal infra eksctl ...`): name, summary and usage come from the
 * declaration (its `flags` are the options every sub-command shares); `run` receives the raw
 * arguments and dispatches, parsing each sub-command's flags with parseDeclared.
 */
export function defineCommandWithSubcommands(
  spec: CommandSpec<FlagSpecs> & { readonly subcommands?: Readonly<Record<string, SubcommandSpec>> },
  run: (args: readonly string[], io: CommandIO) => Promise<number>,
): Command {
  const checkArgs = (args: readonly string[]): void => {
    const [sub, ...rest] = args;
    const subs = spec.subcommands ?? {};
    const s = sub === undefined || !Object.hasOwn(subs, sub) ? undefined : subs[sub];
    if (!s) throw new UsageError(unknownNameMessage('sub-command', sub, Object.keys(subs)));
    parseDeclared(rest, s.flags, s.positionals ?? false);
  };
  return { name: spec.name, summary: spec.summary, usage: usageText(spec), examples: spec.examples ?? [], checkArgs, run };
}
