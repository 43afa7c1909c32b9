import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * Cilium's HTTP rules end to end against a naive per-request oracle: Envoy matches `method` and `path`
 * as regular expressions against the whole value (safe_regex, RE2 full match), one rule of a port
 * allows a request when all its fields match, the rules of a port are OR'ed, a request on the port
 * that no rule allows is denied, an ingressDeny on the port denies every request, and a port without
 * rules is open. The oracle runs JavaScript's RegExp as `^(?:re)$`, which agrees with RE2 on these
 * regexes. Regexes palisade cannot read as an exact, prefix or suffix pattern are warned and read as
 * matching every path; the generator keeps to readable ones, plus `.*`, `.+` and "" (every path).
 */

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: app, labels: {role: model}}
spec: {containers: [{name: c, image: x}]}
`;

interface HttpRule {
  method?: string;
  path?: string;
}
interface PortRule {
  port: number;
  http?: HttpRule[];
}

const segment = fc.constantFrom('v1', 'models', 'iris', 'predict', 'a.b', 'x');
const literalPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`);
/** Path regexes as people write them for Cilium, with the literal's dots escaped or not. */
const pathRegex = fc.oneof(
  literalPath.map((p) => p.replace(/\./g, '\\.')),
  literalPath.map((p) => `^${p.replace(/\./g, '\\.')}$`),
  literalPath.map((p) => `${p.replace(/\./g, '\\.')}/.*`),
  literalPath.map((p) => `${p.replace(/\./g, '\\.')}.*`),
  fc.constantFrom('.*', '.+', '', '/.*', '.*/predict', '.*\\.b'),
);
const methodRegex = fc.constantFrom('GET', 'POST', 'GET|POST', 'P.*', '', 'PUT|DELETE');
const httpRule: fc.Arbitrary<HttpRule> = fc.record({ method: methodRegex, path: pathRegex }, { requiredKeys: [] });
const portRule: fc.Arbitrary<PortRule> = fc.record({ port: fc.constantFrom(80, 8080), http: fc.array(httpRule, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['port'] });
const request = fc.record({
  port: fc.constantFrom(80, 8080, 9090),
  method: fc.constantFrom(...METHODS),
  path: fc.oneof(literalPath, literalPath.map((p) => `${p}/predict`), fc.constantFrom('/', '/v1/models/iris:predict', '/a.b', '/aXb', '/v1.json', '/x/a.b')),
});

const full = (re: string, value: string): boolean => re === '' || new RegExp(`^(?:${re})$`).test(value);

function naiveAllows(rules: readonly PortRule[], denied: readonly number[], r: { port: number; method: string; path: string }): boolean {
  if (denied.includes(r.port)) return false;
  return rules.some((pr) => pr.port === r.port && (!pr.http || pr.http.some((h) => full(h.method ?? '', r.method) && full(h.path ?? '', r.path))));
}

describe('Cilium HTTP rules', () => {
  it('allow a request exactly when some rule of its port fully matches its method and path, and no deny takes the port', () => {
    fc.assert(
      fc.property(fc.array(portRule, { minLength: 1, maxLength: 3 }), fc.subarray([80, 8080, 9090]), fc.array(request, { minLength: 1, maxLength: 8 }), (rules, denied, requests) => {
        const toPorts = rules.map((pr) => ({ ports: [{ port: String(pr.port), protocol: 'TCP' }], ...(pr.http ? { rules: { http: pr.http } } : {}) }));
        const policy = {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata: { name: 'l7', namespace: 'app' },
          spec: {
            endpointSelector: { matchLabels: { role: 'model' } },
            ingress: [{ fromEndpoints: [{ matchLabels: { role: 'client' } }], toPorts }],
            ...(denied.length > 0 ? { ingressDeny: [{ toPorts: [{ ports: denied.map((port) => ({ port: String(port), protocol: 'TCP' })) }] }] } : {}),
          },
        };
        const loaded = loadText('l7.yaml', `${PODS}\n---\n${JSON.stringify(policy)}`);
        const model = buildMeshModel(loaded.resources, { paths: requests.map((r) => r.path) });
        expect(model.errors.map((e) => e.message)).toEqual([]);
        // The generator writes only regexes palisade reads exactly: no "read as matching every path" warning.
        expect(model.warnings.filter((w) => w.message.includes('read as matching every'))).toEqual([]);
        const client = model.topology.endpoints.find((e) => e.name === 'app/client')!;
        const target = model.topology.endpoints.find((e) => e.name === 'app/model')!;
        const allowed = allowedBetween(model, client, target);
        for (const r of requests) {
          const point = [6, 40000, r.port, 0, 0, METHODS.indexOf(r.method), model.paths.classOf(r.path)!, 0, 0];
          expect(allowed.contains(point), `${r.method} ${r.path} :${r.port}`).toBe(naiveAllows(rules, denied, r));
        }
      }),
      { numRuns: 80 },
    );
  });
});

