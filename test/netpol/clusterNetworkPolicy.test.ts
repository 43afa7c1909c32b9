import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { explainMesh, meshPeers } from '../../src/netpol/layers/explain.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { computeMatrix } from '../../src/netpol/matrix.js';

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, kubernetes-sigs/network-policy-api
 * apis/v1alpha2 at 0eec1b0): examples with exact answers, the validation the CRD does, and the
 * Calico tiers it runs in (the property test is clusterNetworkPolicy.property.test.ts).
 */

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{name: sql, containerPort: 5432}]}]}
`;

const cnp = (name: string, tier: string, priority: number, rules: string): string => `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}
${rules}`;

function matrix(text: string): string[] {
  const model = buildModel(loadText('in.yaml', text).resources, 'cluster');
  expect(model.errors.map((e) => e.message)).toEqual([]);
  return computeMatrix(model)
    .filter((e) => e.src.type === 'pod' && e.dst.type === 'pod')
    .map((e) => `${e.src.id} => ${e.dst.id} : ${e.allowed.toString()}`);
}

describe('ClusterNetworkPolicy in the NetworkPolicy engine', () => {
  it('Admin tier: the lowest priority decides first; Accept beats a later Deny, Pass hands over to the NetworkPolicies', () => {
    const deny = cnp('deny-all', 'Admin', 20, '  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n');
    const accept = cnp('sql', 'Admin', 10, '  ingress:\n  - {action: Accept, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}], protocols: [{destinationNamedPort: sql}]}\n');
    expect(matrix(PODS + deny + accept)).toEqual(['a/db[Pod] => a/web[Pod] : All Connections', 'a/web[Pod] => a/db[Pod] : TCP 5432']);
    const pass = cnp('pass', 'Admin', 5, '  ingress:\n  - {action: Pass, from: [{namespaces: {}}], protocols: [{udp: {destinationPort: {range: {start: 50, end: 60}}}}]}\n');
    expect(matrix(PODS + deny + accept + pass)).toEqual(['a/db[Pod] => a/web[Pod] : All Connections', 'a/web[Pod] => a/db[Pod] : TCP 5432,UDP 50-60']);
  });

  it('Baseline tier: only when no NetworkPolicy selects the end; several policies by priority; Pass goes on to the default (allow)', () => {
    const baseline = cnp('base-deny', 'Baseline', 9, '  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n') + cnp('base-pass', 'Baseline', 1, '  ingress:\n  - {action: Pass, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 443}}}]}\n');
    expect(matrix(PODS + baseline)).toEqual(['a/db[Pod] => a/web[Pod] : All Connections', 'a/web[Pod] => a/db[Pod] : TCP 443']);
    const netpol = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{ports: [{port: 80}]}]\n';
    expect(matrix(PODS + baseline + netpol)).toEqual(['a/db[Pod] => a/web[Pod] : All Connections', 'a/web[Pod] => a/db[Pod] : TCP 80']);
  });

  it('refuses what the CRD refuses, each at its place, and one bad policy hides none of the others', () => {
    const text =
      PODS +
      cnp('no-tier', 'admin', 1, '  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n') +
      cnp('allow', 'Admin', 2, '  ingress: [{action: Allow, from: [{namespaces: {}}]}]\n') +
      cnp('two', 'Admin', 3, '  ingress: [{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 1}}, udp: {destinationPort: {number: 1}}}]}]\n') +
      cnp('range', 'Admin', 4, '  ingress: [{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 80, end: 80}}}}]}]\n') +
      cnp('dns', 'Admin', 5, '  egress: [{action: Deny, to: [{domainNames: [example.com]}]}]\n') +
      cnp('named', 'Admin', 6, '  egress: [{action: Accept, to: [{networks: [10.0.0.0/8]}], protocols: [{destinationNamedPort: sql}]}]\n') +
      cnp('same-a', 'Admin', 7, '  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n') +
      cnp('same-b', 'Admin', 7, '  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n') +
      // One priority in two tiers is no clash.
      cnp('tiers-a', 'Admin', 8, '  ingress: [{action: Pass, from: [{namespaces: {}}]}]\n') +
      cnp('tiers-b', 'Baseline', 8, '  ingress: [{action: Accept, from: [{namespaces: {}}]}]\n');
    const model = buildModel(loadText('in.yaml', text).resources, 'cluster');
    expect(model.errors.map((e) => `${e.location?.line}:${e.location?.column} ${e.code}`)).toEqual([
      '15:3 CNP_INVALID_TIER',
      '27:14 ANP_INVALID_ACTION',
      '36:66 CNP_PROTOCOL_FIELDS',
      '45:91 NETPOL_INVALID_PORT_RANGE',
      '54:33 CNP_DOMAIN_NAMES_ACTION',
      '63:61 CNP_NAMED_PORT_WITHOUT_PODS',
      '76:12 ANP_DUPLICATE_PRIORITY',
    ]);
    expect(model.errors.at(-1)?.message).toBe('two policies of one tier have the same priority; the outcome would be undefined: CNP same-a and CNP same-b both have priority 7');
    expect(model.policies.adminPolicies.map((p) => p.name)).toEqual(['same-a', 'same-b', 'tiers-a']);
    expect(model.policies.baselinePolicies.map((p) => p.name)).toEqual(['tiers-b']);
  });

  it('a domainNames peer (Accept only) is read as matching no address, with a warning at its place', () => {
    const model = buildModel(loadText('in.yaml', PODS + cnp('hub', 'Admin', 1, '  egress: [{action: Accept, to: [{domainNames: ["*.huggingface.co"]}]}]\n')).resources, 'cluster');
    expect([model.errors, model.warnings.map((w) => `${w.location?.line}:${w.location?.column} ${w.code}`)]).toEqual([[], ['18:35 CNP_DOMAIN_NAMES_UNRESOLVED']]);
  });
});

describe('ClusterNetworkPolicy with Calico (v3.32 tiers kube-admin and kube-baseline)', () => {
  const calicoAllowAll = "---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: allow-all, namespace: a}\nspec:\n  selector: all()\n  ingress: [{action: Allow}]\n  egress: [{action: Allow}]\n";
  it('an Admin Deny beats a Calico allow, explain names the ClusterNetworkPolicy rule with its line; other ports pass on to the default tier', () => {
    const guard = cnp('guard', 'Admin', 3, '  ingress:\n  - {name: no-sql, action: Deny, from: [{namespaces: {}}], protocols: [{destinationNamedPort: sql}]}\n');
    const model = buildMeshModel(loadText('in.yaml', PODS + calicoAllowAll + guard).resources);
    expect(model.errors).toEqual([]);
    expect(model.warnings.map((w) => w.code)).toEqual(['MESH_CNP_TIERS_ASSUMED']);
    const [web] = meshPeers(model, 'a/web');
    const [db] = meshPeers(model, 'a/db');
    const sql = explainMesh(model, web!, db!, { protocol: 6, port: 5432, text: '5432/TCP' });
    expect([sql.allowed, sql.layers.map((l) => l.steps.map((s) => `${s.action} ${s.rule} ${s.location?.line}`))]).toEqual([false, [['Allow NetworkPolicy a/allow-all egress[0] 17'], ['Deny ClusterNetworkPolicy guard ingress[0] 27'], []]]);
    expect(explainMesh(model, web!, db!, { protocol: 6, port: 5433, text: '5433/TCP' }).allowed).toBe(true);
  });
});
