import type { Resource } from '../../core/load.js';
import { ivNormalize, type Domain, type Intervals } from './connSet.js';
import { effectiveLabels, topologyIndex, type Endpoint, type Topology } from './endpoints.js';
import type { StringClasses } from './l7Classes.js';

/** The mesh parsers' readers of untyped YAML values (one copy, not one per parser). */
export const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x)) : undefined);

/** What the L7 layer parsers (Ingress, Istio Gateway, Sidecar) read besides their objects. */
export interface LayerParseCtx {
  topology: Topology;
  domain: Domain;
  paths: StringClasses;
  hosts: StringClasses;
  /** Where objects that name no namespace are read (see impliedNamespace). */
  defaultNamespace: string;
}

/** An object's namespace, or where an object that names none is read. */
export function namespaceOf(r: Resource, defaultNamespace: string): string {
  const md = r.object.metadata;
  const ns = md !== null && typeof md === 'object' && !Array.isArray(md) ? (md as Record<string, unknown>).namespace : undefined;
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

/** The pods of `namespace` whose labels hold every pair of `selector` (a Service or workloadSelector). */
export function podsSelected(topology: Topology, namespace: string, selector: Readonly<Record<string, unknown>>): Endpoint[] {
  const pairs = Object.entries(selector).map(([k, v]) => [k, String(v)] as const);
  return topologyIndex(topology)
    .inNamespace(namespace)
    .filter((ep) => {
      if (ep.kind !== 'pod') return false;
      const labels = effectiveLabels(ep);
      return pairs.every(([k, v]) => labels[k] === v);
    });
}

/** The string classes (paths or hosts) any of `patterns` matches. */
export const classSet = (sc: StringClasses, patterns: readonly string[]): Set<number> => new Set(patterns.flatMap((p) => sc.classesOf(p)));

/** A set of class numbers as intervals of a dimension. */
export const toIv = (set: ReadonlySet<number>): Intervals => ivNormalize([...set].map((c): [number, number] => [c, c]));
