import { programOf, type ShellCommand } from '../shell.js';

/** `apt-get install …`/`apt install …` commands, with the words after the program. */
export function aptInstalls(commands: readonly ShellCommand[]): Array<{ command: ShellCommand; args: string[] }> {
  const found: Array<{ command: ShellCommand; args: string[] }> = [];
  for (const command of commands) {
    const program = programOf(command);
    if (!program || (program.name !== 'apt-get' && program.name !== 'apt')) continue;
    if (!program.args.includes('install')) continue;
    found.push({ command, args: program.args });
  }
  return found;
}
