import { formatMessage } from '../../../core/rule.js';
import { badDirective } from './diagnostics/badDirective.js';
import { emptyContinuation } from './diagnostics/emptyContinuation.js';
import { missingArguments } from './diagnostics/missingArguments.js';
import { noFrom } from './diagnostics/noFrom.js';
import { unknownInstruction } from './diagnostics/unknownInstruction.js';
import { unterminatedHeredoc } from './diagnostics/unterminatedHeredoc.js';
/**
 * A Dockerfile parser that follows BuildKit's frontend (moby/buildkit frontend/dockerfile/parser):
 * parser directives (`# escape=`), line continuations with the escape character (trailing blanks
 * allowed), comment and empty lines inside continuations dropped, heredocs (`<<EOF`, `<<-EOF`,
 * quoted terminators) for RUN/COPY/ADD, JSON ("exec") versus shell form, and leading `--flags`.
 *
 * Every instruction keeps where each character of its arguments came from, so a rule can point at
 * the exact word it is about (the `latest` tag, the `curl` of a `curl | sh`), not just the line.
 */

/** 1-based, like every Location in palisade. */
export interface Position {
  line: number;
  column: number;
}

export interface Flag {
  name: string;
  /** undefined for a bare flag such as `--link`. */
  value?: string;
  /** Index of the `--` in `Instruction.args`. */
  start: number;
}

export interface Heredoc {
  /** The terminator word, e.g. EOF. */
  name: string;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  stripTabs: boolean;
  /** A quoted terminator (`<<"EOF"`) turns expansion off in the body. */
  expand: boolean;
  body: string;
  /** Line of the first body line. */
  line: number;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN… */
  keyword: string;
  /** The arguments after the keyword, continuations joined, comment lines removed. */
  args: string;
  /** `args` without the leading flags. */
  rest: string;
  /** Index of `rest` in `args`. */
  restStart: number;
  flags: Flag[];
  /** The JSON ("exec") form, when `rest` is a JSON array of strings. */
  json?: string[];
  heredocs: Heredoc[];
  /** Where the keyword starts. */
  line: number;
  column: number;
  /** The last source line of the instruction (heredoc bodies included). */
  endLine: number;
  /** Source position of a character of `args` (or of the keyword for -1). */
  positionAt(argsIndex: number): Position;
  /**
   * ONBUILD only: the instruction it wraps (`ONBUILD RUN …` → the RUN), read like any instruction,
   * its positions in this file. Absent when the wrapped keyword is unknown or not allowed there.
   */
  wrapped?: Instruction;
}

export interface ParseDiagnostic {
  code: 'DOCKERFILE_UNKNOWN_INSTRUCTION' | 'DOCKERFILE_UNTERMINATED_HEREDOC' | 'DOCKERFILE_EMPTY_CONTINUATION' | 'DOCKERFILE_BAD_DIRECTIVE' | 'DOCKERFILE_NO_FROM' | 'DOCKERFILE_MISSING_ARGUMENTS';
  message: string;
  line: number;
  column: number;
}

export interface ParsedDockerfile {
  /** Parser directives, lower-case names: escape, syntax, check. */
  directives: Record<string, string>;
  escape: '\\' | '`';
  instructions: Instruction[];
  diagnostics: ParseDiagnostic[];
}

/** Instructions BuildKit knows; anything else is reported, not guessed at. */
export const KNOWN_INSTRUCTIONS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments start with `--flag[=value]` words. */
const FLAG_INSTRUCTIONS: ReadonlySet<string> = new Set(['ADD', 'COPY', 'FROM', 'RUN', 'HEALTHCHECK']);
/** Instructions that may carry heredocs (BuildKit: RUN, COPY, ADD). */
const HEREDOC_INSTRUCTIONS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);
/** Instructions whose arguments may be a JSON array. */
const JSON_INSTRUCTIONS: ReadonlySet<string> = new Set(['ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME', 'HEALTHCHECK']);

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** One physical line of the file, without its line break. */
interface Line {
  text: string;
  number: number;
}

function splitLines(text: string): Line[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r?\n/).map((lineText, i) => ({ text: lineText, number: i + 1 }));
}

/** A segment of `args` copied from one source line, starting at a source column. */
interface Segment {
  argsStart: number;
  line: number;
  column: number;
}

