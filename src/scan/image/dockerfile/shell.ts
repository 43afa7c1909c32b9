import type { ScopedInstruction } from './model.js';
import type { Position } from './parser.js';
import { splitWords } from './words.js';

/**
 * Simple commands of a RUN script, split on `&&`, `||`, `;`, `&`, `|` and newlines outside quotes.
 * Enough to ask "is curl piped into sh", "does this apt-get install pass --no-install-recommends":
 * not a shell interpreter.
 */
export interface ShellCommand {
  /** Words with quotes removed. */
  words: string[];
  /** The operator that joins this command to the previous one ('' for the first). */
  after: string;
  /** Where the command's first word is. */
  position: Position;
  /** For commands from the instruction's own text: index in `args`. */
  argsIndex?: number;
}

export interface ShellScript {
  commands: ShellCommand[];
  /** The whole script text, heredoc bodies included (for whole-script questions). */
  text: string;
}

/** Sticky: matched at an index without slicing the text (slicing per character made long scripts quadratic). */
const OPERATOR = /&&|\|\||;|&|\||\n/y;

function unquote(word: string): string {
  return word.replace(/\\(.)/g, '$1').replace(/^(["'])([\s\S]*)\1$/, '$2');
}

function splitCommands(text: string, positionOf: (index: number) => Position, argsOffset: number | undefined): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let quote: string | undefined;
  let start = 0;
  let after = '';
  const flush = (end: number, operator: string): void => {
    const piece = text.slice(start, end);
    const words = splitWords(piece, '\\');
    const first = words[0];
    if (first) {
      const index = start + first.start;
      commands.push({ words: words.map((w) => unquote(w.raw)), after, position: positionOf(index), ...(argsOffset === undefined ? {} : { argsIndex: argsOffset + index }) });
    }
    after = operator;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && quote !== "'") {
      i += 2;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      // A comment runs to the end of the line.
      const newline = text.indexOf('\n', i);
      flush(i, '\n');
      i = newline < 0 ? text.length : newline + 1;
      start = i;
      continue;
    }
    OPERATOR.lastIndex = i;
    const operator = OPERATOR.exec(text)?.[0];
    if (operator) {
      flush(i, operator);
      i += operator.length;
      start = i;
      continue;
    }
    i++;
  }
  flush(text.length, '');
  return commands;
}

/** The shell commands a RUN instruction runs: its shell-form text or exec form, and heredoc bodies. */
export function runScript(scoped: ScopedInstruction): ShellScript {
  // Every RUN rule asks for the script: split it once per instruction.
  let script = SCRIPTS.get(scoped.instruction);
  if (!script) SCRIPTS.set(scoped.instruction, (script = splitScript(scoped)));
  return script;
}

const SCRIPTS = new WeakMap<object, ShellScript>();

function splitScript(scoped: ScopedInstruction): ShellScript {
  const instruction = scoped.instruction;
  if (instruction.json) {
    const text = instruction.json.join(' ');
    const position = instruction.positionAt(instruction.restStart);
    return { commands: splitCommands(text, () => position, undefined), text };
  }
  const commands = splitCommands(instruction.rest, (index) => instruction.positionAt(instruction.restStart + index), instruction.restStart);
  let text = instruction.rest;
  for (const heredoc of instruction.heredocs) {
    text += '\n' + heredoc.body;
    const lineStarts = [0];
    for (let k = 0; k < heredoc.body.length; k++) if (heredoc.body[k] === '\n') lineStarts.push(k + 1);
    const positionOf = (index: number): Position => {
      const line = lastAtOrBefore(lineStarts, index);
      // For `<<-` bodies the column is counted after the stripped tabs.
      return { line: heredoc.line + line, column: index - (lineStarts[line] as number) + 1 };
    };
    // A loop, not push(...spread): a heredoc of 100,000 commands would overflow the call stack.
    for (const command of splitCommands(heredoc.body, positionOf, undefined)) commands.push(command);
  }
  return { commands, text };
}

/** Index of the last sorted value ≤ `value` (0 when none is). */
export function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((sorted[mid] as number) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The program a command runs, past `sudo`, `env X=1` and similar wrappers. */
export function programOf(command: ShellCommand): { name: string; args: string[] } | undefined {
  const words = [...command.words];
  while (words.length > 0) {
    const first = words[0] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first) || ['sudo', 'env', 'exec', 'time', 'nohup', 'command'].includes(first)) words.shift();
    else break;
  }
  const name = words[0];
  if (name === undefined) return undefined;
  return { name: name.replace(/^.*\//, ''), args: words.slice(1) };
}
