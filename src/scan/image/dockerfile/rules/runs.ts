import { judgedInstructions, type Dockerfile, type ScopedInstruction } from '../model.js';
import type { RuleReport } from '../rule.js';
import { runScript, type ShellCommand, type ShellScript } from '../shell.js';

export interface RunContext {
  scoped: ScopedInstruction;
  script: ShellScript;
}

/**
 * Every RUN of the stages BuildKit builds (or only of the shipped ones, whose layers are the image),
 * `ONBUILD RUN` included, with its parsed shell commands.
 */
export function runs(dockerfile: Dockerfile, which: 'built' | 'shipped' = 'built'): RunContext[] {
  return judgedInstructions(dockerfile, which)
    .filter((s) => s.instruction.keyword === 'RUN')
    .map((scoped) => ({ scoped, script: runScript(scoped) }));
}

/** A report that points at a command of a RUN. */
export function atCommand(run: RunContext, command: ShellCommand, messageId: string, data: Record<string, string | number> = {}): RuleReport {
  const instruction = run.scoped.instruction;
  return command.argsIndex !== undefined ? { messageId, data, instruction, argsIndex: command.argsIndex } : { messageId, data, instruction, position: command.position };
}
