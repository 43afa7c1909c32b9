import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { kuberayIsolation, kuberayNetworkPolicies } from '../../src/knowledge/index.js';
import { buildModel, computeMatrix, explain, toConnections, type CompatMode } from '../../src/netpol/index.js';

const connections = (yaml: string, mode: CompatMode = 'cluster'): string[] => {
  const loaded = loadText('in.yaml', yaml);
  const model = buildModel(loaded.resources, mode);
  expect(model.errors).toEqual([]);
  return toConnections(computeMatrix(model, loaded.resources)).map((c) => `${c.src} => ${c.dst} : ${c.conns}`);
};

const deployment = (name: string, ns = 'ml'): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: busybox:1.36}]}`;

/** A RayCluster (or another ray.io kind, with its cluster spec under `base`) with a head and the given worker groups. */
const rayObject = (networkPolicy: string, options: { kind?: string; groups?: readonly string[]; extraSpec?: string; name?: string } = {}): string => {
  const kind = options.kind ?? 'RayCluster';
  const indent = kind === 'RayCluster' ? '  ' : '    ';
  const cluster = [
    `networkPolicy: ${networkPolicy}`,
    'headGroupSpec:',
    '  template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0, ports: [{name: dashboard, containerPort: 8265}]}]}}',
    'workerGroupSpecs:',
    ...(options.groups ?? ['gpu']).map((g) => `- {groupName: ${g}, template: {spec: {containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]}}}`),
  ].map((l) => indent + l);
  const field = { RayCluster: '', RayService: '  rayClusterConfig:', RayJob: '  rayClusterSpec:' }[kind];
  return [`apiVersion: ray.io/v1`, `kind: ${kind}`, `metadata: {name: ${options.name ?? 'batch'}, namespace: ml}`, 'spec:', ...(options.extraSpec ? [options.extraSpec] : []), ...(field ? [field] : []), ...cluster].join('\n');
};

describe('the NetworkPolicies KubeRay creates (knowledge/kuberayNetworkPolicies.ts)', () => {
  it('builds the head and one policy per worker group as the controller does: base rule, then the user rules (a workerGroups entry replaces worker)', () => {
    const loaded = loadText('in.yaml', rayObject('{head: {ingressRules: [{from: [{podSelector: {matchLabels: {app: gw}}}]}]}, worker: {egressRules: [{ports: [{port: 53, protocol: UDP}]}]}, workerGroups: [{groupName: cpu, egressRules: []}]}', { groups: ['gpu', 'cpu'] }));
    const policies = kuberayNetworkPolicies(loaded.resources[0]!.object);
    expect(policies.map((p) => p.object)).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'batch-head', namespace: 'ml', labels: { 'ray.io/cluster': 'batch', 'ray.io/group': 'headgroup', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } },
        spec: {
          podSelector: { matchLabels: { 'ray.io/cluster': 'batch', 'ray.io/node-type': 'head' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }, { from: [{ podSelector: { matchLabels: { app: 'gw' } } }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'batch-workers-gpu', namespace: 'ml', labels: { 'ray.io/cluster': 'batch', 'ray.io/group': 'gpu', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } },
        spec: {
          podSelector: { matchLabels: { 'ray.io/cluster': 'batch', 'ray.io/node-type': 'worker', 'ray.io/group': 'gpu' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }, { ports: [{ port: 53, protocol: 'UDP' }] }],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'batch-workers-cpu', namespace: 'ml', labels: { 'ray.io/cluster': 'batch', 'ray.io/group': 'cpu', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } },
        spec: {
          podSelector: { matchLabels: { 'ray.io/cluster': 'batch', 'ray.io/node-type': 'worker', 'ray.io/group': 'cpu' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] }],
        },
      },
    ]);
    // A user rule is found where the user wrote it; what KubeRay adds, at spec.networkPolicy.
    expect(policies[0]!.sourceOf('/spec/ingress/1/from/0')).toBe('/spec/networkPolicy/head/ingressRules/0/from/0');
    expect(policies[0]!.sourceOf('/spec/ingress/0')).toBe('/spec/networkPolicy');
    expect(policies[1]!.sourceOf('/spec/egress/1/ports/0')).toBe('/spec/networkPolicy/worker/egressRules/0/ports/0');
    expect(policies[2]!.sourceOf('/spec/egress/1')).toBe('/spec/networkPolicy/workerGroups/0/egressRules/0');
    expect(policies[0]!.sourceOf('/metadata/name')).toBe('/spec/networkPolicy');
  });

  it('mode decides the policy types; an unknown mode, no networkPolicy, or another controller in managedBy gives no policy', () => {
    const types = (networkPolicy: string, extraSpec?: string): unknown => kuberayNetworkPolicies(loadText('in.yaml', rayObject(networkPolicy, extraSpec ? { extraSpec } : {})).resources[0]!.object).map((p) => (p.object.spec as Record<string, unknown>).policyTypes);
    expect(types('{}')).toEqual([['Ingress', 'Egress'], ['Ingress', 'Egress']]);
    expect(types('{mode: DenyAllIngress}')).toEqual([['Ingress'], ['Ingress']]);
    expect(types('{mode: DenyAllEgress}')).toEqual([['Egress'], ['Egress']]);
    expect(types('{mode: AllowAll}')).toEqual([]);
    expect(types('null')).toEqual([]);
    expect(types('{}', '  managedBy: kueue.x-k8s.io/multikueue')).toEqual([]);
    expect(types('{}', '  managedBy: ray.io/kuberay-operator')).toEqual([['Ingress', 'Egress'], ['Ingress', 'Egress']]);
  });

  it('a RayJob in K8sJobMode (the default) lets its submitter pod reach the head dashboard, on the port rayStartParams sets; other modes do not', () => {
    const headIngress = (extraSpec: string, params = ''): unknown => {
      const yaml = rayObject('{mode: DenyAllIngress}', { kind: 'RayJob', extraSpec }).replace('    headGroupSpec:', `    headGroupSpec:${params ? `\n      rayStartParams: {${params}}` : ''}`);
      return (kuberayNetworkPolicies(loadText('in.yaml', yaml).resources[0]!.object)[0]!.object.spec as Record<string, unknown>).ingress;
    };
    const base = { from: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'batch' } } }] };
    const submitter = (port: number): unknown => ({ from: [{ podSelector: { matchLabels: { 'ray.io/originated-from-cr-name': 'batch', 'ray.io/originated-from-crd': 'RayJob' } } }], ports: [{ protocol: 'TCP', port }] });
    expect(headIngress('  entrypoint: python x.py')).toEqual([base, submitter(8265)]);
    expect(headIngress('  submissionMode: K8sJobMode', '"dashboard-port": "9000"')).toEqual([base, submitter(9000)]);
    expect(headIngress('  submissionMode: K8sJobMode', '"dashboard-port": " 9000"')).toEqual([base, submitter(8265)]);
    expect(headIngress('  submissionMode: HTTPMode')).toEqual([base]);
    expect(headIngress('  submissionMode: SidecarMode')).toEqual([base]);
  });

  it('kuberayIsolation (NAMESPACE_WITHOUT_DEFAULT_DENY) answers for the pod specs of the cluster spec only', () => {
    const ray = loadText('in.yaml', rayObject('{mode: DenyAllEgress}', { kind: 'RayService' })).resources[0]!.object;
    expect(kuberayIsolation(ray, '/spec/rayClusterConfig/headGroupSpec/template/spec')).toEqual({ ingress: false, egress: true });
    expect(kuberayIsolation(ray, '/spec/rayClusterConfig/workerGroupSpecs/0/template/spec')).toEqual({ ingress: false, egress: true });
    expect(kuberayIsolation(ray, '/spec/headGroupSpec/template/spec')).toBeUndefined();
  });
});

describe('netpol models the policies KubeRay creates', () => {
  const input = [
    '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ml}',
    rayObject('{head: {ingressRules: [{from: [{podSelector: {matchLabels: {app: gateway}}}], ports: [{port: 8265}]}]}}'),
    deployment('gateway'),
    deployment('other'),
  ].join('\n---\n');

  it('the matrix: cluster pods reach each other; outside them only what the user rules allow', () => {
    expect(connections(input)).toEqual([
      '0.0.0.0-255.255.255.255[External] => ml/gateway[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => ml/other[Deployment] : All Connections',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => ml/gateway[Deployment] : All Connections',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => ml/other[Deployment] : All Connections',
      'ml/batch[RayCluster]/0 => ml/batch[RayCluster]/1 : All Connections',
      'ml/batch[RayCluster]/1 => ml/batch[RayCluster]/0 : All Connections',
      'ml/gateway[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'ml/gateway[Deployment] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections',
      'ml/gateway[Deployment] => ml/batch[RayCluster]/0 : TCP 8265',
      'ml/gateway[Deployment] => ml/other[Deployment] : All Connections',
      'ml/other[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'ml/other[Deployment] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections',
      'ml/other[Deployment] => ml/gateway[Deployment] : All Connections',
    ]);
    // np-guard does not know operators: RayClusters are not even peers there.
    expect(connections(input, 'np-guard').some((c) => c.includes('RayCluster'))).toBe(false);
  });

  it('explain names the created policy and locates the user rule in the RayCluster; a warning says the policies were added', () => {
    const loaded = loadText('in.yaml', input);
    const model = buildModel(loaded.resources, 'cluster');
    expect(model.warnings.map((w) => [w.code, w.message, w.location?.line])).toEqual([
      ['NETPOL_OPERATOR_POLICY', 'analysed with the NetworkPolicies KubeRay creates for RayCluster ml/batch (spec.networkPolicy): ml/batch-head, ml/batch-workers-gpu; KubeRay creates them only with its RayClusterNetworkPolicy feature gate on (alpha since v1.7)', 10],
    ]);
    const answer = explain(model, 'ml/gateway[Deployment]', 'ml/batch[RayCluster]/0')!;
    expect([answer.allowed, answer.conns]).toEqual([true, 'TCP 8265']);
    const rules = answer.ingress.steps.map((s) => [s.rule.policy, s.rule.description, s.rule.location?.line]);
    expect(rules).toEqual([
      ['NetworkPolicy ml/batch-head (created by KubeRay, for RayCluster ml/batch)', 'policy', 10],
      ['NetworkPolicy ml/batch-head (created by KubeRay, for RayCluster ml/batch)', 'ingress rule #2', 10],
    ]);
  });

  it('a policy of the input with the same name: the cluster\'s own is analysed once; a foreign one stops KubeRay, with a warning', () => {
    const own = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: batch-head, namespace: ml, ownerReferences: [{apiVersion: ray.io/v1, kind: RayCluster, name: batch, controller: true}]}\nspec: {podSelector: {matchLabels: {ray.io/cluster: batch, ray.io/node-type: head}}, policyTypes: [Ingress]}`;
    const owned = buildModel(loadText('in.yaml', `${input}\n---\n${own}`).resources, 'cluster');
    expect(owned.errors).toEqual([]);
    expect(owned.policies.networkPolicies.map((p) => p.name)).toEqual(['batch-head', 'batch-workers-gpu']);
    const foreign = buildModel(loadText('in.yaml', `${input}\n---\n${own.replace(/, ownerReferences: \[[^\]]*\]/, '')}`).resources, 'cluster');
    expect(foreign.errors).toEqual([]);
    expect(foreign.policies.networkPolicies.map((p) => p.name)).toEqual(['batch-head']);
    expect(foreign.warnings.map((w) => w.code)).toEqual(['NETPOL_OPERATOR_POLICY_CLASH']);
  });

  it('a user rule that is invalid is an input error located in the RayCluster', () => {
    const model = buildModel(loadText('in.yaml', rayObject('{worker: {egressRules: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}}')).resources, 'cluster');
    expect(model.errors.map((e) => [e.code, e.location?.line, e.location?.column])).toEqual([['NETPOL_INVALID_CIDR', 5, 59]]);
  });

  it('property: for any mode and rules, reachability between the cluster and an outside pod is what the controller\'s rules say', () => {
    const rule = fc.constantFrom('none', 'allow', 'other');
    fc.assert(
      fc.property(fc.constantFrom('DenyAll', 'DenyAllIngress', 'DenyAllEgress'), fc.record({ headIn: rule, headOut: rule, workerIn: rule, workerOut: rule, groupIn: rule, groupOut: rule }), fc.boolean(), (mode, r, groupEntry) => {
        // `allow` names the outside pod, `other` a pod that does not exist, `none` leaves the list out.
        const rules = (dir: 'ingressRules' | 'egressRules', what: string): string => (what === 'none' ? '' : `${dir}: [{${dir === 'ingressRules' ? 'from' : 'to'}: [{podSelector: {matchLabels: {app: ${what === 'allow' ? 'outside' : 'nobody'}}}}]}], `);
        const config = `{mode: ${mode}, head: {${rules('ingressRules', r.headIn)}${rules('egressRules', r.headOut)}}, worker: {${rules('ingressRules', r.workerIn)}${rules('egressRules', r.workerOut)}}${groupEntry ? `, workerGroups: [{groupName: gpu, ${rules('ingressRules', r.groupIn)}${rules('egressRules', r.groupOut)}}]` : ''}}`;
        const got = new Set(connections([rayObject(config), deployment('outside')].join('\n---\n')).map((c) => c.slice(0, c.indexOf(' : '))));
        const ingressDenied = mode !== 'DenyAllEgress';
        const egressDenied = mode !== 'DenyAllIngress';
        const workerIn = groupEntry ? r.groupIn : r.workerIn;
        const workerOut = groupEntry ? r.groupOut : r.workerOut;
        const expected = {
          'ml/outside[Deployment] => ml/batch[RayCluster]/0': !ingressDenied || r.headIn === 'allow',
          'ml/batch[RayCluster]/0 => ml/outside[Deployment]': !egressDenied || r.headOut === 'allow',
          'ml/outside[Deployment] => ml/batch[RayCluster]/1': !ingressDenied || workerIn === 'allow',
          'ml/batch[RayCluster]/1 => ml/outside[Deployment]': !egressDenied || workerOut === 'allow',
          'ml/batch[RayCluster]/0 => ml/batch[RayCluster]/1': true,
          'ml/batch[RayCluster]/1 => ml/batch[RayCluster]/0': true,
        };
        for (const [pair, allowed] of Object.entries(expected)) expect([pair, got.has(pair)]).toEqual([pair, allowed]);
      }),
      { numRuns: 60 },
    );
  });
});
