import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';
import { commandNames, commandTable, loadCommand } from './commands/index.js';
import { unknownNameMessage } from './commands/flag-errors.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, InputError, UsageError, type Command, type CommandIO } from './commands/command.js';
import { escapeControls } from './model/problems.js';

async function help(): Promise<string> {
  return `zonal: keep Kubernetes traffic inside its availability zone

Usage: zonal <command> [options]    (zonal <command> --help for details)

Commands:
${await commandTable()}

Exit codes: 0 ok, 1 findings or differences, 2 bad input, 70 a bug in zonal.
`;
}

/**
 * What escaped a command and is neither an InputError nor a UsageError is a bug in zonal: bad
 * input is described (file:line:col or `zonal <cmd>: what (fix)`) where it is found, so an errno
 * or a TypeError reaching this point means a path zonal did not guard.
 */
function bugMessage(name: string, err: unknown): string {
  const message = escapeControls(err instanceof Error ? err.message : String(err));
  return `zonal ${name}: this is a bug in zonal: ${message} (please report it with the command line; ZONAL_DEBUG=1 prints the stack)\n`;
}

/** Runs one CLI invocation; never throws, so no stack trace reaches a user. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name ? 0 : EXIT_BAD_INPUT;
  }
  if (name === '--version') {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    io.stdout(`${pkg.version}\n`);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr(`zonal: ${escapeControls(unknownNameMessage('command', name, commandNames))}\n`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  return runCommand(command, rest, io);
}

/** Runs one command and maps what it throws to an exit code and a message (exported for tests). */
export async function runCommand(command: Command, args: readonly string[], io: CommandIO): Promise<number> {
  const name = command.name;
  try {
    return await command.run(args, io);
  } catch (err) {
    // One line per problem, whatever the offending value holds: line breaks and control
    // characters of user strings (a file name, a flag value) are shown escaped.
    if (err instanceof InputError) {
      io.stderr(`${err.problems.map(escapeControls).join('\n')}\n`);
      return EXIT_BAD_INPUT;
    }
    if (err instanceof UsageError) {
      io.stderr(`zonal ${name}: ${escapeControls(err.message)}\n\n${command.usage}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(bugMessage(name, err));
    if (io.env.ZONAL_DEBUG) io.stderr(`${(err as Error).stack}\n`);
    return EXIT_INTERNAL;
  }
}
