import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * Issue 20: invalid Calico and Istio objects (bad selector expressions, unknown actions, conflicting
 * fields) are input errors with file:line:column, as for NetworkPolicy, and one bad object never hides
 * the others: every problem of the input is reported, and the valid policies are still read.
 */
const input = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: bad-selector, namespace: a}
spec:
  selector: app == web
  ingress: [{action: Allow}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: bad-action, namespace: a}
spec:
  selector: all()
  types: [Ingress]
  ingress:
  - action: Accept
  - action: Allow
    protocol: TCPX
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: bad-action, namespace: a}
spec:
  action: REJECT
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: both, namespace: a}
spec:
  selector: {matchLabels: {app: web}}
  targetRefs: [{kind: Service, name: web}]
  rules: [{from: [{source: {principals: [a], notPrincipals: [b]}}], when: [{key: "request.auth.claims[iss]"}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: good, namespace: a}
spec: {rules: [{to: [{operation: {methods: [GET]}}]}]}
`;

describe('invalid mesh objects are input errors at their place', () => {
  it('a bad Calico selector, a namespaced GlobalNetworkPolicy, an unknown Calico action and protocol, an unknown Istio action, selector beside targetRefs and a when condition without values: each reported with its line and column', () => {
    const model = buildMeshModel(loadText('in.yaml', input).resources);
    expect(model.errors.map((e) => `${e.code} ${e.location?.file}:${e.location?.line}:${e.location?.column}`)).toEqual([
      'CALICO_INVALID_SELECTOR in.yaml:11:3',
      'CALICO_GLOBAL_WITH_NAMESPACE in.yaml:16:30',
      'CALICO_INVALID_ACTION in.yaml:21:5',
      'CALICO_INVALID_PROTOCOL in.yaml:23:5',
      'ISTIO_INVALID_ACTION in.yaml:29:3',
      'ISTIO_CONFLICTING_FIELDS in.yaml:37:3',
      'ISTIO_INVALID_CONDITION in.yaml:38:76',
    ]);
    expect(model.errors[0]!.message).toBe('invalid Calico selector expression: expected a quoted string at offset 7 of "app == web"');
    expect(model.errors[2]!.message).toBe('a Calico rule action must be Allow, Deny, Pass or Log: got "Accept"');
    expect(model.errors[4]!.message).toBe('an AuthorizationPolicy action must be ALLOW, DENY, AUDIT or CUSTOM: got "REJECT"');
    // The valid AuthorizationPolicy is still read; the invalid ones are not half-applied.
    expect(model.istio.policies.map((p) => p.name)).toEqual(['a/good']);
  });
});

describe('Calico fields out of scope, and Log', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: a, labels: {app: cli}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: host}
spec:
  selector: app == 'web'
  applyOnForward: true
  preDNAT: true
  doNotTrack: true
  types: [Ingress]
  ingress:
  - action: Log
  - action: Allow
    protocol: TCP
    destination: {ports: [80]}
`;

  it('applyOnForward, preDNAT and doNotTrack are reported where they are written, and the policy is read as without them; a Log rule goes on to the next rule', () => {
    const model = buildMeshModel(loadText('in.yaml', text).resources);
    expect(model.errors).toEqual([]);
    expect(model.warnings.map((w) => `${w.code} ${w.location?.line}: ${w.message}`)).toEqual([
      'CALICO_OUT_OF_SCOPE 16: not modelled (reported, ignored): applyOnForward: the policy is evaluated as if it were false',
      'CALICO_OUT_OF_SCOPE 17: not modelled (reported, ignored): preDNAT: the policy is evaluated as if it were false',
      'CALICO_OUT_OF_SCOPE 18: not modelled (reported, ignored): doNotTrack: the policy is evaluated as if it were false',
    ]);
    const [web, cli] = model.topology.endpoints;
    const allowed = model.calico.verdict(web!, 'ingress', cli!).allowed;
    // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
    expect([allowed.contains([6, 1000, 80, 0, 0, 0, 0, 0, 0]), allowed.contains([6, 1000, 81, 0, 0, 0, 0, 0, 0]), allowed.contains([17, 1000, 80, 0, 0, 0, 0, 0, 0])]).toEqual([true, false, false]);
  });
});

