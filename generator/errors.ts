/**
 * The errors every layer may throw. This module sits at the bottom of the import graph: domain
 * modules (model, k8s, cost, flowlogs, simulate, istio ...) throw these, and only the CLI layer
 * (`commands/`, `cli.ts`) turns them into exit codes and messages.
 *
 * - `UsageError`: wrong flags or arguments; the CLI prints the message and the usage, exit 2.
 * - `InputError`: bad user input, already described as one line per problem
 *   (`file:line:col: what is wrong (how to fix)` or `command: what (fix)`), exit 2.
 * - anything else escaping a command is a bug in zonal: exit 70 with "this is a bug in zonal".
 */

/** Thrown for wrong flags or arguments; the CLI prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Thrown for bad user input that has already been described as one line per problem
 * (`file:line:col: what is wrong (how to fix)`); the CLI prints the lines, exit 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;
/** BSD `EX_SOFTWARE`: an internal error, never the user's fault. */
export const EXIT_INTERNAL = 70;
