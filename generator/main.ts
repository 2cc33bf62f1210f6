import { readFileSync } from 'node:fs';
import { commandLoaders } from './commands/index.js';
import { EXIT_BAD_INPUT, InputError, UsageError, type CommandIO } from './commands/command.js';

const HELP = `zonal: keep Kubernetes traffic inside its availability zone

Usage: zonal <command> [options]    (zonal <command> --help for details)

Commands:
${commandLoaders.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Exit codes: 0 ok, 1 findings or differences, 2 bad input.
`;

/** Runs one CLI invocation; never throws, so no stack trace reaches a user. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : EXIT_BAD_INPUT;
  }
  if (name === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout(`${pkg.version}\n`);
    return 0;
  }
  const entry = commandLoaders.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`zonal: unknown command "${name}" (commands: ${commandLoaders.map((c) => c.name).join(', ')})\n`);
    return EXIT_BAD_INPUT;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`${err.problems.join('\n')}\n`);
      return EXIT_BAD_INPUT;
    }
    if (err instanceof UsageError) {
      io.stderr(`zonal ${name}: ${err.message}\n\n${command.usage}\n`);
      return EXIT_BAD_INPUT;
    }
    const e = err as NodeJS.ErrnoException;
    const detail = e.code && e.path ? `${e.code}: ${e.path}` : e.message;
    io.stderr(`zonal ${name}: ${detail}\n`);
    if (io.env.ZONAL_DEBUG) io.stderr(`${e.stack}\n`);
    return EXIT_BAD_INPUT;
  }
}
