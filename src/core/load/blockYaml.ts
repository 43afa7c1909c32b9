import { Document, isScalar, type Schema } from 'yaml';
import { copyData } from '../copy.js';
import { pointerTokens } from '../pointer.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';

/**
 * A reader for the YAML that Kubernetes manifests are written in — block mappings and sequences,
 * single-line plain and quoted scalars, literal and folded block scalars, one-line flow
 * collections, comments, `---` separators, and anchors, aliases and merge keys (`<<`) whose
 * anchored nodes hold none themselves — that builds plain values and the positions of their nodes
 * directly, without composing the yaml package's Document trees (issue 23: composing them was
 * most of an audit's time).
 *
 * It is a fast path, never a second opinion: plain scalars are resolved by the very tags of the
 * yaml package's YAML 1.1 schema (KUBERNETES_YAML_OPTIONS), aliases and merges give what its
 * toJS gives (an alias is the anchored value itself, shared; a merge copies), and anything
 * outside the subset it reads exactly — tags, anchors on keys, aliases or anchors or merges
 * inside an anchored node, an anchor aliased as often as the yaml package's alias budget allows,
 * directives, multi-line plain or quoted scalars, complex or duplicate keys, tabs, CRs, control
 * characters, deep nesting, any syntax error — makes it refuse the document, and the file goes
 * to the yaml package as before. Tests compare it with the yaml package value for value and
 * position for position.
 */

/** Where a node lies: its first character, and for collections where each entry does. */
export interface NodePositions {
  start: number;
  /** Mapping: the offset of each key (a pointer to an entry lands on its key, as with the yaml reader). */
  keys?: Map<string, number>;
  /** Mapping: the positions of values that are collections. */
  values?: Map<string, NodePositions>;
  /** Sequence: each item's start, or its positions when it is a collection. */
  items?: Array<NodePositions | number>;
}

export interface BlockRead {
  documents: BlockDocument[];
  /** Offsets where the text's lines start (a YAML LineCounter's, for positions). */
  lineStarts: number[];
}

export interface BlockDocument {
  /** The document's value: a mapping (other documents make the reader give up), or null when empty. */
  value: Record<string, unknown> | null;
  positions?: NodePositions;
  /** Offsets of the document's contents in the text (start of the root node; end of the document). */
  span: readonly [number, number];
  /** The document is outside the subset (`span` is then its whole text): the file goes to the yaml package. */
  refused?: true;
}

/** Offset of the node a pointer's tokens reach from `root`, or of its deepest existing parent. */
export function offsetAt(root: NodePositions, tokens: readonly string[]): { offset: number; depth: number } {
  const walk = new PositionWalk(root);
  let depth = 0;
  for (const token of tokens) {
    if (!walk.step(token)) break;
    depth++;
  }
  return { offset: walk.offset, depth };
}

/**
 * offsetAt(root, pointerTokens(pointer)).offset, reading the pointer token by token in place: it
 * is asked once per finding, and most pointers need no unescaping (those that do, or are not
 * pointers, take pointerTokens' way, errors included).
 */
export function offsetAtPointer(root: NodePositions, pointer: string): number {
  if (pointer === '') return root.start;
  if (pointer.charCodeAt(0) !== 0x2f || pointer.includes('~')) return offsetAt(root, pointerTokens(pointer)).offset;
  const walk = new PositionWalk(root);
  for (let from = 1; ; ) {
    const slash = pointer.indexOf('/', from);
    if (!walk.step(slash < 0 ? pointer.slice(from) : pointer.slice(from, slash)) || slash < 0) break;
    from = slash + 1;
  }
  return walk.offset;
}

/** A walk down positions: a mapping entry lands on its key (as with the yaml reader), a sequence item on the item. */
class PositionWalk {
  private node: NodePositions | number;
  offset: number;
  constructor(root: NodePositions) {
    this.node = root;
    this.offset = root.start;
  }

  /** Go to the child `token` names; false (staying put) when there is none. */
  step(token: string): boolean {
    const node = this.node;
    if (typeof node === 'number') return false;
    if (node.keys) {
      const at = node.keys.get(token);
      if (at === undefined) return false;
      this.offset = at;
      this.node = node.values?.get(token) ?? at;
      return true;
    }
    if (node.items) {
      if (!INDEX.test(token)) return false;
      const item: NodePositions | number | undefined = node.items[Number(token)];
      if (item === undefined) return false;
      this.offset = typeof item === 'number' ? item : item.start;
      this.node = item;
      return true;
    }
    return false;
  }
}

