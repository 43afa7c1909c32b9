import { SEVERITY_RANK, type Finding, type Location, type ResourceRef } from '../core/types.js';

/**
 * The one order every reporter lists findings in, so outputs are deterministic and diffable:
 * by file, then position, then the worst severity first, then check and message. Findings without
 * a location come last.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.message, b.message) ||
    compareStrings(resourceLabel(a.resource), resourceLabel(b.resource)) ||
    compareStrings(a.path ?? '', b.path ?? '')
  );
}

export function compareLocations(a: Location | undefined, b: Location | undefined): number {
  if (!a || !b) return Number(!a) - Number(!b);
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** Code-unit order, not the locale's: the same bytes sort the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** Items by key, keys in first-seen order (sort the items first for a sorted grouping). */
export function groupBy<K, T>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** "Deployment ml/iris", or "ClusterRole admin" when there is no namespace. */
export function resourceLabel(resource: ResourceRef | undefined): string {
  if (!resource) return '';
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
}

/** "file:line:column", the way compilers print it and terminals make clickable. */
export function locationLabel(location: Location): string {
  return `${fileLabel(location.file)}:${location.line}:${location.column}`;
}

/** A file as people read it: stdin ("-" in the contract) is "<stdin>". */
export function fileLabel(file: string): string {
  return file === '-' ? '<stdin>' : file;
}
