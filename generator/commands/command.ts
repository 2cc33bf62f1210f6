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
  /** Standard output and standard error are terminals: only then are progress bars drawn (on stderr). */
  readonly tty?: boolean;
  /** Width of the terminal, when known. */
  readonly columns?: number;
}

export interface Command {
  readonly name: string;
  /** One line for `zonal --help`. */
  readonly summary: string;
  /** Full usage text for `zonal <name> --help`. */
  readonly usage: string;
  /** The example command lines shown in `--help` (declare.ts `examples`). */
  readonly examples?: readonly string[];
  /** Parses args as run would, without running (throws UsageError); used to check the examples. */
  readonly checkArgs?: (args: readonly string[]) => void;
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

// The errors and exit codes live at the bottom of the import graph (generator/errors.ts);
// re-exported here so command modules keep one import.
export { EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL, UsageError, InputError } from '../errors.js';
