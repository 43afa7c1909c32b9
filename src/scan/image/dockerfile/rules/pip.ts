import { programOf, type ShellCommand } from '../shell.js';

export interface PipInstall {
  /** pip or pipx. */
  tool: 'pip' | 'pipx';
  /** The words after `install`, `install` included. */
  args: string[];
}

/**
 * `pip install …`, `pip3 install …`, `python -m pip install …` and `pipx install …`; undefined for
 * any other command (`pipenv install` is another tool).
 */
export function pipInstall(command: ShellCommand): PipInstall | undefined {
  const program = programOf(command);
  if (!program) return undefined;
  const isPip = (word: string | undefined): boolean => /^pip[0-9.]*$/.test(word ?? '');
  if (program.name === 'pipx') return program.args[0] === 'install' ? { tool: 'pipx', args: program.args } : undefined;
  const args = /^python[0-9.]*$/.test(program.name) && program.args[0] === '-m' && isPip(program.args[1]) ? program.args.slice(2) : isPip(program.name) ? program.args : undefined;
  return args && args[0] === 'install' ? { tool: 'pip', args } : undefined;
}

/** The words after `install` of a pip install (not pipx); undefined for any other command. */
export function pipInstallArgs(command: ShellCommand): string[] | undefined {
  const found = pipInstall(command);
  return found?.tool === 'pip' ? found.args : undefined;
}
