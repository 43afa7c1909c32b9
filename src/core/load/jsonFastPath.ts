import { parseAllDocuments, visit, type Document, type Node as YamlNode } from 'yaml';
import { PalisadeError } from '../errors.js';
import { DEFAULT_MAX_DEPTH, jsonTooDeepAt, textPosition, tooDeepMessage } from './limits.js';
import { expandListItems, isListKind } from './lists.js';
import { JsonListItems, jsonValueStart } from './jsonPositions.js';
import { skipJsonSpace, skipJsonValue } from './jsonScan.js';
import { lazyDocuments, lazyTree, Resource, type SourceFile } from './resource.js';
import type { LoadResult } from './types.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';
import { isPlainObject } from '../object.js';

/**
 * JSON (`kubectl get -o json`, generated manifests, JSON documents between `---` lines) is read
 * with JSON.parse, several times faster than a YAML parser; positions come from a scan of the
 * text (jsonPositions.ts), and a YAML tree is built only when one is asked for (harden's edits). Anything the YAML reader would read
 * otherwise (a comment, a flow mapping that is not JSON, a `---` line carrying content, a lone CR,
 * a tab where YAML wants indentation) takes the YAML path, which reports errors with positions.
 * What is taken reads as the YAML reader reads it, two things aside: a duplicate key keeps its
 * last value without the YAML path's warning (as the API server does), and nesting deeper than
 * the YAML reader allows is read. Returns one entry per YAML document, numbered as
 * parseAllDocuments numbers them: null for an empty document.
 */
export function parseJsonDocuments(text: string): JsonDocuments | undefined {
  // YAML does not end a line at a lone CR; JavaScript's /m does. Leave such text to the YAML reader.
  if (LONE_CR.test(text)) return undefined;
  const start = skipJsonSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const first = text[start];
  if (first !== '{' && first !== '-') return undefined;
  const out: JsonDocuments = { values: [], spans: [], stream: false };
  let segmentStart = start;
  let seenMarker = false;
  const add = (value: Record<string, unknown> | null, span: readonly [number, number]): void => {
    out.values.push(value);
    out.spans.push(span);
  };
  const addSegment = (from: number, to: number): boolean => {
    const segment = text.slice(from, to);
    if (isBlank(segment)) {
      // Blank text before the first `---` is not a document; blank text after one is an empty one.
      if (seenMarker) add(null, [from, to]);
      return true;
    }
    const value = parseObject(segment);
    if (value) {
      add(value, [from, to]);
      return true;
    }
    // Objects one after another (`jq -c`, JSON Lines), as kubectl's JSON decoder reads them.
    const spans = concatenatedObjects(text, from, to);
    const values = spans?.map(([s, e]) => parseObject(text.slice(s, e)));
    if (!spans || !values || values.some((v) => v === undefined)) return false;
    out.stream = true;
    values.forEach((v, i) => add(v as Record<string, unknown>, spans[i] as [number, number]));
    return true;
  };
  DOCUMENT_MARKER.lastIndex = start;
  for (let marker = DOCUMENT_MARKER.exec(text); marker; marker = DOCUMENT_MARKER.exec(text)) {
    if (!addSegment(segmentStart, marker.index)) return undefined;
    seenMarker = true;
    segmentStart = marker.index + marker[0].length;
  }
  if (!addSegment(segmentStart, text.length)) return undefined;
  return out;
}

/** What the JSON fast path read: one value per document (null: empty), and where each lies. */
export interface JsonDocuments {
  values: (Record<string, unknown> | null)[];
  spans: (readonly [number, number])[];
  /**
   * Objects followed one another with no `---` between them somewhere: YAML cannot read the text
   * whole, so each document's YAML tree is parsed from its own span.
   */
  stream: boolean;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The spans of two or more JSON objects written one after another, or undefined. */
function concatenatedObjects(text: string, from: number, to: number): [number, number][] | undefined {
  const spans: [number, number][] = [];
  for (let i = skipJsonSpace(text, from, to); i < to; i = skipJsonSpace(text, i, to)) {
    if (text.charCodeAt(i) !== 0x7b) return undefined; // {
    const end = skipJsonValue(text, i, to);
    if (end < 0) return undefined;
    spans.push([i, end]);
    i = end;
  }
  return spans.length >= 2 ? spans : undefined;
}

/** A `---` line with nothing after it but blanks: where JSON documents of a stream are cut. */
const DOCUMENT_MARKER = /^---[ \t]*(?:\r?\n|\r?$)/gm;
const LONE_CR = /\r(?!\n)/;
/** An empty YAML document may hold spaces and line ends; a tab there is a YAML error. */
const BLANK = new Set([0x20, 0x0a, 0x0d]);

function isBlank(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) if (!BLANK.has(segment.charCodeAt(i))) return false;
  return true;
}

/** JSON documents (each possibly a List) read by the fast path; their YAML trees are parsed only if asked for. */
export function addJsonDocuments(result: LoadResult, source: SourceFile, json: JsonDocuments, maxDepth = DEFAULT_MAX_DEPTH): void {
  // Lines are counted here, as the YAML reader counts them (the fast path takes no lone CR), since
  // objects are located without a YAML tree and one built later must not count them twice.
  source.lineCounter.addNewLine(0);
  for (let i = source.text.indexOf('\n'); i >= 0; i = source.text.indexOf('\n', i + 1)) source.lineCounter.addNewLine(i + 1);
  const documentAt = json.stream ? spanDocuments(source, json.spans) : lazyDocuments(source.text, KUBERNETES_YAML_OPTIONS);
  let indexInFile = 0;
  json.values.forEach((object, documentIndex) => {
    if (object === null) return;
    const [spanStart, spanEnd] = json.spans[documentIndex] as readonly [number, number];
    const deepAt = jsonTooDeepAt(source.text, spanStart, spanEnd, maxDepth);
    if (deepAt >= 0) {
      result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(maxDepth), { location: { file: source.path, ...textPosition(source.text, deepAt) } }));
      return;
    }
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      result.skipped++;
      return;
    }
    const root = jsonValueStart(source.text, spanStart);
    if (!isListKind(object)) {
      result.resources.push(new Resource(object, source, lazyTree(documentAt, documentIndex), indexInFile++, documentIndex, '', { jsonStart: root }));
      return;
    }
    const list = new JsonListItems(source.text, root);
    expandListItems(
      result,
      object,
      (i) => ({ file: source.path, ...positionOf(source, list.start(i)) }),
      (filled, i) => result.resources.push(new Resource(filled, source, lazyTree(documentAt, documentIndex, i), indexInFile++, documentIndex, `/items/${i}`, { jsonStart: { list, index: i } })),
    );
  });
}

function positionOf(source: SourceFile, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * YAML trees for a JSON stream YAML cannot read whole: each document is parsed from its own span,
 * and its nodes are moved to the span's place in the file, so that locations and edits (harden)
 * work on the file's offsets.
 */
function spanDocuments(source: SourceFile, spans: readonly (readonly [number, number])[]): (index: number) => Document {
  const cache = new Map<number, Document>();
  return (index) => {
    let document = cache.get(index);
    if (!document) {
      const [start, end] = spans[index] as [number, number];
      document = parseAllDocuments(source.text.slice(start, end), KUBERNETES_YAML_OPTIONS)[0] as Document;
      const move = (range: YamlNode['range']): YamlNode['range'] => (range ? [range[0] + start, range[1] + start, range[2] + start] : range);
      visit(document, {
        Node(_, node) {
          node.range = move(node.range);
        },
      });
      document.range = move(document.range) as Document['range'];
      cache.set(index, document);
    }
    return document;
  };
}
