import { CLOUD_METADATA_ADDRESSES } from '../../knowledge/index.js';
import { addressSet } from '../lookup.js';
import { podIssue, type NetpolCheck } from './types.js';

/** A model server that reaches the cloud metadata service can steal the node's credentials (MITRE ATLAS exfiltration paths). */
export const modelServerReachesMetadata: NetpolCheck = {
  meta: {
    id: 'NETPOL_MODEL_SERVER_REACHES_METADATA',
    family: 'netpol',
    severity: 'high',
    title: 'Model server can reach the cloud metadata service',
    description: 'No policy stops this model server from calling the instance metadata service, which hands out the node credentials to any caller.',
    remediation: 'add a default-deny egress policy with explicit allows, or an ipBlock except for 169.254.169.254/32.',
    frameworks: {},
    messages: { reaches: '{pod} ({servers}) can reach the cloud metadata service: {conns}' },
  },
  run: (model, judged) => {
    const metadata = CLOUD_METADATA_ADDRESSES.map(addressSet).filter((s) => s !== undefined);
    const atoms = model.destinationIps.filter((a) => metadata.some((m) => m.family === a.ips.family && a.ips.contains(m)));
    return model.pods
      .filter((pod) => (pod.modelServers?.length ?? 0) > 0 && judged(pod))
      .flatMap((pod) => {
        const open = atoms.find((a) => !model.engine.allowed(pod, a).isEmpty());
        return open ? [podIssue(pod, 'reaches', { pod: pod.id, servers: pod.modelServers?.join(', ') ?? '', conns: model.engine.allowed(pod, open).toString() })] : [];
      });
  },
};
