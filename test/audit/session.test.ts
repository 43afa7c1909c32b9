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
    ]);
    expect(read.sort()).toEqual(['deploy.yaml', 'svc.yaml']);
  });
});
