import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { KUBERNETES_YAML_OPTIONS } from '../core/load.js';
import { joinPointer, pointerTokens } from '../core/pointer.js';
import { clone, deepEqual, getAt, setAt, type PlainObject } from './objects.js';
import { blockItems, blockPairs, blockValue, detectStyle, inlinePair, inlineValue, looksJson, type TextStyle } from './render.js';

/**
 * The comment-preserving edit engine. Every change is a value set at a JSON pointer. For each one
 * the engine finds the deepest node that exists in the YAML and edits the text only there:
 *  - a missing key is inserted into its mapping, after the last entry, in the mapping's style;
 *  - a new list item is appended after the last item;
 *  - an existing value (or an alias, or a null) is rewritten in place.
 * The new text is whatever the final object holds at that place, so several changes under one new
 * key come out as one insertion. Nothing else in the text moves: comments, quoting, key order,
 * blank lines and other documents stay byte for byte.
 *
 * Then each edited document's new text is parsed again and compared with the expected object (the
 * original plus the changes). A document whose edit did not come out exactly (an anchor shared with
 * another place, duplicate keys, a %YAML directive) keeps its original text, and its changes are
 * reported back as not applied.
 */

export interface DocumentEdits {
  /** Index of the YAML document in the file. */
  documentIndex: number;
  /** Pointer of the object inside its document: "" or "/items/3". */
  documentPointer: string;
  changes: ReadonlyArray<{ pointer: string; value: unknown }>;
}

export interface ApplyResult {
  text: string;
  /** The edits, as offsets into the input text, in the order they apply: lets a writer edit the file's bytes. */
  splices: TextSplice[];
  /** Documents whose changes could not be applied exactly and were left as they were. */
  rejected: Set<number>;
}

/** Replace text[start, end) with `text`. */
export interface TextSplice {
  start: number;
  end: number;
  text: string;
}

interface Splice {
  start: number;
  end: number;
  text: string;
  /** Nesting depth of the edited node: at one offset, deeper insertions go first (they end inner blocks). */
  depth: number;
}

type Site =
  | { kind: 'insert'; map: YAMLMap; tokens: string[]; keys: string[] }
  | { kind: 'append'; seq: YAMLSeq; tokens: string[]; count: number }
  | { kind: 'replace'; node: YamlNode; tokens: string[] };

/** Parse exactly as the loader does (YAML 1.1 scalars, as the API server's decoder reads them). */
const PARSE_OPTIONS = KUBERNETES_YAML_OPTIONS;
/** The loader's alias budget: documents over it were refused before any edit was planned. */
const MAX_ALIAS_COUNT = 100;

/** A document's plain value, or undefined when it cannot be had (too many aliases). */
function plainValue(document: Document): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}

/**
 * Apply edits to a YAML text (many documents). Pure. `parsed` may hand in the documents the loader
 * already parsed from this same text (by index), to save a parse; they must carry source ranges.
 */
