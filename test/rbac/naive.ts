/**
 * A naive RBAC authorizer written from the words of the Kubernetes documentation ("Using RBAC
 * Authorization") rather than from the engine: it walks the raw objects for every request, resolves
 * roles by searching the lists, and computes aggregation as reachability. Slow on purpose; the
 * property test holds the engine to it.
 */
type Obj = Record<string, unknown>;
interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
export interface NaiveRequest {
  verb: string;
  path?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}
export interface NaiveIdentity {
  user: string;
  groups: string[];
}

const meta = (o: Obj): { name: string; namespace: string; labels: Record<string, string> } => {
  const m = (o.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
  return { name: m.name ?? '', namespace: m.namespace || 'default', labels: m.labels ?? {} };
};

/** "A ClusterRole whose aggregationRule selects others gets all their rules" — and theirs, if they aggregate too. */
function rulesOfClusterRole(objects: Obj[], role: Obj, visiting: Set<string> = new Set()): Rule[] {
  const agg = role.aggregationRule as { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> } | undefined;
  if (!agg) return (role.rules as Rule[] | undefined) ?? [];
  const name = meta(role).name;
  visiting.add(name);
  const out: Rule[] = [];
  for (const selector of agg.clusterRoleSelectors ?? []) {
    for (const other of objects) {
      if (other.kind !== 'ClusterRole' || meta(other).name === name || visiting.has(meta(other).name)) continue;
      const labels = meta(other).labels;
      if (Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v)) out.push(...rulesOfClusterRole(objects, other, new Set(visiting)));
    }
  }
  return out;
}

/** "`*` matches everything; `resource/subresource` names a subresource; `*`/subresource names it for every resource." */
function resourceOk(ruleResource: string, req: NaiveRequest): boolean {
  if (ruleResource === '*') return true;
  const slash = ruleResource.indexOf('/');
  if (slash < 0) return !req.subresource && ruleResource === req.resource;
  const [res, sub] = [ruleResource.slice(0, slash), ruleResource.slice(slash + 1)];
  return !!req.subresource && sub === req.subresource && (res === '*' || res === req.resource);
}

function urlOk(url: string, path: string): boolean {
  if (url === '*') return true;
  if (url.endsWith('*')) {
    let prefix = url;
    while (prefix.endsWith('*')) prefix = prefix.slice(0, -1);
    return path.startsWith(prefix);
  }
  return url === path;
}

export function naiveRuleAllows(rule: Rule, req: NaiveRequest): boolean {
  const verbs = rule.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(req.verb)) return false;
  if (req.path !== undefined) return (rule.nonResourceURLs ?? []).some((u) => urlOk(u, req.path!));
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(req.apiGroup ?? '')) return false;
  if (!(rule.resources ?? []).some((r) => resourceOk(r, req))) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(req.name ?? '');
}

function roleRules(objects: Obj[], binding: Obj): Rule[] | undefined {
  const ref = binding.roleRef as { kind?: string; name?: string };
  if (ref.kind === 'ClusterRole') {
    const role = objects.find((o) => o.kind === 'ClusterRole' && meta(o).name === ref.name);
    return role ? rulesOfClusterRole(objects, role) : undefined;
  }
  if (ref.kind === 'Role' && binding.kind === 'RoleBinding') {
    const role = objects.find((o) => o.kind === 'Role' && meta(o).name === ref.name && meta(o).namespace === meta(binding).namespace);
    return role ? ((role.rules as Rule[] | undefined) ?? []) : undefined;
  }
  return undefined;
}

/** The subjects of a binding that can ever match, spelled as whoCan spells them. */
export function bindingSubjects(binding: Obj): Array<{ kind: string; name: string; namespace?: string }> {
  const out: Array<{ kind: string; name: string; namespace?: string }> = [];
  for (const s of (binding.subjects as Array<{ kind: string; name: string; namespace?: string }> | undefined) ?? []) {
    if (s.kind === 'User' || s.kind === 'Group') out.push({ kind: s.kind, name: s.name });
    else if (s.kind === 'ServiceAccount') {
      const ns = s.namespace || (binding.kind === 'RoleBinding' ? meta(binding).namespace : '');
      if (ns) out.push({ kind: 'ServiceAccount', name: s.name, namespace: ns });
    }
  }
  return out;
}

function subjectIs(identity: NaiveIdentity, s: { kind: string; name: string; namespace?: string }): boolean {
  if (s.kind === 'User') return identity.user === s.name;
  if (s.kind === 'Group') return identity.groups.includes(s.name);
  return identity.user === `system:serviceaccount:${s.namespace}:${s.name}`;
}

/** "A RoleBinding grants permissions within its namespace; a ClusterRoleBinding cluster-wide." */
function bindingApplies(binding: Obj, req: NaiveRequest): boolean {
  if (binding.kind === 'ClusterRoleBinding') return true;
  return req.path === undefined && !!req.namespace && req.namespace === meta(binding).namespace;
}

/**
 * Of two roles with one kind, namespace and name the later one is read ("kubectl apply" in input order);
 * two bindings with one name both grant (which one the API server keeps depends on the apply order).
 */
function applied(objects: Obj[]): Obj[] {
  const key = (o: Obj): string => `${String(o.kind)}/${o.kind === 'ClusterRole' ? '' : meta(o).namespace}/${meta(o).name}`;
  const last = new Map<string, Obj>();
  for (const o of objects) if (o.kind === 'Role' || o.kind === 'ClusterRole') last.set(key(o), o);
  return objects.filter((o) => (o.kind !== 'Role' && o.kind !== 'ClusterRole') || last.get(key(o)) === o);
}

export function naiveAllowed(written: Obj[], identity: NaiveIdentity, req: NaiveRequest): boolean {
  const objects = applied(written);
  if (identity.groups.includes('system:masters')) return true;
  for (const binding of objects) {
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
    if (!bindingApplies(binding, req)) continue;
    if (!bindingSubjects(binding).some((s) => subjectIs(identity, s))) continue;
    if ((roleRules(objects, binding) ?? []).some((r) => naiveRuleAllows(r, req))) return true;
  }
  return false;
}

/** Subjects named by a binding that applies to the request and whose role allows it. */
export function naiveWhoCan(written: Obj[], req: NaiveRequest): string[] {
  const objects = applied(written);
  const out = new Set<string>(['Group:system:masters']);
  for (const binding of objects) {
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
    if (!bindingApplies(binding, req)) continue;
    if (!(roleRules(objects, binding) ?? []).some((r) => naiveRuleAllows(r, req))) continue;
    for (const s of bindingSubjects(binding)) out.add(`${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
  }
  return [...out].sort();
}
