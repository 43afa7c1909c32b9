import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { explainMesh, meshPeers } from '../../src/netpol/layers/explain.js';
import { buildMeshModel, connsText } from '../../src/netpol/layers/matrix.js';

/** `netpol explain` on the layered engine: each layer's verdict on each end, with the deciding rules and their lines. */
const dir = fileURLToPath(new URL('../../examples/ml-serving-mesh/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const model = buildMeshModel(files.flatMap((f) => loadText(join(dir, f), readFileSync(join(dir, f), 'utf8')).resources));
const lineOf = (file: string, needle: string): number => readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('layered explain', () => {
  it('names, per layer and end, the rule that allowed the gateway\'s POST to iris', () => {
    const [src] = meshPeers(model, 'ml-serving/gateway');
    const [dst] = meshPeers(model, 'ml-serving/iris');
    const e = explainMesh(model, src!, dst!, { protocol: 6, port: 8080, text: '8080/TCP' });
    expect(e.allowed).toBe(true);
    expect(e.conns).toEqual([{ protocol: '6', ports: '8080', methods: ['POST'], paths: ['/v1/models/iris:predict'] }]);
    expect(e.layers.map((l) => `${l.layer} ${l.direction} ${l.end} ${l.steps.map((s) => `${s.action} ${s.rule} ${s.location?.line}`).join(' | ')}`)).toEqual([
      `Calico + Kubernetes NetworkPolicy egress ml-serving/gateway-1 Allow NetworkPolicy ml-serving/clients-egress egress[0] ${lineOf('calico.yaml', '- action: Allow') + 14}`,
      `Calico + Kubernetes NetworkPolicy ingress ml-serving/iris-1 Allow NetworkPolicy ml-serving/iris-ingress ingress[0] ${lineOf('calico.yaml', '- action: Allow')}`,
      `Istio AuthorizationPolicy + PeerAuthentication ingress ml-serving/iris-1 Allow AuthorizationPolicy ml-serving/iris-predict rules[0] ${lineOf('istio.yaml', 'principals: [cluster.local/ns/ml-serving/sa/gateway]')}`,
    ]);
  });

  it('a denied connection: Calico selects both ends and no rule matches; Istio selects nothing at the gateway and allows; peers by IP', () => {
    const e = explainMesh(model, meshPeers(model, 'ml-serving/iris')[0]!, meshPeers(model, 'ml-serving/gateway')[0]!, { protocol: 6, port: 8080, text: '8080/TCP' });
    expect([e.allowed, e.conns, e.layers.map((l) => [l.captured, l.allowed, l.steps.length])]).toEqual([false, [], [[true, [], 0], [true, [], 0], [false, [{ protocol: '6', ports: '8080' }], 0]]]);
    expect(meshPeers(model, '10.0.0.1').map((p) => ('kind' in p ? p.name : p.toString()))).toEqual(['10.0.0.1-10.0.0.1']);
    expect(meshPeers(model, 'ml-serving/nothing')).toEqual([]);
  });

  it('the text matrix names protocols (TCP), not numbers', () => {
    expect(connsText([{ protocol: '6,17', ports: '53' }, { protocol: '0-5,7-255' }])).toBe('protocol TCP,UDP ports 53; protocol 0-5,7-255');
  });

  it.skipIf(spawnSync('node', ['--version']).status !== 0)('the CLI explains in text and exits 1 when denied', () => {
    const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
    const ok = spawnSync('node', [cli, 'netpol', 'explain', dir, '--from', 'ml-serving/gateway', '--to', 'ml-serving/iris', '--port', '8080/TCP'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    // --from/--to name workloads: so does the answer, with the pods it examined.
    expect(ok.stdout.split('\n')[0]).toBe('ml-serving/gateway[Deployment] => ml-serving/iris[Deployment] (pods ml-serving/gateway-1 => ml-serving/iris-1): 8080/TCP ALLOWED (allowed: protocol TCP ports 8080 methods ["POST"] paths ["/v1/models/iris:predict"])');
    const denied = spawnSync('node', [cli, 'netpol', 'explain', dir, '--from', 'ml-serving/iris', '--to', 'ml-serving/gateway', '--port', '8080/TCP'], { encoding: 'utf8' });
    expect(denied.status).toBe(1);
    expect(denied.stdout).toContain('Calico + Kubernetes NetworkPolicy, egress of ml-serving/iris[Deployment]: no rule matched (denied by default); allows nothing');
    const byPod = spawnSync('node', [cli, 'netpol', 'explain', dir, '--from', 'ml-serving/iris', '--to', 'ml-serving/gateway', '--port', '8080/TCP', '--resolution', 'pod'], { encoding: 'utf8' });
    expect(byPod.stdout).toContain('Calico + Kubernetes NetworkPolicy, egress of ml-serving/iris-1: no rule matched (denied by default); allows nothing');
    // A pod name is answered with pods; ns/name[Kind] is a workload.
    const pods = spawnSync('node', [cli, 'netpol', 'explain', dir, '--from', 'ml-serving/gateway-1', '--to', 'ml-serving/iris-1', '--port', '8080/TCP', '--format', 'json'], { encoding: 'utf8' });
    expect((JSON.parse(pods.stdout) as { explanations: { src: string; dst: string; pods?: unknown }[] }).explanations.map((e) => [e.src, e.dst, e.pods])).toEqual([['ml-serving/gateway-1', 'ml-serving/iris-1', undefined]]);
    const kinded = spawnSync('node', [cli, 'netpol', 'explain', dir, '--from', 'ml-serving/gateway[Deployment]', '--to', 'ml-serving/iris-1', '--port', '8080/TCP', '--format', 'json'], { encoding: 'utf8' });
    expect((JSON.parse(kinded.stdout) as { explanations: { src: string; dst: string; pods?: unknown }[] }).explanations.map((e) => [e.src, e.dst, e.pods])).toEqual([['ml-serving/gateway[Deployment]', 'ml-serving/iris[Deployment]', { src: 'ml-serving/gateway-1', dst: 'ml-serving/iris-1' }]]);
  });
});