describe('Istio AuthorizationPolicies that do not decide offline', () => {
  it('CUSTOM and AUDIT are reported and not evaluated (an ALLOW beside them still is); targetRefs is reported and its policy not applied', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: a}
spec:
  action: CUSTOM
  provider: {name: opa}
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: audit, namespace: a}
spec:
  action: AUDIT
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: waypoint, namespace: a}
spec:
  targetRefs: [{kind: Service, group: "", name: web}]
  rules: [{to: [{operation: {methods: [GET]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: get-only, namespace: a}
spec:
  rules: [{to: [{operation: {methods: [GET]}}]}]
`;
    const model = buildMeshModel(loadText('in.yaml', text).resources);
    expect(model.errors).toEqual([]);
    expect(model.warnings.map((w) => `${w.code} ${w.location?.line}: ${w.message}`)).toEqual([
      'ISTIO_OUT_OF_SCOPE 10: not decidable from manifests (reported): CUSTOM policies are not evaluated',
      'ISTIO_OUT_OF_SCOPE 18: not decidable from manifests (reported): AUDIT policies are not evaluated',
      'ISTIO_OUT_OF_SCOPE 25: not decidable from manifests (reported): targetRefs (waypoints and gateways) are not modelled; the policy is not applied',
    ]);
    expect(model.istio.policies.map((p) => `${p.name} ${p.action} ${p.selected.size}`)).toEqual(['a/waypoint ALLOW 0', 'a/get-only ALLOW 1']);
  });
});

describe('policies the layered engine does not evaluate', () => {
  it('on a Cilium cluster, warns at each AdminNetworkPolicy and ClusterNetworkPolicy (Cilium does not enforce them by default)', () => {
    const loaded = loadText(
      'in.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: allow, namespace: a}
spec: {endpointSelector: {}, ingress: [{fromEntities: [all]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp}
spec: {priority: 1, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: cnp}
spec: {tier: Admin, priority: 0, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
`,
    );
    const model = buildMeshModel(loaded.resources);
    // The Cilium policy also gets its node-to-pod note, at its ingress.
    expect(model.warnings.map((w) => `${w.code} ${w.location?.line}:${w.location?.column}`)).toEqual(['MESH_ADMIN_POLICY_NOT_ENFORCED 12:1', 'MESH_ADMIN_POLICY_NOT_ENFORCED 17:1', 'CILIUM_LOCAL_HOST_ALLOWED 9:30']);
    expect(model.warnings[0]!.message).toContain('Cilium implements neither AdminNetworkPolicy nor BaselineAdminNetworkPolicy');
    expect(model.warnings[1]!.message).toContain('ClusterNetworkPolicy only from v1.20 behind a flag');
  });

  it('a Calico selector nested thousands of levels deep is an input error, not a stack overflow; one 256 levels deep is read (found by the netpol fuzz target)', () => {
    const policy = (selector: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: a, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: deep}\nspec:\n  selector: "${selector}"\n  types: [Ingress]\n  ingress: [{action: Allow}]\n`;
    const selector = `${'!('.repeat(5000)}has(app)${')'.repeat(5000)}`;
    const deep = buildMeshModel(loadText('in.yaml', policy(selector)).resources);
    // The message quotes the 60 characters about the offset, not the 10,000 of the selector.
    expect(deep.errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column} ${e.message}`)).toEqual([
      `CALICO_INVALID_SELECTOR 10:3 invalid Calico selector expression: more than 256 nested "!" and "(": palisade does not read a selector this deep at offset 257 of …"${'(!'.repeat(30)}"…`,
    ]);
    expect(buildMeshModel(loadText('in.yaml', policy(`${'('.repeat(256)}has(app)${')'.repeat(256)}`)).resources).errors).toEqual([]);
  });
});
