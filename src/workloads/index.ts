import { joinPointer, pointerTokens } from '../core/pointer.js';
import { isPlainObject } from '../core/object.js';
import { BUILTIN_WORKLOADS, type ContainerKind, type PodSpecLocation, type WorkloadKind } from './table.js';

export { BUILTIN_WORKLOADS, type ContainerKind, type PodSpecLocation, type WorkloadKind } from './table.js';

export interface ContainerRef {
  name: string;
  kind: ContainerKind;
  /** JSON pointer of the container object in the resource. */
  path: string;
  object: Record<string, unknown>;
}

export interface PodSpecRef {
  /** JSON pointer of the object that holds `containers` (or the container objects). */
  podSpecPath: string;
  spec: Record<string, unknown>;
  /** Pointer of the metadata the pod gets its labels/annotations from, when there is one. */
  metadataPath?: string;
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  containers: ContainerRef[];
  /** Found by the structural fallback, not the table: add the kind to `workloads:` to make it known. */
  discovered: boolean;
  /**
   * What the API server would refuse in this pod spec (no containers, a container without image):
   * the rest is still judged, and the audit says the spec is incomplete.
   */
  incomplete?: IncompleteNote[];
  /** Fields applied at run time that no static reading can evaluate (Argo `podSpecPatch`). */
  notEvaluable?: Array<{ field: string; path: string }>;
  /** Pod-level fields taken from an enclosing object (Argo workflow spec): where each one is written. */
  inherited?: InheritedFields;
}

export interface IncompleteNote {
  reason: 'noContainers' | 'noImage';
  /** The pod spec (noContainers) or the container (noImage). */
  path: string;
  container?: string;
}

export interface InheritedFields {
  /** Pointer of the enclosing object the fields come from. */
  from: string;
  /** Fields taken whole from `from`. */
  fields: string[];
  /** Lists concatenated: the pod spec's own items first (`own` of them), then those of `from`. */
  merged: Array<{ field: string; own: number }>;
}

type PlainObject = Record<string, unknown>;


/** "apps/v1" → "apps", "v1" → "" (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A lookup from group + kind to the table rows; built once per table. */
export class WorkloadTable {
  private readonly byKey = new Map<string, WorkloadKind>();
  constructor(readonly kinds: readonly WorkloadKind[] = BUILTIN_WORKLOADS) {
    for (const entry of kinds) for (const group of [...entry.groups, ...(entry.legacyGroups ?? [])]) this.byKey.set(`${group}|${entry.kind}`, entry);
  }
  lookup(apiVersion: string, kind: string): WorkloadKind | undefined {
    return this.byKey.get(`${apiGroup(apiVersion)}|${kind}`);
  }
  /** A new table with user rows added; a user row for a known kind replaces the built-in one. */
  extend(rows: readonly WorkloadKind[]): WorkloadTable {
    return new WorkloadTable([...this.kinds, ...rows]);
  }
}

export const DEFAULT_TABLE = new WorkloadTable();

/**
 * Every pod spec of a Kubernetes object: the table's locations for known kinds (embedded objects
 * included), then a structural walk that finds any other `containers: [{name, image}]` holder.
 */
export function findPodSpecs(object: PlainObject, table: WorkloadTable = DEFAULT_TABLE): PodSpecRef[] {
  const found: PodSpecRef[] = [];
  collect(object, '', table, found);
  const seen = new Set(found.map((p) => p.podSpecPath));
  // Inside a pod spec the table found (Argo's containerSet) is that pod spec, not another one.
  const covered = (pointer: string): boolean => seen.has(pointer) || found.some((p) => pointer.startsWith(p.podSpecPath + '/') || p.containers.some((c) => pointer === c.path || pointer.startsWith(c.path + '/')));
  discover(object, (pointer, spec) => {
    if (covered(pointer)) return;
    const ref = podSpecRef(object, pointer, spec, defaultMetadataPath(pointer), [], true);
    if (ref) found.push(ref);
  });
  return found;
}

