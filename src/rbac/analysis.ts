/**
 * Risky-grant analysis: the rules of rules/ (one per pattern of research/rbac.md R01–R31 and per
 * Kubescape control the corpus exercises) ask the model questions through `probe`, and
 * `runRbacRules` turns their hits into Findings with the subject, the object at fault, the grant's
 * location, and a severity raised when the subject's pods serve models, head Ray clusters or run
 * notebooks.
 */
import { defineRule, formatMessage, type MessageData, type Rule } from '../core/rule.js';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Location, type ResourceRef, type Severity } from '../core/types.js';
import { apiGroupMatches, resourceMatches, verbMatches } from './match.js';
import { describeRole, identityOf, RbacModel, subjectKey, type Grant } from './model.js';
import { requestScope } from './query.js';
import { isBroadGroup, isPrivilegedNamespace } from './data/namespaces.js';
import { operatorOfRole, operatorOfServiceAccount } from './data/operators.js';
import type { MlPodRole, RbacBinding, RbacPod, RbacRole, SourcedRule, Subject } from './types.js';

/** A permission to look for: any of the verbs on any of the resources (`pods` or `pods/exec`). */
export interface Probe {
  verbs: readonly string[];
  apiGroup: string;
  resources: readonly string[];
  /** Only these object names (e.g. the `coredns` ConfigMap); absent = any object. */
  names?: readonly string[];
  /** Only grants that apply in these namespaces. */
  namespaces?: readonly string[];
}

/** A rule of a grant that gives a probed permission. */
export interface Match {
  grant: Grant;
  rule: SourcedRule;
  verb: string;
  resource: string;
  /** Namespace where it holds, or undefined: cluster-wide. */
  scope?: string;
  /** The rule lists resourceNames: only these objects. */
  names?: readonly string[];
}

/**
 * Every verb of a resource: `*`, or the read and write verbs written out one by one (get, list,
 * watch, create, update, patch, delete): full control all the same (Polaris's clusterAdmin checks
 * count the list as `*`).
 */
export const READ_WRITE_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
export const everyVerb = (rule: SourcedRule): boolean => rule.rule.verbs.includes('*') || READ_WRITE_VERBS.every((v) => rule.rule.verbs.includes(v));

/** Requests that carry no object name: a rule with resourceNames never allows them. */
const nameless = (verb: string, subresource: string): boolean => (verb === 'create' && subresource === '') || verb === 'deletecollection';

/** Which of `grants` give any permission of the probe, and where. Cluster-scoped requests count ClusterRoleBindings only. */
export function probe(grants: readonly Grant[], p: Probe): Match[] {
  const out: Match[] = [];
  for (const grant of grants) {
    if (p.namespaces && grant.scope !== undefined && !p.namespaces.includes(grant.scope)) continue;
    for (const rule of grant.rules) {
      const r = rule.rule;
      if (!apiGroupMatches(r, p.apiGroup)) continue;
      for (const combined of p.resources) {
        const slash = combined.indexOf('/');
        const resource = slash < 0 ? combined : combined.slice(0, slash);
        const sub = slash < 0 ? '' : combined.slice(slash + 1);
        if (!resourceMatches(r, combined, sub)) continue;
        for (const verb of p.verbs) {
          if (!verbMatches(r, verb)) continue;
          if (grant.scope !== undefined && requestScope(verb, p.apiGroup, resource) === 'cluster') continue;
          let names: readonly string[] | undefined;
          if (r.resourceNames.length > 0) {
            if (nameless(verb, sub)) continue;
            names = p.names ? r.resourceNames.filter((n) => p.names!.includes(n)) : r.resourceNames;
            if (names.length === 0) continue;
          }
          out.push({ grant, rule, verb, resource: combined, ...(grant.scope !== undefined ? { scope: grant.scope } : {}), ...(names ? { names } : {}) });
        }
      }
    }
  }
  return out;
}

/** What a rule reports: for whom, about which object, where, and in which words. */
export interface RbacHit {
  subject?: Subject;
  resource: ResourceRef;
  location?: Location;
  messageId: string;
  data: MessageData;
  severity?: Severity;
  /** Pods that run as the subject, when the hit is about one (raises severity for ML pods). */
  pods?: readonly RbacPod[];
  /** The hit judges what the subject's grants allow (permissionHit): it applies to an unbound role's rules too. */
  fromGrants?: true;
  /** JSON pointer into the resource: the pod spec, for a hit about a workload's token. */
  path?: string;
}

