import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, computeMatrix, flowsFromIntents, flowsFromServices, generatePolicies, isIntentsResource, parseIntents, parseServices, toConnections, verifyIntents, type Intent, type NetpolModel } from '../../src/netpol/index.js';

const seed = fileURLToPath(new URL('../../examples/network-intents/', import.meta.url));
const workloads = readFileSync(seed + 'workloads.yaml', 'utf8');
const intentsText = readFileSync(seed + 'intents.yaml', 'utf8');

function intentsOf(text: string): Intent[] {
  const resource = loadText('intents.yaml', text).resources.find(isIntentsResource);
  if (!resource) throw new Error('no NetworkIntents');
  const parsed = parseIntents(resource);
  expect(parsed.errors).toEqual([]);
  return parsed.intents;
}

function modelOf(...texts: string[]): NetpolModel {
  return buildModel(loadText('in.yaml', texts.join('\n---\n')).resources, 'cluster');
}

describe('netpol verify', () => {
  const intents = intentsOf(intentsText);

  it('without policies, the allow intents hold and the restricting ones break, each with a counterexample', () => {
    const results = verifyIntents(modelOf(workloads), intents);
    expect(results.map((r) => [r.intent.name, r.holds, r.counterexample ?? null])).toEqual([
      ['only the gateway reaches TF Serving on 8501', false, { src: 'ml-serving/model[Deployment]', dst: 'ml-serving/tf-serving[Deployment]', conns: 'TCP 8501' }],
      ['the gateway reaches TF Serving', true, null],
      ['the model reaches only Redis', false, { src: 'ml-serving/model[Deployment]', dst: 'ml-serving/gateway[Deployment]', conns: 'All Connections' }],
      ['role=frontend reaches the inference service', true, null],
      ['the frontend reaches nothing else', false, { src: 'web/frontend[Deployment]', dst: 'ml-serving/gateway[Deployment]', conns: 'All Connections' }],
      ['no pod in team-a reaches team-b', false, { src: 'team-a/a-job[Deployment]', dst: 'team-b/b-api[Deployment]', conns: 'All Connections' }],
      ['nothing reaches the cloud metadata service', false, { src: 'ml-serving/gateway[Deployment]', dst: '0.0.0.0-255.255.255.255[External]', conns: 'All Connections' }],
    ]);
  });

  it('an intent naming a peer that does not exist is broken, not silently true', () => {
    const [result] = verifyIntents(modelOf(workloads), intentsOf(`apiVersion: palisade.dev/v1alpha1\nkind: NetworkIntents\nintents:\n- {from: nowhere/x, to: "*", expect: deny}`));
    expect(result).toMatchObject({ holds: false, unmatched: 'nowhere/x' });
  });

  it('`dns` in onlyTo permits port 53 over UDP and TCP to any destination, and nothing more', () => {
    const egress = (ports: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: model-egress, namespace: ml-serving}
spec:
  podSelector: {matchLabels: {app: model}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: redis}}}]
    ports: [{port: 6379}]
  - ports: [${ports}]`;
    const intent = (targets: string): Intent[] => intentsOf(`apiVersion: palisade.dev/v1alpha1\nkind: NetworkIntents\nintents:\n- {name: model, from: ml-serving/model, onlyTo: [${targets}]}`);
    const withDns = intent('{peer: ml-serving/redis, ports: [6379]}, {peer: dns}');
    expect(verifyIntents(modelOf(workloads, egress('{port: 53, protocol: UDP}, {port: 53, protocol: TCP}')), withDns).map((r) => r.holds)).toEqual([true]);
    const udp54 = verifyIntents(modelOf(workloads, egress('{port: 53, protocol: UDP}, {port: 54, protocol: UDP}')), withDns)[0];
    expect(udp54).toMatchObject({ holds: false, counterexample: { src: 'ml-serving/model[Deployment]', dst: 'ml-serving/gateway[Deployment]', conns: 'UDP 54' } });
    const withoutDns = verifyIntents(modelOf(workloads, egress('{port: 53, protocol: UDP}')), intent('{peer: ml-serving/redis, ports: [6379]}'))[0];
    expect(withoutDns).toMatchObject({ holds: false, counterexample: { conns: 'UDP 53' } });
    // generate opens DNS with its per-namespace allow-dns policy, not with a flow per destination.
    expect(flowsFromIntents(modelOf(workloads), withDns).map((f) => [f.src.id, 'id' in f.dst ? f.dst.id : f.dst.cidr])).toEqual([['ml-serving/model[Deployment]', 'ml-serving/redis[Deployment]']]);
  });

  it('a malformed intent is an error at its position', () => {
    const resource = loadText('i.yaml', `apiVersion: palisade.dev/v1alpha1\nkind: NetworkIntents\nintents:\n- from: a/b\n  to: c/d\n  ports: [http]\n  expect: allow`).resources[0];
    const parsed = parseIntents(resource as NonNullable<typeof resource>);
    expect(parsed.errors.map((e) => [e.code, e.location?.line])).toEqual([['NETPOL_INVALID_INTENT', 6]]);
  });
});

describe('netpol generate', () => {
  const intents = intentsOf(intentsText);

  it('writes policies that, applied, make every intent hold and open nothing else', () => {
    const before = modelOf(workloads);
    const flows = flowsFromIntents(before, intents);
    const policies = generatePolicies(before, flows, { dns: false });
    const after = modelOf(workloads, ...policies.map((p) => stringify(p)));
    expect(after.errors).toEqual([]);
    expect(verifyIntents(after, intents).filter((r) => !r.holds)).toEqual([]);
    // Nothing else is open: the matrix is exactly the intended flows.
    expect(toConnections(computeMatrix(after))).toEqual([
      { src: 'ml-serving/gateway[Deployment]', dst: 'ml-serving/tf-serving[Deployment]', conns: 'TCP 8501' },
      { src: 'ml-serving/model[Deployment]', dst: 'ml-serving/redis[Deployment]', conns: 'TCP 6379' },
      { src: 'web/frontend[Deployment]', dst: 'web/inference[Deployment]', conns: 'TCP 8080' },
    ]);
  });

  it('without intents, opens what the Services imply: their namespace reaches their pods on their target ports', () => {
    const services = `apiVersion: v1
kind: Service
metadata: {name: redis, namespace: ml-serving}
spec: {selector: {app: redis}, ports: [{port: 6379, targetPort: redis}]}
---
apiVersion: v1
kind: Service
metadata: {name: inference, namespace: web}
spec: {selector: {app: inference}, ports: [{port: 80, targetPort: 8080}]}`;
    const before = modelOf(workloads, services);
    const flows = flowsFromServices(before, parseServices(loadText('s.yaml', services).resources));
    const after = modelOf(workloads, ...generatePolicies(before, flows, { dns: false }).map((p) => stringify(p)));
    expect(toConnections(computeMatrix(after))).toEqual([
      { src: 'ml-serving/gateway[Deployment]', dst: 'ml-serving/redis[Deployment]', conns: 'TCP 6379' },
      { src: 'ml-serving/model[Deployment]', dst: 'ml-serving/redis[Deployment]', conns: 'TCP 6379' },
      { src: 'ml-serving/tf-serving[Deployment]', dst: 'ml-serving/redis[Deployment]', conns: 'TCP 6379' },
      { src: 'web/frontend[Deployment]', dst: 'web/inference[Deployment]', conns: 'TCP 8080' },
    ]);
  });

  it('adds one default deny per namespace, and DNS only when asked', () => {
    const model = modelOf(workloads);
    const names = (dns: boolean) => generatePolicies(model, [], { dns }).map((p) => `${(p.metadata as { namespace: string }).namespace}/${(p.metadata as { name: string }).name}`);
    expect(names(false)).toEqual(['ml-serving/default-deny-all', 'team-a/default-deny-all', 'team-b/default-deny-all', 'web/default-deny-all']);
    expect(names(true).filter((n) => n.endsWith('/allow-dns'))).toHaveLength(4);
  });
});
