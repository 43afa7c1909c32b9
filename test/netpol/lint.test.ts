import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, lintNetwork, NETPOL_CHECKS } from '../../src/netpol/index.js';

const lint = (yaml: string) => lintNetwork(buildModel(loadText('in.yaml', yaml).resources, 'cluster')).map((f) => [f.checkId, f.message, f.location?.line]);

const ray = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ray-head, namespace: ml}
spec:
  selector: {matchLabels: {app: ray}}
  template:
    metadata: {labels: {app: ray}}
    spec: {containers: [{name: head, image: "rayproject/ray:2.9.0", ports: [{containerPort: 8265}]}]}`;
const client = `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec: {containers: [{name: c, image: curl}]}`;
const np = (ns: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;

describe('netpol lint checks', () => {
  it('every check has its metadata, ids sorted and unique', () => {
    const ids = NETPOL_CHECKS.map((c) => c.meta.id);
    expect(ids).toEqual([...new Set(ids)].sort());
    for (const c of NETPOL_CHECKS) expect(c.meta.title && c.meta.description && c.meta.remediation.endsWith('.')).toBeTruthy();
  });

  it('an open Ray head: admin port from other namespaces, metadata service and the whole internet', () => {
    expect(lint(`${ray}\n---\n${client}`)).toEqual([
      ['NETPOL_ADMIN_PORT_FROM_OUTSIDE', 'ml/ray-head[Deployment]: reachable from outside its namespace: Ray dashboard and job submission API (TCP 8265) from 0.0.0.0-255.255.255.255[External]; Ray GCS (TCP 6379) from 0.0.0.0-255.255.255.255[External]; Ray client server (TCP 10001) from 0.0.0.0-255.255.255.255[External]', 7],
      ['NETPOL_MODEL_SERVER_EGRESS_ANYWHERE', 'ml/ray-head[Deployment] (ray) may send traffic to every external address', 7],
      ['NETPOL_MODEL_SERVER_REACHES_METADATA', 'ml/ray-head[Deployment] (ray) can reach the cloud metadata service: All Connections', 7],
    ]);
  });

  it('a locked-down Ray head raises nothing', () => {
    const policies = np('ml', 'deny', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{podSelector: {}}]}]\n  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}}], ports: [{port: 443}]}]');
    expect(lint(`${ray}\n---\n${client}\n---\n${policies}`)).toEqual([]);
  });

  it('names the pod of another namespace when only pods may reach the admin port', () => {
    const policies = np('ml', 'from-other', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]}]');
    expect(lint(`${ray}\n---\n${client}\n---\n${policies}`)).toEqual([
      ['NETPOL_ADMIN_PORT_FROM_OUTSIDE', 'ml/ray-head[Deployment]: reachable from outside its namespace: Ray dashboard and job submission API (TCP 8265) from other/client[Pod]; Ray GCS (TCP 6379) from other/client[Pod]; Ray client server (TCP 10001) from other/client[Pod]', 7],
    ]);
  });

  it('a rule whose peers are not in the input is not called shadowed', () => {
    const policy = np('other', 'dns', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]\n    ports: [{port: 53, protocol: UDP}]');
    expect(lint(`${client}\n---\n${policy}`).filter(([id]) => id === 'NETPOL_RULE_SHADOWED')).toEqual([]);
  });

  it('a policy that selects nothing, and a rule covered by a broader one', () => {
    const policies = [
      np('other', 'typo', '  podSelector: {matchLabels: {app: clinet}}'),
      np('other', 'two-rules', '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {}}]\n  - from: [{podSelector: {matchLabels: {app: client}}}]\n    ports: [{port: 80}]'),
    ].join('\n---\n');
    expect(lint(`${client}\n---\n${policies}`)).toEqual([
      ['NETPOL_POLICY_SELECTS_NOTHING', 'NetworkPolicy other/typo selects no pod (podSelector app In (clinet))', 8],
      ['NETPOL_RULE_SHADOWED', 'NetworkPolicy other/two-rules: ingress rule #2 is covered by ingress rule #1', 19],
    ]);
  });
});