export interface RbacRule extends Rule {
  family: 'rbac';
  detect: (context: RbacContext) => RbacHit[];
}

export function defineRbacRule(rule: Omit<RbacRule, 'family'>): RbacRule {
  return { ...defineRule({ ...rule, family: 'rbac' }), family: 'rbac', detect: rule.detect };
}

/** The model plus the lookups rules share. */
export class RbacContext {
  private readonly podsBySa = new Map<string, RbacPod[]>();
  private readonly saAutomount = new Map<string, boolean>();
  private readonly saNames = new Map<string, readonly string[]>();

  constructor(readonly model: RbacModel) {
    for (const sa of model.input.serviceAccounts) if (sa.automount !== undefined) this.saAutomount.set(`${sa.namespace}/${sa.name}`, sa.automount);
    for (const pod of model.input.pods) {
      const key = `${pod.namespace}/${pod.serviceAccount}`;
      let list = this.podsBySa.get(key);
      if (!list) this.podsBySa.set(key, (list = []));
      list.push(pod);
    }
  }

  /** Subjects as bindings name them. */
  get subjects(): readonly Subject[] {
    return this.model.bindingSubjects;
  }

  /** Grants bound to this subject by name (a ServiceAccount's group bindings are reported on the group). */
  grantsOf(subject: Subject): readonly Grant[] {
    return this.model.grantsOf(subject);
  }

  /** Every grant that reaches the subject when it authenticates: its groups too. */
  effectiveGrants(subject: Subject): Grant[] {
    return this.model.grantsFor(identityOf(subject));
  }

  /** Pods that run as a ServiceAccount (every pod of the namespace for `system:serviceaccounts:<ns>`, every pod for `system:serviceaccounts`). */
  podsOf(subject: Subject): RbacPod[] {
    if (subject.kind === 'ServiceAccount') return this.podsBySa.get(`${subject.namespace}/${subject.name}`) ?? [];
    if (subject.kind === 'Group' && subject.name === 'system:serviceaccounts') return [...this.model.input.pods];
    if (subject.kind === 'Group' && subject.name.startsWith('system:serviceaccounts:')) {
      const ns = subject.name.slice('system:serviceaccounts:'.length);
      return this.model.input.pods.filter((p) => p.namespace === ns);
    }
    return [];
  }

  /** The pod spec's automountServiceAccountToken wins; else the ServiceAccount's; else mounted. */
  tokenMounted(pod: RbacPod): boolean {
    return pod.automount ?? this.saAutomount.get(`${pod.namespace}/${pod.serviceAccount}`) ?? true;
  }

  /** Service accounts known in a namespace: objects, binding subjects, pods' accounts, and `default`. */
  serviceAccountsIn(namespace: string): readonly string[] {
    // attack paths ask this for every match in every namespace: built once per namespace
    const cached = this.saNames.get(namespace);
    if (cached) return cached;
    const names = new Set<string>(['default']);
    for (const sa of this.model.input.serviceAccounts) if (sa.namespace === namespace) names.add(sa.name);
    for (const s of this.model.bindingSubjects) if (s.kind === 'ServiceAccount' && s.namespace === namespace) names.add(s.name);
    for (const p of this.model.input.pods) if (p.namespace === namespace) names.add(p.serviceAccount);
    const sorted = [...names].sort();
    this.saNames.set(namespace, sorted);
    return sorted;
  }

  /** Namespaces the input mentions. */
  namespaces(): string[] {
    const set = new Set<string>();
    for (const g of this.model.grants) if (g.scope) set.add(g.scope);
    for (const p of this.model.input.pods) set.add(p.namespace);
    for (const sa of this.model.input.serviceAccounts) set.add(sa.namespace);
    return [...set].sort();
  }
}

/**
 * Stand-ins for "whoever gets bound to this role": one subject and one binding per role of the input
 * that no binding names, so the rules judge what the role grants (see `runRbacRules`).
 */
const UNBOUND_SUBJECTS = new WeakSet<Subject>();
const UNBOUND_BINDINGS = new WeakSet<RbacBinding>();

