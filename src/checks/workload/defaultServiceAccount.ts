import { z } from 'zod';
import { serviceAccountOf } from '../serviceAccount.js';
import type { PodCheck } from '../types.js';

export const defaultServiceAccount: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'DEFAULT_SERVICE_ACCOUNT',
    family: 'audit',
    severity: 'low',
    title: 'Pod runs as the default service account with its token mounted',
    description:
      'The `default` service account is shared by every pod in the namespace that names no other, so any permission granted to it for one workload is granted to all, and its token is mounted unless turned off. A pod that sets `automountServiceAccountToken: false` is not reported: without a token the shared account grants nothing; neither is a pod that leaves the field unset when the input\'s `default` ServiceAccount object sets it to false (the pod\'s field wins when written). When a RoleBinding or ClusterRoleBinding in the input names the `default` account, every such pod holds that role: the finding says which binding and is raised to medium.',
    remediation: 'Give the workload its own ServiceAccount (serviceAccountName), or set automountServiceAccountToken: false.',
    frameworks: { 'nist-800-53': ['AC-2', 'AC-6'], cis: ['5.1.5'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      defaultAccount: 'pod runs as the default service account with its API token mounted',
      defaultAccountBound: 'pod runs as the default service account with its API token mounted, and {binding} binds that account to {role}',
    },
  },
  create() {
    return (context) => {
      const account = serviceAccountOf(context);
      if (!account.tokenMounted || account.name !== 'default') return [];
      return [
        {
          messageId: 'defaultAccount',
          path: account.explicit ? account.namePath : account.automountPath,
          serviceAccount: { name: 'default', podAutomountUnset: account.automountUnset, whenBound: { messageId: 'defaultAccountBound', severity: 'medium' } },
        },
      ];
    };
  },
};
