import { expandIn, judgedInstructions, type Dockerfile, type ScopedInstruction } from '../model.js';
import { splitWords } from '../words.js';

export interface CopySource {
  scoped: ScopedInstruction;
  value: string;
  argsIndex: number;
}

/** Sources of COPY/ADD from the build context (not --from another stage, not heredocs). */
export function contextSources(dockerfile: Dockerfile): CopySource[] {
  const found: CopySource[] = [];
  for (const scoped of judgedInstructions(dockerfile)) {
    const instruction = scoped.instruction;
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
    if (instruction.flags.some((f) => f.name === 'from')) continue;
    const heredocNames = new Set(instruction.heredocs.map((h) => h.name));
    const words = instruction.json ? instruction.json.map((raw) => ({ raw, start: 0 })) : splitWords(instruction.rest, dockerfile.escape);
    for (const word of words.slice(0, -1)) {
      if (/^<<-?["']?([A-Za-z_]\w*)["']?$/.test(word.raw) && heredocNames.has(word.raw.replace(/^<<-?["']?|["']?$/g, ''))) continue;
      found.push({ scoped, value: expandIn(dockerfile, scoped, word.raw), argsIndex: instruction.restStart + word.start });
    }
  }
  return found;
}
