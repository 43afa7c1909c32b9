import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureObjects, startFakeApiServer, type FakeApi } from './fakeApiServer.js';
import { palisadeAsync, writeKubeconfig } from './helpers.js';
import { palisade } from '../helpers/cli.js';

/** `palisade audit --cluster` (and pss) against the fake API server, as a user types it. */

interface Finding {
  checkId: string;
  severity: string;
  message: string;
  container?: string;
  path?: string;
  resource?: { apiVersion: string; kind: string; namespace?: string; name: string };
  location?: { file: string; line: number; column: number };
  managedBy?: { tool: string; kind?: string; name?: string; namespace?: string };
  remediation?: string;
}
interface Report {
  inputs: string[];
  results?: Array<{ resource: { kind: string; namespace?: string; name: string }; podSpecPath: string; level: string; allowed: boolean; violations: unknown[] }>;
  findings: Finding[];
  cluster?: { server: string; forbidden: unknown[] };
}

const EXAMPLES = 'examples/ml-serving-insecure';
/** The objects built from the example manifests (and the ReplicaSets and Pods their controllers made). */
const fromExamples = (o: Record<string, unknown>): boolean => {
  const m = o.metadata as { name: string; namespace?: string };
  return (m.namespace === 'ml-serving' && !m.name.startsWith('llm-predictor')) || (o.kind === 'Namespace' && m.name === 'ml-serving');
};
const key = (f: Finding): string => JSON.stringify([f.checkId, f.severity, f.resource, f.container ?? null, f.path ?? null, f.message]);

describe('audit --cluster: the same objects from files give the same findings', () => {
  let api: FakeApi;
  let kubeconfig: string;
  beforeAll(async () => {
    api = await startFakeApiServer({ objects: fixtureObjects().filter(fromExamples) });
    kubeconfig = writeKubeconfig(api);
  });
  afterAll(async () => {
    await api.close();
  });

  let live: Awaited<ReturnType<typeof palisadeAsync>>;
  it('finds on the live objects exactly what it finds in the manifests, modulo location', async () => {
    const files = palisade(['audit', EXAMPLES, '-f', 'json', '--fail-on', 'none']);
    live = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none']);
    expect(live.stderr).toBe('');
    expect(live.status).toBe(0);
    const fileReport = JSON.parse(files.stdout) as Report;
    const liveReport = JSON.parse(live.stdout) as Report;
    // The Dockerfile beside the manifests is not in a cluster.
    const fileKeys = fileReport.findings.filter((f) => f.resource).map(key).sort();
    const liveKeys = liveReport.findings.map(key).sort();
    expect(fileKeys.length).toBeGreaterThan(50);
    expect(liveKeys).toEqual(fileKeys);
    expect(liveReport.inputs).toEqual([api.url]);
    // No Pod or ReplicaSet is reported: each finding is on the object people wrote.
    expect(liveReport.findings.filter((f) => ['Pod', 'ReplicaSet'].includes(f.resource?.kind ?? ''))).toEqual([]);
    // And the PSS verdicts are the manifests' ones, pod spec by pod spec.
    const verdicts = (r: Report): string[] => (r.results ?? []).map((v) => JSON.stringify([v.resource, v.podSpecPath, v.level, v.allowed, v.violations])).sort();
    expect(verdicts(liveReport).length).toBe(7);
    expect(verdicts(liveReport)).toEqual(verdicts(fileReport));
  });

  it('locates each finding in the object by its URL, line:column of the JSON text, and JSON pointer', async () => {
    const report = JSON.parse(live.stdout) as Report;
    const finding = report.findings.find((f) => f.checkId === 'PSS_BASELINE_PRIVILEGED' && f.resource?.name === 'batch-inference');
    expect(finding?.path).toBe('/spec/workerGroupSpecs/0/template/spec/containers/0/securityContext/privileged');
    expect(finding?.location?.file).toBe(`${api.url}/apis/ray.io/v1/namespaces/ml-serving/rayclusters/batch-inference`);
    // The text report shows the line: it is the field itself.
    const text = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '--fail-on', 'none', '--no-color']);
    expect(text.stdout).toContain(`${api.url}/apis/ray.io/v1/namespaces/ml-serving/rayclusters/batch-inference:${finding?.location?.line}:${finding?.location?.column}`);
    expect(text.stdout).toContain('"privileged": true');
  });
});

