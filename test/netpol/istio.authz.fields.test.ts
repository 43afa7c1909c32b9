import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { StringClasses } from '../../src/netpol/layers/l7Classes.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

/**
 * AuthorizationPolicy `source.serviceAccounts` / `notServiceAccounts` (istio.io API, Source): `<ns>/<name>`, or
 * `<name>` in the policy's namespace, read from the peer's mTLS certificate (pilot's serviceAccountRegex
 * matches `/ns/<ns>/.../sa/<name>`); "Cannot set serviceAccounts with namespaces or principals"; "No form of
 * wildcard (`*`) is allowed". These fields were once ignored, which read a DENY from one account as a DENY
 * from everyone.
 */

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: ml, labels: {app: server}}
spec: {serviceAccountName: server, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: gateway, namespace: ml, labels: {app: gateway}}
spec: {serviceAccountName: gateway, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: gateway, namespace: other, labels: {app: gateway}}
spec: {serviceAccountName: gateway, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: legacy, namespace: other, labels: {app: legacy}, annotations: {sidecar.istio.io/inject: "false"}}
spec: {serviceAccountName: gateway, containers: [{name: c, image: x}]}
`;

const SOURCES = ['ml/gateway', 'other/gateway', 'other/legacy', 'outside'] as const;

function model(policy: string) {
  return buildMeshModel(loadText('in.yaml', `${PODS}\n---\n${policy}`).resources);
}

/** Which of SOURCES may open TCP :8080 to ml/server. */
function reaching(policy: string): string[] {
  const m = model(policy);
  expect(m.errors.map((e) => e.message)).toEqual([]);
  const ep = (id: string) => m.topology.endpoints.find((e) => e.name === id)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  return SOURCES.filter((s) => allowedBetween(m, s === 'outside' ? IpSet.all(4) : ep(s), ep('ml/server')).contains([6, 1000, 8080, 0, 0, 0, 0, 0, 0]));
}

const policy = (action: string, source: string): string => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ml}
spec:
  selector: {matchLabels: {app: server}}
  action: ${action}
  rules: [{from: [{source: ${source}}]}]
`;

