import { describe, expect, it } from '@jest/globals';
import { commandNames, loadCommand } from '../../generator/commands/index.js';
import type { Command } from '../../generator/commands/command.js';
import { runCli } from '../support/generate.js';
import { simpleCommands } from '../support/shell-words.js';

const commands: Command[] = [];
for (const name of commandNames) commands.push((await loadCommand(name))!);

/** The arguments after `zonal <name>` in an example line (which may pipe into or out of zonal). */
function zonalArgs(example: string, name: string): string[] {
  const invocations = simpleCommands(example).filter((words) => words[0] === 'zonal');
  expect(invocations).toHaveLength(1);
  expect(invocations[0]![1]).toBe(name);
  return invocations[0]!.slice(2);
}

describe.each(commands.map((c) => [c.name, c] as const))('zonal %s --help', (name, command) => {
  it('THEN it prints an Examples section with at least one complete command line', async () => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    const section = r.stdout.split('\n\nExamples:\n')[1];
    expect(section).toBeDefined();
    const shown = section!.split('\n\n')[0]!.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(shown).toEqual(command.examples);
    expect(command.examples!.length).toBeGreaterThan(0);
  });

  it('THEN every example parses with the command\'s own flags (and a mistyped flag would not)', () => {
    expect(command.checkArgs).toBeDefined();
    for (const example of command.examples!) {
      const args = zonalArgs(example, name);
      expect(() => command.checkArgs!(args)).not.toThrow();
      // The check is real: the same line with a flag that does not exist is refused.
      expect(() => command.checkArgs!([...args, '--no-such-flag'])).toThrow(/unknown flag --no-such-flag/);
    }
  });
});

describe('GIVEN a mistyped command, sub-command or kind', () => {
  it.each([
    [['genrate'], 'zonal: unknown command "genrate" (did you mean generate?)'],
    [['simluate', '--values', 'x.yaml'], 'zonal: unknown command "simluate" (did you mean simulate?)'],
    [['flowlog'], 'zonal: unknown command "flowlog" (did you mean flowlogs?)'],
    [['banana'], `zonal: unknown command "banana" (commands: ${commandNames.join(', ')})`],
    [['flowlogs', 'qeury'], 'zonal flowlogs: unknown sub-command "qeury" (did you mean query?)'],
    [['flowlogs'], 'zonal flowlogs: name a sub-command: analyze, query'],
    [['infra', 'athen'], 'zonal infra: unknown sub-command "athen" (did you mean athena?)'],
    [['discover', 'mks'], 'zonal discover: unknown kind "mks" (did you mean msk?)'],
  ])('WHEN zonal %j runs THEN exit 2 and the first line suggests the name', async (args, first) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });
});