export function applyEdits(text: string, edits: readonly DocumentEdits[], parsed?: ReadonlyMap<number, Document>): ApplyResult {
  const all = parsed ? [] : parseAllDocuments(text, PARSE_OPTIONS);
  const documents: ReadonlyMap<number, Document> = parsed ?? new Map((Array.isArray(all) ? all : []).map((d, i) => [i, d]));
  const byDocument = new Map<number, Array<{ tokens: string[]; value: unknown }>>();
  for (const edit of edits) {
    const list = byDocument.get(edit.documentIndex) ?? [];
    for (const change of edit.changes) list.push({ tokens: pointerTokens(edit.documentPointer + change.pointer), value: change.value });
    byDocument.set(edit.documentIndex, list);
  }
  const style = detectStyle(text);
  const expected = new Map<number, unknown>();
  const splicesOf = new Map<number, Splice[]>();
  const rejected = new Set<number>();
  for (const [index, changes] of byDocument) {
    const document = documents.get(index);
    const value = document && document.errors.length === 0 ? plainValue(document) : undefined;
    if (!document || value === undefined || changes.length === 0) {
      if (changes.length > 0) rejected.add(index);
      continue;
    }
    const target = clone(value) as PlainObject;
    for (const change of changes) setAt(target, joinPointer('', ...change.tokens), change.value);
    expected.set(index, target);
    // A file may mix LF and CRLF documents: inserted lines take the line ends of their own document.
    const documentStyle = document.range ? { ...style, eol: documentEol(text, document.range[0], document.range[2], style.eol) } : style;
    const splices = documentSplices(text, document, changes.map((c) => c.tokens), target, documentStyle);
    if (splices) splicesOf.set(index, splices);
    else rejected.add(index);
  }
  // Each document is checked on its own: its edits lie inside its own text, so it is parsed alone.
  // Directives (%YAML) would change how a document parses apart from the stream: leave those alone.
  const directives = /^%/m.test(text);
  const accepted: Splice[] = [];
  for (const [index, splices] of splicesOf) {
    const document = documents.get(index)!;
    if (directives || rejected.has(index) || !document.range) {
      rejected.add(index);
      continue;
    }
    const [start, , end] = document.range;
    const shifted = splices.map((s) => ({ ...s, start: s.start - start, end: s.end - start }));
    const segment = splice(text.slice(start, end), shifted);
    if (matches(segment, expected.get(index))) accepted.push(...splices);
    else rejected.add(index);
  }
  const ordered = [...accepted].sort(bySpliceOrder).map(({ start, end, text: inserted }) => ({ start, end, text: inserted }));
  return { text: splice(text, accepted), splices: ordered, rejected };
}

/** The line end a document uses: CRLF when its first line end is one, else LF; a document with none takes the file's. */
function documentEol(text: string, start: number, end: number, fallback: '\n' | '\r\n'): '\n' | '\r\n' {
  const newline = text.indexOf('\n', start);
  if (newline < 0 || newline >= end) return fallback;
  return newline > start && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

/** Whether a document's new text parses, alone and cleanly, to the expected value. */
function matches(segment: string, value: unknown): boolean {
  const documents = parseAllDocuments(segment, PARSE_OPTIONS);
  if (!Array.isArray(documents) || documents.length !== 1) return false;
  const [document] = documents;
  return document !== undefined && document.errors.length === 0 && deepEqual(plainValue(document), value);
}

const bySpliceOrder = (a: Splice, b: Splice): number => a.start - b.start || a.end - b.end || b.depth - a.depth;

/** Apply splices that do not overlap (documentSplices checks that). */
function splice(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort(bySpliceOrder);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

function documentSplices(text: string, document: Document, changes: readonly string[][], target: PlainObject, style: TextStyle): Splice[] | undefined {
  const sites: Site[] = [];
  for (const tokens of changes) {
    const site = locate(document, tokens);
    if (!site) return undefined;
    const same = sites.find((s) => sameSite(s, site));
    if (!same) sites.push(site);
    else if (same.kind === 'insert' && site.kind === 'insert') {
      for (const key of site.keys) if (!same.keys.includes(key)) same.keys.push(key);
    } else if (same.kind === 'append' && site.kind === 'append') {
      same.count = Math.max(same.count, site.count);
    }
  }
  // A rewritten node already contains whatever changed below it.
  const replaced = sites.filter((s) => s.kind === 'replace');
  const kept = sites.filter((s) => !replaced.some((r) => r !== s && isPrefix(r.tokens, s.tokens)));
  const splices: Splice[] = [];
  for (const site of kept) {
    const s = siteSplice(text, site, target, style);
    if (!s) return undefined;
    splices.push({ ...s, depth: site.tokens.length });
  }
  // Two rewrites of overlapping text would corrupt it: such a document is left alone.
  const sorted = [...splices].sort(bySpliceOrder);
  if (sorted.some((s, i) => i > 0 && s.start < sorted[i - 1]!.end)) return undefined;
  return splices;
}

function sameSite(a: Site, b: Site): boolean {
  if (a.kind === 'insert' && b.kind === 'insert') return a.map === b.map;
  if (a.kind === 'append' && b.kind === 'append') return a.seq === b.seq;
  if (a.kind === 'replace' && b.kind === 'replace') return a.node === b.node;
  return false;
}

/** `prefix` is a prefix of (or equal to) `tokens`. */
function isPrefix(prefix: readonly string[], tokens: readonly string[]): boolean {
  return prefix.length <= tokens.length && prefix.every((t, i) => tokens[i] === t);
}

/** The deepest existing node on the way to `tokens`, and what must happen there. */
function locate(document: Document, tokens: readonly string[]): Site | undefined {
  let node: unknown = document.contents;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const here = tokens.slice(0, i);
    if (isAlias(node)) return { kind: 'replace', node, tokens: here };
    if (isMap(node)) {
      const pair = ownPair(node, token);
      if (!pair) return { kind: 'insert', map: node, tokens: here, keys: [token] };
      if (pair.value === null || pair.value === undefined) return undefined;
      node = pair.value;
      continue;
    }
    if (isSeq(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      const index = Number(token);
      if (index < node.items.length) {
        node = node.items[index];
        continue;
      }
      return { kind: 'append', seq: node, tokens: here, count: index - node.items.length + 1 };
    }
    if (isScalar(node)) return { kind: 'replace', node, tokens: here };
    return undefined;
  }
  return isScalar(node) || isMap(node) || isSeq(node) || isAlias(node) ? { kind: 'replace', node, tokens: [...tokens] } : undefined;
}

/** The mapping's own entry for a key (the last one, as toJS keeps it); merged entries do not count. */
function ownPair(map: YAMLMap, token: string): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = pair.key;
    if (key.source === '<<' && key.type === 'PLAIN') continue;
    if (key.value !== null && typeof key.value !== 'symbol' && String(key.value) === token) return pair;
  }
  return undefined;
}