const INDEX = /^(0|[1-9][0-9]*)$/;
/** Characters the subset never reads: tabs, controls, a CR not before LF, NEL, BOM, line and paragraph separators. */
const OUTSIDE_SUBSET = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]|\r(?!\n)/;
/** Nesting beyond this goes to the yaml reader, which reports what is too deep. */
const MAX_NESTING = 100;
const MAX_KEY_LENGTH = 1024;

/** Thrown inside the reader when the text leaves the subset; caught at the top. */
class OutsideSubset extends Error {}
const outside = (): never => {
  throw new OutsideSubset();
};

let schemaTags: Schema['tags'] | undefined;
/** The tags the yaml package tries, in order, on a plain scalar (composeScalar's findScalarTagByTest). */
function plainTags(): Schema['tags'] {
  schemaTags ??= new Document(null, KUBERNETES_YAML_OPTIONS).schema.tags.filter((tag) => tag.default === true && tag.test);
  return schemaTags;
}

/**
 * The characters a plain scalar that resolves to anything but a string can start with: those the
 * tests of the YAML 1.1 schema's null, bool, int and float tags accept first (`~`, null, y/yes,
 * true, on, n/no, false, off, signs, digits, `.inf`/`.nan`, and `e3`: a float). Any other first character is a
 * string, without trying every tag's regex on it (most keys and values).
 */
const MAY_RESOLVE = new Uint8Array(128);
for (const c of '~NnYyTtOoFfEe-+.0123456789') MAY_RESOLVE[c.charCodeAt(0)] = 1;

/** A plain scalar's value as the yaml package resolves it (null, booleans, numbers of YAML 1.1, else the string). */
function resolvePlain(source: string): unknown {
  const first = source.charCodeAt(0);
  if (first >= 128 || MAY_RESOLVE[first] === 0) return source;
  for (const tag of plainTags()) {
    if (!tag.test!.test(source)) continue;
    let failed = false;
    const resolved = (tag as { resolve: (s: string, onError: (m: string) => void, o: object) => unknown }).resolve(source, () => (failed = true), KUBERNETES_YAML_OPTIONS);
    if (failed) outside();
    return isScalar(resolved) ? resolved.value : resolved;
  }
  return source;
}

/** Aliases the yaml package's toJS allows per anchor by default (LoadOptions.maxAliasCount). */
const DEFAULT_MAX_ALIAS_COUNT = 100;

/**
 * Read `text` as Kubernetes-style block YAML, or undefined when any part of it is outside the
 * subset. `maxAliasCount` is the yaml package's budget the loader passes to toJS: a document that
 * could reach it is refused, so the yaml package reports it exactly as before.
 */
export function readBlockYaml(text: string, maxAliasCount = DEFAULT_MAX_ALIAS_COUNT): BlockRead | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    const reader = new BlockReader(text, maxAliasCount);
    return { documents: reader.documents(), lineStarts: reader.lineStarts };
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** A mapping key read from its line: its name as the object's property, where it starts, and the offset after its colon. */
interface Key {
  name: string;
  offset: number;
  after: number;
  /** A plain `<<`: a merge key of YAML 1.1 (KUBERNETES_YAML_OPTIONS has `merge: true`). */
  merge?: true;
}

/** An anchored node, for the aliases that name it. */
interface Anchor {
  value: unknown;
  positions: NodePositions | number;
  /** Aliases (and merges) of it read so far. */
  uses: number;
}

interface Read {
  value: unknown;
  /** Positions of a collection; a scalar's start otherwise. */
  positions: NodePositions | number;
  /** The first content line after the node (lines.length at the end). */
  next: number;
}

class BlockReader {
  private readonly starts: number[] = [];
  get lineStarts(): number[] {
    return this.starts;
  }

  private readonly ends: number[] = [];
  /** Indentation of each line, -1 for a line with no content (blank, or only a comment). */
  private readonly indents: number[] = [];
  /** The line where the document being read ends (exclusive). */
  private limit = 0;
  private depth = 0;
  /** The document's anchors by name (the last one read wins, as with the yaml package). */
  private anchors = new Map<string, Anchor>();
  /** Anchors, aliases and merge keys read in the document: an anchored node must add none. */
  private references = 0;

