import type { PodPeer } from '../model.js';
import { addressSet } from '../lookup.js';
import type { NetpolCheck, NetpolIssue } from './types.js';

/** Where a workload's cloud credentials live: the instance metadata services. */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254'];

const podIssue = (pod: PodPeer, message: string): NetpolIssue => ({ message, ...(pod.resource ? { resource: pod.resource } : {}), ...(pod.location ? { location: pod.location } : {}) });

/** A model server that reaches the cloud metadata service can steal the node's credentials (MITRE ATLAS exfiltration paths). */
export const modelServerReachesMetadata: NetpolCheck = {
  meta: {
    id: 'NETPOL_MODEL_SERVER_REACHES_METADATA',
    severity: 'high',
    title: 'Model server can reach the cloud metadata service',
    description: 'No policy stops this model server from calling the instance metadata service, which hands out the node credentials to any caller.',
    remediation: 'add a default-deny egress policy with explicit allows, or an ipBlock except for 169.254.169.254/32.',
  },
  run: (model, judged) => {
    const metadata = CLOUD_METADATA_ADDRESSES.map(addressSet).filter((s) => s !== undefined);
    const atoms = model.destinationIps.filter((a) => metadata.some((m) => m.family === a.ips.family && a.ips.contains(m)));
    return model.pods
      .filter((pod) => (pod.modelServers?.length ?? 0) > 0 && judged(pod))
      .flatMap((pod) => {
        const open = atoms.find((a) => !model.engine.allowed(pod, a).isEmpty());
        return open ? [podIssue(pod, `${pod.id} (${pod.modelServers?.join(', ')}) can reach the cloud metadata service: ${model.engine.allowed(pod, open).toString()}`)] : [];
      });
  },
};

/** A model server allowed to send anywhere on the internet is an exfiltration path for weights and prompts. */
export const modelServerEgressAnywhere: NetpolCheck = {
  meta: {
    id: 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE',
    severity: 'medium',
    title: 'Model server may send traffic to any external address',
    description: 'Every external address range is reachable from this model server, as with no egress policy or an egress rule to 0.0.0.0/0.',
    remediation: 'restrict egress to the services the model needs (its cache, its storage, DNS).',
  },
  run: (model, judged) =>
    model.pods
      .filter((pod) => (pod.modelServers?.length ?? 0) > 0 && judged(pod) && model.destinationIps.length > 0 && model.destinationIps.every((a) => !model.engine.allowed(pod, a).isEmpty()))
      .map((pod) => podIssue(pod, `${pod.id} (${pod.modelServers?.join(', ')}) may send traffic to every external address`)),
};
