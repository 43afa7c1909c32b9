import { z } from 'zod';
import { isPlainObject } from '../../core/object.js';
import { kuberayNetworkPolicies } from '../../knowledge/index.js';
import type { CheckReport, ResourceCheck } from '../types.js';

/** The port DNS answers on; resolvers ask over UDP first and use TCP only for truncated answers. */
const DNS_PORT = 53;
/** The port name CoreDNS and kube-dns give 53/UDP; a named port resolves at the destination pod. */
const DNS_PORT_NAME = 'dns';


/** Does one NetworkPolicy port entry admit DNS queries over UDP? No port (or `protocol` alone) means every port of the protocol. */
function portAllowsDns(raw: unknown): boolean {
  if (!isPlainObject(raw)) return false;
  const entry = raw;
  const protocol = entry.protocol ?? 'TCP';
  if (protocol !== 'UDP') return false;
  const { port, endPort } = entry;
  if (port === undefined || port === null) return true;
  if (typeof port === 'string') return port === DNS_PORT_NAME || port === String(DNS_PORT);
  if (typeof port !== 'number') return false;
  return typeof endPort === 'number' ? port <= DNS_PORT && DNS_PORT <= endPort : port === DNS_PORT;
}

/** Whether an egress rule lets a query reach some DNS server: no ports means every port; the destination is not known here. */
const ruleAllowsDns = (raw: unknown): boolean => {
  const ports = isPlainObject(raw) ? raw.ports : undefined;
  return !Array.isArray(ports) || ports.length === 0 || ports.some(portAllowsDns);
};

/**
 * KubeRay's own isolation (spec.networkPolicy, kuberayNetworkPolicies.ts) denies egress in modes
 * DenyAll (the default) and DenyAllEgress, and its base rule allows only pods of the same cluster.
 * DNS is not added: Ray workers find the head by its Service's DNS name, so without a rule for it
 * they cannot join and the cluster never becomes ready (KubeRay's NetworkPolicyRules.EgressRules
 * comment and its network-policy-deny-all sample say so).
 */
export const rayNetworkPolicyBlocksDns: ResourceCheck<Record<string, never>> = {
  scope: 'resource',
  meta: {
    id: 'RAY_NETWORK_POLICY_BLOCKS_DNS',
    family: 'audit',
    severity: 'medium',
    title: 'KubeRay network isolation denies DNS, so the Ray cluster cannot start',
    description:
      'A RayCluster, RayService or RayJob with `spec.networkPolicy` in mode DenyAll (the default) or DenyAllEgress makes KubeRay create NetworkPolicies whose only built-in egress rule reaches pods of the same cluster. KubeRay deliberately adds no DNS rule, yet Ray workers reach the head through its Service name: without an egress rule that lets UDP port 53 out, name resolution fails, workers never join and jobs hang. It is reported per policy that lacks it (the head, each worker group: a `workerGroups` entry replaces `worker`, so it must repeat the DNS rule). A rule counts when it allows UDP 53 (or every UDP port, or the `dns` named port) to any destination; where the DNS server runs is not judged here.',
    remediation: 'Add an egress rule for DNS under spec.networkPolicy.head.egressRules and worker.egressRules (and every workerGroups entry): to namespace kube-system, pods k8s-app: kube-dns, ports 53/UDP and 53/TCP.',
    frameworks: { 'nist-800-53': ['SC-7', 'CP-10'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      head: 'KubeRay\'s NetworkPolicy for the Ray head denies egress (mode {mode}) and no egress rule allows DNS (UDP 53): the head cannot resolve names, and the cluster does not become ready',
      group: 'KubeRay\'s NetworkPolicy for worker group "{group}" denies egress (mode {mode}) and no egress rule allows DNS (UDP 53): its workers cannot resolve the head Service and never join',
    },
  },
  create() {
    return ({ object: raw }) => {
      const out: CheckReport[] = [];
      for (const policy of kuberayNetworkPolicies(raw)) {
        // KubeRay's own egress rule reaches pods of the same cluster, where no DNS server runs: only the user's rules can let DNS out.
        const deniesEgress = isPlainObject(policy.object.spec) && Array.isArray(policy.object.spec.egress);
        if (!deniesEgress || policy.userEgressRules.some(ruleAllowsDns)) continue;
        // Where the rule belongs: the user's rules for this policy when written, else spec.networkPolicy.
        const path = policy.userRules ?? policy.sourceOf('');
        const mode = policy.mode;
        out.push(policy.group === 'headgroup' ? { messageId: 'head', data: { mode }, path } : { messageId: 'group', data: { mode, group: policy.group }, path });
      }
      return out;
    };
  },
};