function readDirectives(lines: readonly Line[], diagnostics: ParseDiagnostic[]): { directives: Record<string, string>; next: number } {
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const match = DIRECTIVE.exec((lines[i] as Line).text);
    if (!match) break;
    const name = (match[1] as string).toLowerCase();
    if (name in directives) {
      diagnostics.push({ code: 'DOCKERFILE_BAD_DIRECTIVE', message: formatMessage(badDirective, 'twice', { name }), line: i + 1, column: 1 });
      continue;
    }
    directives[name] = match[2] as string;
  }
  return { directives, next: i };
}

function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

function isComment(text: string): boolean {
  return /^[ \t]*#/.test(text);
}

/** Parse Dockerfile text. Never throws: problems are diagnostics with positions. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const diagnostics: ParseDiagnostic[] = [];
  const lines = splitLines(text);
  const { directives, next } = readDirectives(lines, diagnostics);
  let escape: '\\' | '`' = '\\';
  if (directives.escape !== undefined) {
    if (directives.escape === '`' || directives.escape === '\\') escape = directives.escape;
    else diagnostics.push({ code: 'DOCKERFILE_BAD_DIRECTIVE', message: formatMessage(badDirective, 'escape', { escape: directives.escape }), line: 1, column: 1 });
  }
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const instructions: Instruction[] = [];

  let i = next;
  while (i < lines.length) {
    const first = lines[i] as Line;
    i++;
    if (isBlank(first.text) || isComment(first.text)) continue;

    // Join continued lines, remembering where each piece of text came from.
    const segments: Segment[] = [];
    let joined = '';
    let current: Line = first;
    let startColumn = 1;
    for (;;) {
      const match = continuation.exec(current.text);
      const piece = match ? current.text.slice(0, match.index) : current.text;
      segments.push({ argsStart: joined.length, line: current.number, column: startColumn });
      joined += piece;
      startColumn = 1;
      if (!match) break;
      // Skip comment and empty lines inside the continuation, as BuildKit does.
      let found: Line | undefined;
      while (i < lines.length) {
        const candidate = lines[i] as Line;
        i++;
        if (isComment(candidate.text)) continue;
        if (isBlank(candidate.text)) {
          diagnostics.push({ code: 'DOCKERFILE_EMPTY_CONTINUATION', message: formatMessage(emptyContinuation, 'empty'), line: candidate.number, column: 1 });
          continue;
        }
        found = candidate;
        break;
      }
      if (!found) break;
      current = found;
    }
    const lastLine = current.number;

    const leading = /^[ \t]*/.exec(joined)?.[0].length ?? 0;
    const keywordMatch = /^([A-Za-z]+)/.exec(joined.slice(leading));
    const keywordText = keywordMatch?.[1] ?? joined.slice(leading).split(/[ \t]/, 1)[0] ?? '';
    const keyword = keywordText.toUpperCase();
    const afterKeyword = leading + keywordText.length;
    const argsOffset = afterKeyword + (/^[ \t]*/.exec(joined.slice(afterKeyword))?.[0].length ?? 0);
    const args = joined.slice(argsOffset).replace(/[ \t]+$/, '');
    const positionAt = (argsIndex: number): Position => (argsIndex < 0 ? { line: first.number, column: leading + 1 } : locate(segments, argsOffset + argsIndex));

    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      diagnostics.push({ code: 'DOCKERFILE_UNKNOWN_INSTRUCTION', message: formatMessage(unknownInstruction, 'unknown', { keyword: keywordText }), line: first.number, column: leading + 1 });
      continue;
    }

    const instruction = makeInstruction(keyword, args, positionAt, first.number, leading + 1, lastLine);
    const rest = instruction.rest;
    const restStart = instruction.restStart;
    if (rest === '' && keyword !== 'HEALTHCHECK') {
      diagnostics.push({ code: 'DOCKERFILE_MISSING_ARGUMENTS', message: formatMessage(missingArguments, 'missing', { keyword }), line: first.number, column: leading + 1 });
    }
    if (keyword === 'ONBUILD') {
      // The Dockerfile reference: ONBUILD takes any instruction but ONBUILD, FROM and MAINTAINER.
      const inner = /^([A-Za-z]+)[ \t]*/.exec(args);
      const innerKeyword = inner?.[1]?.toUpperCase() ?? '';
      if (inner && KNOWN_INSTRUCTIONS.has(innerKeyword) && !NOT_IN_ONBUILD.has(innerKeyword)) {
        const offset = inner[0].length;
        instruction.wrapped = makeInstruction(innerKeyword, args.slice(offset), (index) => positionAt(index < 0 ? 0 : offset + index), first.number, positionAt(0).column, lastLine);
      }
    }
    if (HEREDOC_INSTRUCTIONS.has(keyword) && !instruction.json) {
      for (const match of rest.matchAll(HEREDOC)) {
        if (insideQuotes(rest, match.index ?? 0, escape)) continue; // echo "<<EOF" is text, not a heredoc
        const stripTabs = match[1] === '-';
        const name = match[3] as string;
        const bodyLines: string[] = [];
        const bodyStart = (lines[i]?.number ?? lastLine + 1);
        let terminated = false;
        while (i < lines.length) {
          const bodyLine = lines[i] as Line;
          i++;
          const candidate = stripTabs ? bodyLine.text.replace(/^\t+/, '') : bodyLine.text;
          if (candidate === name) {
            terminated = true;
            instruction.endLine = bodyLine.number;
            break;
          }
          bodyLines.push(candidate);
          instruction.endLine = bodyLine.number;
        }
        if (!terminated) {
          const at = positionAt(restStart + (match.index ?? 0));
          diagnostics.push({ code: 'DOCKERFILE_UNTERMINATED_HEREDOC', message: formatMessage(unterminatedHeredoc, 'unterminated', { name }), ...at });
        }
        instruction.heredocs.push({ name, stripTabs, expand: match[2] === '', body: bodyLines.length ? bodyLines.join('\n') + '\n' : '', line: bodyStart });
      }
    }
    instructions.push(instruction);
  }
  if (!instructions.some((instruction) => instruction.keyword === 'FROM')) {
    diagnostics.push({ code: 'DOCKERFILE_NO_FROM', message: formatMessage(noFrom, 'noFrom'), line: 1, column: 1 });
  }
  return { directives, escape, instructions, diagnostics };
}

