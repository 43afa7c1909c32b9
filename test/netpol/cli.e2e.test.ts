import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** `palisade netpol …` as a user types it, against the built CLI (npx tsc -p tsconfig.build.json). */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const corpus = fileURLToPath(new URL('../../../shared/conformance/netpol/', import.meta.url));
const seed = fileURLToPath(new URL('../../examples/network-intents/', import.meta.url));

function palisade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // `npm test` builds first (pretest); run `npx tsc -p tsconfig.build.json` before running this file alone.
  expect(existsSync(join(repo, 'dist/cli/main.js')), 'build the CLI first: npx tsc -p tsconfig.build.json').toBe(true);
});

describe('palisade netpol', () => {
  it('matrix --compat np-guard prints np-guard txt lines, exit 0', () => {
    const r = palisade('netpol', 'matrix', corpus + 'minimal_test_in_ns', '--compat', 'np-guard');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(corpus + 'minimal_test_in_ns/expected_connlist.txt', 'utf8'));
  });

  it('matrix txt keeps stdout to connections and writes warnings to stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-netpol-'));
    writeFileSync(join(dir, 'p.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: x}}\nspec: {containers: [{name: c, image: i}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\nspec: {podSelector: {matchLabel: {app: x}}, policyTypes: [Ingress]}\n');
    const r = palisade('netpol', 'matrix', dir, '--compat', 'np-guard');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a/p[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections\n');
    expect(r.stderr).toBe(`palisade: warning: ${join(dir, 'p.yaml')}:9:22: not a label selector field (matchLabels, matchExpressions): the API server refuses it under strict field validation, and a lenient decoder drops it, leaving a selector that may match everything: "matchLabel"\n`);
  });

  it('matrix txt says a warning repeated on many policies three times, then counts the rest; json keeps every one (was: one line per policy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-netpol-'));
    const policy = (i: number): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.${i}.0.0/16]}}]\n`;
    const named = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: named, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: http}]\n';
    writeFileSync(join(dir, 'p.yaml'), [0, 1, 2, 3, 4].map(policy).join('---\n') + '---\n' + named);
    const r = palisade('netpol', 'matrix', join(dir, 'p.yaml'));
    expect(r.code).toBe(0);
    const except = 'ipBlock except was ignored by some CNIs (antrea-io/antrea#71); SNAT may also hide the real source address';
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      ...[7, 15, 23].map((line) => `palisade: warning: ${join(dir, 'p.yaml')}:${line}:11: ${except}`),
      'palisade: warning: 2 more places with the same warning (NETPOL_CNI_EXCEPT); --format json lists every one',
      `palisade: warning: ${join(dir, 'p.yaml')}:47:14: named ports are not supported by every CNI (kube-router, older Weave)`,
    ]);
    const json = JSON.parse(palisade('netpol', 'matrix', join(dir, 'p.yaml'), '--format', 'json').stdout) as { findings: Array<{ checkId: string; location: { line: number } }> };
    expect(json.findings.filter((f) => f.checkId === 'NETPOL_CNI_EXCEPT').map((f) => f.location.line)).toEqual([7, 15, 23, 31, 39]);
  });

  it('matrix --format json is the report with connections', () => {
    const r = palisade('netpol', 'matrix', corpus + 'netpol_named_port_test', '--compat', 'np-guard', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { tool: { name: string }; findings: unknown[]; connections: unknown[] };
    expect(report.tool.name).toBe('palisade');
    expect(report.findings).toEqual([]);
    expect(report.connections).toEqual([
      { src: '0.0.0.0-255.255.255.255[External]', dst: 'helloworld/new-pod[Deployment]', conns: 'All Connections' },
      { src: 'helloworld/new-pod[Deployment]', dst: '0.0.0.0-255.255.255.255[External]', conns: 'All Connections' },
    ]);
  });

  it('matrix --format csv, md and dot', () => {
    const args = ['netpol', 'matrix', corpus + 'minimal_test_in_ns', '--compat', 'np-guard', '--format'];
    expect(palisade(...args, 'csv').stdout.split('\n').slice(0, 2)).toEqual(['src,dst,conn', '0.0.0.0-255.255.255.255[External],hello-world/workload-b[Deployment],All Connections']);
    expect(palisade(...args, 'md').stdout.split('\n')[2]).toBe('| 0.0.0.0-255.255.255.255[External] | hello-world/workload-b[Deployment] | All Connections |');
    expect(palisade(...args, 'dot').stdout).toContain('"hello-world/workload-b[Deployment]" -> "hello-world/workload-a[Deployment]" [label="TCP 8050"]');
  });

  it('an invalid policy exits 2 and names file:line:column', () => {
    const r = palisade('netpol', 'matrix', corpus + 'invalid/np_bad_path_test_2', '--compat', 'np-guard', '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; location: { file: string; line: number; column: number } }[]; connections: unknown[] };
    expect(report.connections).toEqual([]);
    expect(report.findings.map((f) => [f.checkId, f.location.line, f.location.column])).toEqual([['NETPOL_ENDPORT_WITH_NAMED_PORT', 14, 7]]);
    expect(r.stderr).toContain('netpols.yaml:14:7: endPort cannot be defined');
  });

  it('with Calico in the input, an invalid NetworkPolicy is said once (was: twice, by the NetworkPolicy model and again by the layered one), with the peer warnings, in json and on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-netpol-'));
    const file = join(dir, 'in.yaml');
    writeFileSync(
      file,
      `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny}
