import type { PodPeer } from '../model.js';
import type { NetpolCheck } from './types.js';

/** A NetworkPolicy whose podSelector matches no pod of its namespace protects nothing (kube-linter's dangling-networkpolicy). */
export const policySelectsNothing: NetpolCheck = {
  meta: {
    id: 'NETPOL_POLICY_SELECTS_NOTHING',
    family: 'netpol',
    severity: 'low',
    title: 'NetworkPolicy selects no pod',
    description: 'The podSelector matches no pod in the policy namespace, so the policy isolates and allows nothing; usually a label typo.',
    remediation: 'fix the podSelector labels, or delete the policy.',
    frameworks: {},
    messages: { selectsNothing: 'NetworkPolicy {namespace}/{name} selects no pod (podSelector {selector})' },
  },
  run: (model) => {
    const podsIn = new Map<string, PodPeer[]>();
    for (const pod of model.pods) {
      const list = podsIn.get(pod.namespace);
      if (list) list.push(pod);
      else podsIn.set(pod.namespace, [pod]);
    }
    return model.policies.networkPolicies
      .filter((policy) => !(podsIn.get(policy.namespace) ?? []).some((pod) => policy.podSelector.matches(pod.labels)))
      .map((policy) => ({
        messageId: 'selectsNothing',
        data: { namespace: policy.namespace, name: policy.name, selector: policy.podSelector.key },
        resource: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name },
        ...(policy.origin.location ? { location: policy.origin.location } : {}),
      }));
  },
};
