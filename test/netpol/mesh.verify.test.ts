import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { isIntentsResource, parseIntents, type Intent } from '../../src/netpol/index.js';
import { buildMeshModel, counterexampleText, intentPaths, verifyMeshIntents, type MeshIntentResult } from '../../src/netpol/layers/index.js';

/**
 * `netpol verify` on the layered engine (issue 20): intents with methods and paths, decided by every
 * layer, and a counterexample request naming each layer's deciding rule with file:line.
 */
const dir = fileURLToPath(new URL('../../examples/ml-serving-mesh/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const LOOSE = (f: string, t: string): string => (f === 'istio.yaml' ? t.replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]') : t);

function intentsText(body: string): string {
  return `apiVersion: palisade.dev/v1alpha1\nkind: NetworkIntents\nintents:\n${body}`;
}

function verify(edit: (file: string, text: string) => string = (_f, t) => t, intents?: string, resolution?: 'pod' | 'deployment'): MeshIntentResult[] {
  const resources = files.flatMap((f) => loadText(f, edit(f, readFileSync(join(dir, f), 'utf8'))).resources);
  const own = intents === undefined ? resources.filter(isIntentsResource) : loadText('intents.yaml', intentsText(intents)).resources;
  const parsed = own.map(parseIntents);
  expect(parsed.flatMap((p) => p.errors)).toEqual([]);
  const list: Intent[] = parsed.flatMap((p) => p.intents);
  const model = buildMeshModel(resources, { paths: intentPaths(list) });
  expect(model.errors).toEqual([]);
  return verifyMeshIntents(model, list, resolution);
}

describe('netpol verify, every layer (examples/ml-serving-mesh)', () => {
  it('the seed intents hold: only the gateway may POST /v1/models/*:predict on 8080, and it can', () => {
    expect(verify().map((r) => [r.intent.name, r.holds])).toEqual([
      ['only the gateway may POST /v1/models/*:predict on 8080', true],
      ['the gateway may POST /v1/models/iris:predict', true],
      ['nothing else reaches iris', true],
    ]);
  });

  it('with the AuthorizationPolicy widened to the namespace, the notebook is the counterexample, named as the workload the intent names, with the rule of each layer', () => {
    const [only] = verify(LOOSE);
    expect(only!.holds).toBe(false);
    const layers = (src: string, dst: string): unknown[] => [
      { layer: 'Calico + Kubernetes NetworkPolicy', direction: 'egress', end: src, allows: true, rule: 'NetworkPolicy ml-serving/clients-egress egress[0]', action: 'Allow', location: { file: 'calico.yaml', line: 32, column: 5 }, why: 'rule' },
      { layer: 'Calico + Kubernetes NetworkPolicy', direction: 'ingress', end: dst, allows: true, rule: 'NetworkPolicy ml-serving/iris-ingress ingress[0]', action: 'Allow', location: { file: 'calico.yaml', line: 18, column: 5 }, why: 'rule' },
      { layer: 'Istio AuthorizationPolicy + PeerAuthentication', direction: 'ingress', end: dst, allows: true, rule: 'AuthorizationPolicy ml-serving/iris-predict rules[0]', action: 'Allow', location: { file: 'istio.yaml', line: 15, column: 5 }, why: 'rule' },
    ];
    const request = { allowed: true, protocol: 'TCP', port: 8080, method: 'POST', path: '/v1/models/iris:predict' };
    // The intent names workloads (ml-serving/gateway, ml-serving/iris): so does the counterexample, with the pods it tried.
    expect(only!.counterexample).toEqual({ src: 'ml-serving/notebook[Deployment]', dst: 'ml-serving/iris[Deployment]', pods: { src: 'ml-serving/notebook-1', dst: 'ml-serving/iris-1' }, ...request, layers: layers('ml-serving/notebook[Deployment]', 'ml-serving/iris[Deployment]') });
    expect(counterexampleText(only!.counterexample!)).toBe(
      'ml-serving/notebook[Deployment] => ml-serving/iris[Deployment] (pods ml-serving/notebook-1 => ml-serving/iris-1) : TCP 8080 POST /v1/models/iris:predict is allowed; ' +
        'Calico + Kubernetes NetworkPolicy egress of ml-serving/notebook[Deployment]: allows (Allow by NetworkPolicy ml-serving/clients-egress egress[0] at calico.yaml:32:5); ' +
        'Calico + Kubernetes NetworkPolicy ingress of ml-serving/iris[Deployment]: allows (Allow by NetworkPolicy ml-serving/iris-ingress ingress[0] at calico.yaml:18:5); ' +
        'Istio AuthorizationPolicy + PeerAuthentication ingress of ml-serving/iris[Deployment]: allows (Allow by AuthorizationPolicy ml-serving/iris-predict rules[0] at istio.yaml:15:5)',
    );
    // --resolution pod names the pods.
    const [byPod] = verify(LOOSE, undefined, 'pod');
    expect(byPod!.counterexample).toEqual({ src: 'ml-serving/notebook-1', dst: 'ml-serving/iris-1', ...request, layers: layers('ml-serving/notebook-1', 'ml-serving/iris-1') });
    // An intent that names pods gets pods by default; one that names a workload as ns/name[Kind] gets workloads.
    const podIntent = `- {name: the gateway pod may, from: ml-serving/gateway-1, to: ml-serving/iris-1, ports: [8080], methods: [POST], paths: [/v1/models/iris:predict], expect: allow}
- {name: no notebook, from: "ml-serving/notebook[Deployment]", to: ml-serving/iris-1, ports: [8080], methods: [POST], expect: deny}`;
    const [gatewayPod, notebook] = verify(LOOSE, podIntent);
    expect(gatewayPod!.holds).toBe(true);
    expect([notebook!.counterexample?.src, notebook!.counterexample?.dst, notebook!.counterexample?.pods]).toEqual(['ml-serving/notebook[Deployment]', 'ml-serving/iris[Deployment]', { src: 'ml-serving/notebook-1', dst: 'ml-serving/iris-1' }]);
    const [, notebookByPod] = verify(LOOSE, podIntent.replace('"ml-serving/notebook[Deployment]"', 'ml-serving/notebook-1'));
    expect([notebookByPod!.counterexample?.src, notebookByPod!.counterexample?.pods]).toEqual(['ml-serving/notebook-1', undefined]);
  });

  it('L4 open is not enough: the notebook reaches 8080 through Calico, but Istio denies its requests, and says so', () => {
    const results = verify(undefined, `- {name: notebook may POST, from: ml-serving/notebook, to: ml-serving/iris, ports: [8080], methods: [POST], paths: [/v1/models/iris:predict], expect: allow}
- {name: notebook may not GET anything, from: ml-serving/notebook, to: ml-serving/iris, methods: [GET], expect: deny}
- {name: the gateway may not GET, from: ml-serving/gateway, to: ml-serving/iris, methods: [GET], expect: deny}
- {name: the gateway may POST any model, from: ml-serving/gateway, to: ml-serving/iris, ports: [8080], methods: [POST], paths: ["/v1/models/*:predict"], expect: allow}`);
    expect(results.map((r) => r.holds)).toEqual([false, true, true, false]);
    expect(results[0]!.counterexample).toMatchObject({ allowed: false, protocol: 'TCP', port: 8080, method: 'POST', path: '/v1/models/iris:predict' });
    expect(results[0]!.counterexample!.layers.map((l) => [l.layer, l.direction, l.allows, l.why])).toEqual([
      ['Calico + Kubernetes NetworkPolicy', 'egress', true, 'rule'],
      ['Calico + Kubernetes NetworkPolicy', 'ingress', true, 'rule'],
      ['Istio AuthorizationPolicy + PeerAuthentication', 'ingress', false, 'no rule matched'],
    ]);
    // The policy names one model; the intent's pattern takes every model: another one is denied.
    const other = results[3]!.counterexample!;
    expect([other.method, other.port, other.allowed]).toEqual(['POST', 8080, false]);
    expect(other.path).not.toBe('/v1/models/iris:predict');
    expect(other.path!.startsWith('/v1/models/') && other.path!.endsWith(':predict')).toBe(true);
  });

  it('a port outside the intent is not its business; a port inside is', () => {
    const results = verify(LOOSE, `- {name: 9090 only, to: ml-serving/iris, ports: [9090], onlyFrom: [ml-serving/gateway]}
- {name: 8080 GET, to: ml-serving/iris, ports: [8080], methods: [GET], onlyFrom: [ml-serving/gateway]}
- {name: 8080 POST elsewhere, to: ml-serving/iris, ports: [8080], methods: [POST], paths: ["/v2/*"], onlyFrom: [ml-serving/gateway]}`);
    expect(results.map((r) => r.holds)).toEqual([true, true, true]);
  });

  it('an inner "*" is a prefix and a suffix that do not overlap', () => {
    const results = verify(
      (f, t) => (f === 'istio.yaml' ? t.replace('paths: [/v1/models/iris:predict]', 'paths: ["/v1/models/iris:predict", "/ab"]').replace('principals: [cluster.local/ns/ml-serving/sa/gateway]', 'namespaces: [ml-serving]') : t),
      `- {name: a*b, to: ml-serving/iris, paths: ["/a*b"], onlyFrom: [ml-serving/gateway]}
- {name: ab*b, to: ml-serving/iris, paths: ["/ab*b"], onlyFrom: [ml-serving/gateway]}`,
    );
    // "/ab" is "/a" + "" + "b"; it is not "/ab" + "" + "b".
    expect(results.map((r) => [r.holds, r.counterexample?.path])).toEqual([
      [false, '/ab'],
      [true, undefined],
    ]);
  });
});

