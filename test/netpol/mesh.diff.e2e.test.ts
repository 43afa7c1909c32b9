import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** `palisade netpol diff` over every layer, as a user runs it (built CLI): the mesh example and a Cilium L7 pair. */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const example = 'examples/ml-serving-mesh';

function palisade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the mesh example with some files edited. */
function copy(edit: (file: string, text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-mesh-diff-'));
  for (const f of ['calico.yaml', 'istio.yaml', 'workloads.yaml']) writeFileSync(join(dir, f), edit(f, readFileSync(join(repo, example, f), 'utf8')));
  return dir;
}

/** The AuthorizationPolicy loosened: every service account of ml-serving, and GET besides POST. */
const loosened = (f: string, t: string): string => (f === 'istio.yaml' ? t.replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]').replace('methods: [POST]', 'methods: [POST, GET]') : t);

beforeAll(() => {
  expect(existsSync(join(repo, 'dist/cli/main.js')), 'build the CLI first: npm run build').toBe(true);
});

describe('palisade netpol diff over every layer', () => {
  it('an Istio AuthorizationPolicy loosened: the notebook may now call iris, the gateway may also GET (exit 1: a model server gains callers)', () => {
    const after = copy(loosened);
    const predict = 'paths ["/v1/models/iris:predict"]';
    const txt = palisade('netpol', 'diff', example, after);
    expect([txt.code, txt.stdout, txt.stderr]).toEqual([
      1,
      'Connectivity diff:\n' +
        `diff-type: changed, source: ml-serving/gateway-1, destination: ml-serving/iris-1, dir1: protocol TCP ports 8080 methods ["POST"] ${predict}, dir2: protocol TCP ports 8080 methods ["GET","POST"] ${predict}, added: protocol TCP ports 8080 methods ["GET"] ${predict}\n` +
        `diff-type: added, source: ml-serving/notebook-1, destination: ml-serving/iris-1, dir1: No Connections, dir2: protocol TCP ports 8080 methods ["GET","POST"] ${predict}\n`,
      '',
    ]);
    const json = palisade('netpol', 'diff', example, after, '--format', 'json', '--resolution', 'deployment');
    const report = JSON.parse(json.stdout) as { findings: { checkId: string; message: string }[]; diff: unknown[] };
    expect(json.code).toBe(1);
    expect(report.diff).toEqual([
      {
        src: 'ml-serving/gateway',
        dst: 'ml-serving/iris',
        kind: 'changed',
        before: `protocol TCP ports 8080 methods ["POST"] ${predict}`,
        after: `protocol TCP ports 8080 methods ["GET","POST"] ${predict}`,
        added: [{ protocol: '6', ports: '8080', methods: ['GET'], paths: ['/v1/models/iris:predict'] }],
      },
      { src: 'ml-serving/notebook', dst: 'ml-serving/iris', kind: 'added', before: 'No Connections', after: `protocol TCP ports 8080 methods ["GET","POST"] ${predict}`, added: [{ protocol: '6', ports: '8080', methods: ['GET', 'POST'], paths: ['/v1/models/iris:predict'] }] },
    ]);
    expect(report.findings.map((f) => f.message)).toEqual([
      `ml-serving/gateway => ml-serving/iris (kserve-python) newly allows protocol TCP ports 8080 methods ["GET"] ${predict} (changed: protocol TCP ports 8080 methods ["POST"] ${predict} -> protocol TCP ports 8080 methods ["GET","POST"] ${predict})`,
      `ml-serving/notebook => ml-serving/iris (kserve-python) newly allows protocol TCP ports 8080 methods ["GET","POST"] ${predict} (added: No Connections -> protocol TCP ports 8080 methods ["GET","POST"] ${predict})`,
    ]);
    // Tightened back: the same pairs, removed and narrowed; nothing opens (exit 0).
    const back = palisade('netpol', 'diff', after, example, '--resolution', 'deployment');
    expect([back.code, back.stdout]).toEqual([
      0,
      'Connectivity diff:\n' +
        `diff-type: changed, source: ml-serving/gateway, destination: ml-serving/iris, dir1: protocol TCP ports 8080 methods ["GET","POST"] ${predict}, dir2: protocol TCP ports 8080 methods ["POST"] ${predict}, removed: protocol TCP ports 8080 methods ["GET"] ${predict}\n` +
        `diff-type: removed, source: ml-serving/notebook, destination: ml-serving/iris, dir1: protocol TCP ports 8080 methods ["GET","POST"] ${predict}, dir2: No Connections\n`,
    ]);
  });

  it('csv and md are np-guard diff layouts with the added and removed columns', () => {
    const after = copy(loosened);
    const conns = (methods: string): string => `"protocol TCP ports 8080 methods [${methods}] paths [""/v1/models/iris:predict""]"`;
    const csv = palisade('netpol', 'diff', example, after, '--format', 'csv', '--resolution', 'deployment');
    expect(csv.stdout).toBe(
      'diff-type,source,destination,dir1,dir2,added,removed\n' +
        `changed,ml-serving/gateway,ml-serving/iris,${conns('""POST""')},${conns('""GET"",""POST""')},${conns('""GET""')},\n` +
        `added,ml-serving/notebook,ml-serving/iris,No Connections,${conns('""GET"",""POST""')},${conns('""GET"",""POST""')},\n`,
    );
    const md = palisade('netpol', 'diff', after, example, '--format', 'md', '--resolution', 'deployment');
    const text = (methods: string): string => `protocol TCP ports 8080 methods [${methods}] paths ["/v1/models/iris:predict"]`;
    expect(md.stdout).toBe(
      '| diff-type | source | destination | dir1 | dir2 | added | removed |\n' +
        '|-----------|--------|-------------|------|------|-------|---------|\n' +
        `| changed | ml-serving/gateway | ml-serving/iris | ${text('"GET","POST"')} | ${text('"POST"')} |  | ${text('"GET"')} |\n` +
        `| removed | ml-serving/notebook | ml-serving/iris | ${text('"GET","POST"')} | No Connections |  | ${text('"GET","POST"')} |\n`,
    );
  });

  it("a Calico GlobalNetworkPolicy default deny removed: what the remaining policies and Istio's STRICT mTLS leave open is added", () => {
    const after = copy((f, t) => (f === 'calico.yaml' ? t.slice(t.indexOf('apiVersion: projectcalico.org/v3\nkind: NetworkPolicy')) : t));
    const diff = palisade('netpol', 'diff', example, after, '--resolution', 'deployment');
    const v4 = 'ip:0.0.0.0-255.255.255.255';
    const v6 = 'ip:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    // STRICT mTLS: plaintext from outside the mesh reaches no TCP port (every protocol but 6).
    const line = (src: string, dst: string, conns: string): string => `diff-type: added, source: ${src}, destination: ${dst}, dir1: No Connections, dir2: ${conns}\n`;
    expect([diff.code, diff.stdout]).toEqual([
      1,
      'Connectivity diff:\n' +
        line(v4, 'ml-serving/gateway', 'protocol 0-5,7-255') +
        line(v4, 'ml-serving/notebook', 'protocol 0-5,7-255') +
        line(v6, 'ml-serving/gateway', 'protocol 0-5,7-255') +
        line(v6, 'ml-serving/notebook', 'protocol 0-5,7-255') +
        line('ml-serving/iris', v4, 'All Connections') +
        line('ml-serving/iris', v6, 'All Connections') +
        line('ml-serving/iris', 'ml-serving/gateway', 'All Connections') +
        line('ml-serving/iris', 'ml-serving/notebook', 'All Connections'),
    ]);
  });

  it('a Cilium L7 rule changed: the method and paths gained', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cilium-diff-'));
    const workloads = ['client', 'iris']
      .map((app) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${app}, namespace: ml}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: c, image: busybox:1.36, ports: [{containerPort: 8080}]}]}\n`)
      .join('---\n');
    const policy = (http: string): string =>
      `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: iris-l7, namespace: ml}\nspec:\n  endpointSelector: {matchLabels: {app: iris}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: client}}]\n    toPorts:\n    - ports: [{port: "8080", protocol: TCP}]\n      rules:\n        http:\n${http}`;
    for (const [side, http] of [
      ['before', '        - {method: POST, path: "/v1/models/iris:predict"}\n'],
      ['after', '        - {method: POST, path: "/v1/models/iris:predict"}\n        - {method: GET, path: "/v1/.*"}\n'],
    ] as const) {
      mkdirSync(join(dir, side));
      writeFileSync(join(dir, side, 'workloads.yaml'), workloads);
      writeFileSync(join(dir, side, 'cilium.yaml'), policy(http));
    }
    const diff = palisade('netpol', 'diff', join(dir, 'before'), join(dir, 'after'), '--resolution', 'deployment', '--format', 'json');
    const report = JSON.parse(diff.stdout) as { diff: unknown[] };
    expect([diff.code, diff.stderr, report.diff]).toEqual([
      0,
      '',
      [
        {
          src: 'ml/client',
          dst: 'ml/iris',
          kind: 'changed',
          before: 'protocol TCP ports 8080 methods ["POST"] paths ["/v1/models/iris:predict"]',
          // The path sets name every pattern whose strings they hold (the predict path is one of /v1/*'s).
          // Entries in the canonical order (methods in their order, GET first), patterns sorted.
          after: 'protocol TCP ports 8080 methods ["GET"] paths ["/v1/*","/v1/models/iris:predict"]; protocol TCP ports 8080 methods ["POST"] paths ["/v1/models/iris:predict"]',
          added: [{ protocol: '6', ports: '8080', methods: ['GET'], paths: ['/v1/*', '/v1/models/iris:predict'] }],
        },
      ],
    ]);
  });

  it('identical revisions: no difference and no warning; --compat np-guard still reads NetworkPolicies only and says so', () => {
    const same = palisade('netpol', 'diff', example, example);
    expect([same.code, same.stdout, same.stderr]).toEqual([0, 'Connectivity diff:\n', '']);
    const npGuard = palisade('netpol', 'diff', example, example, '--compat', 'np-guard', '--format', 'json');
    const report = JSON.parse(npGuard.stdout) as { findings: { checkId: string; location?: { file: string; line: number } }[]; diff: unknown[] };
    expect([npGuard.code, report.diff]).toEqual([0, []]);
    // Each revision's objects, at their lines (both revisions are the same directory here).
    const at = report.findings.map((f) => `${f.checkId} ${f.location?.file}:${f.location?.line}`);
    const once = ['calico.yaml:2', 'calico.yaml:10', 'calico.yaml:24', 'istio.yaml:2', 'istio.yaml:8'].map((l) => `NETPOL_MESH_IGNORED ${example}/${l}`);
    expect(at).toEqual([...once, ...once]);
  });

  it('bad input in either revision is an input error at file:line:column (exit 2), each revision reporting its own', () => {
    const before = copy((f, t) => (f === 'calico.yaml' ? t.replace("selector: app == 'iris'", "selector: app === 'iris'") : t));
    const after = copy((f, t) => (f === 'istio.yaml' ? t.replace('action: ALLOW', 'action: PERMIT') : t));
    const diff = palisade('netpol', 'diff', before, after);
    expect([diff.code, diff.stdout, diff.stderr]).toEqual([
      2,
      'Connectivity diff:\n',
      `palisade: ${before}/calico.yaml:15:3: invalid Calico selector expression: unexpected character "=" at offset 6 of "app === 'iris'"\n` + `palisade: ${after}/istio.yaml:13:3: an AuthorizationPolicy action must be ALLOW, DENY, AUDIT or CUSTOM: got "PERMIT"\n`,
    ]);
  });
});
