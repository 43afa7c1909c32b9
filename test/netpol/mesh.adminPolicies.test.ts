import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { explainMesh, meshPeers } from '../../src/netpol/layers/explain.js';
import { buildMeshModel, meshMatrix, type MeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy composed with Calico's tiers and Istio: examples
 * with exact answers (the property tests are calico.adminTiers.property.test.ts and
 * mesh.adminPolicies.property.test.ts).
 */

const PODS = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
`;

const CALICO_ALLOW_WEB_TO_DB = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-web, namespace: a}
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {selector: app == 'web'}
`;

const anp = (name: string, priority: number, action: string, extra = ''): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}
  ingress:
  - name: from-web
    action: ${action}
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]
${extra}`;

const BANP_DENY = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - name: deny-all
    action: Deny
    from: [{namespaces: {}}]
`;

const podPairs = (m: MeshModel): ReturnType<typeof meshMatrix> => meshMatrix(m, 'pod').filter((e) => !e.src.startsWith('ip:') && !e.dst.startsWith('ip:'));
const build = (...docs: string[]): MeshModel => buildMeshModel(loadText('in.yaml', docs.join('---\n')).resources);
const lineOf = (docs: string[], needle: string): number => docs.join('---\n').split('\n').findIndex((l) => l.includes(needle)) + 1;
/** The matrix's pod-to-pod pairs, `src -> dst: conns` (external addresses are left out here). */
const pairs = (m: MeshModel): string[] => podPairs(m).map((e) => `${e.src} -> ${e.dst}: ${JSON.stringify(e.conns)}`);

describe('AdminNetworkPolicy with Calico', () => {
  it('an ANP Deny beats a Calico allow of the default tier; a Calico allow in a tier ordered before 1,000 beats the ANP', () => {
    const denied = build(PODS, CALICO_ALLOW_WEB_TO_DB, anp('deny-web', 10, 'Deny'));
    expect(denied.errors).toEqual([]);
    expect(pairs(denied)).toEqual(['a/db -> a/web: "All"']);
    const early = build(PODS, 'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: platform}\nspec: {order: 100}\n', CALICO_ALLOW_WEB_TO_DB.replace('spec:\n', 'spec:\n  tier: platform\n'), anp('deny-web', 10, 'Deny'));
    expect(early.errors).toEqual([]);
    expect(pairs(early)).toEqual(['a/db -> a/web: "All"', 'a/web -> a/db: "All"']);
  });

  it('an ANP Pass skips the later ANPs and falls to the default tier: denied where a Calico policy selects the pod and takes no action, allowed where none does', () => {
    const withDefaultTier = [PODS, CALICO_ALLOW_WEB_TO_DB.replace("selector: app == 'web'", "selector: app == 'nobody'"), anp('pass-web', 5, 'Pass'), anp('allow-web', 10, 'Allow')];
    expect(pairs(build(...withDefaultTier))).toEqual(['a/db -> a/web: "All"']);
    // No default-tier policy selects db: the passed connection reaches the profile (allow), not the later ANP.
    expect(pairs(build(PODS, anp('pass-web', 5, 'Pass'), anp('deny-web', 10, 'Deny')))).toEqual(['a/db -> a/web: "All"', 'a/web -> a/db: "All"']);
    // Without the Pass, the Deny holds.
    expect(pairs(build(PODS, anp('deny-web', 10, 'Deny')))).toEqual(['a/db -> a/web: "All"']);
  });

  it('the BANP decides only what no tier before it decided', () => {
    // Nothing selects web or db in the default tier: the BANP denies all ingress.
    expect(pairs(build(PODS, 'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: unused}\nspec: {order: 5}\n', BANP_DENY))).toEqual([]);
    // The default tier selects db and allows web: decided before the BANP; web's ingress still meets the BANP.
    expect(pairs(build(PODS, CALICO_ALLOW_WEB_TO_DB, BANP_DENY))).toEqual(['a/web -> a/db: "All"']);
    // An ANP Allow decides before both.
    expect(pairs(build(PODS, anp('allow-web', 10, 'Allow'), BANP_DENY))).toEqual(['a/web -> a/db: "All"']);
  });

  it('explain names the deciding ANP and BANP rules with their lines, and each object gets the Calico-version note at its line', () => {
    const docs = [PODS, CALICO_ALLOW_WEB_TO_DB, anp('deny-web', 10, 'Deny'), BANP_DENY];
    const m = build(...docs);
    const [web] = meshPeers(m, 'a/web');
    const [db] = meshPeers(m, 'a/db');
    const e = explainMesh(m, web!, db!);
    expect(e.allowed).toBe(false);
    const ingress = e.layers.find((l) => l.direction === 'ingress' && l.layer.startsWith('Calico'))!;
    expect(ingress.layer).toBe('Calico + Kubernetes NetworkPolicy + AdminNetworkPolicy');
    expect(ingress.steps.map((s) => `${s.action} ${s.rule} ${s.location?.file}:${s.location?.line}`)).toEqual([`Deny AdminNetworkPolicy deny-web ingress[0] in.yaml:${lineOf(docs, '- name: from-web')}`]);
    const back = explainMesh(m, db!, web!).layers.find((l) => l.direction === 'ingress' && l.layer.startsWith('Calico'))!;
    expect(back.steps.map((s) => `${s.action} ${s.rule} ${s.location?.line}`)).toEqual([`Deny BaselineAdminNetworkPolicy default ingress[0] ${lineOf(docs, '- name: deny-all')}`]);
    expect(m.warnings.map((w) => `${w.code} ${w.location?.line}`)).toEqual([`MESH_ADMIN_TIERS_ASSUMED ${lineOf(docs, 'kind: AdminNetworkPolicy')}`, `MESH_ADMIN_TIERS_ASSUMED ${lineOf(docs, 'kind: BaselineAdminNetworkPolicy')}`]);
  });
});