describe('Istio serviceAccounts', () => {
  it('a bare name is in the policy\'s namespace; ns/name names another; plaintext has no account', () => {
    expect(reaching(policy('ALLOW', '{serviceAccounts: [gateway]}'))).toEqual(['ml/gateway']);
    expect(reaching(policy('ALLOW', '{serviceAccounts: [other/gateway]}'))).toEqual(['other/gateway']);
  });

  it('DENY from one account refuses that account only', () => {
    expect(reaching(policy('DENY', '{serviceAccounts: [other/gateway]}'))).toEqual(['ml/gateway', 'other/legacy', 'outside']);
  });

  it('notServiceAccounts alone also matches plaintext (an empty identity is no listed account)', () => {
    expect(reaching(policy('ALLOW', '{notServiceAccounts: [ml/gateway]}'))).toEqual(['other/gateway', 'other/legacy', 'outside']);
  });

  it('when source.serviceAccount narrows the source as the field does', () => {
    const p = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ml}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{when: [{key: source.serviceAccount, values: [gateway]}]}]
`;
    expect(reaching(p)).toEqual(['ml/gateway']);
  });

  it('input errors: with principals or namespaces, a wildcard, an unknown when key; each at its file:line', () => {
    const m = model(`${policy('ALLOW', '{serviceAccounts: [gateway], namespaces: [ml]}')}
---
${policy('DENY', '{notServiceAccounts: ["ml/*"]}')}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: typo, namespace: ml}
spec:
  rules: [{when: [{key: source.service_account, values: [gateway]}]}]
`);
    expect(m.errors.map((e) => [e.code, e.location?.line, e.message])).toEqual([
      ['ISTIO_CONFLICTING_FIELDS', 30, 'conflicting fields: serviceAccounts cannot be set with namespaces or principals'],
      ['ISTIO_INVALID_SERVICE_ACCOUNT', 40, 'a serviceAccounts entry is <namespace>/<name> or <name> (the policy\'s namespace), without "*": got "ml/*"'],
      ['ISTIO_INVALID_CONDITION', 47, 'invalid when condition: unknown attribute "source.service_account"'],
    ]);
  });

  it('trustDomains: matched against cluster.local, with a warning that says so', () => {
    const p = policy('ALLOW', '{trustDomains: ["cluster.*"]}');
    expect(reaching(p)).toEqual(['ml/gateway', 'other/gateway']);
    expect(reaching(policy('ALLOW', '{trustDomains: [example.org]}'))).toEqual([]);
    expect(model(p).warnings.map((w) => w.code)).toEqual(['ISTIO_OUT_OF_SCOPE']);
  });
});

describe('Istio path templates', () => {
  const templatePolicy = (paths: string[]) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ml}
spec:
  rules: [{to: [{operation: {paths: ${JSON.stringify(paths)}}}]}]
`;
  /** Whether a request for `path` reaches ml/server under an ALLOW of these paths (TCP 8080, GET). */
  const allows = (paths: string[], path: string): boolean => {
    const m = model(templatePolicy(paths));
    expect(m.errors).toEqual([]);
    const ep = (name: string) => m.topology.endpoints.find((e) => e.name === name)!;
    const c = m.paths.classOf(path);
    return c !== undefined && allowedBetween(m, ep('ml/gateway'), ep('ml/server')).contains([6, 1000, 8080, 0, 0, 0, c, 0, 0]);
  };

  it('{*} is one non-empty segment of path characters, {**} any run of them and "/" (Envoy uri_template)', () => {
    expect(allows(['/v1/models/{*}'], '/v1/models/iris')).toBe(true);
    expect(allows(['/v1/models/{*}'], '/v1/models/')).toBe(false);
    expect(allows(['/v1/models/{*}'], '/v1/models/iris/predict')).toBe(false);
    expect(allows(['/v1/models/{*}'], '/v1/models/a=b')).toBe(false);
    expect(allows(['/files/{**}'], '/files/')).toBe(true);
    expect(allows(['/files/{**}'], '/files/a/b/c')).toBe(true);
    expect(allows(['/files/{**}'], '/files')).toBe(false);
    expect(allows(['/{**}/predict'], '/v1/models/iris/predict')).toBe(true);
    expect(allows(['/{**}/predict'], '//predict')).toBe(true);
    expect(allows(['/{**}/predict'], '/predict')).toBe(false);
    expect(allows(['/{*}/foo/'], '/x/foo/')).toBe(true);
    expect(allows(['/{*}/foo/'], '/x/foo')).toBe(false);
  });

  it('a set of paths a template names is written as its regex (CONVENTIONS.md patterns have no templates)', () => {
    const classes = new StringClasses(['/v1/{*}', '/v1/*'], false);
    expect(classes.describe(new Set(classes.classesOf('/v1/{*}')))).toEqual([{ regex: "/v1/[a-zA-Z0-9\\-._~%!$&'()+,;:@]+" }]);
    // Every pattern inside the set is listed, as for plain patterns, in the patterns' sorted order.
    expect(classes.describe(new Set(classes.classesOf('/v1/*')))).toEqual(['/v1/*', { regex: "/v1/[a-zA-Z0-9\\-._~%!$&'()+,;:@]+" }]);
  });

  it('templates Istio or Envoy refuse are ISTIO_PATH_TEMPLATE (the policy left out); a malformed "*" is ISTIO_INVALID_PATTERN', () => {
    const m = model(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ml}
spec:
  rules: [{to: [{operation: {paths: ["/v1/models/{*}:predict", "/files/{**}/{*}", "/foo/{*}/bar/*", "{*}/foo", "/a//{*}", "/k=v/{*}", "/ok/{**}/tail"], notPaths: ["/a*b"]}}]}]
`);
    expect(m.errors.map((e) => [e.code, e.message.slice(e.message.indexOf(': ') + 2)])).toEqual([
      ['ISTIO_PATH_TEMPLATE', '"/v1/models/{*}:predict": "{*}:predict": "{" and "}" only as a whole {*} or {**} segment (Istio)'],
      ['ISTIO_PATH_TEMPLATE', '"/files/{**}/{*}": {**} must be the last operator (Istio)'],
      ['ISTIO_PATH_TEMPLATE', '"/foo/{*}/bar/*": "*" is not a path segment literal (Istio)'],
      ['ISTIO_PATH_TEMPLATE', '"{*}/foo": a template must start with "/" (Envoy refuses it)'],
      ['ISTIO_PATH_TEMPLATE', '"/a//{*}": "" is not a path segment literal (Istio)'],
      ['ISTIO_PATH_TEMPLATE', '"/k=v/{*}": "=" in a template literal (Envoy refuses it)'],
      ['ISTIO_INVALID_PATTERN', 'got "/a*b"'],
    ]);
  });
});
