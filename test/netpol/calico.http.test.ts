import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * Calico `rules[].http` (libcalico-go HTTPMatch: methods OR'd, paths OR'd — `exact` or `prefix` —
 * and the two AND'ed; docs.tigera.io "Use HTTP methods and paths in policy rules": ingress only,
 * enforced by application layer policy): the rule matches only the HTTP requests it names.
 */
const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: ml, labels: {app: model}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ml, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
`;

const policy = (rules: string, egress = ''): string => `${PODS}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: model, namespace: ml}
spec:
  selector: app == 'model'
  types: [Ingress${egress ? ', Egress' : ''}]
  ingress:
${rules}${egress ? `\n  egress:\n${egress}` : ''}
`;

function build(text: string): { can: (method: string, path: string, proto?: number, port?: number) => boolean; model: ReturnType<typeof buildMeshModel>; ep: (n: string) => Endpoint } {
  const model = buildMeshModel(loadText('in.yaml', text).resources);
  const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (method: string, path: string, proto = 6, port = 8080): boolean =>
    allowedBetween(model, ep('ml/client'), ep('ml/model')).contains([proto, 1000, port, 0, 0, METHODS.indexOf(method as (typeof METHODS)[number]), model.paths.classOf(path)!, 0, 0]);
  return { can, model, ep };
}

describe('Calico http match', () => {
  it('an Allow rule with methods and paths admits only those requests (exact path, prefix path), over TCP', () => {
    const { can, model } = build(
      policy(`  - action: Allow
    http:
      methods: [GET]
      paths: [{exact: /healthz}, {prefix: /v1/models/}]`),
    );
    expect(model.errors.map((e) => e.message)).toEqual([]);
    expect(model.warnings.map((w) => `${w.code} ${w.location?.line}`)).toEqual(['CALICO_HTTP_NEEDS_ALP 20']);
    expect([can('GET', '/healthz'), can('GET', '/v1/models/iris'), can('GET', '/v1/models/')]).toEqual([true, true, true]);
    expect([can('POST', '/healthz'), can('GET', '/healthz/x'), can('GET', '/v1/model'), can('GET', '/v2')]).toEqual([false, false, false, false]);
    expect(can('GET', '/healthz', 17)).toBe(false);
  });

  it('a Deny rule with http denies only its requests; the others go on to the next rule', () => {
    const { can } = build(
      policy(`  - action: Deny
    http: {methods: [DELETE, PUT]}
  - action: Allow`),
    );
    expect([can('DELETE', '/x'), can('PUT', '/x'), can('GET', '/x'), can('POST', '/x')]).toEqual([false, false, true, true]);
    // Non-TCP is no HTTP request: the Deny does not match it.
    expect(can('GET', '/x', 17)).toBe(true);
  });

  it('only paths: every method on those paths; L4 fields of the rule still apply', () => {
    const { can } = build(
      policy(`  - action: Allow
    protocol: TCP
    destination: {ports: [8080]}
    http: {paths: [{prefix: /v1}]}`),
    );
    expect([can('GET', '/v1/x'), can('PATCH', '/v1'), can('GET', '/v1/x', 6, 9090), can('GET', '/v2')]).toEqual([true, true, false, false]);
  });

  it('on an egress rule http is reported and not applied (Calico applies it to ingress only)', () => {
    const { model, ep } = build(
      policy(
        `  - action: Allow`,
        `  - action: Allow
    http: {methods: [GET]}`,
      ),
    );
    expect(model.warnings.map((w) => w.code)).toEqual(['CALICO_OUT_OF_SCOPE']);
    expect(model.warnings[0]!.message).toContain('HTTP match applies to ingress rules only');
    expect(allowedBetween(model, ep('ml/model'), ep('ml/client')).isAll()).toBe(true);
  });

  it('refuses a path entry with both exact and prefix, or neither, and methods that are not a list, each at its place', () => {
    const { model } = build(
      policy(`  - action: Allow
    http:
      methods: GET
      paths: [{exact: /a, prefix: /b}, {}]`),
    );
    expect(model.errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column}`)).toEqual(['CALICO_INVALID_HTTP 21:7', 'CALICO_INVALID_HTTP 22:15', 'CALICO_INVALID_HTTP 22:40']);
  });
});
