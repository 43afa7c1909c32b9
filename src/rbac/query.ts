/**
 * Questions to the model: may this identity make this request (authorize), who may (whoCan), and
 * what may this identity do, merged (permissions).
 */
import { combinedResource, ruleAllows } from './match.js';
import { RbacModel, subjectKey, type Grant } from './model.js';
import { isClusterScoped } from './data/resources.js';
import { MASTERS_GROUP } from './data/namespaces.js';
import type { Identity, PolicyRule, Request, ResourceRequest, SourcedRule, Subject } from './types.js';
import { isNonResource } from './types.js';

/** One binding rule that allows a request. */
export interface Reason {
  grant: Grant;
  rule: SourcedRule;
}

export interface Decision {
  allowed: boolean;
  /** system:masters: allowed before RBAC is asked. */
  implicit?: 'system:masters';
  reasons: Reason[];
}

/** RBACAuthorizer.Authorize: every rule of every binding that applies, in the request's namespace only. */
export function authorize(model: RbacModel, identity: Identity, request: Request): Decision {
  const reasons: Reason[] = [];
  const namespace = isNonResource(request) ? '' : (request.namespace ?? '');
  for (const grant of model.grantsFor(identity)) {
    if (grant.scope !== undefined && grant.scope !== namespace) continue;
    for (const rule of grant.rules) if (ruleAllows(rule.rule, request)) reasons.push({ grant, rule });
  }
  if (RbacModel.isMaster(identity)) return { allowed: true, implicit: 'system:masters', reasons };
  return { allowed: reasons.length > 0, reasons };
}

/**
 * Where a request for this verb and resource is made: cluster-scoped resources at cluster scope,
 * except `bind` on clusterroles, which the API server checks in the namespace of the RoleBinding
 * being written (pkg/registry/rbac/validation: BindingAuthorized), so a Role can grant it.
 */
export function requestScope(verb: string, apiGroup: string, resource: string): 'cluster' | 'namespaced' {
  if (verb === 'bind' && apiGroup === 'rbac.authorization.k8s.io' && resource === 'clusterroles') return 'namespaced';
  return isClusterScoped(apiGroup, resource) ? 'cluster' : 'namespaced';
}

export interface WhoCanQuery {
  request: Request;
  /** For namespaced requests: one namespace, or every namespace (each grant says where). */
  namespace?: string;
}

export interface WhoCanGrant {
  grant: Grant;
  rule: SourcedRule;
}

export interface WhoCanSubject {
  subject: Subject;
  /** system:masters holds every permission without a binding. */
  implicit?: 'system:masters';
  grants: WhoCanGrant[];
}

/** Every subject a binding names that the request is allowed to, with the grants; plus system:masters. */
export function whoCan(model: RbacModel, query: WhoCanQuery): WhoCanSubject[] {
  const { request } = query;
  const clusterOnly = isNonResource(request) || requestScope(request.verb, request.apiGroup, request.resource) === 'cluster';
  const namespace = query.namespace;
  const bySubject = new Map<string, WhoCanSubject>();
  // Rule verdicts are shared by every grant of a role: a role is checked once.
  const verdicts = new Map<readonly SourcedRule[], SourcedRule[]>();
  for (const grant of model.grants) {
    if (grant.scope !== undefined && (clusterOnly || (namespace !== undefined && grant.scope !== namespace))) continue;
    let allowing = verdicts.get(grant.rules);
    if (!allowing) {
      const req: Request = isNonResource(request) ? request : { ...request, namespace: grant.scope ?? namespace ?? '' };
      allowing = grant.rules.filter((r) => ruleAllows(r.rule, req));
      verdicts.set(grant.rules, allowing);
    }
    if (allowing.length === 0) continue;
    const key = subjectKey(grant.subject);
    let entry = bySubject.get(key);
    if (!entry) bySubject.set(key, (entry = { subject: grant.subject, grants: [] }));
    for (const rule of allowing) entry.grants.push({ grant, rule });
  }
  const masters = bySubject.get(`Group:${MASTERS_GROUP}`);
  if (masters) masters.implicit = 'system:masters';
  else bySubject.set(`Group:${MASTERS_GROUP}`, { subject: { kind: 'Group', name: MASTERS_GROUP }, implicit: 'system:masters', grants: [] });
  return [...bySubject.values()].sort(compareSubjects);
}

