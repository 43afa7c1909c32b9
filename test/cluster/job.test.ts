import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/session.js';
import { jobRules, jobYaml, shardOf } from '../../src/cluster/job.js';
import { READ_KINDS, readRules } from '../../src/cluster/index.js';
import { loadText } from '../../src/core/load.js';
import { SEVERITY_RANK } from '../../src/core/types.js';
import { palisade } from '../helpers/cli.js';
import { policyReportSchema } from '../report/policyReportSchema.js';
import { startFakeApiServer, type FakeApi } from './fakeApiServer.js';
import { palisadeAsync, writeKubeconfig } from './helpers.js';

/** The in-cluster job: its manifests, its RBAC (enough, and no more), PolicyReport write-back, shards. */

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
const OPTIONS = { namespace: 'palisade', image: 'ghcr.io/palisade-dev/palisade@sha256:' + 'a'.repeat(64), schedule: '17 */6 * * *', shards: 1 };
const validate = new Ajv({ allErrors: true }).compile(policyReportSchema);

describe('palisade install --print --job', () => {
  it('prints a read-only ServiceAccount, its ClusterRole and binding, a CronJob and its NetworkPolicy', () => {
    const docs = parseAllDocuments(jobYaml(OPTIONS)).map((d) => d.toJS() as Obj);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Namespace/palisade', 'ServiceAccount/palisade-audit', 'ClusterRole/palisade-audit', 'ClusterRoleBinding/palisade-audit', 'CronJob/palisade-audit', 'NetworkPolicy/default-deny', 'NetworkPolicy/palisade-audit']);
    const role = docs.find((d) => d.kind === 'ClusterRole') as unknown as { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> };
    // Reads exactly the reader's table; the only write is create/patch on the two report kinds.
    expect(role.rules).toEqual([...readRules(), { apiGroups: ['wgpolicyk8s.io'], resources: ['clusterpolicyreports', 'policyreports'], verbs: ['create', 'patch'] }]);
    expect(role.rules.filter((r) => r.verbs.some((v) => !['get', 'list', 'watch'].includes(v))).flatMap((r) => r.resources)).toEqual(['clusterpolicyreports', 'policyreports']);
    expect(role.rules.flatMap((r) => r.resources)).not.toContain('secrets');
    const cron = docs.find((d) => d.kind === 'CronJob') as unknown as { spec: { schedule: string; jobTemplate: { spec: Record<string, unknown> & { template: { spec: { containers: Array<{ args: string[] }> } } } } } };
    expect(cron.spec.schedule).toBe('17 */6 * * *');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0]?.args).toEqual(['audit', '--cluster', '--write-policy-reports', '--fail-on', 'none', '--quiet']);
    expect(cron.spec.jobTemplate.spec.completionMode).toBeUndefined();
  });

  it('with --shard-by namespace, an Indexed Job whose pods each take a share of the namespaces', () => {
    const docs = parseAllDocuments(jobYaml({ ...OPTIONS, shards: 4, shardBy: 'namespace' })).map((d) => d.toJS() as Obj);
    const cron = docs.find((d) => d.kind === 'CronJob') as unknown as { spec: { jobTemplate: { spec: Record<string, unknown> & { template: { spec: { containers: Array<{ args: string[] }> } } } } } };
    expect(cron.spec.jobTemplate.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0]?.args.slice(-4)).toEqual(['--shard-by', 'namespace', '--shards', '4']);
    // The shard function is stable and spreads names.
    const names = Array.from({ length: 400 }, (_, i) => `team-${i}`);
    const counts = [0, 1, 2, 3].map((s) => names.filter((n) => shardOf(n, 4) === s).length);
    expect(counts.every((c) => c > 70 && c < 130)).toBe(true);
    expect(shardOf('ml-serving', 4)).toBe(shardOf('ml-serving', 4));
  });

  it('passes palisade audit with nothing at medium or above', () => {
    const session = new AuditSession({ now: new Date('2026-12-06T00:00:00Z') });
    const text = jobYaml({ ...OPTIONS, shards: 3, shardBy: 'namespace' });
    const findings = [...session.addFile(loadText('job.yaml', text)).findings, ...session.finish().findings];
    expect(findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium).map((f) => `${f.checkId} ${f.resource?.kind}/${f.resource?.name}`)).toEqual([]);
  });

  it('is what the CLI prints, and refuses --shard-by without --job', () => {
    const run = palisade(['install', '--print', '--job', '--image', OPTIONS.image, '--namespace', 'palisade']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(jobYaml(OPTIONS));
    expect(palisade(['install', '--print', '--shard-by', 'namespace']).status).toBe(2);
  });
});