  constructor(
    private readonly text: string,
    private readonly maxAliasCount: number,
  ) {
    for (let start = 0; start <= text.length; ) {
      let next = text.indexOf('\n', start);
      if (next < 0) next = text.length;
      // A CRLF line ends before its CR: YAML reads CRLF as one line break.
      const end = next > start && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next;
      this.starts.push(start);
      this.ends.push(end);
      let i = start;
      while (i < end && text.charCodeAt(i) === 0x20) i++;
      this.indents.push(i === end || text.charCodeAt(i) === 0x23 ? -1 : i - start);
      start = next + 1;
      if (next === text.length) break;
    }
  }

  documents(): BlockDocument[] {
    const lines = this.starts.length;
    const markers: number[] = [];
    for (let line = 0; line < lines; line++) {
      if (this.indents[line] !== 0) continue;
      const s = this.starts[line]!;
      const c = this.text.charCodeAt(s);
      if (c === 0x25) outside(); // % directive
      if ((c === 0x2d || c === 0x2e) && this.text.startsWith(c === 0x2d ? '---' : '...', s)) {
        const rest = this.text.slice(s + 3, this.ends[line]);
        if (c === 0x2e || !/^( +#.*| *)$/.test(rest)) outside(); // `...`, or `---` carrying content
        markers.push(line);
        this.indents[line] = -1;
      }
    }
    const out: BlockDocument[] = [];
    const segments: Array<[number, number]> = [];
    let from = 0;
    for (const marker of markers) {
      segments.push([from, marker]);
      from = marker + 1;
    }
    segments.push([from, lines]);
    segments.forEach(([first, end], index) => {
      const content = this.nextContent(first, end);
      // Blank text before the first `---` is not a document; after a `---` it is an empty one.
      if (content === end) {
        if (index > 0) {
          const at = this.starts[first - 1]! + 3;
          out.push({ value: null, span: [at, at] });
        }
        return;
      }
      this.limit = end;
      if (this.anchors.size > 0) this.anchors = new Map();
      const documentEnd = end < lines ? this.starts[end]! : this.text.length;
      try {
        const indent = this.indents[content]!;
        const root = this.collection(content, indent, -1);
        if (this.nextContent(root.next, end) !== end) outside();
        if (root.value === null || typeof root.value !== 'object' || Array.isArray(root.value)) outside();
        const positions = root.positions as NodePositions;
        out.push({ value: root.value as Record<string, unknown>, positions, span: [positions.start, documentEnd] });
      } catch (error) {
        if (!(error instanceof OutsideSubset)) throw error;
        this.depth = 0;
        out.push({ value: null, span: [this.starts[first]!, documentEnd], refused: true });
      }
    });
    return out;
  }

  /** The first line at or after `line` (before `end`) with content. */
  private nextContent(line: number, end = this.limit): number {
    while (line < end && this.indents[line] === -1) line++;
    return line;
  }

  /** A block mapping or sequence starting at `column` of `line`. */
  private collection(line: number, column: number, parentIndent: number): Read {
    if (++this.depth > MAX_NESTING) outside();
    try {
      const at = this.starts[line]! + column;
      if (this.text.charCodeAt(at) === 0x2d && this.spaceOrEnd(at + 1, line)) return this.sequence(line, column);
      if (column <= parentIndent) outside();
      return this.mapping(line, column);
    } finally {
      this.depth--;
    }
  }

  private spaceOrEnd(offset: number, line: number): boolean {
    return offset >= this.ends[line]! || this.text.charCodeAt(offset) === 0x20;
  }

  /** A block mapping whose first key is at `column` of line `first` (`firstKey`: that key, when the caller has read it already). */
  private mapping(first: number, column: number, firstKey?: Key): Read {
    const value: Record<string, unknown> = {};
    const positions: NodePositions = { start: this.starts[first]! + column, keys: new Map() };
    let line = first;
    let key = firstKey ?? this.key(line, column);
    let merged: Anchor[] | undefined;
    for (;;) {
      if (key === undefined) outside();
      const { name, offset, after } = key!;
      if (key!.merge) {
        if (merged) outside(); // a second merge key
        const sources = this.mergeSources(line, after);
        merged = sources.anchors;
        // As the yaml package's toJS: at the merge key's place, a copy of each source's entries the mapping has not set yet (the first source wins); keys set after it override them.
        for (const source of merged) {
          const entries = source.value as Record<string, unknown>;
          for (const k of Object.keys(entries)) if (!Object.prototype.hasOwnProperty.call(value, k)) value[k] = copyData(entries[k]);
        }
        line = this.afterScalar(line, sources.after, this.ends[line]!, column);
      } else {
        if (positions.keys!.has(name) || name === '__proto__') outside();
        positions.keys!.set(name, offset);
        const read = this.value(line, after, column);
        value[name] = read.value;
        if (typeof read.positions !== 'number') (positions.values ??= new Map()).set(name, read.positions);
        line = read.next;
      }
      if (line >= this.limit) break;
      const indent = this.indents[line]!;
      if (indent < column) break;
      if (indent > column) outside();
      key = this.key(line, column);
    }
    // A pointer through a merged key lands in its source, own keys first (nodeAtPointer's order).
    if (merged) {
      for (const source of merged) {
        const from = source.positions as NodePositions;
        for (const [k, at] of from.keys!) {
          if (positions.keys!.has(k)) continue;
          positions.keys!.set(k, at);
          const inner = from.values?.get(k);
          if (inner) (positions.values ??= new Map()).set(k, inner);
        }
      }
    }
    return { value, positions, next: line };
  }

  /** The sources of a merge key, after its colon at `from`: `*name` or `[*a, *b]`, each an anchored mapping. */
  private mergeSources(line: number, from: number): { anchors: Anchor[]; after: number } {
    const end = this.ends[line]!;
    let at = from;
    while (at < end && this.text.charCodeAt(at) === 0x20) at++;
    const anchors: Anchor[] = [];
    const one = () => {
      const alias = this.aliasAt(at, end);
      if (alias.anchor.value === null || typeof alias.anchor.value !== 'object' || Array.isArray(alias.anchor.value)) outside(); // only mappings merge
      anchors.push(alias.anchor);
      at = alias.after;
    };
    if (this.text.charCodeAt(at) === 0x2a) one();
    else if (this.text.charCodeAt(at) === 0x5b) {
      for (;;) {
        at++;
        while (at < end && this.text.charCodeAt(at) === 0x20) at++;
        one();
        while (at < end && this.text.charCodeAt(at) === 0x20) at++;
        const c = this.text.charCodeAt(at);
        if (c === 0x5d) break;
        if (c !== 0x2c) outside();
      }
      at++;
    } else outside(); // an inline mapping, a block sequence below…: left to the yaml package
    return { anchors, after: at };
  }

  /**
   * The alias `*name` at `at`: its anchor, counted. The yaml package's toJS refuses a document
   * once an anchor's count (1, plus one per alias) passes maxAliasCount; such a document is left
   * to it, to be reported exactly as before.
   */
  aliasAt(at: number, end: number): { anchor: Anchor; after: number } {
    if (this.text.charCodeAt(at) !== 0x2a) outside();
    const after = nameEnd(this.text, at + 1, end);
    const anchor = after > at + 1 ? this.anchors.get(this.text.slice(at + 1, after)) : undefined;
    if (anchor === undefined) outside(); // an alias before its anchor (or inside it)
    this.references++;
    if (this.maxAliasCount >= 0 && ++anchor!.uses + 1 > this.maxAliasCount) outside();
    return { anchor: anchor!, after };
  }

  /** An alias in block context: the anchored value itself (toJS shares it), placed at the alias for a pointer to it and inside the anchor beyond. */
  private alias(line: number, at: number, parentIndent: number): Read {
    const end = this.ends[line]!;
    const { anchor, after } = this.aliasAt(at, end);
    return { value: anchor.value, positions: aliasPositions(anchor.positions, at), next: this.afterScalar(line, after, end, parentIndent) };
  }

  /** A node with an anchor `&name` at `at`: a scalar or flow collection on the line, or a block collection on the lines below. */
  private anchored(line: number, at: number, parentIndent: number, mapValue: boolean): Read {
    const end = this.ends[line]!;
    const after = nameEnd(this.text, at + 1, end);
    if (after === at + 1 || (after < end && this.text.charCodeAt(after) !== 0x20)) outside();
    const name = this.text.slice(at + 1, after);
    const before = ++this.references;
    let content = after;
    while (content < end && this.text.charCodeAt(content) === 0x20) content++;
    let read: Read;
    if (content < end && this.text.charCodeAt(content) !== 0x23) read = this.scalarValue(line, content, parentIndent, mapValue);
    else {
      const next = this.nextContent(line + 1);
      if (next >= this.limit) outside(); // an anchored null
      const indent = this.indents[next]!;
      const s = this.starts[next]! + indent;
      if (indent > parentIndent) read = this.collection(next, indent, parentIndent);
      else if (mapValue && indent === parentIndent && this.text.charCodeAt(s) === 0x2d && this.spaceOrEnd(s + 1, next)) read = this.collection(next, indent, parentIndent - 1);
      else outside();
    }
    // Anchors, aliases or merges inside an anchored node make the yaml package's alias budget more than a count, and its merges re-read them: left to it.
    if (this.references !== before) outside();
    this.anchors.set(name, { value: read!.value, positions: read!.positions, uses: 0 });
    return read!;
  }

  private sequence(first: number, column: number): Read {
    const value: unknown[] = [];
    const positions: NodePositions = { start: this.starts[first]! + column, items: [] };
    let line = first;
    let dashColumn = column;
    for (;;) {
      const dash = this.starts[line]! + dashColumn;
      if (this.text.charCodeAt(dash) !== 0x2d || !this.spaceOrEnd(dash + 1, line)) break;
      let read: Read;
      if (dash + 1 >= this.ends[line]!) {
        // `-` alone: the item is on the lines below, or null (positioned right after the dash).
        const next = this.nextContent(line + 1);
        read = next < this.limit && this.indents[next]! > column ? this.collection(next, this.indents[next]!, column) : { value: null, positions: dash + 1, next };
      } else {
        let at = dash + 1;
        while (this.text.charCodeAt(at) === 0x20) at++;
        if (at >= this.ends[line]! || this.text.charCodeAt(at) === 0x23) outside(); // `-  # comment`
        read = this.item(line, at - this.starts[line]!, column);
      }
      value.push(read.value);
      positions.items!.push(read.positions);
      line = read.next;
      if (line >= this.limit) break;
      const indent = this.indents[line]!;
      if (indent < column) break;
      if (indent > column) outside();
      dashColumn = column;
    }
    return { value, positions, next: line };
  }

  /** A sequence item whose content starts on the dash's line, at `column`. */
  private item(line: number, column: number, seqIndent: number): Read {
    const at = this.starts[line]! + column;
    const nested = this.text.charCodeAt(at) === 0x2d && this.spaceOrEnd(at + 1, line);
    const key = nested ? undefined : this.key(line, column);
    if (!nested && key === undefined) return this.scalarValue(line, at, seqIndent);
    if (++this.depth > MAX_NESTING) outside();
    try {
      return nested ? this.sequence(line, column) : this.mapping(line, column, key);
    } finally {
      this.depth--;
    }
  }

  /** The value of a mapping entry: after the key's colon on `line`, or on the lines below. */
  private value(line: number, from: number, mapIndent: number): Read {
    let at = from;
    const end = this.ends[line]!;
    while (at < end && this.text.charCodeAt(at) === 0x20) at++;
    if (at >= end || this.text.charCodeAt(at) === 0x23) {
      const next = this.nextContent(line + 1);
      if (next < this.limit) {
        const indent = this.indents[next]!;
        if (indent > mapIndent) return this.collection(next, indent, mapIndent);
        const s = this.starts[next]! + indent;
        // A sequence may sit at its key's own indentation.
        if (indent === mapIndent && this.text.charCodeAt(s) === 0x2d && this.spaceOrEnd(s + 1, next)) return this.collection(next, indent, mapIndent - 1);
      }
      // An empty value: null. Its position is never asked (a pointer to it lands on its key).
      return { value: null, positions: at, next };
    }
    return this.scalarValue(line, at, mapIndent, true);
  }

  /** A scalar, alias, anchored node or one-line flow collection starting at offset `at` of `line`, inside a node indented `parentIndent` (a mapping's value when `mapValue`). */
  private scalarValue(line: number, at: number, parentIndent: number, mapValue = false): Read {
    const end = this.ends[line]!;
    const c = this.text.charCodeAt(at);
    if (c === 0x7c || c === 0x3e) return this.blockScalar(line, at, parentIndent); // | >
    if (c === 0x2a) return this.alias(line, at, parentIndent); // *
    if (c === 0x26) return this.anchored(line, at, parentIndent, mapValue); // &
    let value: unknown;
    let after: number;
    if (c === 0x22 || c === 0x27) {
      const quoted = readQuoted(this.text, at, end);
      value = quoted.value;
      after = quoted.after;
    } else if (c === 0x5b || c === 0x7b) {
      const flow = new FlowReader(this.text, at, end, this.depth, this);
      const read = flow.node();
      after = flow.at;
      return { value: read.value, positions: read.positions, next: this.afterScalar(line, after, end, parentIndent) };
    } else {
      if (startsOutside(c, this.text.charCodeAt(at + 1))) outside();
      const stop = commentStart(this.text, at, end);
      const source = this.text.slice(at, stop).trimEnd();
      if (source.includes(': ') || source.endsWith(':')) outside(); // a mapping on one line: invalid here
      value = resolvePlain(source);
      after = stop;
    }
    return { value, positions: at, next: this.afterScalar(line, after, end, parentIndent) };
  }

  /** Only a comment may follow a scalar on its line, and no line below may continue it. */
  private afterScalar(line: number, after: number, end: number, parentIndent: number): number {
    let at = after;
    while (at < end && this.text.charCodeAt(at) === 0x20) at++;
    if (at < end && (this.text.charCodeAt(at) !== 0x23 || at === after)) outside();
    const next = this.nextContent(line + 1);
    // A more indented line after a scalar continues it (a multi-line plain scalar) or is an error.
    if (next < this.limit && this.indents[next]! > parentIndent) outside();
    return next;
  }

  /** A literal (`|`) or folded (`>`) block scalar whose header is at `at`. */
  private blockScalar(line: number, at: number, parentIndent: number): Read {
    const end = this.ends[line]!;
    let i = at + 1;
    let chomp: '' | '-' | '+' = '';
    const c = this.text[i];
    if (c === '-' || c === '+') {
      chomp = c;
      i++;
    }
    const rest = this.text.slice(i, end);
    if (!/^( +#.*| *)$/.test(rest)) outside(); // an indentation indicator, or content after the header
    const folded = this.text.charCodeAt(at) === 0x3e;
    // The content's indentation is that of its first non-blank line.
    let first = line + 1;
    while (first < this.limit && this.isBlank(first)) first++;
    if (first >= this.limit) outside();
    const indent = this.lineIndent(first);
    if (indent <= parentIndent) outside(); // an empty block scalar
    let last = first;
    let line2 = first;
    for (; line2 < this.limit; line2++) {
      if (this.isBlank(line2)) {
        if (this.ends[line2]! - this.starts[line2]! > indent) last = line2; // spaces past the indentation are content
        continue;
      }
      if (this.lineIndent(line2) < indent) break;
      last = line2;
    }
    for (let l = line + 1; l < first; l++) if (this.ends[l]! - this.starts[l]! > indent) outside(); // leading blank lines longer than the indentation
    const parts: string[] = [];
    for (let l = line + 1; l <= last; l++) parts.push(this.ends[l]! - this.starts[l]! > indent ? this.text.slice(this.starts[l]! + indent, this.ends[l]) : '');
    let value: string;
    if (folded) {
      if (parts.some((p) => p.charCodeAt(0) === 0x20)) outside(); // more-indented lines keep their breaks: left to the yaml reader
      value = '';
      let empty = 0;
      let started = false;
      for (const part of parts) {
        if (part === '') {
          empty++;
          continue;
        }
        value += !started ? '\n'.repeat(empty) + part : empty === 0 ? ` ${part}` : '\n'.repeat(empty) + part;
        started = true;
        empty = 0;
      }
    } else value = parts.join('\n');
    // Blank lines after the last content line, up to the next content line, belong to the scalar's chomping.
    const next = this.nextContent(last + 1);
    let trailing = 0;
    for (let l = last + 1; l < next; l++) {
      if (!this.isBlank(l)) outside(); // a comment line among the trailing lines
      trailing++;
    }
    if (chomp === '+' && trailing > 0) outside();
    if (chomp !== '-') value += '\n';
    if (next < this.limit && this.indents[next]! > parentIndent && this.indents[next]! >= indent) outside();
    return { value, positions: at, next };
  }

  private isBlank(line: number): boolean {
    for (let i = this.starts[line]!; i < this.ends[line]!; i++) if (this.text.charCodeAt(i) !== 0x20) return false;
    return true;
  }

  private lineIndent(line: number): number {
    let i = this.starts[line]!;
    while (i < this.ends[line]! && this.text.charCodeAt(i) === 0x20) i++;
    return i - this.starts[line]!;
  }

  /** A mapping key at `column` of `line` (plain or quoted, on one line, then `:` and a space or the line end). */
  private key(line: number, column: number): Key | undefined {
    const at = this.starts[line]! + column;
    const end = this.ends[line]!;
    const c = this.text.charCodeAt(at);
    let source: unknown;
    let colon: number;
    if (c === 0x22 || c === 0x27) {
      const quoted = readQuoted(this.text, at, end);
      colon = quoted.after;
      while (this.text.charCodeAt(colon) === 0x20) colon++;
      if (this.text.charCodeAt(colon) !== 0x3a || !this.spaceOrEnd(colon + 1, line)) return undefined;
      source = quoted.value;
    } else {
      if (startsOutside(c, this.text.charCodeAt(at + 1))) return undefined;
      colon = at;
      for (;;) {
        colon = indexBefore(this.text, 0x3a, colon, end);
        if (colon < 0) return undefined;
        if (this.spaceOrEnd(colon + 1, line)) break;
        colon++;
      }
      if (commentStart(this.text, at, colon) < colon) return undefined;
      const plain = this.text.slice(at, colon).trimEnd();
      if (plain === '<<') return { name: plain, offset: at, after: colon + 1, merge: true };
      source = resolvePlain(plain);
    }
    if (colon - at > MAX_KEY_LENGTH) outside();
    if (source === null || typeof source === 'object') outside(); // null and collection keys: left to the yaml reader
    return { name: String(source), offset: at, after: colon + 1 };
  }
}

/** A single- or double-quoted scalar that closes on its line, starting at `at` (before `end`). */
function readQuoted(text: string, at: number, end: number): { value: string; after: number } {
  const quote = text.charCodeAt(at);
  if (quote === 0x27) {
    let value = '';
    let i = at + 1;
    for (;;) {
      const close = indexBefore(text, 0x27, i, end);
      if (close < 0) outside(); // continues on the next line
      value += text.slice(i, close);
      if (text.charCodeAt(close + 1) === 0x27) {
        value += "'";
        i = close + 2;
      } else return { value, after: close + 1 };
    }
  }
  let value = '';
  let i = at + 1;
  for (;;) {
    if (i >= end) outside();
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value, after: i + 1 };
    if (c !== 0x5c) {
      let j = i;
      while (j < end && text.charCodeAt(j) !== 0x22 && text.charCodeAt(j) !== 0x5c) j++;
      value += text.slice(i, j);
      i = j;
      continue;
    }
    const e = text[i + 1];
    const simple = e === undefined || i + 1 >= end ? undefined : ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = text.slice(i + 2, i + 2 + digits);
    if (digits === 0 || i + 2 + digits > end || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) outside();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) outside();
    value += String.fromCodePoint(code);
    i += 2 + digits;
  }
}


/** The end of an anchor's or alias's name from `from`: the characters it may hold here are a subset of YAML's (no flow indicators or spaces), so a name the reader accepts is the yaml package's. */
function nameEnd(text: string, from: number, end: number): number {
  let i = from;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e)) break;
  }
  return i;
}

