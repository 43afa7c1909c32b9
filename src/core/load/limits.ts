import { skipJsonString } from './jsonScan.js';

/**
 * Nesting limits. Go's encoding/json and go-yaml refuse documents nested deeper than 10,000
 * levels; palisade's checks walk objects recursively, and no Kubernetes object comes near even a
 * hundred levels, so a document deeper than the limit is refused (with its position) and the
 * other documents are still read.
 */
export const DEFAULT_MAX_DEPTH = 512;

/**
 * The offset of the bracket that takes JSON text in [from, to) deeper than `max` levels, or -1.
 * Strings are skipped, so brackets inside them do not count.
 */
export function jsonTooDeepAt(text: string, from: number, to: number, max: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = skipJsonString(text, i, to);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Whether a plain value nests deeper than `max` objects/arrays; iterative, so any depth is safe. */
export function valueTooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export function tooDeepMessage(max: number): string {
  return `refused: this document nests deeper than ${max} levels (no Kubernetes object comes close; limit maxDepth)`;
}

/** 1-based line and column of an offset, counted from the text (the fast path has no line index yet). */
export function textPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