const KIND_ORDER = { Group: 0, ServiceAccount: 1, User: 2 } as const;
export function compareSubjects(a: { subject: Subject }, b: { subject: Subject }): number {
  const x = a.subject;
  const y = b.subject;
  if (x.kind !== y.kind) return KIND_ORDER[x.kind] - KIND_ORDER[y.kind];
  if ((x.namespace ?? '') !== (y.namespace ?? '')) return (x.namespace ?? '') < (y.namespace ?? '') ? -1 : 1;
  return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

/** A merged permission: one scope, one group, one resource (or URL), one name set, the verbs. */
export interface Permission {
  /** Namespace, or undefined = cluster-wide. */
  scope?: string;
  apiGroup?: string;
  resource?: string;
  nonResourceURL?: string;
  resourceNames: readonly string[];
  verbs: string[];
  from: Reason[];
}

/**
 * The effective permissions of an identity, merged and minimal: rules expanded to one entry per
 * (scope, group, resource or URL, names), verbs unioned, and entries dropped that a cluster-wide
 * or wildcard entry already covers. Non-resource URLs only count cluster-wide, as the authorizer
 * never asks RoleBindings about them.
 */
export function permissions(model: RbacModel, identity: Identity): Permission[] {
  const byKey = new Map<string, Permission>();
  for (const grant of model.grantsFor(identity)) {
    for (const rule of grant.rules) {
      const add = (key: Omit<Permission, 'verbs' | 'from'>): void => {
        const id = JSON.stringify([key.scope ?? null, key.apiGroup ?? null, key.resource ?? null, key.nonResourceURL ?? null, [...key.resourceNames].sort()]);
        let entry = byKey.get(id);
        if (!entry) byKey.set(id, (entry = { ...key, verbs: [], from: [] }));
        for (const verb of rule.rule.verbs) if (!entry.verbs.includes(verb)) entry.verbs.push(verb);
        entry.from.push({ grant, rule });
      };
      for (const group of rule.rule.apiGroups) for (const resource of rule.rule.resources) add({ ...(grant.scope !== undefined ? { scope: grant.scope } : {}), apiGroup: group, resource, resourceNames: rule.rule.resourceNames });
      if (grant.scope === undefined) for (const url of rule.rule.nonResourceURLs) add({ nonResourceURL: url, resourceNames: [] });
    }
  }
  const all = [...byKey.values()];
  for (const p of all) p.verbs.sort();
  // Minimal: drop verbs another entry with a wider scope, group, resource and name set already grants.
  const covers = (wide: Permission, narrow: Permission): boolean => {
    if (wide === narrow) return false;
    if (wide.scope !== undefined && wide.scope !== narrow.scope) return false;
    if ((wide.nonResourceURL === undefined) !== (narrow.nonResourceURL === undefined)) return false;
    if (wide.nonResourceURL !== undefined) return wide.nonResourceURL === '*' || (wide.nonResourceURL.endsWith('*') && narrow.nonResourceURL!.startsWith(wide.nonResourceURL.replace(/\*+$/, '')));
    if (wide.apiGroup !== '*' && wide.apiGroup !== narrow.apiGroup) return false;
    const sub = narrow.resource!.includes('/') ? narrow.resource!.slice(narrow.resource!.indexOf('/') + 1) : '';
    const resourceCovered = wide.resource === '*' || wide.resource === narrow.resource || (sub !== '' && wide.resource === `*/${sub}`);
    if (!resourceCovered) return false;
    return wide.resourceNames.length === 0 || (narrow.resourceNames.length > 0 && narrow.resourceNames.every((n) => wide.resourceNames.includes(n)));
  };
  const kept: Permission[] = [];
  for (const p of all) {
    const wider = all.filter((w) => covers(w, p) && !(covers(p, w) && all.indexOf(p) < all.indexOf(w)));
    const left = p.verbs.filter((v) => !wider.some((w) => w.verbs.includes('*') || w.verbs.includes(v)));
    if (left.length === 0) continue;
    kept.push({ ...p, verbs: left.includes('*') ? ['*'] : left });
  }
  return kept.sort((a, b) => key(a).localeCompare(key(b)));
}

const key = (p: Permission): string => `${p.scope ?? ''}\u0000${p.nonResourceURL ?? ''}\u0000${p.apiGroup ?? ''}\u0000${p.resource ?? ''}\u0000${p.resourceNames.join(',')}`;

/** `rule` as the one-line form people read: `get,list secrets (core) names=a,b`. */
export function describeRule(rule: PolicyRule): string {
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return `${rule.verbs.join(',')} ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  return `${rule.verbs.join(',')} ${rule.resources.join(',')} (${groups})${rule.resourceNames.length ? ` names=${rule.resourceNames.join(',')}` : ''}`;
}

export function describeRequest(request: Request): string {
  if (isNonResource(request)) return `${request.verb} ${request.path}`;
  const r = request as ResourceRequest;
  return `${r.verb} ${combinedResource(r)}${r.apiGroup ? `.${r.apiGroup}` : ''}${r.name ? `/${r.name}` : ''}`;
}