describe('intents with methods and paths: parsing', () => {
  const parse = (body: string) => parseIntents(loadText('i.yaml', intentsText(body)).resources[0]!);
  it('reads methods and paths, and means every TCP port when ports are left out', () => {
    const { intents, errors } = parse('- {to: a/b, methods: [POST, POST], paths: ["/v1/models/*:predict"], onlyFrom: [a/c]}');
    expect(errors).toEqual([]);
    expect(intents[0]!.http).toEqual({ methods: ['POST'], paths: ['/v1/models/*:predict'] });
    expect(intents[0]!.ports!.toString()).toBe('TCP 1-65535');
  });
  it('refuses HTTP over UDP, two stars, lower-case methods, and methods beside onlyTo, each at its place', () => {
    const { errors } = parse(`- {to: a/b, ports: [53/UDP], methods: [GET], onlyFrom: [a/c]}
- {to: a/b, paths: ["/a*b*"], onlyFrom: [a/c]}
- {to: a/b, methods: [get], onlyFrom: [a/c]}
- {from: a/b, methods: [GET], onlyTo: [{peer: a/c, ports: [53/UDP], methods: [GET]}]}`);
    expect(errors.map((e) => `${e.location?.line}: ${e.message}`)).toEqual([
      '4: invalid intent: methods and paths need TCP ports',
      '5: invalid intent: a path holds at most one "*"',
      '6: invalid intent: a method is an upper-case HTTP method such as GET or POST',
      '7: invalid intent: methods and paths need TCP ports',
      '7: invalid intent: onlyTo needs from, and takes its ports, methods and paths per destination',
    ]);
  });
});
