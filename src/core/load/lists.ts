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
