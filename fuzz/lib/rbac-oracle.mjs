/**
 * A naive RBAC authorizer transcribed from the Kubernetes sources rather than from palisade's engine:
 * RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go) with VerbMatches, APIGroupMatches,
 * ResourceMatches, ResourceNameMatches and NonResourceURLMatches (pkg/apis/rbac/v1/evaluation_helpers.go);
 * VisitRulesFor, appliesToUser and GetRoleReferenceRules (pkg/registry/rbac/validation/rule.go); the
 * ClusterRole aggregation controller (pkg/controller/clusterroleaggregation) taken at its least fixpoint,
 * computed here as reachability: an aggregated role holds the rules of every plain ClusterRole its
 * selectors reach, through other aggregated roles. Objects are the documents as a cluster would hold
 * them after `kubectl apply` of the input in order: one role per kind, namespace and name, the later
 * one wins; a namespaced object without a namespace lands in "default". Bindings are palisade's
 * reading, not one cluster's: two bindings with one name both grant (which one a cluster keeps
 * depends on the apply order; palisade reports the repeat and counts both).
 *
 * It reads schema-valid objects only (the API server refuses the rest): the fuzz target asks it only
 * about documents it generated with the right types.
 */

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SA_PREFIX = 'system:serviceaccount:';
/** The API server reconciles cluster-admin at start (unless autoupdate is "false"): these rules are always in it. */
const CLUSTER_ADMIN_RULES = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const list = (v) => v ?? [];

export function verbMatches(rule, verb) {
  return list(rule.verbs).some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule, group) {
  return list(rule.apiGroups).some((g) => g === '*' || g === group);
}

export function resourceMatches(rule, combined, subresource) {
  for (const r of list(rule.resources)) {
    if (r === '*' || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule, name) {
  const names = list(rule.resourceNames);
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule, path) {
  for (const url of list(rule.nonResourceURLs)) {
    if (url === '*' || url === path) return true;
    if (url.endsWith('*')) {
      let prefix = url;
      while (prefix.endsWith('*')) prefix = prefix.slice(0, -1);
      if (path.startsWith(prefix)) return true;
    }
  }
  return false;
}

export function ruleAllows(rule, req) {
  if (req.path !== undefined) return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path);
  const sub = req.subresource ?? '';
  const combined = sub ? `${req.resource}/${sub}` : req.resource;
  return verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup) && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, req.name ?? '');
}

/** metav1.LabelSelectorAsSelector then Matches, for valid selectors. */
function selects(selector, labels) {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const groupOf = (apiVersion) => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** The cluster's state after applying `docs` in order. */
export class NaiveCluster {
  constructor(docs) {
    this.clusterRoles = new Map();
    this.roles = new Map();
    this.clusterRoleBindings = [];
    this.roleBindings = [];
    for (const doc of docs) {
      if (groupOf(doc.apiVersion) !== RBAC_GROUP) continue;
      const name = doc.metadata.name;
      const ns = doc.metadata.namespace || 'default';
      if (doc.kind === 'ClusterRole') this.clusterRoles.set(name, doc);
      else if (doc.kind === 'Role') this.roles.set(`${ns}/${name}`, doc);
      else if (doc.kind === 'ClusterRoleBinding') this.clusterRoleBindings.push(doc);
      else if (doc.kind === 'RoleBinding') this.roleBindings.push(doc);
    }
    this.effective = new Map();
  }

  /** GetClusterRole(name).Rules, as the aggregation controller and the start-up reconciliation leave them. */
  clusterRoleRules(name) {
    if (this.effective.has(name)) return this.effective.get(name);
    const role = this.clusterRoles.get(name);
    let rules;
    if (!role) rules = name === 'cluster-admin' ? CLUSTER_ADMIN_RULES : undefined;
    else if (!role.aggregationRule) rules = this.plainRules(name, role);
    else {
      // every plain ClusterRole reachable through the selectors of aggregated ones, itself never a source
      rules = [];
      const seen = new Set([name]);
      const queue = [role];
      while (queue.length) {
        const at = queue.shift();
        for (const selector of list(at.aggregationRule.clusterRoleSelectors)) {
          for (const [otherName, other] of this.clusterRoles) {
            if (seen.has(otherName) || !selects(selector, other.metadata.labels ?? {})) continue;
            seen.add(otherName);
            if (other.aggregationRule) queue.push(other);
            else rules.push(...this.plainRules(otherName, other));
          }
        }
      }
    }
    this.effective.set(name, rules);
    return rules;
  }

  /** The rules of a ClusterRole without aggregationRule: as written, plus the defaults when it is cluster-admin and reconciled. */
  plainRules(name, role) {
    const reconciled = name === 'cluster-admin' && role.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'] !== 'false';
    return reconciled ? [...list(role.rules), ...CLUSTER_ADMIN_RULES] : list(role.rules);
  }

  /** GetRoleReferenceRules: undefined when the role is not found or the kind is neither. */
  roleReferenceRules(roleRef, bindingNamespace) {
    if (roleRef.kind === 'Role') return this.roles.has(`${bindingNamespace}/${roleRef.name}`) ? list(this.roles.get(`${bindingNamespace}/${roleRef.name}`).rules) : undefined;
    if (roleRef.kind === 'ClusterRole') return this.clusterRoleRules(roleRef.name);
    return undefined;
  }

  /** RBACAuthorizer.Authorize (system:masters is allowed before RBAC is asked). */
  allowed(identity, req) {
    if (identity.groups.includes('system:masters')) return true;
    const allows = (rules) => list(rules).some((r) => ruleAllows(r, req));
    for (const b of this.clusterRoleBindings) if (list(b.subjects).some((s) => appliesToUser(identity, s, '')) && allows(this.roleReferenceRules(b.roleRef, ''))) return true;
    const namespace = req.path === undefined ? (req.namespace ?? '') : '';
    if (namespace) {
      for (const b of this.roleBindings) {
        const ns = b.metadata.namespace || 'default';
        if (ns !== namespace) continue;
        if (list(b.subjects).some((s) => appliesToUser(identity, s, ns)) && allows(this.roleReferenceRules(b.roleRef, ns))) return true;
      }
    }
    return false;
  }

  /** Subjects (as bindings name them) of every binding that allows the request in `namespace`, plus system:masters. */
  whoCan(req, namespace) {
    const out = new Set(['Group:system:masters']);
    const add = (b, ns) => {
      if (!list(this.roleReferenceRules(b.roleRef, ns)).some((r) => ruleAllows(r, req))) return;
      for (const s of list(b.subjects)) {
        if (s.kind === 'User' || s.kind === 'Group') out.add(`${s.kind}:${s.name}`);
        else if (s.kind === 'ServiceAccount' && (s.namespace || ns)) out.add(`ServiceAccount:${s.namespace || ns}:${s.name}`);
      }
    };
    for (const b of this.clusterRoleBindings) add(b, '');
    if (req.path === undefined && namespace) for (const b of this.roleBindings) if ((b.metadata.namespace || 'default') === namespace) add(b, namespace);
    return [...out].sort();
  }
}

function appliesToUser(identity, subject, namespace) {
  switch (subject.kind) {
    case 'User':
      return identity.user === subject.name;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      if (!ns) return false;
      return identity.user === `${SA_PREFIX}${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}
