import { LineCounter, parseDocument } from 'yaml';
import { nodeAtPointer, pointerTokens } from '../pointer.js';
import type { Location } from '../types.js';
import type { Resource } from './resource.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';
import { offsetAt, readBlockYaml } from './blockYaml.js';

/**
 * Where a resource's YAML document lies in its file, kept after the tree is dropped, so a finding
 * known only at the end of a run (cluster checks, network lint, RBAC) can be located by parsing
 * that one document again instead of the whole file.
 */
export interface DocumentSpan {
  /** Character offsets of the document's contents in the file's text. */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** Length of the text the span was taken from: a file read back with another length is not the same text. */
  textLength: number;
  /** Pointer of the object inside its document ("" or "/items/3"). */
  documentPointer: string;
}

/** The span of a resource parsed from YAML; undefined for JSON (its tree is built lazily, on demand) or an empty node. */
export function documentSpan(resource: Resource): DocumentSpan | undefined {
  const fast = resource.fastPositions;
  if (fast && 'span' in fast) {
    const { line, col } = resource.source.lineCounter.linePos(fast.span[0]);
    return { start: fast.span[0], end: fast.span[1], line, column: col, textLength: resource.source.text.length, documentPointer: resource.documentPointer };
  }
  const parsed = resource.parsedTree;
  const range = parsed?.document.contents?.range;
  if (!range) return undefined;
  const { line, col } = resource.source.lineCounter.linePos(range[0]);
  return { start: range[0], end: range[2], line, column: col, textLength: resource.source.text.length, documentPointer: resource.documentPointer };
}

/**
 * A locator for the object of `span`, from parsing only its document. The text before it is
 * replaced by as many line breaks and spaces as put the document at the same line and column, so
 * positions are those of the whole file. undefined when this text is not the one the span was
 * taken from, or the document does not parse on its own: the caller then parses the whole file.
 */
export function spanLocator(file: string, text: string, span: DocumentSpan): ((pointer: string) => Location) | undefined {
  if (text.length !== span.textLength || span.end > text.length) return undefined;
  return blockLocator(file, text, span) ?? yamlLocator(file, text, span);
}

/**
 * The document read by the block-YAML reader from its own text: the slice, after as many spaces
 * as its first line had before it, so indentation is the file's. Lines are counted from the span's.
 */
function blockLocator(file: string, text: string, span: DocumentSpan): ((pointer: string) => Location) | undefined {
  const pad = span.column - 1;
  const read = readBlockYaml(' '.repeat(pad) + text.slice(span.start, span.end));
  const positions = read?.documents.length === 1 ? read.documents[0]!.positions : undefined;
  if (!read || !positions) return undefined;
  const prefix = pointerTokens(span.documentPointer);
  if (offsetAt(positions, prefix).depth !== prefix.length) return undefined;
  // Lines of the slice, counted as the yaml package counts them; the slice's first line is the span's.
  const lines = new LineCounter();
  for (const start of read.lineStarts) lines.addNewLine(start);
  return (pointer) => {
    const { line, col } = lines.linePos(offsetAt(positions, [...prefix, ...pointerTokens(pointer)]).offset);
    return { file, line: span.line + line - 1, column: col };
  };
}

/** The document parsed by the yaml package, placed at its line and column by padding. */
function yamlLocator(file: string, text: string, span: DocumentSpan): ((pointer: string) => Location) | undefined {
  const padded = '\n'.repeat(span.line - 1) + ' '.repeat(span.column - 1) + text.slice(span.start, span.end);
  const lineCounter = new LineCounter();
  const document = parseDocument(padded, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
  const contents = document.contents;
  if (!contents || document.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return undefined;
  // The object's own pointer in its document ("" or "/items/3") must resolve in this parse too.
  const prefix = pointerTokens(span.documentPointer);
  if (nodeAtPointer(document, contents, prefix).depth !== prefix.length) return undefined;
  return (pointer) => {
    const { line, col } = lineCounter.linePos(nodeAtPointer(document, contents, [...prefix, ...pointerTokens(pointer)]).offset);
    return { file, line, column: col };
  };
}
