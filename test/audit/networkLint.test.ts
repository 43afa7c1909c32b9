import { describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/index.js';
import { parseConfig } from '../../src/core/config.js';
import { loadText } from '../../src/core/load.js';
import type { Finding } from '../../src/core/types.js';

/** A Ray head in `ml`, whose only policy lets every namespace in; a Jupyter notebook in `lab`, which has no policy at all. */
const rayHead = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ray-head, namespace: ml}
spec:
  template:
    metadata: {labels: {app: ray-head}}
    spec:
      containers:
      - name: ray
        image: rayproject/ray:2.40.0
        command: [ray, start, --head, --dashboard-host=0.0.0.0, --block]
        ports: [{containerPort: 8265}, {containerPort: 6379}, {containerPort: 10001}]
`;
const openPolicies = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ray-from-anywhere, namespace: ml}
spec:
  podSelector: {matchLabels: {app: ray-head}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{namespaceSelector: {}}]
  egress:
  - to: [{namespaceSelector: {}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: typo, namespace: ml}
spec:
  podSelector: {matchLabels: {app: ray-haed}}
  policyTypes: [Ingress]
`;
const notebook = `apiVersion: apps/v1
kind: Deployment
metadata: {name: notebook, namespace: lab}
spec:
  template:
    metadata: {labels: {app: notebook}}
    spec:
      containers:
      - name: jupyter
        image: quay.io/jupyter/base-notebook:2024-10-02
        ports: [{containerPort: 8888}]
`;

const brief = (f: Finding): string => `${f.checkId} ${f.location?.file}:${f.location?.line}`;

function run(files: Record<string, string>, config = ''): { findings: string[]; errors: string[] } {
  const session = new AuditSession({ config: parseConfig('c.yaml', config), now: new Date('2026-11-23') });
  for (const [file, text] of Object.entries(files)) session.addFile(loadText(file, text));
  const outcome = session.finish();
  return { findings: outcome.findings.filter((f) => f.checkId.startsWith('NETPOL_')).map(brief).sort(), errors: outcome.errors.map((e) => `${e.code} ${e.location?.file}:${e.location?.line}`) };
}

describe('palisade audit runs the network lint', () => {
  it('on namespaces with policies: admin ports open to other namespaces, policies that select nothing', () => {
    expect(run({ 'ray.yaml': rayHead, 'policies.yaml': openPolicies, 'notebook.yaml': notebook })).toEqual({
      findings: [
        // Every namespace may reach the dashboard, GCS and client ports: one finding, at the pod template.
        'NETPOL_ADMIN_PORT_FROM_OUTSIDE ray.yaml:6',
        'NETPOL_POLICY_SELECTS_NOTHING policies.yaml:14',
        // The notebook's namespace has no policy at all: NAMESPACE_WITHOUT_DEFAULT_DENY speaks for it.
      ],
      errors: [],
    });
  });

  it('says nothing when the input has no policy, and honours the config', () => {
    expect(run({ 'ray.yaml': rayHead, 'notebook.yaml': notebook }).findings).toEqual([]);
    expect(run({ 'ray.yaml': rayHead, 'policies.yaml': openPolicies }, 'checks:\n  NETPOL_ADMIN_PORT_FROM_OUTSIDE: false\n').findings).toEqual(['NETPOL_POLICY_SELECTS_NOTHING policies.yaml:14']);
  });

  it('judges nothing when a policy is invalid, and reports it', () => {
    const invalid = openPolicies.replace('namespaceSelector: {}}]\n  egress', 'ipBlock: {cidr: 10.0.0.0/33}}]\n  egress');
    expect(run({ 'ray.yaml': rayHead, 'policies.yaml': invalid })).toEqual({ findings: [], errors: ['NETPOL_INVALID_CIDR policies.yaml:8'] });
  });

  it('sees the NetworkPolicies KubeRay creates for a RayCluster with spec.networkPolicy (was: its dashboard reported open to everyone)', () => {
    const rayCluster = (networkPolicy: string): string => `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: batch, namespace: ml}
spec:
${networkPolicy}  headGroupSpec:
    template:
      spec:
        containers:
        - {name: ray-head, image: rayproject/ray:2.40.0, ports: [{containerPort: 8265}, {containerPort: 6379}]}
  workerGroupSpecs:
  - groupName: gpu
    template: {spec: {containers: [{name: ray-worker, image: rayproject/ray:2.40.0}]}}
`;
    // A policy elsewhere in the namespace, so the namespace is judged by the lint.
    const other = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: ml}\nspec: {podSelector: {matchLabels: {app: web}}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ml}\nspec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx:1.27}]}}}\n';
    expect(run({ 'ray.yaml': rayCluster(''), 'web.yaml': other }).findings).toEqual(['NETPOL_ADMIN_PORT_FROM_OUTSIDE ray.yaml:7', 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE ray.yaml:12', 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE ray.yaml:7', 'NETPOL_MODEL_SERVER_REACHES_METADATA ray.yaml:12', 'NETPOL_MODEL_SERVER_REACHES_METADATA ray.yaml:7']);
    expect(run({ 'ray.yaml': rayCluster('  networkPolicy: {mode: DenyAll}\n'), 'web.yaml': other })).toEqual({ findings: [], errors: [] });
    // Ingress only: the pods may still send anywhere.
    expect(run({ 'ray.yaml': rayCluster('  networkPolicy: {mode: DenyAllIngress}\n'), 'web.yaml': other }).findings).toEqual(['NETPOL_MODEL_SERVER_EGRESS_ANYWHERE ray.yaml:13', 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE ray.yaml:8', 'NETPOL_MODEL_SERVER_REACHES_METADATA ray.yaml:13', 'NETPOL_MODEL_SERVER_REACHES_METADATA ray.yaml:8']);
    // A user rule that opens the dashboard to every namespace (the notebook's too) is the user's.
    expect(run({ 'ray.yaml': rayCluster('  networkPolicy: {head: {ingressRules: [{from: [{namespaceSelector: {}}], ports: [{port: 8265}]}]}}\n'), 'web.yaml': other, 'notebook.yaml': notebook }).findings).toEqual(['NETPOL_ADMIN_PORT_FROM_OUTSIDE ray.yaml:8']);
  });
});
