import type { Finding, ResourceRef } from '../core/types.js';
import { apiGroup, findPodSpecs } from '../workloads/index.js';
import { originAdvice, type ObjectOrigin } from './objects.js';
import type { ClusterObject } from './read.js';

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The objects of a read, looked up by reference and by uid (ownerReferences name both). */
export class ObjectIndex {
  private readonly byRef = new Map<string, ClusterObject>();
  private readonly byUid = new Map<string, ClusterObject>();
  constructor(objects: readonly ClusterObject[]) {
    for (const o of objects) {
      const m = isObject(o.object.metadata) ? o.object.metadata : {};
      this.byRef.set(refKey(apiGroup(String(o.object.apiVersion)), String(o.object.kind), typeof m.namespace === 'string' ? m.namespace : '', String(m.name ?? '')), o);
      if (typeof m.uid === 'string') this.byUid.set(m.uid, o);
    }
  }

  lookup(ref: ResourceRef): ClusterObject | undefined {
    return this.byRef.get(refKey(apiGroup(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name));
  }

  /** The controller that owns an object (ownerReferences[controller=true], else the only owner), when it was read. */
  owner(object: ClusterObject): ClusterObject | undefined {
    const m = isObject(object.object.metadata) ? object.object.metadata : {};
    const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences.filter(isObject) : [];
    const ref = refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
    if (!ref) return undefined;
    const byUid = typeof ref.uid === 'string' ? this.byUid.get(ref.uid) : undefined;
    if (byUid) return byUid;
    const namespace = typeof m.namespace === 'string' ? m.namespace : '';
    return this.byRef.get(refKey(apiGroup(String(ref.apiVersion ?? '')), String(ref.kind ?? ''), namespace, String(ref.name ?? '')));
  }

  /** The chain of controllers above an object, nearest first (cycles cut). */
  owners(object: ClusterObject): ClusterObject[] {
    const chain: ClusterObject[] = [];
    const seen = new Set<ClusterObject>([object]);
    for (let o = this.owner(object); o && !seen.has(o); o = this.owner(o)) {
      chain.push(o);
      seen.add(o);
    }
    return chain;
  }
}

const refKey = (group: string, kind: string, namespace: string, name: string): string => `${group}|${kind}|${namespace}|${name}`;

/**
 * A finding's identity within a pod template: its check, container and the path below the pod
 * spec (or pod metadata), with container indexes dropped (an injected sidecar shifts them). The
 * same finding on a Pod and on its ReplicaSet's template has the same key.
 */
export function templateKey(finding: Finding, object: Obj): string {
  const relative = finding.path === undefined ? undefined : relativeToPod(finding.path, object);
  return `${finding.checkId}|${finding.container ?? ''}|${relative ?? `message:${finding.message}`}`;
}

/**
 * The key and the keys of its ancestors: a field the API server filled in on the pod (the
 * `default` service account name) is missing from the template, where the same check points at
 * the nearest existing parent instead.
 */
function templateKeys(finding: Finding, object: Obj): string[] {
  const key = templateKey(finding, object);
  const bar = key.indexOf('|', key.indexOf('|') + 1);
  const head = key.slice(0, bar + 1);
  const relative = key.slice(bar + 1);
  if (relative.startsWith('message:')) return [key];
  // The same words on the same container are the same problem, wherever the check points: the
  // template without serviceAccountName and the pod with the `default` the server wrote in.
  const keys = [key, `${head}message:${finding.message}`];
  for (let cut = relative.lastIndexOf('/'); cut > relative.indexOf(':'); cut = relative.lastIndexOf('/', cut - 1)) keys.push(head + relative.slice(0, cut));
  return keys;
}

function relativeToPod(path: string, object: Obj): string | undefined {
  let best: { prefix: string; tag: string } | undefined;
  for (const spec of findPodSpecs(object)) {
    for (const [prefix, tag] of [[spec.podSpecPath, 'spec'], [spec.metadataPath, 'metadata']] as const) {
      if (prefix === undefined) continue;
      if ((path === prefix || path.startsWith(prefix + '/')) && (!best || prefix.length > best.prefix.length)) best = { prefix, tag };
    }
  }
  if (!best) return undefined;
  return `${best.tag}:${path.slice(best.prefix.length).replace(/\/(containers|initContainers|ephemeralContainers)\/\d+(?=\/|$)/g, '/$1/*')}`;
}

export interface FoldResult {
  findings: Finding[];
  /** Findings dropped because their owner carries the same one. */
  folded: number;
}

/**
 * Report each finding once per owner. A finding on an object that a controller owns (Pod →
 * ReplicaSet → Deployment, Job → CronJob, Pod → StatefulSet, Pod → RayCluster…) is dropped when
 * the owner has the same finding, so thirty replicas give one finding on the Deployment; a pod
 * that differs from its template (edited, mutated, debugged) keeps what its template lacks.
 * ReplicaSets scaled to zero under a Deployment (its revision history) run nothing and are not
 * reported. Then each finding says where its object is managed from.
 */
export function foldByOwner(findings: readonly Finding[], index: ObjectIndex): FoldResult {
  const keysCache = new Map<ClusterObject, Set<string>>();
  const byObject = new Map<ClusterObject, Finding[]>();
  for (const f of findings) {
    const o = f.resource ? index.lookup(f.resource) : undefined;
    if (!o) continue;
    const list = byObject.get(o) ?? [];
    list.push(f);
    byObject.set(o, list);
  }
  const keysOf = (o: ClusterObject): Set<string> => {
    let keys = keysCache.get(o);
    if (!keys) {
      keys = new Set((byObject.get(o) ?? []).flatMap((f) => [templateKey(f, o.object), `${f.checkId}|${f.container ?? ''}|message:${f.message}`]));
      keysCache.set(o, keys);
    }
    return keys;
  };
  const out: Finding[] = [];
  let folded = 0;
  for (const f of findings) {
    const o = f.resource ? index.lookup(f.resource) : undefined;
    if (!o) {
      out.push(f);
      continue;
    }
    const chain = index.owners(o);
    const owner = chain[0];
    if (isRevisionHistory(o, owner) || (owner && templateKeys(f, o.object).some((key) => keysOf(owner).has(key)))) {
      folded++;
      continue;
    }
    const origin = [o, ...chain].map((x) => x.origin).find((x): x is ObjectOrigin => x !== undefined);
    out.push(origin ? withOrigin(f, origin) : f);
  }
  return { findings: out, folded };
}

function isRevisionHistory(object: ClusterObject, owner: ClusterObject | undefined): boolean {
  if (object.object.kind !== 'ReplicaSet' || owner?.object.kind !== 'Deployment') return false;
  const spec = isObject(object.object.spec) ? object.object.spec : {};
  return spec.replicas === 0;
}

function withOrigin(finding: Finding, origin: ObjectOrigin): Finding {
  const advice = originAdvice(origin);
  return { ...finding, remediation: finding.remediation ? `${finding.remediation} ${advice}` : advice, managedBy: { tool: origin.tool, ...(origin.kind ? { kind: origin.kind } : {}), ...(origin.name ? { name: origin.name } : {}), ...(origin.namespace ? { namespace: origin.namespace } : {}), evidence: origin.evidence } };
}