/** An alias's positions: at the alias itself (where the yaml package places a sequence item that is one), the anchored node's inside. */
function aliasPositions(anchored: NodePositions | number, at: number): NodePositions | number {
  if (typeof anchored === 'number') return at;
  return { start: at, keys: anchored.keys, values: anchored.values, items: anchored.items };
}

/** The first `c` in [from, end), or -1: searches stay on their line (indexOf would run on to the end of the text). */
function indexBefore(text: string, c: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === c) return i;
  return -1;
}

/** Where a comment (` #`) starts in [from, end), or `end`. */
function commentStart(text: string, from: number, end: number): number {
  for (let i = from + 1; i < end; i++) if (text.charCodeAt(i) === 0x23 && text.charCodeAt(i - 1) === 0x20) return i - 1;
  return end;
}

/** YAML's one-character escapes in double-quoted scalars (yaml's resolve-flow-scalar). */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/**
 * A plain scalar may not start with an indicator; `-` (as in `-1` or `--port`) may when a
 * character other than a space follows. Everything else that starts with one is left to the yaml reader.
 */
function startsOutside(c: number, next: number): boolean {
  if (c === 0x2d) return next === 0x20 || Number.isNaN(next) || next === 0x0a;
  return INDICATORS.has(c);
}
const INDICATORS = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));

