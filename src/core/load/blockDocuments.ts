import { PalisadeError } from '../errors.js';
import type { BlockRead, NodePositions } from './blockYaml.js';
import { DEFAULT_MAX_DEPTH, tooDeepMessage, valueTooDeep } from './limits.js';
import { expandListItems, isListKind } from './lists.js';
import { lazyDocuments, lazyTree, Resource, type SourceFile } from './resource.js';
import type { LoadOptions, LoadResult } from './types.js';
import { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';

/**
 * Documents read by the block-YAML fast path (each possibly a List). They are located from the
 * reader's own positions; a YAML tree (for harden's edits) is parsed only on first use.
 */
export function addBlockDocuments(result: LoadResult, source: SourceFile, read: BlockRead, options: LoadOptions): void {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  // The reader found the lines; positions are computed from them as the yaml package's counter would.
  for (const start of read.lineStarts) source.lineCounter.addNewLine(start);
  // Parsed without the file's line counter: its lines are counted already.
  const documentAt = lazyDocuments(source.text, KUBERNETES_YAML_OPTIONS);
  const at = (offset: number) => {
    const { line, col } = source.lineCounter.linePos(offset);
    return { file: source.path, line, column: col };
  };
  let indexInFile = 0;
  read.documents.forEach(({ value: object, positions, span }, documentIndex) => {
    if (object === null || !positions) return;
    if (valueTooDeep(object, maxDepth)) {
      result.errors.push(new PalisadeError('LOAD_TOO_DEEP', tooDeepMessage(maxDepth), { location: at(span[0]) }));
      return;
    }
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      result.skipped++;
      return;
    }
    if (!isListKind(object)) {
      result.resources.push(new Resource(object, source, lazyTree(documentAt, documentIndex), indexInFile++, documentIndex, '', { node: positions, span }));
      return;
    }
    const itemPositions = positions.values?.get('items')?.items;
    expandListItems(
      result,
      object,
      (i) => {
        const place = itemPositions?.[i];
        return at(place === undefined ? span[0] : typeof place === 'number' ? place : place.start);
      },
      (filled, i) => result.resources.push(new Resource(filled, source, lazyTree(documentAt, documentIndex, i), indexInFile++, documentIndex, `/items/${i}`, { node: itemPositions![i] as NodePositions, span })),
      (i) => typeof itemPositions?.[i] === 'object',
    );
  });
}

