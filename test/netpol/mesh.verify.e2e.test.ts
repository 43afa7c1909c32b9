import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** The seed scenario as a user runs it: `palisade netpol verify` and `generate` on examples/ml-serving-mesh (built CLI). */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const example = fileURLToPath(new URL('../../examples/ml-serving-mesh/', import.meta.url));

function palisade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copy(edit: (file: string, text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-mesh-'));
  for (const f of ['calico.yaml', 'istio.yaml', 'workloads.yaml', 'intents.yaml']) writeFileSync(join(dir, f), edit(f, readFileSync(join(example, f), 'utf8')));
  return dir;
}

beforeAll(() => {
  expect(existsSync(join(repo, 'dist/cli/main.js')), 'build the CLI first: npm run build').toBe(true);
});

describe('palisade netpol matrix on the mesh example', () => {
  it('the text matrix shows the one open connection with its method and path; --resolution deployment names workloads', () => {
    const line = (src: string, dst: string): string => `${src} => ${dst} : protocol TCP ports 8080 methods ["POST"] paths ["/v1/models/iris:predict"]\n`;
    const byPod = palisade('netpol', 'matrix', example);
    expect([byPod.code, byPod.stdout]).toEqual([0, line('ml-serving/gateway-1', 'ml-serving/iris-1')]);
    const byWorkload = palisade('netpol', 'matrix', example, '--resolution', 'deployment');
    expect([byWorkload.code, byWorkload.stdout]).toEqual([0, line('ml-serving/gateway', 'ml-serving/iris')]);
  });

  it('csv, md and dot lay the same connection out as np-guard does, methods and paths included', () => {
    const conns = 'protocol TCP ports 8080 methods [""POST""] paths [""/v1/models/iris:predict""]';
    const csv = palisade('netpol', 'matrix', example, '--format', 'csv');
    expect([csv.code, csv.stdout]).toEqual([0, `src,dst,conn\nml-serving/gateway-1,ml-serving/iris-1,"${conns}"\n`]);
    const md = palisade('netpol', 'matrix', example, '--format', 'md', '--resolution', 'deployment');
    expect([md.code, md.stdout]).toEqual([0, '| src | dst | conn |\n|-----|-----|------|\n| ml-serving/gateway | ml-serving/iris | protocol TCP ports 8080 methods ["POST"] paths ["/v1/models/iris:predict"] |\n']);
    const dot = palisade('netpol', 'matrix', example, '--format', 'dot');
    expect(dot.code).toBe(0);
    expect(dot.stdout.split('\n').filter((l) => l.includes('->'))).toEqual(['\t"ml-serving/gateway-1" -> "ml-serving/iris-1" [label="protocol TCP ports 8080 methods [\\"POST\\"] paths [\\"/v1/models/iris:predict\\"]"]']);
    expect(dot.stdout).toContain('subgraph cluster_0 {\n\t\tlabel="ml-serving"');
  });
});

describe('commands that read the NetworkPolicy layer only', () => {
  it('say so for each Calico and Istio object, at its line: matrix --compat np-guard (diff: mesh.diff.e2e.test.ts)', () => {
    const objects = ['calico.yaml:2:1: GlobalNetworkPolicy default-deny', 'calico.yaml:10:1: NetworkPolicy ml-serving/iris-ingress', 'calico.yaml:24:1: NetworkPolicy ml-serving/clients-egress', 'istio.yaml:2:1: PeerAuthentication ml-serving/default', 'istio.yaml:8:1: AuthorizationPolicy ml-serving/iris-predict'];
    const lines = (why: string): string[] => objects.map((o) => `palisade: warning: examples/ml-serving-mesh/${o} is not analysed: ${why}`);
    const npGuard = palisade('netpol', 'matrix', 'examples/ml-serving-mesh', '--compat', 'np-guard');
    expect([npGuard.code, npGuard.stderr.trim().split('\n')]).toEqual([0, lines('--compat np-guard reads Kubernetes NetworkPolicies only, as np-guard does')]);
    // Without --compat, matrix reads every layer and warns about none of them.
    expect(palisade('netpol', 'matrix', 'examples/ml-serving-mesh').stderr).toBe('');
  });
});

describe('palisade netpol verify on the mesh example', () => {
  it('proves the seed intents (exit 0), and a copy with the AuthorizationPolicy widened fails with the notebook as counterexample (exit 1)', () => {
    const ok = palisade('netpol', 'verify', example + 'intents.yaml', example);
    expect([ok.code, ok.stdout]).toEqual([0, '✓ no findings\n']);
    // A directory alone is both the intents and the manifests (not the intents plus everything under ".").
    const dirOnly = palisade('netpol', 'verify', 'examples/ml-serving-mesh', '--format', 'json');
    expect([dirOnly.code, (JSON.parse(dirOnly.stdout) as { inputs: string[] }).inputs]).toEqual([0, ['examples/ml-serving-mesh']]);
    const dir = copy((f, t) => (f === 'istio.yaml' ? t.replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]') : t));
    const broken = palisade('netpol', 'verify', join(dir, 'intents.yaml'), dir, '--format', 'json');
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { intents: { name: string; holds: boolean; counterexample?: { src: string; method?: string; path?: string; layers: { rule?: string; location?: { file: string; line: number } }[] } }[] };
    expect(report.intents.map((i) => i.holds)).toEqual([false, true, false]);
    const c = report.intents[0]!.counterexample!;
    expect([c.src, c.method, c.path]).toEqual(['ml-serving/notebook[Deployment]', 'POST', '/v1/models/iris:predict']);
    expect(c.layers.map((l) => `${l.rule} ${l.location?.file.slice(dir.length + 1)}:${l.location?.line}`)).toEqual([
      'NetworkPolicy ml-serving/clients-egress egress[0] calico.yaml:32',
      'NetworkPolicy ml-serving/iris-ingress ingress[0] calico.yaml:18',
      'AuthorizationPolicy ml-serving/iris-predict rules[0] istio.yaml:15',
    ]);
    const byPod = palisade('netpol', 'verify', join(dir, 'intents.yaml'), dir, '--format', 'json', '--resolution', 'pod');
    expect((JSON.parse(byPod.stdout) as typeof report).intents[0]!.counterexample!.src).toBe('ml-serving/notebook-1');
  });

  it('generate writes NetworkPolicies and the AuthorizationPolicy; with them alone, the intents hold', () => {
    const dir = copy((_f, t) => t);
    const generated = palisade('netpol', 'generate', join(dir, 'workloads.yaml'), '--intents', join(dir, 'intents.yaml'), '--no-dns');
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain('kind: AuthorizationPolicy');
    expect(generated.stderr).toContain('the AuthorizationPolicy allows "/v1/models/*"');
    const out = mkdtempSync(join(tmpdir(), 'palisade-mesh-gen-'));
    writeFileSync(join(out, 'workloads.yaml'), readFileSync(join(dir, 'workloads.yaml'), 'utf8'));
    writeFileSync(join(out, 'generated.yaml'), generated.stdout);
    const verified = palisade('netpol', 'verify', join(dir, 'intents.yaml'), out);
    expect([verified.code, verified.stdout]).toEqual([0, '✓ no findings\n']);
  });
});
