import { pointerTokens } from '../core/pointer.js';
import type { PodSpecLocation, WorkloadKind } from '../workloads/index.js';
import { and, or, presentPath, selectPath, str, valueOr } from './cel.js';

/**
 * The workloads table (kind → pod-spec pointers) as CEL: one variable, `podGroups`, that yields
 * every pod spec of the admitted object as a list of groups of pods, each pod a map
 * `{annotations, spec, containers}` (containers = init + regular + ephemeral + the CRD's single
 * container objects, such as KServe's `model`). Groups exist because CEL has no flatten: a pointer
 * with two `*` (Seldon's predictors/componentSpecs) yields one group per outer item. A `*` walks a
 * list or a map's values (PyTorchJob replica specs are a map), decided at run time by `type()`.
 */

export interface MatchKind {
  /** API groups ('' = core). */
  groups: readonly string[];
  kind: string;
  /** The REST resource (plural), as VAP rules name it. */
  resource: string;
  /** Subresources that carry pod specs too (pods/ephemeralcontainers). */
  subresources: readonly string[];
}

export interface WorkloadTranslation {
  /** CEL: list of groups (lists) of pod maps. */
  podGroups: string;
  match: MatchKind[];
  /** Rows the CEL cannot cover, with the reason (never dropped silently). */
  notCovered: Array<{ kind: string; reason: string }>;
}

/** Kinds whose plural is not `lowercase(kind) + s`. None in the built-in table today; user rows may need one. */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { Endpoints: 'endpoints' };

