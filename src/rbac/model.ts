/**
 * The RBAC model: roles with aggregation computed, bindings resolved to their rules, and the grants
 * every subject holds. Mirrors the API server's DefaultRuleResolver.VisitRulesFor
 * (pkg/registry/rbac/validation/rule.go): ClusterRoleBindings apply everywhere, RoleBindings only to
 * requests in their namespace; a ClusterRoleBinding to a Role, or a binding to a missing role,
 * grants nothing.
 */
import { selectorMatches } from './match.js';
import type { Identity, PolicyRule, RbacBinding, RbacInput, RbacProblem, RbacRole, SourcedRule, Subject } from './types.js';
import { MASTERS_GROUP } from './data/namespaces.js';
import { BOOTSTRAP_CLUSTER_ROLES, isBuiltInRoleName } from './data/bootstrap.js';

/** One subject of one binding, with the rules it receives and where. */
export interface Grant {
  binding: RbacBinding;
  subjectIndex: number;
  subject: Subject;
  /** The namespace it applies in (RoleBinding), or undefined: everywhere (ClusterRoleBinding). */
  scope?: string;
  role: RbacRole;
  rules: readonly SourcedRule[];
}

export const subjectKey = (s: Subject): string => (s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace ?? ''}:${s.name}` : `${s.kind}:${s.name}`);
const bindingKey = (b: RbacBinding): string => `${b.kind}:${b.namespace ?? ''}/${b.name}`;
export const roleKey = (kind: string, name: string, namespace?: string): string => (kind === 'Role' ? `Role:${namespace ?? ''}/${name}` : `ClusterRole:${name}`);

const SA_PREFIX = 'system:serviceaccount:';

/** The identity the API server authenticates for a subject. A Group stands for one member holding only that group. */
export function identityOf(subject: Subject): Identity {
  switch (subject.kind) {
    case 'ServiceAccount':
      return { user: `${SA_PREFIX}${subject.namespace ?? ''}:${subject.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${subject.namespace ?? ''}`, 'system:authenticated'] };
    case 'User': {
      const sa = serviceAccountOfUser(subject.name);
      if (sa) return identityOf(sa);
      return { user: subject.name, groups: subject.name === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'] };
    }
    case 'Group':
      return { user: '', groups: [subject.name] };
  }
}

/** `system:serviceaccount:<ns>:<name>` is that ServiceAccount. */
export function serviceAccountOfUser(user: string): Subject | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const rest = user.slice(SA_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { kind: 'ServiceAccount', namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

export class RbacModel {
  readonly roles = new Map<string, RbacRole>();
  /** Effective rules per role key: the written ones, or for aggregated ClusterRoles the controller's union. */
  readonly effectiveRules = new Map<string, readonly SourcedRule[]>();
  readonly grants: Grant[] = [];
  readonly problems: RbacProblem[] = [];
  private readonly bySubject = new Map<string, Grant[]>();
  /** Subjects as bindings name them, in input order. */
  readonly bindingSubjects: Subject[] = [];
  /** Keys of the input's roles some binding names, or an aggregated ClusterRole takes rules from. */
  private readonly used = new Set<string>();
  /** Default ClusterRoles with fixed rules that a binding names and the input does not define. */
  private readonly bootstrap = new Map<string, RbacRole>();

  constructor(readonly input: RbacInput) {
    for (const role of input.roles) {
      const key = roleKey(role.id.kind, role.id.name, role.id.namespace);
      if (this.roles.has(key)) this.problems.push({ code: 'RBAC_DUPLICATE_OBJECT', message: `${role.id.kind} ${describeRole(role)} is defined twice; the later definition is used`, ref: role.ref, ...(role.location ? { location: role.location } : {}) });
      this.roles.set(key, role);
    }
    // The API server reconciles its default roles when it starts; the aggregation controller then
    // reads their reconciled rules (an aggregated role that selects cluster-admin gets its rules back too).
    this.reconcileBootstrap();
    this.aggregate();
    const seenSubjects = new Set<string>();
    // Two bindings with one name: the API server keeps the one applied last, but which that is depends on the
    // apply order (overlays of one repository, read together), so both grant here and the repeat is reported.
    const bindingKeys = new Set<string>();
    for (const binding of input.bindings) {
      const key = bindingKey(binding);
      if (bindingKeys.has(key)) this.problems.push({ code: 'RBAC_DUPLICATE_OBJECT', message: `${binding.kind} ${describeBinding(binding)} is defined twice; palisade counts the grants of both, the API server keeps the one applied last`, ref: binding.ref, ...(binding.location ? { location: binding.location } : {}) });
      bindingKeys.add(key);
    }
    for (const binding of input.bindings) {
      const role = this.resolve(binding);
      if (role) this.used.add(roleKey(role.id.kind, role.id.name, role.id.namespace));
      binding.subjects.forEach((entry, subjectIndex) => {
        if (entry.inert) {
          const why = entry.inert === 'no-namespace' ? 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace' : `subject kind must be User, Group or ServiceAccount`;
          this.problems.push({ code: 'RBAC_SUBJECT_NEVER_MATCHES', message: `${binding.kind} ${describeBinding(binding)}: subject ${subjectIndex} never matches anyone: ${why}`, ref: binding.ref, ...(entry.location ?? binding.location ? { location: (entry.location ?? binding.location)! } : {}), subject: entry.subject });
          return;
        }
        const key = subjectKey(entry.subject);
        if (!seenSubjects.has(key)) {
          seenSubjects.add(key);
          this.bindingSubjects.push(entry.subject);
        }
        if (!role) return;
        const grant: Grant = { binding, subjectIndex, subject: entry.subject, ...(binding.kind === 'RoleBinding' ? { scope: binding.namespace! } : {}), role, rules: this.rulesOf(role) };
        this.grants.push(grant);
        let list = this.bySubject.get(key);
        if (!list) this.bySubject.set(key, (list = []));
        list.push(grant);
      });
    }
  }

  rulesOf(role: RbacRole): readonly SourcedRule[] {
    return this.effectiveRules.get(roleKey(role.id.kind, role.id.name, role.id.namespace)) ?? role.rules;
  }

  /** GetRoleReferenceRules: a RoleBinding's Role is looked up in the binding's namespace; anything else is no grant. */
  private resolve(binding: RbacBinding): RbacRole | undefined {
    const { kind, name } = binding.roleRef;
    const where = binding.roleRefLocation ?? binding.location;
    const problem = (code: RbacProblem['code'], message: string): undefined => {
      this.problems.push({ code, message, ref: binding.ref, ...(where ? { location: where } : {}) });
      return undefined;
    };
    if (kind === 'ClusterRole') return this.roles.get(roleKey('ClusterRole', name)) ?? this.bootstrapRole(name) ?? problem('RBAC_DANGLING_ROLE_REF', `${binding.kind} ${describeBinding(binding)} refers to ClusterRole "${name}", which is not in the input: it grants nothing now and everything that role gets if someone creates it`);
    if (kind === 'Role' && binding.kind === 'RoleBinding') return this.roles.get(roleKey('Role', name, binding.namespace)) ?? problem('RBAC_DANGLING_ROLE_REF', `RoleBinding ${describeBinding(binding)} refers to Role "${name}" in namespace "${binding.namespace}", which is not in the input: it grants nothing now and everything that role gets if someone creates it`);
    if (kind === 'Role') return problem('RBAC_INVALID_ROLE_REF', `ClusterRoleBinding ${describeBinding(binding)} refers to a Role; the API server refuses it and it grants nothing`);
    return problem('RBAC_INVALID_ROLE_REF', `${binding.kind} ${describeBinding(binding)} has roleRef kind "${kind}"; only Role and ClusterRole exist, so it grants nothing`);
  }

  /**
   * The API server reconciles its default roles at every start (pkg/registry/rbac/reconciliation,
   * RemoveExtraPermissions false): a written cluster-admin keeps its own rules and gets the default
   * ones back, unless it carries `rbac.authorization.kubernetes.io/autoupdate: "false"`.
   */
  private reconcileBootstrap(): void {
    for (const [name, rules] of Object.entries(BOOTSTRAP_CLUSTER_ROLES)) {
      const role = this.roles.get(roleKey('ClusterRole', name));
      if (!role || role.autoupdate === false) continue;
      const own = this.rulesOf(role);
      const canonical = (r: PolicyRule): string => [r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs].map((list) => list.join(',')).join('|');
      const written = new Set(own.map((r) => canonical(r.rule)));
      const missing = rules.filter((rule) => !written.has(canonical(rule))).map((rule, i) => ({ rule, role: role.id, index: own.length + i }));
      if (missing.length > 0) this.effectiveRules.set(roleKey('ClusterRole', name), [...own, ...missing]);
    }
  }

  /** A default ClusterRole with fixed rules (cluster-admin), as the API server defines it in every cluster. */
  private bootstrapRole(name: string): RbacRole | undefined {
    const rules = BOOTSTRAP_CLUSTER_ROLES[name];
    if (!rules) return undefined;
    let role = this.bootstrap.get(name);
    if (!role) {
      const id = { kind: 'ClusterRole' as const, name };
      role = { id, ref: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name }, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, rules: rules.map((rule, index) => ({ rule, role: id, index })) };
      this.bootstrap.set(name, role);
    }
    return role;
  }

  /**
   * Roles of the input that grant something and that no binding of the input names (nor an
   * aggregated ClusterRole takes rules from): whoever is bound to them later gets their rules, so
   * what they grant is judged on the role itself. The API server's own roles (the user-facing
   * defaults, `system:` names, the rbac-defaults label) are left out: they are judged where bound.
   */
  unboundRoles(): RbacRole[] {
    return [...this.roles.values()].filter(
      (role) =>
        !this.used.has(roleKey(role.id.kind, role.id.name, role.id.namespace)) &&
        !isBuiltInRoleName(role.id.name) &&
        role.labels['kubernetes.io/bootstrapping'] !== 'rbac-defaults' &&
        this.rulesOf(role).length > 0,
    );
  }

  /**
   * The ClusterRole aggregation controller, run to its fixpoint: an aggregated role's rules are the
   * union (deduplicated, matched roles in name order, itself skipped) of the current rules of every
   * ClusterRole its selectors match. Aggregated roles that feed each other in a loop are reported:
   * the live result then depends on the controller's order; the least fixpoint is used.
   */
  private aggregate(): void {
    const clusterRoles = [...this.roles.values()].filter((r) => r.id.kind === 'ClusterRole').sort((a, b) => (a.id.name < b.id.name ? -1 : a.id.name > b.id.name ? 1 : 0));
    const aggregated = clusterRoles.filter((r) => r.aggregation);
    if (aggregated.length === 0) return;
    const sources = new Map<RbacRole, RbacRole[]>();
    for (const role of aggregated) {
      const matched: RbacRole[] = [];
      for (const selector of role.aggregation!) for (const other of clusterRoles) if (other !== role && selectorMatches(selector, other.labels)) matched.push(other);
      for (const other of matched) this.used.add(roleKey('ClusterRole', other.id.name));
      sources.set(role, matched);
      this.effectiveRules.set(roleKey('ClusterRole', role.id.name), []);
    }
    for (let changed = true, rounds = 0; changed && rounds <= aggregated.length + 1; rounds++) {
      changed = false;
      for (const role of aggregated) {
        const seen = new Set<string>();
        const union: SourcedRule[] = [];
        for (const source of sources.get(role)!) {
          for (const rule of this.rulesOf(source)) {
            const key = JSON.stringify(rule.rule);
            if (seen.has(key)) continue;
            seen.add(key);
            union.push(rule);
          }
        }
        const key = roleKey('ClusterRole', role.id.name);
        if (union.length !== this.effectiveRules.get(key)!.length) {
          this.effectiveRules.set(key, union);
          changed = true;
        }
      }
    }
    for (const cycle of aggregationCycles(aggregated, sources)) {
      const names = cycle.map((r) => r.id.name).sort();
      for (const role of cycle) this.problems.push({ code: 'RBAC_AGGREGATION_LOOP', message: `ClusterRole "${role.id.name}" is in an aggregation loop (${names.join(' → ')} → ${names[0]}): the controller's result depends on its order; palisade refuses the loop and counts only rules from outside it`, ref: role.ref, ...(role.location ? { location: role.location } : {}) });
    }
  }

  /** Grants bound to exactly this subject (as bindings name it). */
  grantsOf(subject: Subject): readonly Grant[] {
    return this.bySubject.get(subjectKey(subject)) ?? [];
  }

  /** Every grant that reaches an identity: its user, the ServiceAccount it is, and each of its groups. */
  grantsFor(identity: Identity): Grant[] {
    const out: Grant[] = [...(this.bySubject.get(`User:${identity.user}`) ?? [])];
    const sa = serviceAccountOfUser(identity.user);
    if (sa) out.push(...(this.bySubject.get(subjectKey(sa)) ?? []));
    for (const group of new Set(identity.groups)) out.push(...(this.bySubject.get(`Group:${group}`) ?? []));
    return out;
  }

  /** system:masters bypasses RBAC (the authorizer chain allows it before RBAC runs). */
  static isMaster(identity: Identity): boolean {
    return identity.groups.includes(MASTERS_GROUP);
  }
}

export function describeBinding(binding: RbacBinding): string {
  return binding.namespace ? `${binding.namespace}/${binding.name}` : binding.name;
}

export function describeRole(role: RbacRole): string {
  return role.id.namespace ? `${role.id.namespace}/${role.id.name}` : role.id.name;
}

/** Strongly connected components of size > 1 among aggregated roles (an edge: A aggregates B and B is aggregated too). */
function aggregationCycles(aggregated: readonly RbacRole[], sources: ReadonlyMap<RbacRole, RbacRole[]>): RbacRole[][] {
  const index = new Map<RbacRole, number>();
  const low = new Map<RbacRole, number>();
  const stack: RbacRole[] = [];
  const onStack = new Set<RbacRole>();
  const out: RbacRole[][] = [];
  let counter = 0;
  const visit = (v: RbacRole): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of sources.get(v) ?? []) {
      if (!sources.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: RbacRole[] = [];
      let w: RbacRole;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component);
    }
  };
  for (const role of aggregated) if (!index.has(role)) visit(role);
  return out;
}