/**
 * The pod specs the table knows (embedded objects included), without the structural walk: what a
 * caller that wants one known location (a Pod's `/spec`, at admission) needs, at a fraction of
 * the cost on large objects. The same refs findPodSpecs returns for those locations.
 */
export function tablePodSpecs(object: PlainObject, table: WorkloadTable = DEFAULT_TABLE): PodSpecRef[] {
  const found: PodSpecRef[] = [];
  collect(object, '', table, found);
  return found;
}

function collect(root: PlainObject, base: string, table: WorkloadTable, found: PodSpecRef[]): void {
  const object = base === '' ? root : (getPath(root, base) as PlainObject);
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return;
  const entry = table.lookup(object.apiVersion, object.kind);
  if (!entry) return;
  for (const location of entry.podSpecs) {
    for (const pointer of expand(object, location.podSpec)) {
      const spec = getPath(object, pointer);
      if (!isPlainObject(spec)) continue;
      const metadataPath = location.metadata === undefined ? defaultMetadataPath(pointer) : location.metadata.startsWith('./') ? joinPointer(pointer, ...location.metadata.slice(2).split('/')) : location.metadata;
      const ref = podSpecRef(root, base + pointer, spec, base + metadataPath, location.containerObjects ?? [], false, location.containerObjectName, location, base);
      if (ref) found.push(ref);
    }
  }
  for (const embedded of entry.embedded ?? []) {
    for (const pointer of expand(object, embedded)) if (isPlainObject(getPath(object, pointer))) collect(root, base + pointer, table, found);
  }
}

/** A place on the way to a known pod spec that holds a value of the wrong shape. */
export interface MalformedNote {
  /** JSON pointer of the offending value. */
  path: string;
  /** What the place must hold, in the API's words. */
  expected: 'a mapping' | 'a list or a mapping';
  /** What it holds: a sequence, a string, a number, a boolean. */
  found: string;
  /** The pod spec pattern of the table row the place belongs to. */
  podSpec: string;
  /** The place is the pod spec itself, not a field on the way to it. */
  atPodSpec: boolean;
  /** The kind whose table row names the place (an embedded object's own kind). */
  kind: string;
}

/**
 * The known pod-spec locations of an object (its table row, embedded objects included) where the
 * pod spec, or a field on the way to it, holds a scalar or a list where the API wants a mapping
 * (`spec: [..]` in a Pod, `spec.template.spec: "oops"`). findPodSpecs skips such places, as it must
 * (there are no fields to judge), and this says so, so bad input never silently disappears. Null
 * and absent are not malformed: they are an empty or optional field.
 */
export function malformedPodSpecs(object: PlainObject, table: WorkloadTable = DEFAULT_TABLE): MalformedNote[] {
  const notes = new Map<string, MalformedNote>();
  const visit = (base: string, target: PlainObject): void => {
    if (typeof target.apiVersion !== 'string' || typeof target.kind !== 'string') return;
    const entry = table.lookup(target.apiVersion, target.kind);
    if (!entry) return;
    const kind = target.kind;
    const walk = (pattern: string, onMapping?: (pointer: string) => void): void => {
      let frontier: Array<[string, unknown]> = [['', target]];
      const tokens = pointerTokens(pattern);
      tokens.forEach((token, i) => {
        const next: Array<[string, unknown]> = [];
        for (const [pointer, value] of frontier) {
          if (token === '*') {
            if (Array.isArray(value)) value.forEach((v, k) => next.push([joinPointer(pointer, k), v]));
            else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) next.push([joinPointer(pointer, k), v]);
            else if (value !== null && value !== undefined) note(kind, base + pointer, 'a list or a mapping', value, pattern, false);
          } else if (isPlainObject(value)) {
            if (Object.prototype.hasOwnProperty.call(value, token)) next.push([joinPointer(pointer, token), value[token]]);
          } else if (value !== null && value !== undefined) {
            note(kind, base + pointer, 'a mapping', value, pattern, false);
          }
        }
        frontier = next;
        if (i === tokens.length - 1) {
          for (const [pointer, value] of frontier) {
            if (isPlainObject(value)) onMapping?.(pointer);
            else if (value !== null && value !== undefined) note(kind, base + pointer, 'a mapping', value, pattern, onMapping === undefined);
          }
        }
      });
    };
    for (const location of entry.podSpecs) walk(location.podSpec);
    for (const embedded of entry.embedded ?? []) walk(embedded, (pointer) => visit(base + pointer, getPath(target, pointer) as PlainObject));
  };
  const note = (kind: string, path: string, expected: MalformedNote['expected'], value: unknown, podSpec: string, atPodSpec: boolean): void => {
    if (!notes.has(path)) notes.set(path, { path, expected, found: shapeOf(value), podSpec, atPodSpec, kind });
  };
  visit('', object);
  return [...notes.values()];
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return `a number (${String(value)})`;
  if (typeof value === 'boolean') return `a boolean (${String(value)})`;
  return `a ${typeof value}`;
}

