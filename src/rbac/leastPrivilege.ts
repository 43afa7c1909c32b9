/**
 * audit2rbac in small: from audit events, the requests one identity made, the Role(s) that grant
 * exactly those, and the difference against what the identity holds now. Reads audit.k8s.io Event
 * objects (one JSON object per line) minimally: user, verb, objectRef, requestURI, stage.
 * Replaceable by the full reader of src/auditlog.
 */
import { PalisadeError } from '../core/errors.js';
import { isPlainObject } from '../core/object.js';
import { ruleAllows } from './match.js';
import type { RbacModel } from './model.js';
import { authorize, permissions, type Permission } from './query.js';
import { requestScope } from './query.js';
import type { Identity, Request } from './types.js';

export interface UsedRequest {
  request: Request;
  /** Times seen. */
  count: number;
}

/** The requests an identity made, from audit event lines (ResponseComplete, or events without a stage). */
export function readAuditEvents(text: string, file: string, username: string): { used: UsedRequest[]; errors: PalisadeError[] } {
  const used = new Map<string, UsedRequest>();
  const errors: PalisadeError[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      errors.push(new PalisadeError('AUDIT_EVENT_INVALID', `not a JSON audit event: ${(error as Error).message}`, { location: { file, line: i + 1, column: 1 } }));
      return;
    }
    if (!isPlainObject(parsed)) {
      errors.push(new PalisadeError('AUDIT_EVENT_INVALID', `not a JSON audit event: found ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`, { location: { file, line: i + 1, column: 1 } }));
      return;
    }
    const event = parsed;
    const user = (isPlainObject(event.user) ? event.user : {}) as { username?: unknown };
    if (user.username !== username) return;
    if (event.stage !== undefined && event.stage !== 'ResponseComplete') return;
    const verb = typeof event.verb === 'string' ? event.verb : '';
    // A field of another type (a mutated or foreign log) is read as absent.
    const raw = isPlainObject(event.objectRef) ? event.objectRef : {};
    const field = (k: string): string | undefined => (typeof raw[k] === 'string' ? raw[k] : undefined);
    const ref = { apiGroup: field('apiGroup'), resource: field('resource'), subresource: field('subresource'), namespace: field('namespace'), name: field('name') };
    let request: Request;
    if (ref.resource) request = { verb, apiGroup: ref.apiGroup ?? '', resource: ref.resource, ...(ref.subresource ? { subresource: ref.subresource } : {}), ...(ref.name ? { name: ref.name } : {}), namespace: ref.namespace ?? '' };
    else if (typeof event.requestURI === 'string') request = { verb, path: event.requestURI.split('?')[0]! };
    else return;
    const key = JSON.stringify(request);
    const entry = used.get(key);
    if (entry) entry.count++;
    else used.set(key, { request, count: 1 });
  });
  return { used: [...used.values()], errors };
}

export interface LeastPrivilege {
  /** Role per namespace and one ClusterRole (cluster-scoped resources, non-resource URLs), as manifests. */
  roles: Array<Record<string, unknown>>;
  /** Used and not granted now: the workload would be denied these. */
  missing: Request[];
  /** Granted now and never used (per verb): what the generated roles drop. */
  unused: Permission[];
}

/** The minimal roles for the used requests (names dropped: one pod's name is not the next one's), and the diff. */
export function leastPrivilege(model: RbacModel, identity: Identity, used: readonly UsedRequest[], roleName: string): LeastPrivilege {
  const rules = new Map<string, Map<string, { apiGroup: string; resource: string; verbs: Set<string> }>>();
  const urls = new Map<string, Set<string>>();
  for (const { request } of used) {
    if ('path' in request) {
      urls.set(request.path, (urls.get(request.path) ?? new Set()).add(request.verb));
      continue;
    }
    const scope = request.namespace && requestScope(request.verb, request.apiGroup, request.resource) === 'namespaced' ? request.namespace : '';
    const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    let byResource = rules.get(scope);
    if (!byResource) rules.set(scope, (byResource = new Map()));
    const key = `${request.apiGroup}|${combined}`;
    const entry = byResource.get(key) ?? { apiGroup: request.apiGroup, resource: combined, verbs: new Set<string>() };
    entry.verbs.add(request.verb);
    byResource.set(key, entry);
  }
  const policyRules = (entries: Iterable<{ apiGroup: string; resource: string; verbs: Set<string> }>): Array<Record<string, unknown>> =>
    [...entries].sort((a, b) => (a.apiGroup + a.resource < b.apiGroup + b.resource ? -1 : 1)).map((e) => ({ apiGroups: [e.apiGroup], resources: [e.resource], verbs: [...e.verbs].sort() }));
  const roles: Array<Record<string, unknown>> = [];
  for (const [scope, byResource] of [...rules.entries()].sort()) {
    if (scope === '') continue;
    roles.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: roleName, namespace: scope }, rules: policyRules(byResource.values()) });
  }
  const clusterRules = [...policyRules(rules.get('')?.values() ?? []), ...[...urls.entries()].sort().map(([url, verbs]) => ({ nonResourceURLs: [url], verbs: [...verbs].sort() }))];
  if (clusterRules.length > 0) roles.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: roleName }, rules: clusterRules });
  const missing = used.filter((u) => !authorize(model, identity, u.request).allowed).map((u) => u.request);
  // Per verb: a Role granting create,get,list of which only get and list were used drops create.
  const unused = permissions(model, identity)
    .map((p) => ({ ...p, verbs: p.verbs.filter((verb) => !used.some((u) => permissionCovers({ ...p, verbs: [verb] }, u.request))) }))
    .filter((p) => p.verbs.length > 0);
  return { roles, missing, unused };
}

function permissionCovers(p: Permission, request: Request): boolean {
  if ('path' in request) return p.nonResourceURL !== undefined && ruleAllows({ verbs: p.verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [p.nonResourceURL] }, request);
  if (p.nonResourceURL !== undefined) return false;
  if (p.scope !== undefined && p.scope !== request.namespace) return false;
  return ruleAllows({ verbs: p.verbs, apiGroups: [p.apiGroup!], resources: [p.resource!], resourceNames: p.resourceNames, nonResourceURLs: [] }, request);
}
