/**
 * Registrations of Falco's k8s audit rules (bundled/falcoK8sAuditRules.ts), one per rule: the
 * registry id palisade reports them under, and their mapping to MITRE ATT&CK for Containers and
 * ATLAS. The rules themselves (conditions, outputs, priorities) are Falco's and live in Falco's
 * file; the descriptions quote its `desc`. Severities follow the priorities (types.ts severityOf).
 */
import { defineRule, type Rule } from '../../core/rule.js';
import type { FrameworkMap } from '../../core/types.js';
import type { Priority } from '../rules/loader.js';
import { severityOf } from './types.js';

export interface UpstreamRule {
  falcoName: string;
  meta: Rule;
}

/** The registry id of a Falco rule name: `FALCO_` and the name in SCREAMING_SNAKE_CASE. */
export function falcoRuleId(name: string): string {
  return 'FALCO_' + name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}

/** Rules palisade's default set switches off (bundled/overrides.ts says why). */
export const DISABLED_BY_DEFAULT = new Set(['Disallowed K8s User', 'K8s Secret Get Successfully']);

const u = (falcoName: string, priority: Priority, desc: string, remediation: string, attack: string[], atlas: string[], extra = ''): UpstreamRule => {
  const frameworks: FrameworkMap = { 'mitre-attack': attack };
  if (atlas.length > 0) frameworks['mitre-atlas'] = atlas;
  const off = DISABLED_BY_DEFAULT.has(falcoName) ? ' Switched off in palisade\'s default set (see `palisade audit-log rules`); enable it with `override: {enabled: replace}`.' : '';
  return {
    falcoName,
    meta: defineRule({
      id: falcoRuleId(falcoName),
      family: 'auditlog',
      severity: severityOf(priority),
      title: `Falco: ${falcoName}`,
      description: `Falco k8saudit rule "${falcoName}" (priority ${priority}): ${desc}${extra ? ' ' + extra : ''}${off}`,
      remediation,
      frameworks,
      messages: { alert: '{output}' },
    }),
  };
};

const REVIEW = 'Confirm the change was expected and made by the identity that should make it; otherwise revert it and revoke that identity\'s access.';
const ACTIVITY = 'Informational: review the activity stream for changes nobody planned.';