/** A flow collection on one line: `[a, "b", {c: 1}]`. */
class FlowReader {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly end: number,
    private depth: number,
    private readonly block: BlockReader,
  ) {}

  node(): { value: unknown; positions: NodePositions | number } {
    this.spaces();
    const start = this.at;
    const c = this.text.charCodeAt(this.at);
    if (c === 0x2a) {
      const { anchor, after } = this.block.aliasAt(start, this.end);
      this.at = after;
      return { value: anchor.value, positions: aliasPositions(anchor.positions, start) };
    }
    if (c === 0x5b || c === 0x7b) {
      if (++this.depth > MAX_NESTING) outside();
      const read = c === 0x5b ? this.sequence(start) : this.mapping(start);
      this.depth--;
      return read;
    }
    return { value: this.scalar(false), positions: start };
  }

  private spaces(): void {
    while (this.at < this.end && this.text.charCodeAt(this.at) === 0x20) this.at++;
  }

  private sequence(start: number): { value: unknown[]; positions: NodePositions } {
    this.at++;
    const value: unknown[] = [];
    const positions: NodePositions = { start, items: [] };
    this.spaces();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return { value, positions };
    }
    for (;;) {
      const item = this.node();
      value.push(item.value);
      positions.items!.push(item.positions);
      this.spaces();
      const c = this.text.charCodeAt(this.at++);
      if (c === 0x5d) return { value, positions };
      if (c !== 0x2c) outside();
      this.spaces();
      if (this.text.charCodeAt(this.at) === 0x5d) outside(); // a trailing comma
    }
  }

  private mapping(start: number): { value: Record<string, unknown>; positions: NodePositions } {
    this.at++;
    const value: Record<string, unknown> = {};
    const positions: NodePositions = { start, keys: new Map() };
    this.spaces();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return { value, positions };
    }
    for (;;) {
      this.spaces();
      const keyAt = this.at;
      const c = this.text.charCodeAt(keyAt);
      if (c === 0x5b || c === 0x7b) outside();
      const key = this.scalar(true);
      if (key === null || typeof key === 'object') outside();
      if (key === '<<' && c !== 0x22 && c !== 0x27) outside(); // a merge key: left to the yaml package
      const name = String(key);
      if (positions.keys!.has(name) || name === '__proto__') outside();
      this.spaces();
      if (this.text.charCodeAt(this.at) !== 0x3a) outside(); // a key without a value
      this.at++;
      if (this.text.charCodeAt(this.at) !== 0x20) outside();
      const item = this.node();
      positions.keys!.set(name, keyAt);
      value[name] = item.value;
      if (typeof item.positions !== 'number') (positions.values ??= new Map()).set(name, item.positions);
      this.spaces();
      const d = this.text.charCodeAt(this.at++);
      if (d === 0x7d) return { value, positions };
      if (d !== 0x2c) outside();
      this.spaces();
      if (this.text.charCodeAt(this.at) === 0x7d) outside(); // a trailing comma
    }
  }

  private scalar(isKey: boolean): unknown {
    const c = this.text.charCodeAt(this.at);
    if (c === 0x22 || c === 0x27) {
      const quoted = readQuoted(this.text, this.at, this.end);
      this.at = quoted.after;
      return quoted.value;
    }
    if (startsOutside(c, this.text.charCodeAt(this.at + 1))) outside();
    const from = this.at;
    while (this.at < this.end) {
      const d = this.text.charCodeAt(this.at);
      if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) break;
      if (d === 0x3a) {
        if (isKey && this.text.charCodeAt(this.at + 1) === 0x20) break;
        outside(); // `:` inside a flow plain scalar: left to the yaml reader
      }
      if (d === 0x23 && this.text.charCodeAt(this.at - 1) === 0x20) outside(); // a comment inside the collection
      this.at++;
    }
    if (this.at >= this.end) outside(); // the collection continues on the next line
    const source = this.text.slice(from, this.at).trimEnd();
    if (source === '') outside();
    return resolvePlain(source);
  }
}
