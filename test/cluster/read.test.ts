import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCluster, READ_KINDS, readRules, type ClusterSource } from '../../src/cluster/index.js';
import { PalisadeError } from '../../src/core/errors.js';
import { fixtureDiscovery, fixtureObjects, startFakeApiServer, type FakeApi } from './fakeApiServer.js';
import { writeKubeconfig } from './helpers.js';

/** The reader against the loopback fake API server: discovery, pagination, 403, 401, 410, -n. */

const read = async (api: FakeApi, options: { namespace?: string; pageSize?: number; token?: string } = {}): Promise<ClusterSource> => {
  const { token, ...rest } = options;
  const source = await loadCluster({ kubeconfig: writeKubeconfig(api, token ? { token } : {}), ...rest }, { env: {} });
  source.client.close();
  return source;
};
const names = (source: ClusterSource): string[] => source.read.objects.map((o) => `${String(o.object.kind)} ${(o.object.metadata as { namespace?: string }).namespace ?? ''}/${(o.object.metadata as { name: string }).name}`).sort();
const expected = (filter: (o: Record<string, unknown>) => boolean = () => true): string[] =>
  fixtureObjects()
    .filter(filter)
    .map((o) => `${String(o.kind)} ${(o.metadata as { namespace?: string }).namespace ?? ''}/${(o.metadata as { name: string }).name}`)
    .sort();

describe('reading a cluster', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeApiServer();
  });
  afterAll(async () => {
    await api.close();
  });

  it('reads every object of every served kind, with apiVersion and kind filled in and server fields stripped', async () => {
    api.requests.length = 0;
    const source = await read(api);
    expect(source.read.errors).toEqual([]);
    expect(names(source)).toEqual(expected());
    const pod = source.read.objects.find((o) => o.object.kind === 'Pod')!;
    expect(pod.object.apiVersion).toBe('v1');
    expect(pod.object.status).toBeUndefined();
    expect((pod.object.metadata as Record<string, unknown>).managedFields).toBeUndefined();
    // No object keeps the last-applied copy of itself; its origin was noted before it went.
    for (const o of source.read.objects) expect(JSON.stringify(o.object)).not.toContain('last-applied-configuration');
    const isvc = source.read.objects.find((o) => o.object.kind === 'InferenceService')!;
    expect(isvc.origin).toEqual({ tool: 'kubectl', evidence: 'annotation kubectl.kubernetes.io/last-applied-configuration' });
    expect(isvc.url).toBe(`${api.url}/apis/serving.kserve.io/v1beta1/namespaces/ml-serving/inferenceservices/fraud-sklearn`);
    // Discovery: ServingRuntime is served only by v1alpha1, the group's non-preferred version.
    expect(source.read.kinds.find((k) => k.kind === 'ServingRuntime')).toMatchObject({ group: 'serving.kserve.io', version: 'v1alpha1', resource: 'servingruntimes' });
    expect(source.read.notServed).toContain('SeldonDeployment.machinelearning.seldon.io');
    // Read-only: nothing but GET.
    expect(api.requests.every((r) => r.startsWith('GET '))).toBe(true);
    // Secrets are served but never read.
    expect(api.requests.some((r) => r.includes('/secrets'))).toBe(false);
  });

  it('follows continue tokens page by page and gets the same objects', async () => {
    api.requests.length = 0;
    const source = await read(api, { pageSize: 2 });
    expect(names(source)).toEqual(expected());
    const podPages = api.requests.filter((r) => r.startsWith('GET /api/v1/pods?'));
    // 7 pods in pages of 2: four requests, three of them with a continue token.
    expect(podPages).toHaveLength(4);
    expect(podPages.filter((r) => r.includes('&continue=')).length).toBe(3);
    expect(source.read.kinds.find((k) => k.kind === 'Pod')).toMatchObject({ objects: 7, pages: 4 });
  });

  it('reads one namespace with -n, and its Namespace object with a GET', async () => {
    api.requests.length = 0;
    const source = await read(api, { namespace: 'team-b' });
    expect(source.read.errors).toEqual([]);
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
    expect(names(source)).toEqual(expected((o) => (o.metadata as { namespace?: string }).namespace === 'team-b' || (o.kind === 'Namespace' && (o.metadata as { name: string }).name === 'team-b') || (clusterScoped.has(String(o.kind)) && o.kind !== 'Namespace')));
    expect(api.requests).toContain('GET /api/v1/namespaces/team-b');
    expect(api.requests).toContain('GET /api/v1/namespaces/team-b/pods?limit=500');
  });
});

