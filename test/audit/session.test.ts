import { describe, expect, it } from 'vitest';
import { audit, AuditSession } from '../../src/audit/index.js';
import { parseConfig } from '../../src/core/config.js';
import { loadText } from '../../src/core/load.js';
import type { Finding } from '../../src/core/types.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ts, namespace: ml}
spec:
  template:
    metadata: {labels: {app: ts}}
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.12.0-cpu
`;
const service = `# the Service lives in another file
apiVersion: v1
kind: Service
metadata:
  name: ts
  namespace: ml
  annotations:
    palisade.dev/exempt: EXPOSED_MODEL_SERVER
    palisade.dev/exempt-reason: public demo, ticket ML-7
spec:
  type: NodePort
  selector: {app: ts}
  ports:
  - {port: 8080}
  - {port: 8081}
`;
const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated, namespace: ml}
data: {a: b}
`;

const brief = (f: Finding): unknown => [f.checkId, f.location && `${f.location.file}:${f.location.line}:${f.location.column}`, f.suppressed?.by ?? null];

describe('AuditSession', () => {
  it('runs cluster checks across files once at the end and locates their findings in the right file', () => {
    const session = new AuditSession({ now: new Date('2026-06-01') });
    const first = session.addFile(loadText('deploy.yaml', deployment));
    const second = session.addFile(loadText('svc.yaml', service));
    session.addFile(loadText('cm.yaml', configMap));
    // per-file: no cluster check has run yet
    expect(first.findings.some((f) => f.checkId.startsWith('EXPOSED_'))).toBe(false);
    expect(second.findings).toEqual([]);
    const cluster = session.finish();
    expect(cluster.findings.map(brief)).toEqual([
      ['EXPOSED_ADMIN_PORT', 'svc.yaml:15:5', null],
      ['EXPOSED_MODEL_SERVER', 'svc.yaml:14:5', 'annotation'],
      ['NAMESPACE_WITHOUT_DEFAULT_DENY', 'deploy.yaml:3:22', null],
      // settled at the end: a ServiceAccount object in any file could turn the token off
      ['DEFAULT_SERVICE_ACCOUNT', 'deploy.yaml:7:5', null],
    ]);
    expect(cluster.findings[0]!.message).toBe('NodePort Service "ts" publishes the TorchServe management API (port 8081) of Deployment "ts"');
  });

  it('the one-shot audit gives the same findings as a session over one file', () => {
    const text = `${deployment}---\n${service.replace('# the Service lives in another file\n', '')}`;
    const oneShot = audit(loadText('all.yaml', text), { now: new Date('2026-06-01') });
    const session = new AuditSession({ now: new Date('2026-06-01') });
    const viaSession = [...session.addFile(loadText('all.yaml', text)).findings, ...session.finish().findings];
    expect(oneShot.findings).toEqual(viaSession);
    expect(oneShot.findings.filter((f) => f.checkId === 'EXPOSED_ADMIN_PORT').map(brief)).toEqual([['EXPOSED_ADMIN_PORT', 'all.yaml:25:5', null]]);
  });

  it('a field PSS already reports is not reported again by an overlapping check', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: app, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 80}]}]
`;
    const atRestricted = audit(loadText('p.yaml', pod)).findings.filter((f) => /HOST_PORT/.test(f.checkId)).map((f) => f.checkId);
    expect(atRestricted).toEqual(['PSS_BASELINE_HOST_PORTS']);
    const atPrivileged = audit(loadText('p.yaml', pod), { level: 'privileged' }).findings.filter((f) => /HOST_PORT/.test(f.checkId)).map((f) => f.checkId);
    expect(atPrivileged).toEqual(['HOST_PORT']);
  });

  it('config exemptions and disabled checks apply; suppressed findings are kept', () => {
    const config = parseConfig('.palisade.yaml', `checks:
  NAMESPACE_WITHOUT_DEFAULT_DENY: false