describe('AdminNetworkPolicy with Istio', () => {
  it('an Istio DENY still refuses the requests it names on a path the ANP allows', () => {
    const deny = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-post, namespace: a}
spec:
  selector: {matchLabels: {app: db}}
  action: DENY
  rules: [{to: [{operation: {methods: [POST]}}]}]
`;
    const m = build(PODS, anp('allow-web', 10, 'Allow'), BANP_DENY, deny);
    expect(m.errors).toEqual([]);
    // Istio alone: no warning about Calico versions (the CNI is taken to implement the API as written).
    expect(m.warnings).toEqual([]);
    const [entry, ...rest] = podPairs(m);
    expect([entry!.src, entry!.dst, rest]).toEqual(['a/web', 'a/db', []]);
    // Every other protocol, and every TCP request but POST.
    expect(entry!.conns).toEqual([{ protocol: '0-5,7-255' }, { protocol: '6', methods: { not: ['POST'] } }]);
  });
});

describe('AdminNetworkPolicy input errors and Cilium', () => {
  it('a bad ANP is an input error at its line and hides neither the other ANP nor the Calico objects', () => {
    const docs = [PODS, CALICO_ALLOW_WEB_TO_DB, anp('bad', 3, 'Reject'), anp('deny-web', 10, 'Deny')];
    const m = build(...docs);
    expect(m.errors.map((e) => `${e.code} ${e.location?.file}:${e.location?.line}`)).toEqual([`ANP_INVALID_ACTION in.yaml:${lineOf(docs, 'action: Reject')}`]);
    // The valid ANP still denies web -> db, over the Calico allow.
    expect(pairs(m)).toEqual(['a/db -> a/web: "All"']);
  });

  it('on a Cilium cluster, ANP and BANP are left out (Cilium implements neither), and so is a ClusterNetworkPolicy (Cilium enforces it only behind a flag), each with a warning at its line', () => {
    const cilium = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: allow, namespace: a}\nspec: {endpointSelector: {}, ingress: [{fromEntities: [all]}]}\n';
    const cnp = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: cnp}\nspec: {tier: Admin, priority: 0, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n';
    const docs = [PODS, cilium, anp('deny-web', 10, 'Deny'), BANP_DENY, cnp];
    const m = build(...docs);
    expect(m.errors).toEqual([]);
    expect(pairs(m)).toEqual(['a/db -> a/web: "All"', 'a/web -> a/db: "All"']);
    // The Cilium policy's node-to-pod note (CILIUM_LOCAL_HOST_ALLOWED) is not what this case is about.
    expect(m.warnings.filter((w) => w.code !== 'CILIUM_LOCAL_HOST_ALLOWED').map((w) => `${w.code} ${w.location?.line}`)).toEqual([`MESH_ADMIN_POLICY_NOT_ENFORCED ${lineOf(docs, 'kind: AdminNetworkPolicy')}`, `MESH_ADMIN_POLICY_NOT_ENFORCED ${lineOf(docs, 'kind: BaselineAdminNetworkPolicy')}`, `MESH_ADMIN_POLICY_NOT_ENFORCED ${lineOf(docs, 'kind: ClusterNetworkPolicy')}`]);
  });
});

describe('verify with AdminNetworkPolicy', () => {
  it('a counterexample names the rule that decided, not the ANP Pass before it, and a request every tier passed on', async () => {
    const { verifyMeshIntents, counterexampleText } = await import('../../src/netpol/layers/verify.js');
    const { parseIntents } = await import('../../src/netpol/index.js');
    const intents = parseIntents(loadText('intents.yaml', 'apiVersion: palisade.dev/v1alpha1\nkind: NetworkIntents\nintents:\n  - name: only db reaches db\n    to: a/db\n    onlyFrom: [a/db]\n').resources[0]!);
    expect(intents.errors).toEqual([]);
    const docs = [PODS, CALICO_ALLOW_WEB_TO_DB, anp('pass-web', 5, 'Pass')];
    const [result] = verifyMeshIntents(build(...docs), intents.intents);
    expect(result!.holds).toBe(false);
    const text = counterexampleText(result!.counterexample!);
    expect(text).toContain(`allows (Allow by NetworkPolicy a/allow-web ingress[0] at in.yaml:${lineOf(docs, '- action: Allow')}:5)`);
    expect(text).not.toContain('Pass by');
    // No Calico policy selects db: the ANP tier passes, and the profile allows.
    const [passed] = verifyMeshIntents(build(PODS, anp('pass-web', 5, 'Pass')), intents.intents);
    expect(counterexampleText(passed!.counterexample!)).toContain('allows (passed on by every tier, then allowed)');
  });
});
