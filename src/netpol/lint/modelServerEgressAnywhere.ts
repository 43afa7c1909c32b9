import { podIssue, type NetpolCheck } from './types.js';

/** A model server allowed to send anywhere on the internet is an exfiltration path for weights and prompts. */
export const modelServerEgressAnywhere: NetpolCheck = {
  meta: {
    id: 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE',
    family: 'netpol',
    severity: 'medium',
    title: 'Model server may send traffic to any external address',
    description: 'Every external address range is reachable from this model server, as with no egress policy or an egress rule to 0.0.0.0/0.',
    remediation: 'restrict egress to the services the model needs (its cache, its storage, DNS).',
    frameworks: {},
    messages: { anywhere: '{pod} ({servers}) may send traffic to every external address' },
  },
  run: (model, judged) =>
    model.pods
      .filter((pod) => (pod.modelServers?.length ?? 0) > 0 && judged(pod) && model.destinationIps.length > 0 && model.destinationIps.every((a) => !model.engine.allowed(pod, a).isEmpty()))
      .map((pod) => podIssue(pod, 'anywhere', { pod: pod.id, servers: pod.modelServers?.join(', ') ?? '' })),
};
