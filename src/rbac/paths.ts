/**
 * Attack paths: from a subject, the service accounts it can become (by creating pods or workloads
 * that run as them, minting their tokens, impersonating them, exec into pods that mount them,
 * reading their token Secrets, or through the kubelet), then what those accounts can become, to a
 * fixpoint (breadth first, so each account is reached by a shortest chain). Each step names the
 * grant and its location; each account reached lists its powers.
 */
import { probe, RbacContext, describeGrant, type Match, type Probe } from './analysis.js';
import { identityOf, subjectKey, type Grant } from './model.js';
import type { Location } from '../core/types.js';
import type { RbacPod, Subject } from './types.js';

export type StepKind = 'create-pods' | 'create-workloads' | 'create-token' | 'impersonate' | 'exec' | 'read-token-secret' | 'kubelet' | 'admin';

export interface PathStep {
  kind: StepKind;
  /** "create pods in ml", "exec into InferenceService ml/iris". */
  action: string;
  /** Where the permission comes from. */
  via: string;
  location?: Location;
  /** The account reached; absent for terminal steps (cluster-admin). */
  to?: Subject;
  /** Terminal: the subject is administrator of this scope ("cluster" or a namespace). */
  admin?: string;
}

export interface ReachedSubject {
  subject: Subject;
  /** Steps from the start, in order. */
  path: PathStep[];
  /** Risky permissions this account holds itself (its groups included). */
  powers: string[];
}

export interface AttackPaths {
  from: Subject;
  reached: ReachedSubject[];
  /** Administrator of the cluster or of namespaces, with the chain that gets there. */
  admin: Array<{ scope: string; path: PathStep[] }>;
}