/** `/spec/template/spec` → `/spec/template/metadata`; anything else → the object's own `/metadata`. */
function defaultMetadataPath(podSpecPointer: string): string {
  return podSpecPointer.endsWith('/spec') ? podSpecPointer.slice(0, -'/spec'.length) + '/metadata' : '/metadata';
}

const CONTAINER_LISTS: ReadonlyArray<[string, ContainerKind]> = [
  ['initContainers', 'initContainer'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

function podSpecRef(root: PlainObject, podSpecPath: string, ownSpec: PlainObject, metadataPath: string, containerObjects: readonly string[], discovered: boolean, containerObjectName?: string, location?: PodSpecLocation, base = ''): PodSpecRef | undefined {
  const containers: ContainerRef[] = [];
  const lists = location?.containerLists ?? CONTAINER_LISTS.map(([pointer, kind]) => ({ pointer, kind }));
  for (const { pointer, kind } of lists) {
    const tokens = pointer.split('/');
    const list = getPath(ownSpec, '/' + pointer);
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isPlainObject(c)) containers.push({ name: typeof c.name === 'string' ? c.name : `${tokens[tokens.length - 1]!}[${i}]`, kind, path: joinPointer(podSpecPath, ...tokens, i), object: c });
    });
  }
  for (const relative of containerObjects) {
    const tokens = relative.split('/');
    const value = getPath(ownSpec, '/' + relative);
    if (isPlainObject(value)) containers.push({ name: typeof value.name === 'string' ? value.name : (containerObjectName ?? tokens[0]!), kind: 'container', path: joinPointer(podSpecPath, ...tokens), object: value });
  }
  // Rows that name container objects or lists of their own (KServe, Argo) match objects that run no
  // container (a model-format-less predictor, a steps template), and partial rows are overrides: an
  // empty one is not a pod. A plain pod spec without containers is one the API server would refuse.
  const shaped = containerObjects.length > 0 || location?.containerLists !== undefined || location?.partial === true;
  if (containers.length === 0 && (discovered || shaped)) return undefined;
  const incomplete: IncompleteNote[] = [];
  if (!containers.some((c) => c.kind === 'container')) incomplete.push({ reason: 'noContainers', path: podSpecPath });
  if (!location?.partial) {
    for (const c of containers) {
      // Container objects (KServe model formats, TrainJob's trainer) get their image from a runtime.
      const listed = location?.containerObjectsNeedImage === true || !containerObjects.some((relative) => c.path === joinPointer(podSpecPath, ...relative.split('/')));
      const image = c.object.image;
      if (listed && (typeof image !== 'string' || image.trim() === '')) incomplete.push({ reason: 'noImage', path: c.path, container: c.name });
    }
  }
  const { spec, inherited } = inherit(root, ownSpec, base, location?.inherit);
  const notEvaluable: Array<{ field: string; path: string }> = [];
  for (const field of location?.notEvaluable ?? []) {
    if (ownSpec[field] !== undefined) notEvaluable.push({ field, path: joinPointer(podSpecPath, field) });
    if (location?.inherit) {
      const from = getPath(root, base + location.inherit.from);
      if (isPlainObject(from) && from[field] !== undefined) notEvaluable.push({ field, path: joinPointer(base + location.inherit.from, field) });
    }
  }
  const metadata = getPath(root, metadataPath);
  const ref: PodSpecRef = { podSpecPath, spec, metadata: { labels: stringMap(isPlainObject(metadata) ? metadata.labels : undefined), annotations: stringMap(isPlainObject(metadata) ? metadata.annotations : undefined) }, containers, discovered };
  if (isPlainObject(metadata)) ref.metadataPath = metadataPath;
  if (incomplete.length > 0) ref.incomplete = incomplete;
  if (notEvaluable.length > 0) ref.notEvaluable = notEvaluable;
  if (inherited) ref.inherited = inherited;
  return ref;
}