function siteSplice(text: string, site: Site, target: PlainObject, style: TextStyle): Omit<Splice, 'depth'> | undefined {
  const at = (tokens: readonly string[]): unknown => getAt(target, joinPointer('', ...tokens));
  if (site.kind === 'replace') return replaceSplice(text, site.node, at(site.tokens), style);
  if (site.kind === 'insert') {
    const { map } = site;
    const entries = site.keys.map((key): [string, unknown] => [key, at([...site.tokens, key])]);
    if (map.flow) {
      const json = looksJson(map);
      const padded = flowPadded(text, map);
      const compact = json && compactJson(text, map);
      const pairs = entries.map(([k, v]) => (compact ? `${JSON.stringify(k)}:${JSON.stringify(v)}` : inlinePair(k, v, json, padded)));
      const separator = compact ? ',' : ', ';
      const last = map.items[map.items.length - 1];
      if (!last) return map.range ? { start: map.range[0] + 1, end: map.range[0] + 1, text: pairs.join(separator) } : undefined;
      const end = pairEnd(last);
      return end === undefined ? undefined : { start: end, end, text: pairs.map((p) => separator + p).join('') };
    }
    const end = contentEnd(map);
    if (!map.range || end === undefined) return undefined;
    const keyColumn = column(text, map.range[0]);
    return blockInsertion(text, end, blockPairs(entries, keyColumn, style), keyColumn, style);
  }
  const { seq } = site;
  const items = Array.from({ length: site.count }, (_, i) => at([...site.tokens, String(seq.items.length + i)]));
  if (seq.flow) {
    const json = looksJson(seq);
    const padded = flowPadded(text, seq);
    const rendered = items.map((v) => inlineValue(v, json, padded));
    const separator = json && compactJson(text, seq) ? ',' : ', ';
    const last = seq.items[seq.items.length - 1] as YamlNode | undefined;
    if (!last) return seq.range ? { start: seq.range[0] + 1, end: seq.range[0] + 1, text: rendered.join(separator) } : undefined;
    const end = last.range?.[1];
    return end === undefined ? undefined : { start: end, end, text: rendered.map((r) => separator + r).join('') };
  }
  const end = contentEnd(seq);
  if (!seq.range || end === undefined) return undefined;
  const dash = column(text, seq.range[0]);
  const first = seq.items[0] as YamlNode | undefined;
  const contentOffset = first?.range && lineStart(text, first.range[0]) === lineStart(text, seq.range[0]) ? Math.max(2, column(text, first.range[0]) - dash) : 2;
  return blockInsertion(text, end, blockItems(items, dash, contentOffset, style), dash, style);
}