function unboundBinding(role: RbacRole): RbacBinding {
  const subject: Subject = { kind: 'User', name: `anyone bound to ${role.id.kind} ${describeRole(role)}` };
  UNBOUND_SUBJECTS.add(subject);
  // A Role takes effect through a RoleBinding in its namespace; a ClusterRole at worst through a ClusterRoleBinding.
  const binding: RbacBinding = {
    kind: role.id.kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding',
    name: role.id.name,
    ...(role.id.kind === 'Role' ? { namespace: role.id.namespace ?? '' } : {}),
    ref: role.ref,
    labels: {},
    roleRef: { kind: role.id.kind, name: role.id.name },
    subjects: [{ subject }],
    ...(role.location ? { location: role.location } : {}),
  };
  UNBOUND_BINDINGS.add(binding);
  return binding;
}

/** `ServiceAccount kserve/kserve-controller-manager (KServe controller)`. */
export function describeSubject(subject: Subject): string {
  if (UNBOUND_SUBJECTS.has(subject)) return subject.name;
  if (subject.kind === 'ServiceAccount') {
    const op = operatorOfServiceAccount(subject.name);
    return `ServiceAccount ${subject.namespace}/${subject.name}${op ? ` (${op.operator} ${op.component})` : ''}`;
  }
  return `${subject.kind} ${subject.name}`;
}

