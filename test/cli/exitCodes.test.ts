import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { EXIT_CODES, exitCodeTable } from '../../src/cli/exitCodes.js';

/** Every command the CLI registers, as users type it ("netpol matrix"), from the command modules themselves. */
async function leafCommands(): Promise<string[]> {
  const program = new Command('palisade');
  for (const entry of COMMANDS) {
    const module = (await entry.load()) as { register: (program: Command, setExit: (code: number) => void) => void | Promise<void> };
    await module.register(program, () => undefined);
  }
  const leaves: string[] = [];
  const walk = (command: Command, prefix: string[]): void => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      // A command that runs (an action, or no subcommands) has a row; a pure group (netpol, scan) has not.
      if (sub.commands.length === 0 || (sub as unknown as { _actionHandler?: unknown })._actionHandler) leaves.push(path.join(' '));
      walk(sub, path);
    }
  };
  walk(program, []);
  return leaves.sort();
}

describe('the exit-code table', () => {
  it('has one row for every command the CLI registers', async () => {
    expect(EXIT_CODES.map((row) => row.command).sort()).toEqual(await leafCommands());
  });

  it('is the README table, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- exit-codes:start[^\n]*-->\n([\s\S]*?)\n<!-- exit-codes:end -->/.exec(readme);
    expect(block?.[1]).toBe(exitCodeTable());
  });
});
