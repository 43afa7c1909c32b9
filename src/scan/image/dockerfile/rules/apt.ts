import type { Flag } from '../parser.js';
import { programOf, type ShellCommand } from '../shell.js';

/** The Debian front ends that install packages (apt-get(8), apt(8), aptitude(8)). */
const APT_PROGRAMS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'aptitude']);

/** `apt-get install …`, `apt install …`, `aptitude install …` commands, with the words after the program. */
export function aptInstalls(commands: readonly ShellCommand[]): Array<{ command: ShellCommand; program: string; args: string[] }> {
  const found: Array<{ command: ShellCommand; program: string; args: string[] }> = [];
  for (const command of commands) {
    const program = programOf(command);
    if (!program || !APT_PROGRAMS.has(program.name)) continue;
    if (!program.args.includes('install')) continue;
    found.push({ command, program: program.name, args: program.args });
  }
  return found;
}

/**
 * The directories a RUN's `--mount=type=cache|tmpfs,target=…` keeps out of the layer (BuildKit
 * mount options: target, also spelled dst and destination), without trailing slashes.
 */
export function mountedAway(flags: readonly Flag[]): string[] {
  const targets: string[] = [];
  for (const flag of flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const fields = new Map(flag.value.split(',').map((field) => {
      const [key = '', value = ''] = field.split('=', 2);
      return [key.trim().toLowerCase(), value.trim()] as const;
    }));
    const type = fields.get('type') ?? 'bind';
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if ((type === 'cache' || type === 'tmpfs') && target) targets.push(target.replace(/\/+$/, ''));
  }
  return targets;
}