/** A fake API server that allows exactly the job's ClusterRole: anything else answers 403. */
const onlyJobRules = (verb: string, group: string, resource: string): boolean => jobRules().some((r) => (r.apiGroups as string[]).includes(group) && (r.resources as string[]).includes(resource) && (r.verbs as string[]).includes(verb));

describe('audit --cluster --write-policy-reports, with the job\'s permissions only', () => {
  let api: FakeApi;
  let kubeconfig: string;
  beforeAll(async () => {
    api = await startFakeApiServer({ allow: onlyJobRules, validateWrites: (o) => (validate(o) ? undefined : JSON.stringify(validate.errors)) });
    kubeconfig = writeKubeconfig(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('reads everything it needs (no 403) and creates a PolicyReport per namespace and one ClusterPolicyReport', async () => {
    const run = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '--write-policy-reports', '--fail-on', 'none', '-f', 'json']);
    expect(run.stderr).toBe(`palisade: note: wrote 3 policy report(s) to ${api.url}\n`);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: Array<{ checkId: string; resource?: { namespace?: string } }>; cluster: { forbidden: unknown[] } };
    expect(report.cluster.forbidden).toEqual([]);
    expect(api.writes).toEqual([
      'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/ml-serving/policyreports PolicyReport ml-serving/palisade',
      'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b/policyreports PolicyReport team-b/palisade',
      'POST /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports ClusterPolicyReport /palisade',
    ]);
    const written = api.written.get('PolicyReport team-b/palisade') as { results: Array<{ policy: string; result: string }>; summary: { fail: number } };
    const teamB = report.findings.filter((f) => f.resource?.namespace === 'team-b');
    expect(written.summary.fail).toBe(teamB.length);
    expect(written.results.map((r) => r.policy).sort()).toEqual(teamB.map((f) => f.checkId).sort());
  });

  it('patches the reports on the next run (create answers 409), replacing the results', async () => {
    api.writes.length = 0;
    const run = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '--write-policy-reports', '--fail-on', 'none', '-q']);
    expect(run.status).toBe(0);
    expect(api.writes.filter((w) => w.startsWith('PATCH'))).toEqual([
      'PATCH /apis/wgpolicyk8s.io/v1alpha2/namespaces/ml-serving/policyreports/palisade PolicyReport ml-serving/palisade',
      'PATCH /apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b/policyreports/palisade PolicyReport team-b/palisade',
      'PATCH /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/palisade ClusterPolicyReport /palisade',
    ]);
    for (const stored of api.written.values()) expect(validate(stored), JSON.stringify(validate.errors)).toBe(true);
  });

  it('splits the namespaces among shards: each written once, the cluster report by shard 0', async () => {
    api.writes.length = 0;
    const writtenBy: string[][] = [];
    for (const index of [0, 1]) {
      const before = api.writes.length;
      const run = await palisadeAsync(['audit', '--cluster', '--kubeconfig', kubeconfig, '--write-policy-reports', '--fail-on', 'none', '-q', '--shard-by', 'namespace', '--shards', '2'], { JOB_COMPLETION_INDEX: String(index) });
      expect(run.status).toBe(0);
      // The reports exist by now: each is a POST answered 409, then a PATCH.
      expect(api.writes.slice(before).filter((w) => w.startsWith('POST')).length).toBe(api.writes.slice(before).filter((w) => w.startsWith('PATCH')).length);
      writtenBy.push(api.writes.slice(before).filter((w) => w.startsWith('PATCH')).map((w) => w.split(' ').slice(2).join(' ')).sort());
    }
    const expected = (index: number): string[] => [...['ml-serving', 'team-b'].filter((ns) => shardOf(ns, 2) === index).map((ns) => `PolicyReport ${ns}/palisade`), ...(index === 0 ? ['ClusterPolicyReport /palisade'] : [])].sort();
    expect(writtenBy).toEqual([expected(0), expected(1)]);
  });
});

describe('the read table', () => {
  it('reads Pods, the workloads table, and the context kinds the brief names', () => {
    const kinds = new Set(READ_KINDS.map((k) => k.kind));
    for (const kind of ['Pod', 'Deployment', 'InferenceService', 'RayCluster', 'Namespace', 'Service', 'Ingress', 'NetworkPolicy', 'AdminNetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ResourceQuota', 'LimitRange']) expect(kinds.has(kind), kind).toBe(true);
  });
});