describe('reading a cluster: refusals and failures', () => {
  it('reports a 403 on one kind (verb, group, resource) and still reads the rest', async () => {
    const api = await startFakeApiServer({ forbid: [{ verb: 'list', group: 'apps', resource: 'replicasets' }] });
    try {
      const source = await read(api);
      expect(source.read.forbidden).toEqual([{ verb: 'list', group: 'apps', resource: 'replicasets' }]);
      expect(source.read.errors.map((e) => e.code)).toEqual(['CLUSTER_FORBIDDEN']);
      const error = source.read.errors[0]!;
      expect(error.message).toMatch(/^cannot list replicasets\.apps at the cluster scope: missing permission \(verb "list", group "apps", resource "replicasets"\); ReplicaSet objects are not audited \(API server: replicasets\.apps is forbidden: User "system:serviceaccount:palisade:palisade-audit" cannot list resource "replicasets" in API group "apps" at the cluster scope\)$/);
      expect(error.location).toEqual({ file: `${api.url}/apis/apps/v1/replicasets`, line: 1, column: 1 });
      expect(names(source)).toEqual(expected((o) => o.kind !== 'ReplicaSet'));
    } finally {
      await api.close();
    }
  });

  it('fails as a whole on wrong credentials (401), naming the kubeconfig', async () => {
    const api = await startFakeApiServer();
    try {
      const error = await read(api, { token: 'wrong' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PalisadeError);
      expect((error as PalisadeError).code).toBe('CLUSTER_UNAUTHORIZED');
      expect((error as PalisadeError).errorClass).toBe('fatal');
    } finally {
      await api.close();
    }
  });

  it('restarts a list whose continue token expired (410), or uses the inconsistent token the Status offers', async () => {
    for (const mode of ['restart', 'inconsistent'] as const) {
      const api = await startFakeApiServer({ expireContinue: mode });
      try {
        const source = await read(api, { pageSize: 3 });
        expect(source.read.errors).toEqual([]);
        expect(names(source)).toEqual(expected());
      } finally {
        await api.close();
      }
    }
  });

  it('times out a request that gets no answer', async () => {
    const { createServer } = await import('node:https');
    const { createServingPair } = await import('../../src/admission/x509.js');
    const { ca, serving } = createServingPair(['localhost'], 1, ['127.0.0.1']);
    const silent = createServer({ cert: serving.certPem, key: serving.keyPem }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const api = { kubeconfig: () => `apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}}}]\nusers: [{name: u, user: {token: t}}]\n` } as unknown as FakeApi;
    try {
      const error = await loadCluster({ kubeconfig: writeKubeconfig(api), timeoutMs: 300 }, { env: {} }).catch((e: unknown) => e);
      expect((error as PalisadeError).code).toBe('CLUSTER_UNREACHABLE');
      expect((error as PalisadeError).message).toContain('no answer from');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('the read table and the ClusterRole cannot drift', () => {
  it('names every kind with the plural the API server reports', () => {
    const discovery = fixtureDiscovery();
    const served = new Map<string, string>();
    for (const r of discovery.core.resources) if (!r.name.includes('/')) served.set(`|${r.kind}`, r.name);
    for (const g of discovery.groups) for (const list of Object.values(g.resources)) for (const r of list.resources) if (!r.name.includes('/')) served.set(`${g.name}|${r.kind}`, r.name);
    let checked = 0;
    for (const row of READ_KINDS) {
      for (const group of row.groups) {
        const plural = served.get(`${group}|${row.kind}`);
        if (plural === undefined) continue;
        expect(`${group}/${row.kind}: ${row.resource}`).toBe(`${group}/${row.kind}: ${plural}`);
        checked++;
      }
    }
    expect(checked).toBe(31);
  });

  it('grants get/list/watch on exactly the table, one rule per group', () => {
    const rules = readRules();
    expect(rules.every((r) => r.verbs.join() === 'get,list,watch')).toBe(true);
    const granted = new Set(rules.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}|${res}`)));
    const wanted = new Set(READ_KINDS.flatMap((k) => k.groups.map((g) => `${g}|${k.resource}`)));
    expect([...granted].sort()).toEqual([...wanted].sort());
    expect(granted.has('|secrets')).toBe(false);
    expect(rules.find((r) => r.apiGroups[0] === '')?.resources).toEqual(['limitranges', 'namespaces', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas', 'serviceaccounts', 'services']);
  });
});
