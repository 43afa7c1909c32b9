import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { ROOT } from '../helpers/shared.js';

/** `palisade harden` as a user types it, against the built CLI. */
const pod = `# the web pod
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app   # keep me
    image: busybox
`;

const hardenedPod = `# the web pod
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app   # keep me
    image: busybox
    securityContext:
      capabilities:
        drop:
        - ALL
      allowPrivilegeEscalation: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
    runAsGroup: 65532
    fsGroup: 65532
    seccompProfile:
      type: RuntimeDefault
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-harden-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('palisade harden', () => {
  it('prints a unified diff by default and leaves the file alone', () => {
    const dir = workspace({ 'pod.yaml': pod });
    const run = palisade(['harden', 'pod.yaml'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`--- a/pod.yaml
+++ b/pod.yaml
@@ -6,3 +6,15 @@
   containers:
   - name: app   # keep me
     image: busybox
+    securityContext:
+      capabilities:
+        drop:
+        - ALL
+      allowPrivilegeEscalation: false
+  securityContext:
+    runAsNonRoot: true
+    runAsUser: 65532
+    runAsGroup: 65532
+    fsGroup: 65532
+    seccompProfile:
+      type: RuntimeDefault
`);
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(pod);
  });

  it('reads stdin and writes hardened YAML to stdout, for pipelines', () => {
    const run = palisade(['harden', '-'], { input: pod });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(hardenedPod);
    expect(palisade(['harden', '-'], { input: run.stdout }).stdout).toBe(hardenedPod);
  });

  it('--write replaces the file atomically; a second run has nothing to do', () => {
    const dir = workspace({ 'pod.yaml': pod });
    const run = palisade(['harden', '--write', 'pod.yaml'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('palisade: wrote pod.yaml\n');
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(hardenedPod);
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
    const again = palisade(['harden', 'pod.yaml'], { cwd: dir });
    expect(again.stdout).toBe('');
  });

  it('-o DIR writes hardened copies and never the inputs', () => {
    const dir = workspace({ 'k8s/pod.yaml': pod, 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
    const run = palisade(['harden', 'k8s', '-o', 'out'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'out/k8s/pod.yaml'), 'utf8')).toBe(hardenedPod);
    expect(readFileSync(join(dir, 'out/k8s/cm.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    expect(readFileSync(join(dir, 'k8s/pod.yaml'), 'utf8')).toBe(pod);
    expect(palisade(['harden', 'k8s', '-o', '.'], { cwd: dir }).status).toBe(2);
    expect(readFileSync(join(dir, 'k8s/pod.yaml'), 'utf8')).toBe(pod);
  });

  it('--format json reports changes and blockers per pod spec with file:line, and exits 1 on blockers', () => {
    const dir = workspace({ 'gw.yaml': readFileSync(join(ROOT, 'examples/ml-serving-insecure/gateway.yaml'), 'utf8') });
    const run = palisade(['harden', 'gw.yaml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { level: string; files: unknown[]; results: Array<{ podSpecPath: string; location: unknown; blockers: Array<{ check: string; location: unknown }>; changes: Array<{ pointer: string; value: unknown; location: unknown }> }>; findings: Array<{ checkId: string; location: unknown }> };
    expect(report.level).toBe('restricted');
    expect(report.files).toEqual([{ path: 'gw.yaml', changed: true, changes: 8 }]);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]!.location).toEqual({ file: 'gw.yaml', line: 15, column: 5 });
    expect(report.results[0]!.blockers.map((b) => [b.check, b.location])).toEqual([['hostPorts', { file: 'gw.yaml', line: 21, column: 11 }]]);
    expect(report.results[0]!.changes.slice(0, 2)).toEqual([
      { pointer: '/spec/template/spec/containers/0/securityContext/capabilities/add', value: ['NET_BIND_SERVICE'], check: 'capabilities_restricted', reason: 'keeps NET_BIND_SERVICE: container "nginx" listens below 1024', location: { file: 'gw.yaml', line: 17, column: 9 } },
      { pointer: '/spec/template/spec/containers/0/securityContext/capabilities/drop', value: ['ALL'], check: 'capabilities_restricted', reason: 'restricted requires dropping ALL capabilities on container "nginx"', location: { file: 'gw.yaml', line: 17, column: 9 } },
    ]);
    expect(report.findings.map((f) => [f.checkId, f.location])).toEqual([['HARDEN_NEEDS_HUMAN', { file: 'gw.yaml', line: 21, column: 11 }]]);
    expect(palisade(['harden', 'gw.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: dir }).status).toBe(0);
  });

  it('uses the final USER of a Dockerfile in the input, and --uid otherwise', () => {
    const dir = workspace({ 'fraud-api/Dockerfile': 'FROM python:3.12\nUSER 1001\n', 'fraud-api/deploy.yaml': pod.replace('busybox', 'ghcr.io/acme/fraud-api:1.2') });
    const run = palisade(['harden', 'fraud-api', '--format', 'yaml'], { cwd: dir });
    expect(run.stdout).toContain('  securityContext:\n    runAsNonRoot: true\n    seccompProfile:');
    expect(run.stdout).not.toContain('runAsUser');
    const other = palisade(['harden', '-', '--uid', '4242'], { input: pod });
    expect(other.stdout).toContain('    runAsUser: 4242\n    runAsGroup: 4242\n    fsGroup: 4242\n');
  });

  it('--level baseline fixes only what baseline forbids', () => {
    const privileged = pod.replace('    image: busybox\n', '    image: busybox\n    securityContext: {privileged: true}\n');
    const run = palisade(['harden', '-', '--level', 'baseline'], { input: privileged });
    expect(run.stdout).toBe(privileged.replace('{privileged: true}', '{privileged: false}'));
  });

  it('refuses bad usage with exit 2', () => {
    expect(palisade(['harden', '-', '--write'], { input: pod }).status).toBe(2);
    expect(palisade(['harden', '-', '--uid', '0'], { input: pod }).status).toBe(2);
    expect(palisade(['harden', '-', '--version', 'v2'], { input: pod }).status).toBe(2);
    expect(palisade(['harden', 'missing.yaml']).status).toBe(2);
  });

  it('--write leaves a file alone that changed since it was read', async () => {
    // The file is edited between reading and writing: what the CLI read no longer matches.
    const dir = workspace({ 'pod.yaml': pod });
    const { replaceIfUnchanged } = await import('../../src/cli/harden.js');
    writeFileSync(join(dir, 'pod.yaml'), pod + '# edited meanwhile\n');
    const error = await replaceIfUnchanged(join(dir, 'pod.yaml'), pod, hardenedPod);
    expect(error?.code).toBe('HARDEN_FILE_CHANGED');
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(pod + '# edited meanwhile\n');
  });
});