spec: {selector: all(), types: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: a}
spec:
  podSelector: {matchLabels: {app: x}}
  policyTypes: [Ingress, Bogus]
  ingress: [{ports: [{port: 99999}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec: {template: {metadata: {labels: {app: x}}, spec: {hostNetwork: true, containers: [{name: c, image: nginx, ports: [{name: h, containerPort: 80}, {name: h, containerPort: 81}]}]}}}
`,
    );
    const json = palisade('netpol', 'matrix', file, '--format', 'json');
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as { findings: { checkId: string; location: { line: number; column: number } }[]; connections: unknown[] };
    expect(report.connections).toEqual([]);
    expect(report.findings.map((f) => `${f.checkId} ${f.location.line}:${f.location.column}`)).toEqual(['NETPOL_INVALID_POLICY_TYPE 11:26', 'NETPOL_INVALID_PORT 12:23', 'NETPOL_NAMED_PORT_AMBIGUOUS 17:150', 'NETPOL_CNI_HOST_NETWORK 17:19']);
    const txt = palisade('netpol', 'matrix', file);
    expect(txt.code).toBe(2);
    expect(txt.stdout).toBe('');
    expect(txt.stderr.split('\n').filter(Boolean).map((l) => l.slice(0, l.indexOf(': ', l.indexOf('in.yaml')) + 1))).toEqual([
      `palisade: ${file}:11:26:`,
      `palisade: ${file}:12:23:`,
      `palisade: warning: ${file}:17:150:`,
      `palisade: warning: ${file}:17:19:`,
    ]);
  });

  it('lint reports network findings and fails on high ones', () => {
    const r = palisade('netpol', 'lint', seed + 'workloads.yaml', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; message: string }[] };
    expect(report.findings.map((f) => f.checkId)).toEqual(['NETPOL_MODEL_SERVER_EGRESS_ANYWHERE', 'NETPOL_MODEL_SERVER_REACHES_METADATA']);
    expect(report.findings[1]?.message).toBe('ml-serving/tf-serving[Deployment] (tfserving) can reach the cloud metadata service: All Connections');
  });

  it('explain names the deciding rule with file:line', () => {
    const r = palisade('netpol', 'explain', corpus + 'minimal_test_in_ns', '--from', 'hello-world/workload-b', '--to', 'hello-world/workload-a', '--port', '8050/TCP');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('hello-world/workload-b[Deployment] => hello-world/workload-a[Deployment]: 8050/TCP ALLOWED (allowed: TCP 8050)');
    expect(r.stdout).toContain(`NetworkPolicy: allow — NetworkPolicy hello-world/allow-hello-world-b-to-a-app: ingress rule #1 at ${corpus}minimal_test_in_ns/manifests/netpol.yaml:11:5`);
    const denied = palisade('netpol', 'explain', corpus + 'minimal_test_in_ns', '--from', 'hello-world/workload-b', '--to', 'hello-world/workload-a', '--port', '80', '--format', 'json');
    const report = JSON.parse(denied.stdout) as { explanations: { allowed: boolean; ingress: { allowed: boolean; steps: { effect: string }[] } }[] };
    expect(report.explanations.map((e) => [e.allowed, e.ingress.allowed, e.ingress.steps.map((s) => s.effect)])).toEqual([[false, false, ['isolate']]]);
  });

  it('explain names a ClusterNetworkPolicy rule by its kind and tier in text (the JSON keeps the contract\'s tier)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cnp-'));
    const file = join(dir, 'in.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ml, labels: {team: ml}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n---
apiVersion: v1\nkind: Pod\nmetadata: {name: model, namespace: ml}\nspec: {containers: [{name: c, image: x}]}\n---
apiVersion: v1\nkind: Pod\nmetadata: {name: gw, namespace: web}\nspec: {containers: [{name: c, image: x}]}\n---
apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ml}\nspec:\n  tier: Baseline\n  priority: 1\n  subject: {namespaces: {matchLabels: {team: ml}}}
  ingress:\n  - {name: no-web, action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 8080}}}]}\n`,
    );
    const r = palisade('netpol', 'explain', file, '--from', 'web/gw', '--to', 'ml/model', '--port', '8080');
    expect(r.stdout.split('\n').slice(3, 5)).toEqual([
      '  ingress (policies of ml/model[Pod]): denies (SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535)',
      `    ClusterNetworkPolicy (Baseline tier): deny — CNP ml: ingress rule "no-web" (Deny) at ${file}:27:5`,
    ]);
    const json = JSON.parse(palisade('netpol', 'explain', file, '--from', 'web/gw', '--to', 'ml/model', '--port', '8080', '--format', 'json').stdout) as { explanations: { ingress: { steps: { tier: string }[] } }[] };
    expect(json.explanations[0]?.ingress.steps.map((s) => s.tier)).toEqual(['BaselineAdminNetworkPolicy']);
  });

  it('verify exits 1 with a counterexample per broken intent; generate writes policies that verify', () => {
    const broken = palisade('netpol', 'verify', seed + 'intents.yaml', seed + 'workloads.yaml', '--format', 'json');
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { intents: { holds: boolean }[]; findings: { checkId: string; message: string }[] };
    expect(report.intents.map((i) => i.holds)).toEqual([false, true, false, true, false, false, false]);
    expect(report.findings[0]).toMatchObject({ checkId: 'NETPOL_INTENT_BROKEN', message: 'intent "only the gateway reaches TF Serving on 8501" does not hold; counterexample: ml-serving/model[Deployment] => ml-serving/tf-serving[Deployment] : TCP 8501' });

    const generated = palisade('netpol', 'generate', seed + 'workloads.yaml', '--intents', seed + 'intents.yaml');
    expect(generated.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'palisade-netpol-'));
    writeFileSync(join(dir, 'policies.yaml'), generated.stdout);
    const fixed = palisade('netpol', 'verify', seed + 'intents.yaml', seed + 'workloads.yaml', join(dir, 'policies.yaml'));
    expect(fixed.code).toBe(0);

    // diff: a new revision that lets the model call TF Serving opens a model server (exit 1).
    const before = mkdtempSync(join(tmpdir(), 'palisade-before-'));
    const after = mkdtempSync(join(tmpdir(), 'palisade-after-'));
    for (const d of [before, after]) {
      writeFileSync(join(d, 'workloads.yaml'), readFileSync(seed + 'workloads.yaml', 'utf8'));
      writeFileSync(join(d, 'policies.yaml'), generated.stdout);
    }
    writeFileSync(
      join(after, 'extra.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: model-to-tf, namespace: ml-serving}\nspec:\n  podSelector: {matchLabels: {app: tf-serving}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: model}}}], ports: [{port: 8501}]}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: model-out, namespace: ml-serving}\nspec:\n  podSelector: {matchLabels: {app: model}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: tf-serving}}}]}]\n',
    );
    const diff = palisade('netpol', 'diff', before, after);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toBe('Connectivity diff:\ndiff-type: added, source: ml-serving/model[Deployment], destination: ml-serving/tf-serving[Deployment], dir1: No Connections, dir2: TCP 8501\n');
    expect(palisade('netpol', 'diff', before, before).code).toBe(0);
  });
});