export const UPSTREAM_RULES: readonly UpstreamRule[] = [
  u('Disallowed K8s User', 'Warning', 'any operation by a user outside the allowed_k8s_users list.', 'Append your cluster\'s users to allowed_k8s_users, then investigate the rest.', ['T1078'], ['AML.T0012'], 'Its default list names minikube and kops users, so on other clusters it fires on every human request.'),
  u('Create Disallowed Pod', 'Warning', 'a pod with a container image outside the allowed_k8s_containers macro (every image by default).', 'Override allowed_k8s_containers with your registries.', ['T1610', 'T1204.003'], ['AML.T0010.004']),
  u('Create Privileged Pod', 'Warning', 'a pod with a privileged container (containers, init or ephemeral), outside the trusted images.', 'Drop privileged: true; grant the capabilities the workload needs (GPU device plugins need none with CDI).', ['T1610', 'T1611'], ['AML.T0105']),
  u('Create Sensitive Mount Pod', 'Warning', 'a pod mounting a sensitive host path (/proc, the container runtime socket, /, /etc, /root, kubelet and Kubernetes directories).', 'Remove the hostPath volume, or confine it to a narrow read-only path.', ['T1611'], ['AML.T0105']),
  u('Create HostNetwork Pod', 'Warning', 'a pod using the host network.', 'Remove hostNetwork: true; use a Service or a CNI that serves the need.', ['T1611'], ['AML.T0105']),
  u('Create HostPid Pod', 'Warning', 'a pod sharing the host PID namespace.', 'Remove hostPID: true.', ['T1611'], ['AML.T0105']),
  u('Create HostIPC Pod', 'Warning', 'a pod sharing the host IPC namespace.', 'Remove hostIPC: true; use an emptyDir with medium Memory for shared memory (/dev/shm).', ['T1611'], ['AML.T0105']),
  u('Create NodePort Service', 'Warning', 'a Service of type NodePort.', 'Expose model servers through an authenticated gateway or Ingress, not NodePorts.', ['T1133'], ['AML.T0049']),
  u('Create/Modify Configmap With Private Credentials', 'Warning', 'a ConfigMap whose data holds AWS keys, passwords or passphrases.', 'Move the credentials to a Secret (or a workload identity) and rotate them.', ['T1552.001'], ['AML.T0055']),
  u('Anonymous Request Allowed', 'Warning', 'a request by system:anonymous that the authorizer allowed, beyond the health endpoints.', 'Disable anonymous authentication and remove bindings to system:anonymous.', ['T1078', 'T1190'], ['AML.T0049']),
  u('Attach/Exec Pod', 'Notice', 'any attach or exec into a pod.', 'Review who runs commands in pods; restrict pods/exec and pods/attach.', ['T1609'], ['AML.T0050']),
  u('port-forward', 'Notice', 'any port-forward to a pod.', 'Restrict pods/portforward to the people who debug those workloads.', ['T1572'], ['AML.T0040']),
  u('EphemeralContainers Created', 'Notice', 'an ephemeral (debug) container added to a pod.', 'Review debug sessions; restrict pods/ephemeralcontainers.', ['T1609', 'T1610'], ['AML.T0050']),
  u('Create Disallowed Namespace', 'Warning', 'a namespace outside the allowed_namespaces list.', 'Append your namespaces to allowed_namespaces.', ['T1610'], []),
  u('Pod Created in Kube Namespace', 'Warning', 'a pod in kube-system or kube-public from an image outside the allowed list.', 'Run workloads in their own namespaces; investigate pods in kube-system you did not expect.', ['T1610', 'T1036.005'], []),
  u('Service Account Created in Kube Namespace', 'Warning', 'a service account created in kube-system or kube-public that is not a known controller account.', REVIEW, ['T1136', 'T1078.001'], ['AML.T0012']),
  u('System ClusterRole Modified/Deleted', 'Warning', 'a change to or deletion of a role or cluster role named system:*.', REVIEW, ['T1098.006', 'T1562.001'], []),
  u('Attach to cluster-admin Role', 'Warning', 'a new ClusterRoleBinding to cluster-admin.', 'Remove the binding unless it was approved; bind a narrower role.', ['T1098.006'], ['AML.T0012']),
  u('ClusterRole With Wildcard Created', 'Warning', 'a role or cluster role with wildcard resources or verbs.', 'List the resources and verbs the role needs instead of *.', ['T1098.006'], []),
  u('ClusterRole With Write Privileges Created', 'Notice', 'a role or cluster role with write verbs.', REVIEW, ['T1098.006'], []),
  u('ClusterRole With Pod Exec Created', 'Warning', 'a role or cluster role that can exec into pods.', 'Grant pods/exec only to roles for debugging, bound to few people.', ['T1098.006', 'T1609'], ['AML.T0050']),
  ...(
    [
      ['K8s Deployment Created', 'a deployment created.'],
      ['K8s Deployment Deleted', 'a deployment deleted.'],
      ['K8s Service Created', 'a service created.'],
      ['K8s Service Deleted', 'a service deleted.'],
      ['K8s ConfigMap Created', 'a configmap created.'],
      ['K8s ConfigMap Deleted', 'a configmap deleted.'],
      ['K8s Namespace Created', 'a namespace created.'],
      ['K8s Namespace Deleted', 'a namespace deleted by a non-system user.'],
      ['K8s Serviceaccount Created', 'a service account created.'],
      ['K8s Serviceaccount Deleted', 'a service account deleted.'],
      ['K8s Role Created', 'a role created.'],
      ['K8s Role Deleted', 'a role deleted.'],
      ['K8s ClusterRole Created', 'a cluster role created.'],
      ['K8s ClusterRole Deleted', 'a cluster role deleted.'],
      ['K8s RoleBinding Created', 'a role binding created.'],
      ['K8s RoleBinding Deleted', 'a role binding deleted.'],
      ['K8s ClusterRoleBinding Created', 'a cluster role binding created.'],
      ['K8s ClusterRoleBinding Deleted', 'a cluster role binding deleted.'],
      ['K8s Secret Created', 'a secret created outside kube-system by a non-system user.'],
      ['K8s Secret Deleted', 'a secret deleted outside kube-system by a non-system user.'],
    ] as const
  ).map(([name, desc]) => u(name, 'Informational', desc, ACTIVITY, name.includes('Deleted') ? ['T1485'] : name.includes('Role') ? ['T1098.006'] : name.includes('Secret') || name.includes('ConfigMap') ? ['T1552.007'] : ['T1610'], [])),
  u('K8s Secret Get Successfully', 'Error', 'any successful get of a secret.', 'Check who reads secrets; narrow get on secrets to resourceNames.', ['T1552.007'], ['AML.T0055'], 'Controllers read secrets all the time, so at Error it fails every CI gate; palisade\'s own Model Storage Secret Read By Foreign Service Account reports the reads that matter for ML serving.'),
  u('K8s Secret Get Unsuccessfully Tried', 'Warning', 'a get of a secret that the API server refused.', 'Investigate identities probing for secrets.', ['T1552.007', 'T1613'], ['AML.T0055']),
  u('All K8s Audit Events', 'Debug', 'every audit event (switched off by its consider_all_events macro).', ACTIVITY, ['T1613'], []),
  u('Full K8s Administrative Access', 'Warning', 'any operation by a user name that is an administrator by default (switched off by its allowed_full_admin_users macro).', 'Issue administrators their own revocable credentials.', ['T1078.001'], ['AML.T0012']),
  u('Ingress Object without TLS Certificate Created', 'Warning', 'an Ingress created without TLS.', 'Add a tls: section with a certificate to the Ingress.', ['T1557'], ['AML.T0049']),
  u('Untrusted Node Successfully Joined the Cluster', 'Error', 'a node outside allowed_k8s_nodes joined (switched off by its allow_all_k8s_nodes macro).', 'Approve node joins; list your nodes in allowed_k8s_nodes.', ['T1078'], []),
  u('Untrusted Node Unsuccessfully Tried to Join the Cluster', 'Warning', 'a node outside allowed_k8s_nodes tried to join (switched off by its allow_all_k8s_nodes macro).', 'Investigate the node registration attempt.', ['T1078'], []),
];
