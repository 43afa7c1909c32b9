import { isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { PalisadeError } from '../errors.js';
import type { Location } from '../types.js';
import type { LoadResult } from './types.js';

/** `List` and typed lists (`PodList`, …): objects whose `items` are expanded into resources. */
export function isListKind(object: Record<string, unknown>): object is Record<string, unknown> & { kind: string } {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items);
}

/** The kind a typed list gives items that omit theirs (`PodList` → `Pod`); none for `List`. */
export function listItemKind(list: { kind: string }): string | undefined {
  return list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
}

/** Typed lists omit kind/apiVersion on items; fill them in without changing what the user wrote. */
export function fillListItem(item: Record<string, unknown>, kind: string, apiVersion: string): Record<string, unknown> {
  return item.kind === kind && item.apiVersion === apiVersion ? item : { apiVersion, kind, ...item };
}

/**
 * Each item of a List, as the three readers (JSON, block YAML, the yaml package) expand them: an
 * object is filled with the List's kind and apiVersion and handed to `add`; an item that is not
 * an object (or has no node where `hasNode` says so), or has no kind in an untyped List, is a
 * LOAD_BAD_LIST error at `locationOf(i)`.
 */
export function expandListItems(
  result: LoadResult,
  list: Record<string, unknown> & { kind: string },
  locationOf: (index: number) => Location,
  add: (item: Record<string, unknown>, index: number) => void,
  hasNode: (index: number) => boolean = () => true,
): void {
  const itemKind = listItemKind(list);
  (list.items as unknown[]).forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || !hasNode(i)) {
      result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of ${list.kind} is not an object`, { location: locationOf(i) }));
      return;
    }
    const typed = item as Record<string, unknown>;
    const kind = typeof typed.kind === 'string' ? typed.kind : itemKind;
    if (!kind) {
      result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of List has no kind`, { location: locationOf(i) }));
      return;
    }
    const apiVersion = typeof typed.apiVersion === 'string' ? typed.apiVersion : (list.apiVersion as string);
    add(fillListItem(typed, kind, apiVersion), i);
  });
}

/** The YAML node of a List's item `index` (the List itself when `items` is not a sequence), for locating it. */
export function listItemNode(listNode: YamlNode, index: number): YamlNode {
  const items = (listNode as YAMLMap).get('items', true);
  return isSeq(items) ? (items.items[index] as YamlNode) : listNode;
}
