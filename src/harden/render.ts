import { Document, isCollection, isMap, isScalar, visit, type Node as YamlNode, type ToStringOptions } from 'yaml';

/**
 * How new YAML is written so that it looks like its neighbours: indentation step, whether block
 * sequences are indented under their key, line endings, and JSON-style flow collections.
 */
export interface TextStyle {
  /** Spaces per nesting level in block mappings. */
  indent: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false). */
  indentSeq: boolean;
  eol: '\n' | '\r\n';
}

/** Guess the style of a YAML text from its lines: the most common indent step and sequence habit. */
export function detectStyle(text: string): TextStyle {
  const lines = text.split(/\r?\n/);
  const steps = new Map<number, number>();
  let seqIndented = 0;
  let seqFlush = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    if (!/:\s*(#.*)?$/.test(line) || /^\s*#/.test(line)) continue;
    const next = nextContentLine(lines, i + 1);
    if (next === undefined) continue;
    // A key inside a sequence item (`- name:`) has its content column after the dash.
    const keyColumn = line.search(/\S/) + (/^\s*- /.test(line) ? line.slice(line.search(/\S/)).search(/[^-\s]/) : 0);
    const nextColumn = next.search(/\S/);
    if (/^\s*- /.test(next) || /^\s*-$/.test(next)) {
      if (nextColumn === keyColumn) seqFlush++;
      else if (nextColumn > keyColumn) seqIndented++;
    } else if (nextColumn > keyColumn) {
      const step = nextColumn - keyColumn;
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
  }
  let indent = 2;
  let best = 0;
  for (const [step, count] of steps) if (count > best || (count === best && step < indent)) [indent, best] = [step, count];
  return { indent, indentSeq: seqIndented > seqFlush, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function nextContentLine(lines: readonly string[], from: number): string | undefined {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '' && !/^\s*#/.test(line)) return line;
  }
  return undefined;
}

/** New values are written for YAML 1.1 readers (the API server's), so `yes`, `on` or `0777` strings get quoted. */
const newDocument = (value: unknown): Document => new Document(value, { version: '1.1' });

function blockOptions(style: TextStyle): ToStringOptions {
  return { indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false };
}

/** Lines of a block rendering, without the trailing newline. */
function blockLines(value: unknown, style: TextStyle): string[] {
  const text = newDocument(value).toString(blockOptions(style));
  return text.replace(/\n$/, '').split('\n');
}

/** `key: value` lines for a block mapping whose keys start at `column`. Ends with a newline. */
export function blockPairs(entries: ReadonlyArray<[string, unknown]>, column: number, style: TextStyle): string {
  const pad = ' '.repeat(column);
  const lines = entries.flatMap(([key, value]) => blockLines({ [key]: value }, style));
  return lines.map((line) => pad + line + style.eol).join('');
}

/** `- item` lines for a block sequence whose dashes are at `column`; item content `contentOffset` after the dash. */
export function blockItems(items: readonly unknown[], column: number, contentOffset: number, style: TextStyle): string {
  const pad = ' '.repeat(column);
  const out: string[] = [];
  for (const item of items) {
    const lines = isCollectionValue(item) && !isEmptyCollection(item) ? blockLines(item, style) : [inlineValue(item, false, false)];
    lines.forEach((line, i) => out.push(i === 0 ? pad + '-' + ' '.repeat(contentOffset - 1) + line : pad + ' '.repeat(contentOffset) + line));
  }
  return out.map((line) => line + style.eol).join('');
}

/**
 * A value written where a node starts at `column` (replacing a block collection in place): the first
 * line carries no indentation, the others do. Ends with a newline.
 */
export function blockValue(value: unknown, column: number, style: TextStyle): string {
  if (!isCollectionValue(value) || isEmptyCollection(value)) return inlineValue(value, false, false) + style.eol;
  const pad = ' '.repeat(column);
  return blockLines(value, style).map((line, i) => (i === 0 ? line : pad + line) + style.eol).join('');
}

/** A value on one line: a scalar, or a flow collection (JSON when the neighbours are JSON). */
export function inlineValue(value: unknown, json: boolean, padded: boolean): string {
  if (json) return JSON.stringify(value);
  const document = newDocument(value);
  visit(document, {
    Map: (_, node) => void (node.flow = true),
    Seq: (_, node) => void (node.flow = true),
  });
  return document.toString({ lineWidth: 0, minContentWidth: 0, flowCollectionPadding: padded }).replace(/\n$/, '');
}

/** `key: value` inside a flow mapping. */
export function inlinePair(key: string, value: unknown, json: boolean, padded: boolean): string {
  return json ? `${JSON.stringify(key)}: ${JSON.stringify(value)}` : `${inlineValue(key, false, padded)}: ${inlineValue(value, false, padded)}`;
}

const isCollectionValue = (value: unknown): value is object => value !== null && typeof value === 'object';
const isEmptyCollection = (value: object): boolean => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

/** Whether a flow collection is written JSON-style: its first key (or item) is double-quoted. */
export function looksJson(node: YamlNode): boolean {
  if (!isCollection(node)) return false;
  const first = node.items[0];
  if (first === undefined) return false;
  const probe: unknown = isMap(node) ? (first as { key: unknown }).key : first;
  return isScalar(probe) && probe.type === 'QUOTE_DOUBLE';
}
