import { LineCounter, isMap, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { PalisadeError } from '../errors.js';
import type { Location } from '../types.js';
import { addJsonDocuments, parseJsonDocuments } from './jsonFastPath.js';
import { addBlockDocuments } from './blockDocuments.js';
import { readBlockYaml } from './blockYaml.js';
import { DEFAULT_MAX_DEPTH, tooDeepMessage, valueTooDeep } from './limits.js';
import { fillListItem, isListKind, listItemKind } from './lists.js';
import { Resource, type SourceFile } from './resource.js';
import type { LoadOptions, LoadResult } from './types.js';
import { indentQuotedContinuations } from './quotedIndent.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';

/** Add one manifest text's resources and errors to `result`: JSON by the fast path when it can, else YAML documents. */
export function addManifestText(result: LoadResult, path: string, text: string, options: LoadOptions): void {
  let lineCounter = new LineCounter();
  let source: SourceFile = { path, text, lineCounter };
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const json = options.jsonFastPath === false ? undefined : parseJsonDocuments(text);
  if (json) {
    addJsonDocuments(result, source, json, options.maxDepth);
    return;
  }
  const block = options.blockFastPath === false ? undefined : readBlockYaml(text);
  if (block) {
    addBlockDocuments(result, source, block, options.maxDepth);
    return;
  }
  let documents = parseStream(text, lineCounter);
  // go-yaml (kubectl, the API server) reads quoted scalars whose continuation lines are indented
  // less than their block; read them as it does when that is what failed (see quotedIndent.ts).
  const failed = (docs: typeof documents): number => docs.filter((d) => d.errors.some((e) => e.code !== 'DUPLICATE_KEY')).length;
  const before = failed(documents);
  if (before > 0) {
    const indented = indentQuotedContinuations(text);
    if (indented !== undefined) {
      const counter = new LineCounter();
      const again = parseStream(indented, counter);
      if (failed(again) < before) {
        documents = again;
        lineCounter = counter;
        source = { path, text: indented, lineCounter };
      }
    }
    // kubectl splits the stream at `---` lines before decoding (apimachinery's YAMLReader), so an
    // unclosed quote fails its own document only; the yaml package lets it run on to the end.
    if (failed(documents) > 0) documents = bySeparatorLines(source.text) ?? documents;
  }
  // parseAllDocuments returns an EmptyStream (an empty array) for text with no documents.
  let indexInFile = 0;
  let documentIndex = -1;
  for (const document of documents) {
    documentIndex++;
    const fatal = document.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    if (fatal?.code === 'RESOURCE_EXHAUSTION') {
      // The YAML reader ran out of stack: nesting far deeper than any Kubernetes object.
      result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(options.maxDepth ?? DEFAULT_MAX_DEPTH), { location: at(fatal.pos[0]), cause: fatal }));
      continue;
    }
    if (fatal) {
      result.errors.push(new PalisadeError('LOAD_YAML_SYNTAX', `YAML syntax error: ${firstLine(fatal.message)} (${fatal.code})`, { location: at(fatal.pos[0]), cause: fatal }));
      continue;
    }
    for (const dup of document.errors) {
      result.errors.push(new PalisadeError('LOAD_DUPLICATE_KEY', `duplicate mapping key: ${firstLine(dup.message)}; the last value is used, but other parsers may take the first`, { location: at(dup.pos[0]), cause: dup }));
    }
    const contents = document.contents;
    if (contents === null || (contents as { value?: unknown }).value === null && !isMap(contents) && !isSeq(contents)) continue; // empty document
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
    } catch (cause) {
      result.errors.push(new PalisadeError('LOAD_ALIAS_BOMB', `refused: too many alias expansions in this document (a "billion laughs" alias bomb?); limit ${options.maxAliasCount ?? 100}`, { location: at(contents.range?.[0] ?? 0), cause }));
      continue;
    }
    if (value === null || value === undefined) continue;
    if (valueTooDeep(value, options.maxDepth ?? DEFAULT_MAX_DEPTH)) {
      result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(options.maxDepth ?? DEFAULT_MAX_DEPTH), { location: at(contents.range?.[0] ?? 0) }));
      continue;
    }
    if (!isMap(contents) || typeof value !== 'object' || Array.isArray(value)) {
      result.errors.push(new PalisadeError('LOAD_NOT_AN_OBJECT', `expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(value) ? 'a sequence' : `a ${typeof value}`}`, { location: at(contents.range?.[0] ?? 0) }));
      continue;
    }
    const object = value as Record<string, unknown>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      result.skipped++;
      continue;
    }
    if (isListKind(object)) {
      const itemsNode = contents.get('items', true);
      const items = object.items as unknown[];
      const itemKind = listItemKind(object);
      items.forEach((item, i) => {
        const itemNode = isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode | undefined) : undefined;
        const offset = itemNode?.range?.[0] ?? contents.range?.[0] ?? 0;
        if (item === null || typeof item !== 'object' || Array.isArray(item) || !itemNode) {
          result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of ${object.kind} is not an object`, { location: at(offset) }));
          return;
        }
        const typed = item as Record<string, unknown>;
        const kind = typeof typed.kind === 'string' ? typed.kind : itemKind;
        const apiVersion = typeof typed.apiVersion === 'string' ? typed.apiVersion : (object.apiVersion as string);
        if (!kind) {
          result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of List has no kind`, { location: at(offset) }));
          return;
        }
        const filled = fillListItem(typed, kind, apiVersion);
        result.resources.push(new Resource(filled, source, { document, node: itemNode }, indexInFile++, documentIndex, `/items/${i}`));
      });
      continue;
    }
    result.resources.push(new Resource(object, source, { document, node: contents }, indexInFile++, documentIndex, ''));
  }
}

/** Largest padding (characters) the per-document fallback may parse; beyond it the stream's own split stands. */
const MAX_SPLIT_WORK = 32 * 1024 * 1024;

/**
 * The documents of `text` parsed one by one between `---` separator lines (a line that is `---`
 * with only white space or a comment after it), as kubectl's reader splits them. Each document is
 * parsed at its own offsets (the text before it blanked to spaces, line breaks kept), so positions
 * and the file's line counter stay those of the whole text. undefined when there is one document.
 */
function bySeparatorLines(text: string): Documents | undefined {
  const starts = [0];
  const separator = /^---[ \t]*(#.*)?\r?$/gm;
  for (let m = separator.exec(text); m; m = separator.exec(text)) if (m.index > 0) starts.push(m.index);
  if (starts.length < 2) return undefined;
  let work = 0;
  for (const start of starts) work += start;
  if (work > MAX_SPLIT_WORK) return undefined;
  const documents: Array<Documents[number]> = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const padded = text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start, end);
    const parsed = parseStream(padded, new LineCounter());
    if (Array.isArray(parsed)) documents.push(...parsed);
  });
  return documents as unknown as Documents;
}

const parseStream = (text: string, lineCounter: LineCounter) => parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
type Documents = ReturnType<typeof parseStream>;

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