/** ONBUILD may not wrap these (Dockerfile reference, ONBUILD). */
const NOT_IN_ONBUILD: ReadonlySet<string> = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

/** An instruction from its keyword and argument text: flags, the rest, the JSON form. */
function makeInstruction(keyword: string, args: string, positionAt: (argsIndex: number) => Position, line: number, column: number, endLine: number): Instruction {
  const { flags, restStart } = FLAG_INSTRUCTIONS.has(keyword) ? readFlags(args) : { flags: [], restStart: 0 };
  const rest = args.slice(restStart);
  const instruction: Instruction = { keyword, args, rest, restStart, flags, heredocs: [], line, column, endLine, positionAt };
  if (JSON_INSTRUCTIONS.has(keyword)) {
    const json = parseJsonForm(keyword === 'HEALTHCHECK' ? rest.replace(/^CMD[ \t]+/i, '') : rest);
    if (json) instruction.json = json;
  }
  return instruction;
}

function locate(segments: readonly Segment[], index: number): Position {
  // Binary search: an instruction of 100,000 continuation lines has as many segments.
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((segments[mid] as Segment).argsStart <= index) low = mid;
    else high = mid - 1;
  }
  const chosen = segments[low] as Segment;
  return { line: chosen.line, column: chosen.column + (index - chosen.argsStart) };
}

/** Leading `--name[=value]` words. Values may be quoted. */
function readFlags(args: string): { flags: Flag[]; restStart: number } {
  const flags: Flag[] = [];
  let position = 0;
  const flagPattern = /--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|[^ \t]*))?(?=[ \t]|$)/y;
  for (;;) {
    flagPattern.lastIndex = position;
    const match = flagPattern.exec(args);
    if (!match) break;
    const raw = match[2];
    const value = raw === undefined ? undefined : /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
    flags.push({ name: (match[1] as string).toLowerCase(), ...(value === undefined ? {} : { value }), start: position });
    position = flagPattern.lastIndex;
    position += /^[ \t]*/.exec(args.slice(position))?.[0].length ?? 0;
  }
  return { flags, restStart: position };
}

/** Whether a position of shell text is inside single or double quotes. */
function insideQuotes(text: string, index: number, escape: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === escape && quote !== "'") i++;
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}

/** BuildKit accepts the exec form only when the whole text is a JSON array of strings. */
function parseJsonForm(rest: string): string[] | undefined {
  const trimmed = rest.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  } catch {
    // not JSON: shell form
  }
  return undefined;
}
