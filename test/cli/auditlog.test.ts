import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { ROOT, SHARED } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-auditlog-'));
const ev = (id: string, fields: Record<string, unknown>) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage: 'ResponseComplete', user: { username: 'alice' }, responseStatus: { code: 200 }, stageTimestamp: '2026-12-06T10:00:00.123456789Z', ...fields });
const EXEC = ev('exec-1', { stage: 'ResponseStarted', verb: 'create', requestURI: '/api/v1/namespaces/ml/pods/iris-predictor-abc/exec?command=sh', objectRef: { resource: 'pods', namespace: 'ml', name: 'iris-predictor-abc', subresource: 'exec' }, responseStatus: { code: 101 } });
const BIND = ev('bind-1', { level: 'Request', verb: 'create', objectRef: { resource: 'clusterrolebindings', name: 'oops' }, responseStatus: { code: 201 }, requestObject: { roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }] } });
const LOG = join(dir, 'audit.log');
writeFileSync(LOG, [JSON.stringify(EXEC), 'not json', JSON.stringify({ ...EXEC, stage: 'ResponseComplete' }), JSON.stringify(BIND)].join('\n') + '\n');

describe('palisade audit-log', () => {
  it('reports Falco and ML rules in JSON with rule, priority, output, auditID, and unreadable lines under errors', () => {
    const run = palisade(['audit-log', LOG, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.events).toBe(3);
    expect(report.errors.map((e: { code: string; location: unknown }) => [e.code, e.location])).toEqual([['AUDITLOG_BAD_LINE', { file: LOG, line: 2, column: 1 }]]);
    const alerts = report.findings.filter((f: { rule?: string }) => f.rule).map((f: Record<string, unknown>) => [f.checkId, f.rule, f.priority, f.severity, f.auditID, (f.location as { line: number }).line]);
    // In the order of the log; the exec's ResponseComplete stage (line 3) repeats its auditID and alerts nothing.
    expect(alerts).toEqual([
      ['FALCO_ATTACH_EXEC_POD', 'Attach/Exec Pod', 'Notice', 'low', 'exec-1', 1],
      ['AUDITLOG_EXEC_INTO_ML_WORKLOAD', 'Exec Into ML Workload', 'Error', 'high', 'exec-1', 1],
      ['FALCO_ATTACH_TO_CLUSTER_ADMIN_ROLE', 'Attach to cluster-admin Role', 'Warning', 'medium', 'bind-1', 4],
      ['FALCO_K8S_CLUSTERROLEBINDING_CREATED', 'K8s ClusterRoleBinding Created', 'Informational', 'info', 'bind-1', 4],
      ['AUDITLOG_POWERFUL_ROLE_BINDING', 'Binding To Powerful Role', 'Critical', 'critical', 'bind-1', 4],
    ]);
    const exec = report.findings.find((f: { rule?: string }) => f.rule === 'Exec Into ML Workload');
    expect(exec.output).toBe('Exec into ML workload (user=alice pod=iris-predictor-abc ns=ml action=exec container=<NA> command=sh verb=create)');
    expect(exec.frameworks).toEqual({ 'mitre-attack': ['T1609'], 'mitre-atlas': ['AML.T0050', 'AML.T0044'] });
  });

  it("prints Falco's JSON alerts with --format falco", () => {
    const run = palisade(['audit-log', LOG, '--format', 'falco', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.rule)).toEqual(['Attach/Exec Pod', 'Exec Into ML Workload', 'Attach to cluster-admin Role', 'K8s ClusterRoleBinding Created', 'Binding To Powerful Role']);
    expect(Object.keys(lines[0]).sort()).toEqual(['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
    expect(lines[0]).toMatchObject({ priority: 'Notice', source: 'k8s_audit', time: '2026-12-06T10:00:00.123456789Z', output: '10:00:00.123456789: Notice Attach/Exec to pod (user=alice pod=iris-predictor-abc resource=pods ns=ml action=exec command=sh)', output_fields: { 'ka.user.name': 'alice', 'ka.uri.param[command]': 'sh' } });
    expect(run.stderr).toContain(`${LOG}:2:1: not JSON`);
  });

  it('loads --rules files after the defaults (override and append as falco -r), or alone with --no-default-rules', () => {
    const rules = join(dir, 'mine.yaml');
    writeFileSync(rules, '- macro: palisade_known_ml_exec\n  condition: ka.user.name = alice\n  override:\n    condition: replace\n- rule: Bound to admin\n  desc: any binding\n  condition: ka.target.resource = clusterrolebindings and ka.verb = create\n  output: "binding %ka.target.name by %ka.user.name"\n  priority: ERROR\n  source: k8s_audit\n');
    const run = palisade(['audit-log', LOG, '--rules', rules, '--format', 'json', '--fail-on', 'none']);
    const rulesFired = JSON.parse(run.stdout).findings.filter((f: { rule?: string }) => f.rule).map((f: { rule: string; checkId: string }) => `${f.checkId} ${f.rule}`);
    expect(rulesFired).not.toContain('AUDITLOG_EXEC_INTO_ML_WORKLOAD Exec Into ML Workload');
    expect(rulesFired).toContain('FALCO_BOUND_TO_ADMIN Bound to admin');
    const only = palisade(['audit-log', LOG, '--rules', rules, '--no-default-rules', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(only.stdout);
    expect(report.rules).toEqual({ loaded: 1, enabled: 1 });
    // Without the defaults, replacing a macro just defines it (as in Falco); only the bad log line is an error.
    expect(report.errors.map((e: { code: string; location: { line: number } }) => `${e.code} ${e.location.line}`)).toEqual(['AUDITLOG_BAD_LINE 2']);
    expect(report.findings.filter((f: { rule?: string }) => f.rule).map((f: { output: string }) => f.output)).toEqual(['binding oops by alice']);
    expect(only.status).toBe(0);
  });

  it('streams stdin: each alert is printed when its line arrives', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'audit-log', '-', '--format', 'falco'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.setEncoding('utf8');
    const firstAlert = new Promise<string>((resolve) =>
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out);
      }),
    );
    child.stdin.write(JSON.stringify(EXEC) + '\n');
    // The input stays open: the alert must come out before the end of the stream.
    const got = await firstAlert;
    expect(JSON.parse(got.split('\n')[0] as string).rule).toBe('Attach/Exec Pod');
    child.stdin.end(JSON.stringify(BIND) + '\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(out.trim().split('\n').map((l) => JSON.parse(l).rule)).toEqual(['Attach/Exec Pod', 'Exec Into ML Workload', 'Attach to cluster-admin Role', 'K8s ClusterRoleBinding Created', 'Binding To Powerful Role']);
  });

  it('exits 2 when nothing could be read, and lists the rules', () => {
    expect(palisade(['audit-log', join(dir, 'missing.log')]).status).toBe(2);
    const rules = palisade(['audit-log', 'rules']);
    expect(rules.status).toBe(0);
    expect(rules.stdout).toMatch(/^off  Warning\s+FALCO_DISALLOWED_K8S_USER\s+Disallowed K8s User {2}\(<bundled>\/k8s_audit_rules.yaml:\d+\)$/m);
    expect(palisade(['audit-log', 'rules', '--print']).stdout).toContain('- rule: Exec Into ML Workload');
  });

  it('reads the Falco trace files of the corpus, with their malformed lines', () => {
    const file = join(SHARED, 'corpus/audit-events/falcosecurity__falco/create_nginx_pod_privileged.json');
    const run = palisade(['audit-log', file, '--format', 'json', '--fail-on', 'none']);
    expect(JSON.parse(run.stdout).findings.map((f: { rule?: string }) => f.rule)).toContain('Create Privileged Pod');
  });
});

describe('palisade audit-log serve', () => {
  const certDir = mkdtempSync(join(tmpdir(), 'palisade-tls-'));
  const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
  let child: ReturnType<typeof spawn> | undefined;
  let port = 0;
  let out = '';

  beforeAll(async () => {
    if (!haveOpenssl) return;
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')]);
    expect(made.status).toBe(0);
    child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'audit-log', 'serve', '--listen', '127.0.0.1:0', '--tls-cert', join(certDir, 'cert.pem'), '--tls-key', join(certDir, 'key.pem')]);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => (out += d));
    port = await new Promise<number>((resolve, reject) => {
      let err = '';
      child?.stderr?.setEncoding('utf8');
      child?.stderr?.on('data', (d: string) => {
        err += d;
        const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child?.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  const post = (body: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/audit', ca: readFileSync(join(certDir, 'cert.pem')), headers: { 'content-type': 'application/json' } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it.skipIf(!haveOpenssl)('answers 200 to an EventList over HTTPS after writing its alerts; a re-delivered batch alerts once', async () => {
    const batch = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [EXEC, BIND] });
    const first = await post(batch);
    expect(first.status).toBe(200);
    // Written before the answer: the alerts are already on stdout.
    await new Promise((r) => setTimeout(r, 50));
    const rules = out.trim().split('\n').map((l) => JSON.parse(l).rule);
    expect(rules).toEqual(['Attach/Exec Pod', 'Exec Into ML Workload', 'Attach to cluster-admin Role', 'K8s ClusterRoleBinding Created', 'Binding To Powerful Role']);
    expect((await post(batch)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(out.trim().split('\n')).toHaveLength(5);
    expect((await post('{"kind":"Pod"}')).status).toBe(400);
    expect((await post('{oops')).status).toBe(400);
  });
});