const WORKLOADS: readonly Probe[] = [
  { verbs: ['create', 'update', 'patch'], apiGroup: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'serving.kserve.io', resources: ['inferenceservices', 'servingruntimes'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'ray.io', resources: ['rayclusters', 'rayjobs', 'rayservices'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'kubeflow.org', resources: ['notebooks', 'pytorchjobs', 'tfjobs', 'mpijobs'] },
];

/** The powers listed for each account reached (research/rbac.md, the takeover patterns). */
const POWERS: ReadonlyArray<{ label: string; probe: Probe }> = [
  { label: 'every verb on every resource', probe: { verbs: ['*'], apiGroup: '', resources: ['*'] } },
  { label: 'read Secrets', probe: { verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] } },
  { label: 'create pods', probe: { verbs: ['create'], apiGroup: '', resources: ['pods'] } },
  { label: 'exec into pods', probe: { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/exec'] } },
  { label: 'mint service account tokens', probe: { verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'] } },
  { label: 'impersonate', probe: { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups', 'serviceaccounts'] } },
  { label: 'bind or escalate roles', probe: { verbs: ['bind', 'escalate'], apiGroup: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles'] } },
  { label: 'use the kubelet API (nodes/proxy)', probe: { verbs: ['get', 'create'], apiGroup: '', resources: ['nodes/proxy'] } },
  { label: 'change admission webhooks', probe: { verbs: ['create', 'update', 'patch', 'delete'], apiGroup: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'] } },
];

const where = (m: Match): string => (m.scope === undefined ? 'in every namespace' : `in ${m.scope}`);

export function attackPaths(context: RbacContext, from: Subject, limits: { maxSubjects?: number } = {}): AttackPaths {
  const max = limits.maxSubjects ?? 10_000;
  const reached = new Map<string, ReachedSubject>();
  const admin = new Map<string, PathStep[]>();
  const queue: Array<{ subject: Subject; path: PathStep[] }> = [{ subject: from, path: [] }];
  reached.set(subjectKey(from), { subject: from, path: [], powers: powersOf(context, from) });
  const allNamespaces = context.namespaces();
  while (queue.length > 0 && reached.size < max) {
    const { subject, path } = queue.shift()!;
    const grants = context.model.grantsFor(identityOf(subject));
    for (const step of stepsFrom(context, grants, allNamespaces, (to) => !reached.has(subjectKey(to)))) {
      if (step.admin !== undefined) {
        if (!admin.has(step.admin)) admin.set(step.admin, [...path, step]);
        continue;
      }
      const key = subjectKey(step.to!);
      if (reached.has(key)) continue;
      const next = [...path, step];
      reached.set(key, { subject: step.to!, path: next, powers: powersOf(context, step.to!) });
      queue.push({ subject: step.to!, path: next });
    }
  }
  return { from, reached: [...reached.values()].slice(1), admin: [...admin.entries()].map(([scope, p]) => ({ scope, path: p })) };
}

function powersOf(context: RbacContext, subject: Subject): string[] {
  const grants = context.model.grantsFor(identityOf(subject));
  const out: string[] = [];
  for (const power of POWERS) {
    const m = probe(grants, power.probe);
    if (m.length === 0) continue;
    const scope = m.some((x) => x.scope === undefined) ? 'cluster-wide' : `in ${[...new Set(m.map((x) => x.scope!))].sort().join(', ')}`;
    out.push(`${power.label} ${scope}`);
  }
  return out;
}

function stepOf(kind: StepKind, action: string, m: Match, to?: Subject, adminScope?: string): PathStep {
  return { kind, action, via: `${describeGrant(m.grant)} rules[${m.rule.index}]`, ...(m.rule.location ?? m.grant.binding.location ? { location: (m.rule.location ?? m.grant.binding.location)! } : {}), ...(to ? { to } : {}), ...(adminScope !== undefined ? { admin: adminScope } : {}) };
}

const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', namespace, name });

/**
 * The steps the grants give, in order, leaving out steps to accounts `unreached` says are reached
 * and repeated steps to one account (only the first step to an account is kept): from one broad
 * grant, building every step to every account of every namespace for every account reached was
 * quadratic (2,000 subjects: seconds, mostly garbage collection).
 */
function stepsFrom(context: RbacContext, grants: readonly Grant[], allNamespaces: readonly string[], unreached: (to: Subject) => boolean): PathStep[] {
  const out: PathStep[] = [];
  const emitted = new Set<string>();
  // A step to an account is built only when it is the first to an account not reached yet.
  const toAccount = (to: Subject, make: (to: Subject) => PathStep): void => {
    const key = subjectKey(to);
    if (emitted.has(key) || !unreached(to)) return;
    emitted.add(key);
    out.push(make(to));
  };
  const namespacesOf = (m: Match): readonly string[] => (m.scope === undefined ? allNamespaces : [m.scope]);

  for (const m of probe(grants, { verbs: ['*'], apiGroup: '', resources: ['*'] })) out.push(stepOf('admin', `every verb on every resource ${where(m)}`, m, undefined, m.scope ?? 'cluster'));
  for (const m of probe(grants, { verbs: ['escalate', 'bind'], apiGroup: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles'] })) {
    // bind/escalate: write or bind a role with any permission in that scope.
    if (!m.names) out.push(stepOf('admin', `${m.verb} ${m.resource} ${where(m)}`, m, undefined, m.scope ?? 'cluster'));
  }
  for (const m of probe(grants, { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups'] })) {
    if (!m.names || m.names.includes('system:masters')) out.push(stepOf('impersonate', `impersonate ${m.resource}${m.names ? ` ${m.names.join(', ')}` : ''} (as system:masters)`, m, undefined, 'cluster'));
  }
  for (const m of probe(grants, { verbs: ['create'], apiGroup: '', resources: ['pods'] })) for (const ns of namespacesOf(m)) for (const name of context.serviceAccountsIn(ns)) toAccount(sa(ns, name), (to) => stepOf('create-pods', `create a pod in ${ns} that runs as ${name}`, m, to));
  for (const p of WORKLOADS) for (const m of probe(grants, p)) for (const ns of namespacesOf(m)) for (const name of context.serviceAccountsIn(ns)) toAccount(sa(ns, name), (to) => stepOf('create-workloads', `${m.verb} ${m.resource} in ${ns} to run as ${name}`, m, to));
  for (const m of probe(grants, { verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'] })) for (const ns of namespacesOf(m)) for (const name of context.serviceAccountsIn(ns)) if (!m.names || m.names.includes(name)) toAccount(sa(ns, name), (to) => stepOf('create-token', `mint a token for ${ns}/${name}`, m, to));
  for (const m of probe(grants, { verbs: ['impersonate'], apiGroup: '', resources: ['serviceaccounts'] })) for (const ns of namespacesOf(m)) for (const name of context.serviceAccountsIn(ns)) if (!m.names || m.names.includes(name)) toAccount(sa(ns, name), (to) => stepOf('impersonate', `impersonate ${ns}/${name}`, m, to));
  const pods = context.model.input.pods.filter((p) => context.tokenMounted(p));
  const podLabel = (p: RbacPod): string => `${p.ref.kind} ${p.namespace}/${p.ref.name}`;
  for (const m of probe(grants, { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/exec', 'pods/attach'] })) {
    for (const p of pods) if ((m.scope === undefined || p.namespace === m.scope) && (!m.names || (p.ref.kind === 'Pod' && m.names.includes(p.ref.name)))) toAccount(sa(p.namespace, p.serviceAccount), (to) => stepOf('exec', `${m.verb} ${m.resource} into ${podLabel(p)}`, m, to));
  }
  for (const m of probe(grants, { verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] })) {
    for (const s of context.model.input.tokenSecrets) if ((m.scope === undefined || s.namespace === m.scope) && (!m.names || m.names.includes(s.name))) toAccount(sa(s.namespace, s.serviceAccount), (to) => stepOf('read-token-secret', `${m.verb} the token Secret ${s.namespace}/${s.name}`, m, to));
  }
  for (const m of probe(grants, { verbs: ['get', 'create'], apiGroup: '', resources: ['nodes/proxy'] })) for (const p of pods) toAccount(sa(p.namespace, p.serviceAccount), (to) => stepOf('kubelet', `exec through the kubelet into ${podLabel(p)}`, m, to));
  return out;
}

/** The paths as a Graphviz digraph: subjects as nodes, steps as labelled edges. */
export function pathsToDot(paths: AttackPaths): string {
  const id = (s: Subject): string => JSON.stringify(s.kind === 'ServiceAccount' ? `${s.kind} ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`);
  const lines = ['digraph attack_paths {', '  rankdir=LR;', `  ${id(paths.from)} [shape=box, style=bold];`];
  const edges = new Set<string>();
  const add = (fromNode: string, step: PathStep): void => {
    const to = step.to ? id(step.to) : JSON.stringify(step.admin === 'cluster' ? 'cluster-admin' : `admin of ${step.admin}`);
    edges.add(`  ${fromNode} -> ${to} [label=${JSON.stringify(step.action)}];`);
  };
  for (const r of paths.reached) {
    let prev = id(paths.from);
    for (const step of r.path) {
      add(prev, step);
      prev = id(step.to!);
    }
  }
  for (const a of paths.admin) {
    let prev = id(paths.from);
    for (const step of a.path) {
      add(prev, step);
      if (step.to) prev = id(step.to);
    }
    lines.push(`  ${JSON.stringify(a.scope === 'cluster' ? 'cluster-admin' : `admin of ${a.scope}`)} [shape=doubleoctagon, color=red];`);
  }
  return [...lines, ...[...edges].sort(), '}'].join('\n') + '\n';
}
