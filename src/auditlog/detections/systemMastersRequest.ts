import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const systemMastersRequest: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_SYSTEM_MASTERS_REQUEST',
    family: 'auditlog',
    severity: 'medium',
    title: 'Request made as system:masters',
    description:
      'The caller is in the system:masters group, or impersonates it. Membership bypasses RBAC entirely, cannot be revoked short of rotating the certificate authority, and is meant for break-glass only (kubeadm moved its admin.conf to kubeadm:cluster-admins in 1.29). Every use is worth a look; users who are expected to hold it go into `palisade_known_masters_users`.',
    remediation: 'Issue admins credentials bound to a cluster-admin ClusterRoleBinding instead of system:masters certificates, so access can be revoked; keep the break-glass credential offline.',
    frameworks: { 'mitre-attack': ['T1078'], 'mitre-atlas': ['AML.T0012'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Request As System Masters',
    desc: 'Detect requests by members of system:masters or impersonating it.',
    condition: 'palisade_complete and (ka.user.groups intersects (system:masters) or jevt.value[/impersonatedUser/groups] contains "system:masters") and not palisade_known_masters_users',
    output: 'Request as system:masters (user=%ka.user.name impersonated=%ka.impuser.name verb=%ka.verb uri=%ka.uri resp=%ka.response.code)',
    priority: 'Warning',
    tags: ['k8s', 'mitre_privilege_escalation'],
  },
};
