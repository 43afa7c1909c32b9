import { MODEL_SERVERS } from '../../knowledge/index.js';
import type { Peer } from '../model.js';
import type { IpFamily, IpSet } from '../sets/ipSet.js';
import { podIssue, type NetpolCheck, type NetpolIssue } from './types.js';

/**
 * Ray's dashboard, TorchServe's management API and Jupyter run code or change the server; they
 * must not be reachable from other namespaces or from outside the cluster.
 */
export const adminPortFromOutside: NetpolCheck = {
  meta: {
    id: 'NETPOL_ADMIN_PORT_FROM_OUTSIDE',
    family: 'netpol',
    severity: 'high',
    title: 'Model server admin port reachable from outside its namespace',
    description: 'A port that administers the model server (dashboard, management API, notebook) accepts connections from another namespace or from external addresses.',
    remediation: 'allow the admin port only from the namespace (or the pods) that operate the server.',
    frameworks: {},
    messages: { reachable: '{pod}: reachable from outside its namespace: {open}' },
  },
  run: (model, judged) => {
    const issues: NetpolIssue[] = [];
    for (const pod of model.pods) {
      if (!judged(pod)) continue;
      const adminPorts = (pod.modelServers ?? []).flatMap((id) => {
        const server = MODEL_SERVERS.find((s) => s.id === id);
        return (server?.adminPorts ?? []).map((p) => ({ ...p, server: server?.name ?? id }));
      });
      if (adminPorts.length === 0) continue;
      // When only NetworkPolicies guard the pod, just the peers their rules match can reach it.
      const pool: readonly Peer[] = model.engine.ingressCandidates(pod) ?? model.pods;
      // External addresses first: nothing isolates their egress, so an open port is found at once.
      // They are named as the union of the address atoms that reach the port, so how other
      // policies' ipBlocks happen to cut the address space (a policy in another namespace) never
      // changes the message.
      const outsiders = (port: number): string | undefined => {
        const reaching = new Map<IpFamily, IpSet>();
        for (const peer of model.sourceIps) {
          if (!model.engine.allowed(peer, pod).has('TCP', port)) continue;
          const known = reaching.get(peer.ips.family);
          reaching.set(peer.ips.family, known ? known.union(peer.ips) : peer.ips);
        }
        // The first family that reaches (IPv4 before IPv6, as the atoms are ordered), as before.
        const first = reaching.values().next();
        if (!first.done) return `${first.value.toString()}[External]`;
        for (const peer of pool) {
          if (peer.type !== 'ip' && peer.namespace !== pod.namespace && model.engine.allowed(peer, pod).has('TCP', port)) return peer.id;
        }
        return undefined;
      };
      // One finding per pod: each open admin port with the first outsider that reaches it.
      const open = adminPorts.flatMap((admin) => {
        const source = outsiders(admin.port);
        return source ? [`${admin.server} ${withoutPrefix(admin.api, admin.server)} (TCP ${admin.port}) from ${source}`] : [];
      });
      if (open.length > 0) issues.push(podIssue(pod, 'reachable', { pod: pod.id, open: open.join('; ') }));
    }
    return issues;
  },
};

/** "Ray client server" under server "Ray" reads "Ray client server", not "Ray Ray client server". */
function withoutPrefix(api: string, server: string): string {
  return api.startsWith(`${server} `) ? api.slice(server.length + 1) : api;
}