exemptions:
- check: EXPOSED_ADMIN_PORT
  match: {namespace: ml, kind: Service}
  reason: firewall in front, ticket NET-3
  expires: "2027-01-01"
`);
    const session = new AuditSession({ config, now: new Date('2026-06-01') });
    session.addFile(loadText('deploy.yaml', deployment));
    session.addFile(loadText('svc.yaml', service));
    expect(session.finish().findings.map((f) => [f.checkId, f.suppressed ?? null])).toEqual([
      ['EXPOSED_ADMIN_PORT', { by: 'config', reason: 'firewall in front, ticket NET-3', expires: '2027-01-01' }],
      ['EXPOSED_MODEL_SERVER', { by: 'annotation', reason: 'public demo, ticket ML-7' }],
      ['DEFAULT_SERVICE_ACCOUNT', null],
    ]);
  });
});

describe('ServiceAccount objects and bindings settle the service-account checks at the end', () => {
  const pod = (name: string, fields: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ml}
spec:
${fields}  containers: [{name: app, image: nginx:1.27}]
`;
  const account = (name: string, automount: string, namespace = 'ml'): string => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: ${namespace}}
${automount}`;
  const binding = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-all, namespace: ml}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: default}]
`;
  const run = (files: Record<string, string>): Array<[string, string, string, string]> => {
    const session = new AuditSession({ now: new Date('2026-06-01') });
    const findings = Object.entries(files).flatMap(([file, text]) => session.addFile(loadText(file, text)).findings);
    findings.push(...session.finish().findings);
    return findings
      .filter((f) => f.checkId === 'DEFAULT_SERVICE_ACCOUNT' || f.checkId === 'SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED')
      .map((f) => [f.checkId, f.resource!.name, f.severity, f.message]);
  };
  const pods = pod('implicit', '') + '---\n' + pod('own', '  serviceAccountName: model\n') + '---\n' + pod('forced', '  serviceAccountName: model\n  automountServiceAccountToken: true\n') + '---\n' + pod('forced-default', '  automountServiceAccountToken: true\n');

  it('without the objects, every pod whose field is unset or true is reported', () => {
    expect(run({ 'pods.yaml': pods })).toEqual([
      ['DEFAULT_SERVICE_ACCOUNT', 'implicit', 'low', 'pod runs as the default service account with its API token mounted'],
      ['SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED', 'own', 'low', 'pod runs as service account "model" with its API token mounted'],
      ['SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED', 'forced', 'low', 'pod runs as service account "model" with its API token mounted'],
      ['DEFAULT_SERVICE_ACCOUNT', 'forced-default', 'low', 'pod runs as the default service account with its API token mounted'],
    ]);
  });

  it('automount false on the ServiceAccount (in another file) silences the pods that leave the field unset; the pod field wins when set', () => {
    const accounts = account('model', 'automountServiceAccountToken: false\n') + '---\n' + account('default', 'automountServiceAccountToken: false\n');
    expect(run({ 'pods.yaml': pods, 'sa.yaml': accounts })).toEqual([
      ['SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED', 'forced', 'low', 'pod runs as service account "model" with its API token mounted'],
      ['DEFAULT_SERVICE_ACCOUNT', 'forced-default', 'low', 'pod runs as the default service account with its API token mounted'],
    ]);
    // the file order does not matter
    expect(run({ 'sa.yaml': accounts, 'pods.yaml': pods })).toEqual(run({ 'pods.yaml': pods, 'sa.yaml': accounts }));
  });

  it('an account of the same name in another namespace, or one that leaves automount unset or true, changes nothing', () => {
    const elsewhere = account('model', 'automountServiceAccountToken: false\n', 'other') + '---\n' + account('default', 'automountServiceAccountToken: true\n') + '---\n' + account('model', '');
    expect(run({ 'pods.yaml': pods, 'sa.yaml': elsewhere })).toEqual(run({ 'pods.yaml': pods }));
  });

  it('the default account named by a RoleBinding is worse: medium, and the binding and role are named', () => {
    expect(run({ 'pods.yaml': pods, 'rbac.yaml': binding }).filter((f) => f[0] === 'DEFAULT_SERVICE_ACCOUNT')).toEqual([
      ['DEFAULT_SERVICE_ACCOUNT', 'implicit', 'medium', 'pod runs as the default service account with its API token mounted, and RoleBinding ml/read-all binds that account to ClusterRole view'],
      ['DEFAULT_SERVICE_ACCOUNT', 'forced-default', 'medium', 'pod runs as the default service account with its API token mounted, and RoleBinding ml/read-all binds that account to ClusterRole view'],
    ]);
    // a bootstrap binding, or one in another namespace, is not the pods' account
    const other = binding.replace('namespace: ml}', 'namespace: other}');
    const bootstrap = binding.replace('namespace: ml}', 'namespace: ml, labels: {kubernetes.io/bootstrapping: rbac-defaults}}');
    expect(run({ 'pods.yaml': pods, 'rbac.yaml': other + '---\n' + bootstrap })).toEqual(run({ 'pods.yaml': pods }));
  });

  it('a ClusterRoleBinding naming ml/default counts too', () => {
    const crb = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: default, namespace: ml}]
