import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ml
spec:
  containers:
  - name: app
    image: nginx:1.27
`;

const restrictedPod = `apiVersion: v1
kind: Pod
metadata: {name: good, namespace: ml}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;

interface PssJson {
  results: Array<{ resource: { name: string }; level: string; version: string; allowed: boolean; podSpecPath: string; containers: unknown[]; violations: Array<{ check: string; reason: string; detail: string }>; policySource: string; namespace?: Record<string, unknown> }>;
  findings: Array<{ checkId: string; path?: string; location?: { file: string; line: number; column: number }; container?: string }>;
  summary: Record<string, number>;
}

const json = (stdout: string): PssJson => JSON.parse(stdout) as PssJson;

describe('palisade pss', () => {
  it('evaluates stdin at restricted:latest by default, in upstream words', () => {
    const run = palisade(['pss', '-', '--format', 'json'], { input: pod });
    expect(run.status).toBe(1);
    const report = json(run.stdout);
    expect(report.results).toHaveLength(1);
    const result = report.results[0]!;
    expect(result).toMatchObject({ level: 'restricted', version: 'v1.37', allowed: false, podSpecPath: '/spec', policySource: 'default' });
    expect(result.containers).toEqual([{ name: 'app', kind: 'container', path: '/spec/containers/0' }]);
    expect(result.violations).toEqual([
      { check: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "app" must set securityContext.allowPrivilegeEscalation=false' },
      { check: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "app" must set securityContext.capabilities.drop=["ALL"]' },
      { check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod or container "app" must set securityContext.runAsNonRoot=true' },
      { check: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
    ]);
    // each finding points at the offending field or its nearest parent, in stdin
    expect(report.findings.map((f) => [f.checkId, f.path, f.location, f.container])).toEqual([
      ['PSS_RESTRICTED_ALLOW_PRIVILEGE_ESCALATION', '/spec/containers/0', { file: '-', line: 8, column: 5 }, 'app'],
      ['PSS_RESTRICTED_CAPABILITIES', '/spec/containers/0', { file: '-', line: 8, column: 5 }, 'app'],
      ['PSS_RESTRICTED_RUN_AS_NON_ROOT', '/spec/containers/0', { file: '-', line: 8, column: 5 }, 'app'],
      ['PSS_RESTRICTED_SECCOMP_PROFILE', '/spec/containers/0', { file: '-', line: 8, column: 5 }, 'app'],
    ]);
  });

  it('honours --level and --version, and passes a restricted pod', () => {
    const baseline = palisade(['pss', '-', '--level', 'baseline', '--version', 'v1.25', '--format', 'json'], { input: pod });
    expect(baseline.status).toBe(0);
    expect(json(baseline.stdout).results[0]).toMatchObject({ level: 'baseline', version: 'v1.25', allowed: true, violations: [], policySource: 'flag' });
    const good = palisade(['pss', '-', '--format', 'json'], { input: restrictedPod });
    expect(good.status).toBe(0);
    expect(json(good.stdout).results[0]!.allowed).toBe(true);
    expect(json(good.stdout).findings).toEqual([]);
  });

  it('prints the API server denial in text output', () => {
    const run = palisade(['pss', '-'], { input: pod });
    expect(run.stdout).toContain('violates PodSecurity "restricted:v1.37": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  });

  it('applies namespace labels: enforce, warn and audit', () => {
    const ns = `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30
    pod-security.kubernetes.io/warn: restricted
---
`;
    const run = palisade(['pss', '-', '--format', 'json'], { input: ns + pod });
    const report = json(run.stdout);
    expect(report.results[0]).toMatchObject({ level: 'baseline', version: 'v1.30', allowed: true, policySource: 'namespace', namespace: { name: 'ml', enforce: { level: 'baseline', version: 'v1.30', allowed: true }, warn: { level: 'restricted', version: 'v1.37', allowed: false } } });
    expect(report.findings.map((f) => f.checkId)).toEqual(['PSS_RESTRICTED_ALLOW_PRIVILEGE_ESCALATION', 'PSS_RESTRICTED_CAPABILITIES', 'PSS_RESTRICTED_RUN_AS_NON_ROOT', 'PSS_RESTRICTED_SECCOMP_PROFILE']);
    expect(run.stdout).toContain('namespace ml would get a warning: warn restricted:v1.37');
  });

  it('reads namespaces from other files and labels with invalid values fall back to restricted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-pss-'));
    writeFileSync(join(dir, 'b-pod.yaml'), pod);
    writeFileSync(join(dir, 'a-ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels:\n    pod-security.kubernetes.io/enforce: strict\n');
    const report = json(palisade(['pss', dir, '--format', 'json']).stdout);
    expect(report.results[0]).toMatchObject({ level: 'restricted', version: 'v1.37', allowed: false, policySource: 'namespace' });
    expect(report.findings[0]).toMatchObject({ checkId: 'PSS_BAD_NAMESPACE_LABEL', location: { file: join(dir, 'a-ns.yaml'), line: 6, column: 5 } });
  });

  it('keeps going past a bad document, and exits 2 only when nothing could be read or with --strict', () => {
    const input = `apiVersion: v1\nkind: Pod\nmetadata: {name: [broken\n---\n${restrictedPod}`;
    const run = palisade(['pss', '-', '--format', 'json'], { input });
    expect(run.status).toBe(1); // the syntax error is a high finding; the good pod is still evaluated
    const report = json(run.stdout);
    expect(report.results.map((r) => r.resource.name)).toEqual(['good']);
    // yaml notices the unclosed flow sequence where the next document starts
    expect(report.findings[0]).toMatchObject({ checkId: 'LOAD_YAML_SYNTAX', location: { file: '-', line: 4, column: 1 } });
    expect(palisade(['pss', '-', '--strict', '--fail-on', 'none'], { input }).status).toBe(2);
    expect(palisade(['pss', '-', '--fail-on', 'none'], { input }).status).toBe(0);
    expect(palisade(['pss', 'does/not/exist.yaml']).status).toBe(2);
    expect(palisade(['pss', '-', '--level', 'strict']).status).toBe(2);
  });

  it('writes several formats at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-out-'));
    const run = palisade(['pss', '-', '--output', `sarif=${join(dir, 'out.sarif')}`, '--output', `json=${join(dir, 'out.json')}`, '--fail-on', 'none'], { input: pod });
    expect(run.status).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toHaveLength(4);
    expect(json(readFileSync(join(dir, 'out.json'), 'utf8')).results).toHaveLength(1);
  });

  it('finds pod specs in custom resources, and in kinds added by config', () => {
    const crd = `apiVersion: example.com/v1\nkind: ModelServer\nmetadata: {name: ms}\nspec:\n  runtime:\n    pod:\n      containers:\n      - name: srv\n        image: srv:1\n`;
    const discovered = json(palisade(['audit', '-', '--format', 'json'], { input: crd }).stdout);
    expect(discovered.results.map((r) => r.podSpecPath)).toEqual(['/spec/runtime/pod']);
    expect(discovered.findings.filter((f) => f.checkId === 'WORKLOAD_DISCOVERED')).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cfg-'));
    writeFileSync(join(dir, '.palisade.yaml'), 'workloads:\n- apiVersion: example.com/v1\n  kind: ModelServer\n  podSpecs: [/spec/runtime/pod]\n');
    const configured = json(palisade(['audit', '-', '--format', 'json'], { input: crd, cwd: dir }).stdout);
    expect(configured.results.map((r) => r.podSpecPath)).toEqual(['/spec/runtime/pod']);
    expect(configured.findings.filter((f) => f.checkId === 'WORKLOAD_DISCOVERED')).toEqual([]);
    writeFileSync(join(dir, '.palisade.yaml'), 'workloads:\n- apiVersion: example.com/v1\n  kind: ModelServer\n  podSpecs: [spec/runtime]\n');
    const bad = palisade(['audit', '-'], { input: crd, cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('.palisade.yaml:4:14: config field workloads.0.podSpecs.0');
  });
});

describe('palisade --version and help', () => {
  it('prints the version and lists commands', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(palisade(['--version']).stdout).toBe(pkg.version + '\n');
    const help = palisade(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/pss\s+evaluate Pod Security Standards/);
  });
});
