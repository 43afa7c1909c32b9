import { isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { PalisadeError } from '../errors.js';
import type { Location } from '../types.js';
import { DEFAULT_MAX_DEPTH, tooDeepMessage, valueTooDeep } from './limits.js';
import { expandListItems, isListKind } from './lists.js';
import { Resource, type SourceFile } from './resource.js';
import type { LoadOptions, LoadResult } from './types.js';

/** One document parsed by the yaml package: its errors and its resources (List items expanded). Returns the next index in file. */
export function addYamlDocument(result: LoadResult, source: SourceFile, document: Document, documentIndex: number, indexInFile: number, options: LoadOptions): number {
  const at = (offset: number): Location => {
    const { line, col } = source.lineCounter.linePos(offset);
    return { file: source.path, line, column: col };
  };
  const fatal = document.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  if (fatal?.code === 'RESOURCE_EXHAUSTION') {
    // The YAML reader ran out of stack: nesting far deeper than any Kubernetes object.
    result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(options.maxDepth ?? DEFAULT_MAX_DEPTH), { location: at(fatal.pos[0]), cause: fatal }));
    return indexInFile;
  }
  if (fatal) {
    result.errors.push(new PalisadeError('LOAD_YAML_SYNTAX', `YAML syntax error: ${firstLine(fatal.message)} (${fatal.code})`, { location: at(fatal.pos[0]), cause: fatal }));
    return indexInFile;
  }
  for (const dup of document.errors) {
    result.errors.push(new PalisadeError('LOAD_DUPLICATE_KEY', `duplicate mapping key: ${firstLine(dup.message)}; the last value is used, but other parsers may take the first`, { location: at(dup.pos[0]), cause: dup }));
  }
  const contents = document.contents;
  if (contents === null || (contents as { value?: unknown }).value === null && !isMap(contents) && !isSeq(contents)) return indexInFile; // empty document
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
  } catch (cause) {
    result.errors.push(new PalisadeError('LOAD_ALIAS_BOMB', `refused: too many alias expansions in this document (a "billion laughs" alias bomb?); limit ${options.maxAliasCount ?? 100}`, { location: at(contents.range?.[0] ?? 0), cause }));
    return indexInFile;
  }
  if (value === null || value === undefined) return indexInFile;
  if (valueTooDeep(value, options.maxDepth ?? DEFAULT_MAX_DEPTH)) {
    result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(options.maxDepth ?? DEFAULT_MAX_DEPTH), { location: at(contents.range?.[0] ?? 0) }));
    return indexInFile;
  }
  if (!isMap(contents) || typeof value !== 'object' || Array.isArray(value)) {
    result.errors.push(new PalisadeError('LOAD_NOT_AN_OBJECT', `expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(value) ? 'a sequence' : `a ${typeof value}`}`, { location: at(contents.range?.[0] ?? 0) }));
    return indexInFile;
  }
  const object = value as Record<string, unknown>;
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    result.skipped++;
    return indexInFile;
  }
  if (isListKind(object)) {
    const itemsNode = contents.get('items', true);
    const itemNode = (i: number): YamlNode | undefined => (isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode | undefined) : undefined);
    expandListItems(
      result,
      object,
      (i) => at(itemNode(i)?.range?.[0] ?? contents.range?.[0] ?? 0),
      (filled, i) => result.resources.push(new Resource(filled, source, { document, node: itemNode(i)! }, indexInFile++, documentIndex, `/items/${i}`)),
      (i) => itemNode(i) !== undefined,
    );
    return indexInFile;
  }
  result.resources.push(new Resource(object, source, { document, node: contents }, indexInFile++, documentIndex, ''));
  return indexInFile;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