describe('audit --cluster: owners, GitOps sources, refusals', () => {
  let api: FakeApi;
  let kubeconfig: string;
  let live: Awaited<ReturnType<typeof palisadeAsync>>;
  let report: Report;
  beforeAll(async () => {
    api = await startFakeApiServer({ forbid: [{ verb: 'list', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }] });
    kubeconfig = writeKubeconfig(api);
    live = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json']);
    report = JSON.parse(live.stdout) as Report;
  });
  afterAll(async () => {
    await api.close();
  });

  it('reports a pod that differs from its template (kubectl debug) on the pod, and the rest once on the Deployment', () => {
    const onPods = report.findings.filter((f) => f.resource?.kind === 'Pod' && f.resource.namespace === 'ml-serving');
    expect(onPods.map((f) => `${f.resource?.name} ${f.container} ${f.checkId} ${f.path}`).sort()).toEqual([
      'llm-predictor-7d9c6b8f5-x2k9q debugger-8xk2q IMAGE_NOT_PINNED_BY_DIGEST /spec/ephemeralContainers/0/image',
      'llm-predictor-7d9c6b8f5-x2k9q debugger-8xk2q PSS_RESTRICTED_ALLOW_PRIVILEGE_ESCALATION /spec/ephemeralContainers/0',
      'llm-predictor-7d9c6b8f5-x2k9q debugger-8xk2q PSS_RESTRICTED_CAPABILITIES /spec/ephemeralContainers/0',
      'llm-predictor-7d9c6b8f5-x2k9q debugger-8xk2q PSS_RESTRICTED_RUN_AS_NON_ROOT /spec/ephemeralContainers/0',
    ]);
    expect(report.findings.filter((f) => f.resource?.name === 'llm-predictor').map((f) => f.checkId).sort()).toEqual(['DEFAULT_SERVICE_ACCOUNT', 'EPHEMERAL_STORAGE_UNBOUNDED', 'IMAGE_NOT_PINNED_BY_DIGEST', 'PROBES_MISSING', 'READ_ONLY_ROOT_FILESYSTEM']);
    // PSS verdicts: of the Pods and ReplicaSets, only the pod that differs from its template shows.
    expect((report.results ?? []).filter((r) => ['Pod', 'ReplicaSet'].includes(r.resource.kind)).map((r) => r.resource.name)).toEqual(['llm-predictor-7d9c6b8f5-x2k9q', 'debug-shell']);
    // The bare pod of team-b has no owner: it is reported as itself.
    expect(report.findings.some((f) => f.resource?.name === 'debug-shell' && f.checkId === 'PSS_BASELINE_PRIVILEGED')).toBe(true);
  });

  it('says where each object is managed from, and what to edit', () => {
    const by = (name: string): Finding => report.findings.find((f) => f.resource?.name === name)!;
    expect(by('gateway').managedBy).toEqual({ tool: 'argocd', kind: 'Application', name: 'ml-serving-stack', evidence: 'annotation argocd.argoproj.io/tracking-id' });
    expect(by('gateway').remediation).toMatch(/Managed by Argo CD Application ml-serving-stack: fix it in that Application's source repository; an edit in the cluster is reverted at the next sync\.$/);
    expect(by('tf-serving').managedBy).toEqual({ tool: 'flux', kind: 'Kustomization', name: 'ml-serving', namespace: 'flux-system', evidence: 'label kustomize.toolkit.fluxcd.io/name' });
    expect(by('redis').managedBy).toEqual({ tool: 'helm', kind: 'release', name: 'redis', namespace: 'ml-serving', evidence: 'annotation meta.helm.sh/release-name' });
    expect(by('fraud-sklearn').managedBy?.tool).toBe('kubectl');
    // The debugged pod's findings point at the Deployment's source too (the pod itself has none).
    expect(by('llm-predictor-7d9c6b8f5-x2k9q').managedBy?.tool).toBe('kubectl');
    expect(by('debug-shell').managedBy).toBeUndefined();
  });

  it('reports the refused kind as an input error, audits the rest, and exits 2 only with --strict', async () => {
    const refused = report.findings.filter((f) => f.checkId === 'CLUSTER_FORBIDDEN');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toContain('cannot list rolebindings.rbac.authorization.k8s.io at the cluster scope: missing permission (verb "list", group "rbac.authorization.k8s.io", resource "rolebindings")');
    expect(report.cluster?.forbidden).toEqual([{ verb: 'list', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }]);
    expect(live.status).toBe(1);
    const strict = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '-q', '--strict']);
    expect(strict.status).toBe(2);
  });

  it('reads one namespace with -n, and pss works on the live cluster too', async () => {
    const live = await palisadeAsync(['pss', '--cluster', '--kubeconfig', kubeconfig, '-n', 'team-b', '-f', 'json', '--fail-on', 'none']);
    expect(live.status).toBe(0);
    const report = JSON.parse(live.stdout) as Report & { results: Array<{ resource: { name: string }; level: string; allowed: boolean }> };
    // team-b enforces baseline by its label: the privileged bare pod is denied at that level.
    expect(report.results.map((r) => `${r.resource.name} ${r.level} ${r.allowed}`)).toEqual(['debug-shell baseline false']);
  });

  it('refuses paths with --cluster, and cluster flags without it (exit 2)', () => {
    expect(palisade(['audit', EXAMPLES, '--cluster']).status).toBe(2);
    const noCluster = palisade(['audit', EXAMPLES, '--context', 'x']);
    expect(noCluster.status).toBe(2);
    expect(noCluster.stderr).toBe('palisade: --context needs --cluster\n');
    const nothing = palisade(['audit']);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('missing paths');
  });

  it('exits 2 with a clear message when the cluster cannot be reached', async () => {
    const run = await palisadeAsync(['audit', '--cluster', '--kubeconfig', writeKubeconfig(api, { token: 'expired' })]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`the API server at ${api.url} refused the credentials of kubeconfig`);
  });
});
