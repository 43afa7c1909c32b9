import { LineCounter, isMap, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { PalisadeError } from '../errors.js';
import type { Location } from '../types.js';
import { addJsonDocuments, parseJsonDocuments } from './jsonFastPath.js';
import { DEFAULT_MAX_DEPTH, tooDeepMessage, valueTooDeep } from './limits.js';
import { fillListItem, isListKind, listItemKind } from './lists.js';
import { Resource, type SourceFile } from './resource.js';
import type { LoadOptions, LoadResult } from './types.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';

/** Add one manifest text's resources and errors to `result`: JSON by the fast path when it can, else YAML documents. */
export function addManifestText(result: LoadResult, path: string, text: string, options: LoadOptions): void {
  const lineCounter = new LineCounter();
  const source: SourceFile = { path, text, lineCounter };
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const json = options.jsonFastPath === false ? undefined : parseJsonDocuments(text);
  if (json) {
    addJsonDocuments(result, source, json, options.maxDepth);
    return;
  }
  const documents = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
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

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