/** The pod spec with the fields it takes from its enclosing object (Argo templates from the workflow spec). */
function inherit(root: PlainObject, own: PlainObject, base: string, rule: PodSpecLocation['inherit']): { spec: PlainObject; inherited?: InheritedFields } {
  if (!rule) return { spec: own };
  const from = getPath(root, base + rule.from);
  if (!isPlainObject(from)) return { spec: own };
  const spec: PlainObject = { ...own };
  const inherited: InheritedFields = { from: base + rule.from, fields: [], merged: [] };
  for (const field of rule.fields) {
    if (own[field] === undefined && from[field] !== undefined) {
      spec[field] = from[field];
      inherited.fields.push(field);
    }
  }
  for (const field of rule.merge ?? []) {
    const theirs = from[field];
    if (!Array.isArray(theirs) || theirs.length === 0) continue;
    const mine = Array.isArray(own[field]) ? (own[field] as unknown[]) : [];
    spec[field] = [...mine, ...theirs];
    inherited.merged.push({ field, own: mine.length });
  }
  return inherited.fields.length + inherited.merged.length === 0 ? { spec: own } : { spec, inherited };
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function getPath(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(value)) value = value[Number(token)];
    else if (isPlainObject(value)) value = Object.prototype.hasOwnProperty.call(value, token) ? value[token] : undefined;
    else return undefined;
  }
  return value;
}

/** Expand `*` in a pointer pattern against the object: every array index or map key. */
export function expand(root: unknown, pattern: string): string[] {
  let frontier: Array<[string, unknown]> = [['', root]];
  for (const token of pointerTokens(pattern)) {
    const next: Array<[string, unknown]> = [];
    for (const [pointer, value] of frontier) {
      if (token === '*') {
        if (Array.isArray(value)) value.forEach((v, i) => next.push([joinPointer(pointer, i), v]));
        else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) next.push([joinPointer(pointer, k), v]);
      } else if (Array.isArray(value)) {
        if (/^\d+$/.test(token) && Number(token) < value.length) next.push([joinPointer(pointer, token), value[Number(token)]]);
      } else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, token)) {
        next.push([joinPointer(pointer, token), value[token]]);
      }
    }
    frontier = next;
  }
  return frontier.map(([pointer]) => pointer);
}

/**
 * Structural fallback: any mapping whose `containers` is a list of {name, image} mappings is a pod
 * spec. The walk keeps the path as tokens and builds a pointer only for what it finds (hot path).
 */
function discover(root: unknown, onPodSpec: (pointer: string, spec: PlainObject) => void): void {
  const path: Array<string | number> = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (child !== null && typeof child === 'object') {
          path.push(i);
          visit(child);
          path.pop();
        }
      }
      return;
    }
    const object = value as PlainObject;
    const containers = object.containers;
    if (Array.isArray(containers) && containers.length > 0 && containers.every((c) => isPlainObject(c) && typeof c.image === 'string' && typeof c.name === 'string')) {
      onPodSpec(joinPointer('', ...path), object);
      return;
    }
    for (const key in object) {
      if (path.length === 0 && (key === 'metadata' || key === 'status')) continue;
      const child = object[key];
      if (child !== null && typeof child === 'object') {
        path.push(key);
        visit(child);
        path.pop();
      }
    }
  };
  if (root !== null && typeof root === 'object') visit(root);
}