`;
    expect(run({ 'pods.yaml': pods, 'rbac.yaml': crb }).filter((f) => f[1] === 'implicit')).toEqual([
      ['DEFAULT_SERVICE_ACCOUNT', 'implicit', 'medium', 'pod runs as the default service account with its API token mounted, and ClusterRoleBinding admin-default binds that account to ClusterRole cluster-admin'],
    ]);
  });
});

describe('AuditSession memory', () => {
  it('keeps no YAML tree and no Resource after a file: only plain objects, summaries and texts', async () => {
    const { Document, isNode } = await import('yaml');
    const { Resource } = await import('../../src/core/load.js');
    const session = new AuditSession();
    session.addFile(loadText('deploy.yaml', deployment));
    session.addFile(loadText('svc.yaml', service));
    session.addFile(loadText('cm.yaml', configMap));
    const inventory = (session as unknown as { inventory: { inventory: unknown; texts: Map<string, string> } }).inventory;
    const offenders: string[] = [];
    const seen = new Set<unknown>();
    const walk = (value: unknown, path: string): void => {
      if (value === null || typeof value !== 'object' || seen.has(value)) return;
      seen.add(value);
      if (value instanceof Document || value instanceof Resource || isNode(value)) offenders.push(path);
      for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`);
    };
    walk(inventory.inventory, '');
    expect(offenders).toEqual([]);
    // texts only for files that hold something cluster checks read (not the ConfigMap's)
    expect([...inventory.texts.keys()]).toEqual(['deploy.yaml', 'svc.yaml']);
  });

  it('with readText it keeps no text at all and reads just the files concerned at the end', () => {
    const files: Record<string, string> = { 'deploy.yaml': deployment, 'svc.yaml': service, 'cm.yaml': configMap };
    const read: string[] = [];
    const session = new AuditSession({ now: new Date('2026-06-01'), readText: (file) => (read.push(file), files[file]) });
    for (const [file, text] of Object.entries(files)) session.addFile(loadText(file, text));
    expect((session as unknown as { inventory: { texts: Map<string, string> } }).inventory.texts.size).toBe(0);
    expect(session.finish().findings.map(brief)).toEqual([
      ['EXPOSED_ADMIN_PORT', 'svc.yaml:15:5', null],
      ['EXPOSED_MODEL_SERVER', 'svc.yaml:14:5', 'annotation'],
      ['NAMESPACE_WITHOUT_DEFAULT_DENY', 'deploy.yaml:3:22', null],
      // settled at the end: a ServiceAccount object in any file could turn the token off
      ['DEFAULT_SERVICE_ACCOUNT', 'deploy.yaml:7:5', null],
    ]);
    expect(read.sort()).toEqual(['deploy.yaml', 'svc.yaml']);
  });
});
