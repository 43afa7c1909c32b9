import { defineRule } from '../../core/rule.js';
import { ML_OPERATOR_SERVICE_ACCOUNTS } from './knowledge.js';
import type { Detection } from './types.js';

const targets = ML_OPERATOR_SERVICE_ACCOUNTS.map((sa) => {
  const [ns, name] = sa.split(':') as [string, string];
  return `(ka.target.namespace = ${ns} and ka.target.name = ${name})`;
}).join(' or ');

export const mlOperatorTokenRequest: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_ML_OPERATOR_TOKEN_REQUEST',
    family: 'auditlog',
    severity: 'high',
    title: "Token requested for an ML operator's service account",
    description:
      'A TokenRequest (create serviceaccounts/token) was made for the service account of an ML operator: KServe\'s controller manager, the KubeRay operator, the Kubeflow training operator, notebook controller or pipelines, Seldon\'s manager. These accounts create pods and read secrets in every namespace they manage; a token minted for them by anyone but the kubelet (which refreshes the pod\'s projected token) or the controller manager is a way to take over the platform.',
    remediation: 'Find who minted the token and revoke it by deleting the bound object or rotating the service account; remove serviceaccounts/token create from that identity.',
    frameworks: { 'mitre-attack': ['T1528', 'T1550.001'], 'mitre-atlas': ['AML.T0091.000', 'AML.T0012'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Token Requested For ML Operator Service Account',
    desc: "Detect TokenRequests for ML operators' service accounts by identities other than the kubelet.",
    condition: `palisade_complete and ka.target.resource = serviceaccounts and ka.target.subresource = token and ka.verb = create and palisade_succeeded and (${targets}) and not ka.user.name startswith "system:node:" and not ka.user.name = system:kube-controller-manager`,
    output: 'Token requested for ML operator service account (user=%ka.user.name serviceaccount=%ka.target.name ns=%ka.target.namespace)',
    priority: 'Error',
    tags: ['k8s', 'ml', 'mitre_credential_access'],
  },
};
