import { z } from 'zod';
import { globMatches } from '../../core/exemptions.js';
import { serviceAccountOf } from '../serviceAccount.js';
import type { PodCheck } from '../types.js';

const Params = z.strictObject({
  /** Service accounts whose pods do call the API server (operators, controllers); globs allowed. */
  apiClients: z.array(z.string().min(1)).default(['*controller*', '*operator*', '*manager*']),
});

export const serviceAccountTokenAutomounted: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED',
    family: 'audit',
    severity: 'low',
    title: 'Service account token is mounted into a pod that may not need it',
    description:
      'Every pod gets a token for its service account unless `automountServiceAccountToken: false`. Model servers, notebooks and training jobs rarely call the Kubernetes API, and a stolen token is the first step from a compromised model server to the cluster. Pods running as the `default` service account are reported by DEFAULT_SERVICE_ACCOUNT instead. A pod that leaves the field unset is not reported when the input\'s ServiceAccount object sets `automountServiceAccountToken: false` (the pod\'s field wins when written). Service accounts named like controllers, operators and managers are taken for API clients by default; list others in `params.apiClients` (the list replaces the default).',
    remediation: 'Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount), and mount a projected token only where the pod calls the API.',
    frameworks: { 'nist-800-53': ['AC-6'], cis: ['5.1.6'] },
    params: Params,
    defaultParams: { apiClients: ['*controller*', '*operator*', '*manager*'] },
    messages: { mounted: 'pod runs as service account "{serviceAccount}" with its API token mounted' },
  },
  create({ apiClients }) {
    return (context) => {
      const account = serviceAccountOf(context);
      if (!account.tokenMounted || !account.explicit || account.name === 'default') return [];
      // Templated names (`${KSA_NAME}`) are filled in later; operators and controllers call the API by design.
      if (/[$<{]/.test(account.name) || apiClients.some((glob) => globMatches(glob, account.name))) return [];
      return [{ messageId: 'mounted', data: { serviceAccount: account.name }, path: account.automountPath, serviceAccount: { name: account.name, podAutomountUnset: account.automountUnset } }];
    };
  },
};
