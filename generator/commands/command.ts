/**
 * The contract every `zonal` sub-command implements. Commands receive their arguments and an IO
 * context (so tests can run them in-process) and return the process exit code:
 * 0 ok, 1 findings or differences, 2 bad input or usage.
 */
export interface CommandIO {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `-f -`). */
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  /** One line for `zonal --help`. */
  readonly summary: string;
  /** Full usage text for `zonal <name> --help`. */
  readonly usage: string;
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

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