/** The pod spec as the API server would see it: container objects folded into `containers`. */
export interface EvaluationSpec {
  spec: PlainObject;
  /** Map a pointer relative to `spec` back to a pointer into the resource. */
  toResourcePointer: (pointer: string) => string;
}

export function evaluationSpec(ref: PodSpecRef): EvaluationSpec {
  const extra = ref.containers.filter((c) => c.kind === 'container' && !isListMember(ref, c));
  const listed = Array.isArray(ref.spec.containers) ? (ref.spec.containers as unknown[]).length : 0;
  // Container objects get the name their operator gives them, so messages name the real container.
  const named = extra.map((c) => (typeof c.object.name === 'string' ? c.object : { ...c.object, name: c.name }));
  const spec = extra.length === 0 ? ref.spec : { ...ref.spec, containers: [...(Array.isArray(ref.spec.containers) ? ref.spec.containers : []), ...named] };
  return {
    spec,
    toResourcePointer(pointer: string): string {
      const match = /^\/containers\/(\d+)(\/.*)?$/.exec(pointer);
      if (match && Number(match[1]) >= listed) {
        const container = extra[Number(match[1]) - listed];
        if (container) return container.path + (match[2] ?? '');
      }
      const inherited = ref.inherited && inheritedPointer(ref.inherited, pointer);
      return inherited ?? ref.podSpecPath + pointer;
    },
  };
}

/**
 * The resource pointer of a field of the pod spec as evaluated (`ref.spec`): the pod spec's own, or
 * the enclosing object's when the field is inherited (an Argo template's volumes of the workflow).
 */
export function podFieldPointer(ref: PodSpecRef, ...tokens: Array<string | number>): string {
  const relative = joinPointer('', ...tokens);
  return (ref.inherited && inheritedPointer(ref.inherited, relative)) ?? ref.podSpecPath + relative;
}

/** Where an inherited field of the evaluated spec is written: `/volumes/3` → the workflow's volume. */
function inheritedPointer(inherited: InheritedFields, pointer: string): string | undefined {
  const [field = '', index, ...rest] = pointerTokens(pointer);
  if (inherited.fields.includes(field)) return inherited.from + pointer;
  const merged = inherited.merged.find((m) => m.field === field);
  if (merged && index !== undefined && /^\d+$/.test(index) && Number(index) >= merged.own) return joinPointer(inherited.from, field, Number(index) - merged.own, ...rest);
  return undefined;
}

function isListMember(ref: PodSpecRef, container: ContainerRef): boolean {
  return container.path.startsWith(ref.podSpecPath + '/containers/');
}

/** The pod spec paths a workload table row names, for docs and `checks list`. */
export function describeLocations(entry: WorkloadKind): string[] {
  return entry.podSpecs.map((l: PodSpecLocation) => l.podSpec + (l.containerObjects?.length ? ` (+ ${l.containerObjects.join(', ')})` : ''));
}

/** Rows from config (`workloads:` in .palisade.yaml) as table rows; a bare pointer is a pod spec. */
export function workloadRowsFromConfig(rows: ReadonlyArray<{ apiVersion: string; kind: string; podSpecs: ReadonlyArray<string | { podSpec: string; metadata?: string | undefined; containerObjects?: string[] | undefined }> }>): WorkloadKind[] {
  return rows.map((row) => ({
    groups: [apiGroup(row.apiVersion)],
    kind: row.kind,
    podSpecs: row.podSpecs.map((p) => (typeof p === 'string' ? { podSpec: p } : { podSpec: p.podSpec, ...(p.metadata ? { metadata: p.metadata } : {}), ...(p.containerObjects ? { containerObjects: p.containerObjects } : {}) })),
  }));
}
