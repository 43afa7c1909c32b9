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
    // Policies repeat selectors (one per team, per release): each namespace and selector is judged once.
    const selectsSome = new Map<string, boolean>();
    const selectsAPod = (namespace: string, selector: (typeof model.policies.networkPolicies)[number]['podSelector']): boolean => {
      const key = `${namespace}\u0000${selector.key}`;
      let found = selectsSome.get(key);
      if (found === undefined) {
        found = (podsIn.get(namespace) ?? []).some((pod) => selector.matches(pod.labels));
        selectsSome.set(key, found);
      }
      return found;
    };
    return model.policies.networkPolicies
      .filter((policy) => !selectsAPod(policy.namespace, policy.podSelector))
      .map((policy) => ({
        messageId: 'selectsNothing',
        data: { namespace: policy.namespace, name: policy.name, selector: policy.podSelector.key },
        resource: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name },
        ...(policy.origin.location ? { location: policy.origin.location } : {}),
      }));
  },
};