/** `ClusterRoleBinding x → ClusterRole y` (with the operator's name when it is an ML operator's role). */
export function describeGrant(grant: Grant): string {
  const b = grant.binding;
  const r = grant.role.id;
  const op = operatorOfRole(r.name);
  if (UNBOUND_BINDINGS.has(b)) return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${op ? ` (${op.operator})` : ''}, which no binding in the input grants yet`;
  return `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} → ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${op ? ` (${op.operator})` : ''}`;
}

/** "cluster-wide", "in namespace ml" or "in namespaces a, b". */
export function describeScope(matches: readonly Match[]): string {
  if (matches.some((m) => m.scope === undefined)) return 'cluster-wide';
  const namespaces = [...new Set(matches.map((m) => m.scope!))].sort();
  return namespaces.length === 1 ? `in namespace ${namespaces[0]}` : `in namespaces ${namespaces.join(', ')}`;
}

/** Critical when it holds cluster-wide or in a namespace where admin-equivalent tokens live. */
export function clusterOrPrivileged(matches: readonly Match[], high: Severity, otherwise: Severity): Severity {
  return matches.some((m) => m.scope === undefined || isPrivilegedNamespace(m.scope)) ? high : otherwise;
}

/** The standard hit of a permission rule: subject, the first granting binding as the object at fault, the rule's line. */
export function permissionHit(context: RbacContext, subject: Subject, matches: readonly Match[], messageId: string, extra: MessageData = {}, severity?: Severity): RbacHit {
  const first = matches[0]!;
  const names = [...new Set(matches.flatMap((m) => m.names ?? []))];
  const restricted = matches.every((m) => m.names);
  const via = [...new Set(matches.map((m) => describeGrant(m.grant)))];
  return {
    subject,
    resource: first.grant.binding.ref,
    ...(first.rule.location ?? first.grant.binding.location ? { location: (first.rule.location ?? first.grant.binding.location)! } : {}),
    messageId,
    data: { who: describeSubject(subject), scope: describeScope(matches), via: via.slice(0, 3).join('; ') + (via.length > 3 ? `; and ${via.length - 3} more` : ''), names: restricted && names.length ? ` (only ${names.join(', ')})` : '', ...extra },
    ...(severity ? { severity } : {}),
    pods: context.podsOf(subject),
    fromGrants: true,
  };
}

/**
 * The rules about a workload's token: `judge` sees each pod spec of the input that mounts its
 * service account's token, once per object and account, and says what to report of it (or
 * nothing). The hit names the workload, its pod spec (location and path) and the account.
 */
export function workloadTokenHits(context: RbacContext, judge: (pod: RbacPod, subject: Subject) => { messageId: string; data: MessageData } | undefined): RbacHit[] {
  const seen = new Set<string>();
  const hits: RbacHit[] = [];
  for (const pod of context.model.input.pods) {
    const key = `${pod.ref.kind}/${pod.namespace}/${pod.ref.name}/${pod.serviceAccount}`;
    if (seen.has(key) || !context.tokenMounted(pod)) continue;
    seen.add(key);
    const subject: Subject = { kind: 'ServiceAccount', namespace: pod.namespace, name: pod.serviceAccount };
    const said = judge(pod, subject);
    if (!said) continue;
    hits.push({ subject, resource: pod.ref, ...(pod.location ? { location: pod.location } : {}), path: pod.podSpecPath, messageId: said.messageId, data: { kind: pod.ref.kind, namespace: pod.namespace, name: pod.ref.name, sa: pod.serviceAccount, ...said.data }, pods: [pod] });
  }
  return hits;
}

/** A rule that fires for every subject whose own grants give any permission of the probes. */
export function permissionRule(
  rule: Omit<RbacRule, 'family' | 'detect'>,
  probes: readonly Probe[],
  options: { severity?: (matches: readonly Match[]) => Severity; messageId?: string; subjects?: (subject: Subject) => boolean; filter?: (matches: Match[]) => Match[] } = {},
): RbacRule {
  return defineRbacRule({
    ...rule,
    detect: (context) => {
      const hits: RbacHit[] = [];
      for (const subject of context.subjects) {
        if (options.subjects && !options.subjects(subject)) continue;
        const grants = context.grantsOf(subject);
        let matches = probes.flatMap((p) => probe(grants, p));
        if (options.filter) matches = options.filter(matches);
        if (matches.length === 0) continue;
        hits.push(permissionHit(context, subject, matches, options.messageId ?? 'can', {}, options.severity?.(matches)));
      }
      return hits;
    },
  });
}

const ML_ROLES: Readonly<Record<MlPodRole, string | undefined>> = { 'model-server': 'model server', 'ray-head': 'Ray head', notebook: 'notebook', training: undefined, 'ml-operator': undefined };

const raise = (severity: Severity): Severity => SEVERITIES[Math.max(0, SEVERITIES.indexOf(severity) - 1)]!;

export interface RunOptions {
  /** Only these rule ids. */
  enabled?: ReadonlySet<string>;
}

/**
 * Every rule over the model; hits become Findings (subject, object at fault, location, frameworks).
 * Then the roles no binding names: each is bound to a stand-in subject in a model of its own, and
 * the rules that judge what grants allow report on the role itself, without a subject (a role with
 * pods/exec or `*` is a finding before anyone is bound to it, as Polaris, kube-linter and checkov
 * report it).
 */
export function runRbacRules(model: RbacModel, rules: readonly RbacRule[], options: RunOptions = {}): Finding[] {
  const active = rules.filter((rule) => !options.enabled || options.enabled.has(rule.id));
  const findings = collect(new RbacContext(model), active, () => true);
  const unbound = model.unboundRoles();
  if (unbound.length > 0) {
    const hypothetical = new RbacModel({ ...model.input, bindings: unbound.map(unboundBinding) });
    findings.push(...collect(new RbacContext(hypothetical), active, (hit) => hit.fromGrants === true && hit.subject !== undefined && UNBOUND_SUBJECTS.has(hit.subject)));
  }
  return findings;
}

function collect(context: RbacContext, rules: readonly RbacRule[], keep: (hit: RbacHit) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.detect(context)) {
      if (!keep(hit)) continue;
      let severity = hit.severity ?? rule.severity;
      let message = formatMessage(rule, hit.messageId, hit.data);
      const mounted = (hit.pods ?? []).filter((p) => context.tokenMounted(p));
      const ml = mounted.filter((p) => p.mlRole && ML_ROLES[p.mlRole]);
      if (mounted.length > 0) {
        const shown = (ml.length > 0 ? ml : mounted).slice(0, 3).map((p) => `${p.ref.kind} ${p.namespace}/${p.ref.name}${p.mlRole && ML_ROLES[p.mlRole] ? ` (${ML_ROLES[p.mlRole]})` : ''}`);
        message += `; pods with its token: ${shown.join(', ')}${mounted.length > shown.length ? ` and ${mounted.length - shown.length} more` : ''}`;
      }
      // A model server, Ray head or notebook runs user-supplied code or models: whatever its token can do, an attacker can.
      if (ml.length > 0 && SEVERITY_RANK[severity] >= SEVERITY_RANK.low) severity = raise(severity);
      const subject = hit.subject && !UNBOUND_SUBJECTS.has(hit.subject) ? hit.subject : undefined;
      findings.push({
        checkId: rule.id,
        severity,
        title: rule.title,
        message,
        resource: hit.resource,
        ...(hit.path !== undefined ? { path: hit.path } : {}),
        ...(hit.location ? { location: hit.location } : {}),
        remediation: rule.remediation,
        frameworks: rule.frameworks,
        ...(subject ? { subject: { kind: subject.kind, name: subject.name, ...(subject.namespace ? { namespace: subject.namespace } : {}) } } : {}),
      });
    }
  }
  return findings;
}

export { subjectKey, isBroadGroup };
