import { defineRbacRule, describeScope, probe, workloadTokenHits, type Match, type Probe } from '../analysis.js';

/**
 * Kubescape C-0267 (and rbac-police's per-pod view): a workload whose mounted token can take the
 * cluster or the namespace. Judged on the account's effective grants, its groups included.
 */
const TAKEOVER: readonly Probe[] = [
  { verbs: ['create', 'update', 'patch'], apiGroup: '', resources: ['pods'] },
  { verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] },
  { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/exec'] },
  { verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'] },
  { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups', 'serviceaccounts'] },
  { verbs: ['bind', 'escalate'], apiGroup: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles'] },
  { verbs: ['get', 'create'], apiGroup: '', resources: ['nodes/proxy'] },
];

export const workloadTakeover = defineRbacRule({
  id: 'RBAC_WORKLOAD_TAKEOVER',
  severity: 'high',
  title: 'Workload runs with a token that can take over the cluster or its namespace',
  description: 'The workload mounts the token of a service account that can create or change pods, read Secrets, exec into pods, mint tokens, impersonate, bind or escalate roles, or reach the kubelet: code execution in the pod (a malicious model file, an exploited model server, a notebook user) becomes that power. Severity rises for model servers, Ray heads and notebooks. Kubescape C-0267.',
  remediation: 'Give the workload its own service account with only what it calls, or set automountServiceAccountToken: false.',
  frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1552.007', 'T1610'], kubescape: ['C-0267'] },
  messages: { takeover: '{kind} {namespace}/{name} runs as ServiceAccount {namespace}/{sa}, whose token can {what} {scope}' },
  detect: (context) =>
    workloadTokenHits(context, (_pod, subject) => {
      const grants = context.effectiveGrants(subject);
      const m: Match[] = TAKEOVER.flatMap((p) => probe(grants, p));
      if (m.length === 0) return undefined;
      const what = [...new Set(m.map((x) => `${x.verb} ${x.resource}`))].slice(0, 4).join(', ');
      return { messageId: 'takeover', data: { what, scope: describeScope(m) } };
    }),
});
