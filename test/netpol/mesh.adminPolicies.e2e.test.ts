import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** `palisade netpol matrix/explain` (built CLI) on an AdminNetworkPolicy beside Calico and Istio objects. */
const repo = fileURLToPath(new URL('../../', import.meta.url));

function palisade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const INPUT = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-all}
spec:
  selector: all()
  types: [Ingress]
  ingress:
  - action: Allow
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-web}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}
  ingress:
  - name: from-web
    action: Deny
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]
`;

beforeAll(() => {
  expect(existsSync(join(repo, 'dist/cli/main.js')), 'build the CLI first: npm run build').toBe(true);
});

describe('palisade netpol on AdminNetworkPolicy with Calico', () => {
  it('matrix leaves out what the ANP denies; explain names the ANP rule with file:line:column and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-anp-'));
    const file = join(dir, 'in.yaml');
    writeFileSync(file, INPUT);
    const matrix = palisade('netpol', 'matrix', file, '--format', 'json');
    expect(matrix.code).toBe(0);
    const pairs = (JSON.parse(matrix.stdout) as { connections: { src: string; dst: string }[] }).connections.filter((c) => !c.src.startsWith('ip:') && !c.dst.startsWith('ip:')).map((c) => `${c.src} -> ${c.dst}`);
    expect(pairs).toEqual(['a/db -> a/web']);
    const explain = palisade('netpol', 'explain', file, '--from', 'a/web', '--to', 'a/db', '--port', '80/TCP');
    expect(explain.code).toBe(1);
    const line = INPUT.split('\n').findIndex((l) => l.includes('- name: from-web')) + 1;
    expect(explain.stdout).toContain(`  Calico + Kubernetes NetworkPolicy + AdminNetworkPolicy, ingress of a/db: allows nothing\n    Deny: AdminNetworkPolicy deny-web ingress[0] at ${file}:${line}:5 (protocol TCP ports 80)`);
  });
});