function replaceSplice(text: string, node: YamlNode, value: unknown, style: TextStyle): Omit<Splice, 'depth'> | undefined {
  if (!node.range) return undefined;
  const [start, end] = node.range;
  const collection = value !== null && typeof value === 'object';
  if (isScalar(node) && !collection) return { start, end, text: scalarText(node, value) };
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    if (!collection || Object.keys(value).length === 0) {
      // A block collection becomes `[]`, `{}` or a scalar: write it after the key's colon.
      const before = text.slice(0, start).trimEnd();
      const colon = before.length;
      const inline = inlineValue(value, false, false);
      const trailing = text[end - 1] === '\n' ? (text.slice(end - 2, end) === '\r\n' ? '\r\n' : '\n') : '';
      if (before.endsWith(':')) return { start: colon, end, text: ' ' + inline + trailing };
      return { start, end, text: ' '.repeat(style.indent) + inline + trailing };
    }
    // A block collection: rewrite its lines in place, in block style.
    const rendered = blockValue(value, column(text, start), style);
    return { start, end, text: text[end - 1] === '\n' || text.slice(end - 2, end) === '\r\n' ? rendered : rendered.replace(/\r?\n$/, '') };
  }
  const padded = isMap(node) || isSeq(node) ? flowPadded(text, node) : false;
  const json = isMap(node) || isSeq(node) ? looksJson(node) : isScalar(node) && node.type === 'QUOTE_DOUBLE';
  const inline = inlineValue(value, json, padded);
  // An implicit null (`key:` with nothing after it) has an empty range right after the colon.
  const needsSpace = start === end && start > 0 && !/\s/.test(text[start - 1]!);
  return { start, end, text: (needsSpace ? ' ' : '') + inline };
}

/** A scalar written like the one it replaces: JSON strings stay JSON, other values plain where possible. */
function scalarText(node: YamlNode, value: unknown): string {
  if (isScalar(node) && node.type === 'QUOTE_DOUBLE' && typeof value === 'string') return JSON.stringify(value);
  return inlineValue(value, false, false);
}

/**
 * Insert whole lines after the line where `end` falls, and after any comment lines indented deeper
 * than the new lines (they annotate the entry above, so they stay with it).
 */
function blockInsertion(text: string, end: number, rendered: string, column: number, style: TextStyle): Omit<Splice, 'depth'> {
  let at: number;
  if (end > 0 && text[end - 1] === '\n') at = end;
  else {
    const newline = text.indexOf('\n', end);
    if (newline < 0) return { start: text.length, end: text.length, text: style.eol + rendered.replace(/\r?\n$/, '') };
    at = newline + 1;
  }
  for (;;) {
    const newline = text.indexOf('\n', at);
    const line = text.slice(at, newline < 0 ? text.length : newline);
    const indent = line.search(/\S/);
    if (newline < 0 || indent <= column || line[indent] !== '#') break;
    at = newline + 1;
  }
  return { start: at, end: at, text: rendered };
}

/**
 * Where a node's own content ends. A block collection's range also covers comment lines that follow
 * its last entry; new entries go right after the last entry's line, before such comments.
 */
function contentEnd(node: unknown): number | undefined {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last: unknown = node.items[node.items.length - 1];
    if (last === undefined) return node.range?.[1];
    if (isPair(last)) return contentEnd(last.value ?? last.key);
    return contentEnd(last);
  }
  return (node as YamlNode | null)?.range?.[1];
}

function pairEnd(pair: unknown): number | undefined {
  if (!isPair(pair)) return undefined;
  const value = pair.value as YamlNode | null;
  const key = pair.key as YamlNode | null;
  return value?.range?.[1] ?? key?.range?.[1];
}

/** JSON written without spaces (`{"a":1,"b":2}`): new entries are written the same way. */
function compactJson(text: string, node: YamlNode): boolean {
  if (!node.range) return false;
  const source = text.slice(node.range[0], node.range[1]);
  return /",\S|[\]}0-9el],"/.test(source) || /":\S/.test(source);
}

function flowPadded(text: string, node: YamlNode): boolean {
  if (!node.range) return false;
  const inside = text[node.range[0] + 1];
  return inside === ' ' && node.range[1] - node.range[0] > 3;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
