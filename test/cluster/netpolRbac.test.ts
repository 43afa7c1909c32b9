import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { fixtureObjects, startFakeApiServer, type FakeApi } from './fakeApiServer.js';
import { palisadeAsync, writeKubeconfig } from './helpers.js';

/** netpol and rbac read the live cluster too: owners stand for the pods they made, as in manifests. */

const fromExamples = (o: Record<string, unknown>): boolean => {
  const m = o.metadata as { name: string; namespace?: string };
  return (m.namespace === 'ml-serving' && !m.name.startsWith('llm-predictor')) || (o.kind === 'Namespace' && m.name === 'ml-serving');
};

describe('netpol --cluster', () => {
  let api: FakeApi;
  let kubeconfig: string;
  beforeAll(async () => {
    api = await startFakeApiServer({ objects: fixtureObjects().filter(fromExamples) });
    kubeconfig = writeKubeconfig(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('computes the same matrix from the live objects as from the manifests', async () => {
    const files = palisade(['netpol', 'matrix', 'examples/ml-serving-insecure']);
    const live = await palisadeAsync(['netpol', 'matrix', '--cluster', '--kubeconfig', kubeconfig]);
    expect(live.stderr).toBe('');
    expect(live.status).toBe(0);
    expect(live.stdout.split('\n').length).toBeGreaterThan(50);
    expect(live.stdout).toBe(files.stdout);
    // Pods and ReplicaSets are not peers of their own: the Deployment stands for them.
    expect(live.stdout).not.toMatch(/\[(Pod|ReplicaSet)\]/);
  });

  it('tries policies from a file against the live cluster before they are applied', async () => {
    const live = await palisadeAsync(['netpol', 'matrix', '--cluster', '--kubeconfig', kubeconfig, 'examples/ml-serving-hardened/network-policies.yaml']);
    expect(live.status).toBe(0);
    const withPolicies = palisade(['netpol', 'matrix', 'examples/ml-serving-insecure', 'examples/ml-serving-hardened/network-policies.yaml']);
    expect(live.stdout).toBe(withPolicies.stdout);
  });
});

describe('rbac --cluster', () => {
  let api: FakeApi;
  let kubeconfig: string;
  beforeAll(async () => {
    api = await startFakeApiServer();
    kubeconfig = writeKubeconfig(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers who-can from the live RBAC objects, each grant located by its URL', async () => {
    const live = await palisadeAsync(['rbac', 'who-can', 'get', 'secrets', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json']);
    expect(live.status).toBe(0);
    const report = JSON.parse(live.stdout) as { subjects: Array<{ kind: string; name: string; namespace?: string }> };
    expect(report.subjects.map((s) => `${s.kind} ${s.namespace ?? ''}/${s.name}`)).toEqual(['Group /system:masters', 'ServiceAccount team-b/runner']);
    expect(JSON.stringify(report.subjects[1])).toContain(`${api.url}/apis/rbac.authorization.k8s.io/v1/clusterroles/secret-reader`);
    // -n keeps its rbac meaning (the request's namespace); the read is still the whole cluster.
    const can = await palisadeAsync(['rbac', 'can', 'sa:team-b/runner', 'create', 'pods/exec', '-n', 'team-b', '--cluster', '--kubeconfig', kubeconfig]);
    expect(can.status).toBe(0);
  });
});
