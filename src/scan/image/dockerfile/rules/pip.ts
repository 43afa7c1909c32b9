import { programOf, type ShellCommand } from '../shell.js';

/** The words after `install` of `pip install …`, `pip3 install …` or `python -m pip install …`; undefined for any other command. */
export function pipInstallArgs(command: ShellCommand): string[] | undefined {
  const program = programOf(command);
  if (!program) return undefined;
  const isPip = (word: string | undefined): boolean => /^pip[0-9.]*$/.test(word ?? '');
  const args = /^python[0-9.]*$/.test(program.name) && program.args[0] === '-m' && isPip(program.args[1]) ? program.args.slice(2) : isPip(program.name) ? program.args : undefined;
  return args && args[0] === 'install' ? args : undefined;
}