export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  return IRREGULAR_PLURALS[kind] ?? (/(s|x|z|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`);
}

const POD_VAR = ['w0', 'w1', 'w2'];

/** The CEL test that the admitted object is of this row's group(s) and kind. */
function kindTest(root: string, row: WorkloadKind): string {
  const groups = row.groups.map((group) => (group === '' ? `!${root}.apiVersion.contains('/')` : `${root}.apiVersion.startsWith(${str(`${group}/`)})`));
  return and(`${root}.kind == ${str(row.kind)}`, or(...groups));
}

const CORE_LISTS: NonNullable<PodSpecLocation['containerLists']> = [
  { pointer: 'initContainers', kind: 'initContainer' },
  { pointer: 'containers', kind: 'container' },
  { pointer: 'ephemeralContainers', kind: 'ephemeralContainer' },
];

/**
 * One pod map from a pod-spec expression. With `views`, the pod also lists its containers as
 * `{'c': container, 'kind': 'container'|'initContainer'|'ephemeralContainer', 'key': …}` (objects
 * only, as src/workloads keeps them; `key` names a container object's field, e.g. KServe's
 * `pytorch`), which the posture checks need and the PSS checks do not.
 */
function podMap(spec: string, annotations: string, containerObjects: readonly string[], containerLists: PodSpecLocation['containerLists'], views: boolean, extra: string): string {
  // Rows with lists of their own (Argo: sidecars, containerSet/containers) name them; others have the core three.
  const listed = containerLists ?? CORE_LISTS;
  const lists = listed.map((l) => valueOr(spec, l.pointer.split('/'), '[]'));
  const objects = containerObjects.map((relative) => {
    const tokens = relative.split('/');
    return `(${presentPath(spec, tokens)} ? [${selectPath(spec, tokens)}] : [])`;
  });
  if (!views) return `{'annotations': ${annotations}, 'spec': ${spec}, 'containers': ${[...lists, ...objects].join(' + ')}}`;
  const listViews = listed.map((l) => `${valueOr(spec, l.pointer.split('/'), '[]')}.filter(x, type(x) == map).map(x, {'c': x, 'kind': ${str(l.kind)}, 'key': ''})`);
  const objectViews = containerObjects.map((relative) => {
    const tokens = relative.split('/');
    const value = selectPath(spec, tokens);
    return `(${presentPath(spec, tokens)} && type(${value}) == map ? [{'c': ${value}, 'kind': 'container', 'key': ${str(tokens.at(-1)!)}}] : [])`;
  });
  return `{'annotations': ${annotations}, 'spec': ${spec}, 'views': ${[...listViews, ...objectViews].join(' + ')}${extra}}`;
}

/** Iterate a list or a map's values: `filter` on a guard, then `map` to a value. */
function walk(collection: string, variable: string, guard: (item: string) => string, value: (item: string) => string): string {
  const mapItem = `${collection}[${variable}]`;
  return `(type(${collection}) == map ? ${collection}.filter(${variable}, ${guard(mapItem)}).map(${variable}, ${value(mapItem)}) : ${collection}.filter(${variable}, ${guard(variable)}).map(${variable}, ${value(variable)}))`;
}

/**
 * CEL for the groups of pods at one location. `metadata` is absolute (from `object`) when the row
 * names it, else the sibling of a `.../spec` pod spec (relative to the innermost `*`), else the
 * object's own metadata, as src/workloads does.
 */
function locationGroups(root: string, location: PodSpecLocation, views: boolean): string | undefined {
  const tokens = pointerTokens(location.podSpec);
  const stars = tokens.flatMap((t, i) => (t === '*' ? [i] : []));
  if (stars.length > 2) return undefined;
  const siblingMetadata = location.metadata === undefined && tokens.at(-1) === 'spec';
  // `./x`: relative to the pod spec (Argo's template metadata), as src/workloads reads it.
  const relativeMetadata = location.metadata?.startsWith('./') ? location.metadata.slice(2).split('/') : undefined;
  const rootMetadata = location.metadata === undefined || relativeMetadata ? ['metadata'] : pointerTokens(location.metadata);
  if (rootMetadata.includes('*')) return undefined;

  const annotationsFor = (base: string, rest: readonly string[]): string =>
    relativeMetadata
      ? valueOr(base, [...rest, ...relativeMetadata, 'annotations'], '{}')
      : siblingMetadata
        ? valueOr(base, [...rest.slice(0, -1), 'metadata', 'annotations'], '{}')
        : valueOr(root, [...rootMetadata, 'annotations'], '{}');
  const pod = (base: string, rest: readonly string[]): string => podMap(selectPath(base, rest), annotationsFor(base, rest), location.containerObjects ?? [], location.containerLists, views, views ? rayHead(base, rest) : '');

  if (stars.length === 0) return `(${presentPath(root, tokens)} ? [[${pod(root, tokens)}]] : [])`;
  const [first, second] = stars as [number, number | undefined];
  const prefix = tokens.slice(0, first);
  const outer = selectPath(root, prefix);
  if (second === undefined) {
    const rest = tokens.slice(first + 1);
    return `(${presentPath(root, prefix)} ? [${walk(outer, POD_VAR[0]!, (item) => presentPath(item, rest), (item) => pod(item, rest))}] : [])`;
  }
  const middle = tokens.slice(first + 1, second);
  const rest = tokens.slice(second + 1);
  const inner = (item: string): string => walk(selectPath(item, middle), POD_VAR[1]!, (x) => presentPath(x, rest), (x) => pod(x, rest));
  return `(${presentPath(root, prefix)} ? ${walk(outer, POD_VAR[0]!, (item) => presentPath(item, middle), inner)} : [])`;
}

const HEAD_SUFFIX = ['headGroupSpec', 'template', 'spec'];

/**
 * KubeRay head groups: the dashboard settings live beside the pod template (`rayStartParams`) and
 * beside the head group (`authOptions`), as src/checks/ml/rayDashboardUnauthenticated.ts reads them.
 */
function rayHead(base: string, rest: readonly string[]): string {
  if (rest.length < HEAD_SUFFIX.length || HEAD_SUFFIX.some((t, i) => rest[rest.length - HEAD_SUFFIX.length + i] !== t)) return '';
  const group = rest.slice(0, -2);
  const parent = rest.slice(0, -3);
  return `, 'rayHead': {'params': ${valueOr(base, [...group, 'rayStartParams'], '{}')}, 'auth': ${valueOr(base, [...parent, 'authOptions'], '{}')}}`;
}

/** A later row for the same group and kind replaces an earlier one (config rows over built-ins), as WorkloadTable does. */
function effectiveRows(rows: readonly WorkloadKind[]): WorkloadKind[] {
  const seen = new Set<string>();
  return [...rows]
    .reverse()
    .filter((row) => {
      const keys = row.groups.map((g) => `${g}|${row.kind}`);
      const fresh = keys.some((k) => !seen.has(k));
      keys.forEach((k) => seen.add(k));
      return fresh;
    })
    .reverse();
}

/**
 * The kind dispatch over the object at `root`: a chain of `kind test ? groups : …`. Embedded
 * objects (Katib's trial template) dispatch again on their own kind, one level deep, as
 * src/workloads collects them.
 */
function dispatch(root: string, rows: readonly WorkloadKind[], depth: number, notCovered: WorkloadTranslation['notCovered'], views: boolean): string {
  const branches: string[] = [];
  for (const row of rows) {
    const groups: string[] = [];
    for (const location of row.podSpecs) {
      const cel = locationGroups(root, location, views);
      if (cel === undefined) {
        if (depth === 0) notCovered.push({ kind: row.kind, reason: `pod-spec pointer ${location.podSpec} has more than two * or a * in its metadata pointer (CEL has no flatten)` });
      } else groups.push(cel);
      // Pod fields an operator copies in from an enclosing object (Argo's workflow-level hostNetwork,
      // volumes...) are judged by palisade audit, not by the exported policies.
      if (location.inherit && depth === 0) notCovered.push({ kind: row.kind, reason: `pod fields inherited from ${location.inherit.from} (${[...location.inherit.fields, ...(location.inherit.merge ?? [])].join(', ')}) are not merged into ${location.podSpec}` });
    }
    for (const embedded of row.embedded ?? []) {
      const tokens = pointerTokens(embedded);
      if (depth > 0 || tokens.includes('*')) {
        if (depth === 0) notCovered.push({ kind: row.kind, reason: `embedded object pointer ${embedded} has a * (not translated)` });
        continue;
      }
      const inner = selectPath(root, tokens);
      groups.push(`(${presentPath(root, [...tokens])} && ${presentPath(inner, ['kind'])} && ${presentPath(inner, ['apiVersion'])} ? ${dispatch(inner, rows, depth + 1, notCovered, views)} : [])`);
    }
    if (groups.length > 0) branches.push(`${kindTest(root, row)} ? ${groups.join(' + ')}`);
  }
  return `(${[...branches, '[]'].join(' : ')})`;
}

/** Translate the workloads table: the `podGroups` variable and the kinds to match (`views`: pods as the posture checks read them). */
export function translateWorkloads(rows: readonly WorkloadKind[], options: { views?: boolean } = {}): WorkloadTranslation {
  const notCovered: WorkloadTranslation['notCovered'] = [];
  const effective = effectiveRows(rows);
  const podGroups = dispatch('object', effective, 0, notCovered, options.views === true);
  const match: MatchKind[] = effective
    .filter((row) => row.podSpecs.length > 0 || (row.embedded?.length ?? 0) > 0)
    .map((row) => ({ groups: row.groups, kind: row.kind, resource: pluralOf(row.kind), subresources: row.kind === 'Pod' && row.groups.includes('') ? ['ephemeralcontainers'] : [] }));
  return { podGroups, match, notCovered };
}
