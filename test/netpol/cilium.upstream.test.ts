import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { fqdnSelector } from '../../src/netpol/cilium/fqdn.js';
import { canonicalHeader } from '../../src/netpol/cilium/l7.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import { allowedBetween, buildMeshModel, type MeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet, parseCidr } from '../../src/netpol/sets/ipSet.js';

/**
 * The Cilium layer against Cilium's own examples, docs and code (cilium/cilium, Apache-2.0). Each case
 * names its source: an example or doc at the commit given, or the agent code of Cilium v1.20.0-pre.4
 * (commit 2efb257c8533, as vendored by cilium/cilium-cli e694be34c478), whose behaviour the case
 * transcribes. Example policies are copied from the upstream files (Apache-2.0, "Copyright Authors of
 * Cilium"); the pods are ours. Each flow is [source, destination, protocol, port or ICMP type, allowed],
 * with an optional request (method, path, headers) for TCP.
 */

const EXAMPLES = (path: string, commit: string): string => `cilium/cilium ${path} @ ${commit}`;
/** Cases of the validation tests, at the version the code index holds (its checks are unchanged in v1.20.0-pre.4's rule_validation.go). */
const RULE_VALIDATION_TEST = (test: string): string => `cilium/cilium pkg/policy/api/rule_validation_test.go ${test} @ 03777e0ce0f158122ed802bbd115b51ece848158`;
const AGENT = (path: string): string => `cilium/cilium ${path} @ 2efb257c8533 (v1.20.0-pre.4, vendored by cilium-cli e694be34c478)`;

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {kubernetes.io/metadata.name: default}}
---
apiVersion: v1
kind: Namespace
metadata: {name: production, labels: {kubernetes.io/metadata.name: production, team: blue}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {kubernetes.io/metadata.name: other}}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend, namespace: default, labels: {role: frontend}}
spec: {serviceAccountName: frontend, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: backend, namespace: default, labels: {role: backend, app: myService}}
spec: {serviceAccountName: backend, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080, protocol: TCP}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: restricted, namespace: default, labels: {role: restricted}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: default, labels: {app: db, statefulset.kubernetes.io/pod-name: db-0, controller-revision-hash: db-5d4}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: production, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: strict, namespace: other, labels: {role: client, cilium.example.com/policy: strict}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: other, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}
`;

type Request = { method?: string; path?: string; headers?: string[] };
type Flow = [src: string, dst: string, proto: 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | 'VRRP', port: number, allowed: boolean, request?: Request];

interface Case {
  name: string;
  source: string;
  policies: string;
  flows?: Flow[];
  /** `CODE line:column` of each input error, in order; [] when none. */
  errors?: string[];
  /** Codes of the warnings (with line:column), the node-to-pod note aside. */
  warnings?: string[];
  /** Where the once-per-input CILIUM_LOCAL_HOST_ALLOWED note is. */
  notes?: string[];
}

const PROTO = { TCP: 6, UDP: 17, ICMP: 1, ICMPv6: 58, VRRP: 112 } as const;
// The policies start on the line after PODS and the separator.
const POD_LINES = PODS.split('\n').length + 1;

function build(policies: string, flows: readonly Flow[]): { model: MeshModel; errors: string[]; warnings: string[]; notes: string[] } {
  const loaded = loadText('cilium.yaml', `${PODS}\n---\n${policies}`);
  const paths = flows.flatMap((f) => (f[5]?.path ? [f[5].path] : []));
  const headers = flows.flatMap((f) => (f[5]?.headers ?? []).map(canonicalHeader));
  const model = buildMeshModel(loaded.resources, { paths, headers });
  // Positions are given relative to the policies text, so each case reads on its own.
  const where = (e: { code: string; location?: { line: number; column: number } }): string => `${e.code} ${(e.location?.line ?? 0) - POD_LINES}:${e.location?.column}`;
  // The node-to-pod note is said once per input; its own case checks it.
  return { model, errors: model.errors.map(where), warnings: model.warnings.filter((w) => w.code !== 'CILIUM_LOCAL_HOST_ALLOWED').map(where), notes: model.warnings.filter((w) => w.code === 'CILIUM_LOCAL_HOST_ALLOWED').map(where) };
}

function peer(model: MeshModel, name: string): Parameters<typeof allowedBetween>[1] {
  if (name.startsWith('ip:')) {
    const text = name.slice(3);
    const parsed = parseCidr(`${text}/${text.includes(':') ? 128 : 32}`)!;
    return IpSet.range(parsed.family, parsed.first, parsed.last);
  }
  const ep = model.topology.endpoints.find((e) => e.name === name);
  if (!ep) throw new Error(`no endpoint ${name}`);
  return ep;
}

function allows(model: MeshModel, [src, dst, proto, port, , request]: Flow): boolean {
  const icmp = proto === 'ICMP' || proto === 'ICMPv6';
  const method = request?.method ? METHODS.indexOf(request.method as (typeof METHODS)[number]) : 0;
  const path = request?.path ? (model.paths.classOf(request.path) ?? 0) : 0;
  const carried = new Set((request?.headers ?? []).map(canonicalHeader));
  const mask = model.headers.reduce((m, h, bit) => (carried.has(h) ? m | (1 << bit) : m), 0);
  const point = [PROTO[proto], 40000, icmp ? 1 : port, icmp ? port : 0, 0, method, path, 0, mask];
  return allowedBetween(model, peer(model, src), peer(model, dst)).contains(point);
}

/** Pods for the named-port cases: web-a and web-b share one identity (same labels, namespace and service account), api-1 and api-2 another, whose pods give `http` two numbers. */
const NAMED_PORT_PODS = `apiVersion: v1
kind: Namespace
metadata: {name: ports}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ports, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-a, namespace: ports, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-b, namespace: ports, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: ports, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, namespace: ports, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
`;

const CASES: Case[] = [
  {
    name: 'L3/L4 combined: only frontend, only TCP/80',
    source: EXAMPLES('examples/policies/l4/l3_l4_combined.yaml', '669f18e3e0474760a42e86a2e5637e350384393d'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "l4-rule"
spec:
  endpointSelector:
    matchLabels:
      role: backend
  ingress:
  - fromEndpoints:
    - matchLabels:
        role: frontend
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, true],
      ['default/frontend', 'default/backend', 'TCP', 81, false],
      ['default/frontend', 'default/backend', 'UDP', 80, false],
      ['default/restricted', 'default/backend', 'TCP', 80, false],
      ['production/client', 'default/backend', 'TCP', 80, false],
      ['default/backend', 'default/frontend', 'TCP', 80, true],
    ],
  },
  {
    name: 'two rules are a union: frontend on every port, every peer on TCP/80',
    source: EXAMPLES('examples/policies/l4/multi_rule.yaml', '94b67c8507c1a6add0155aadd961293755f3c480'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "l4-rules"
spec:
  endpointSelector:
    matchLabels:
      role: backend
  ingress:
  - fromEndpoints:
    - matchLabels:
        role: frontend
  - toPorts:
    - ports:
      - port: "80"
        protocol: TCP
`,
    flows: [
      ['default/frontend', 'default/backend', 'UDP', 53, true],
      ['default/restricted', 'default/backend', 'TCP', 80, true],
      ['production/client', 'default/backend', 'TCP', 80, true],
      ['ip:8.8.8.8', 'default/backend', 'TCP', 80, true],
      ['default/restricted', 'default/backend', 'TCP', 81, false],
    ],
  },
  {
    name: 'deny.rst table, column 2: L3 and L4 allows, an L4 deny on 80',
    source: EXAMPLES('Documentation/security/policy/deny.rst', '94b67c8507c1a6add0155aadd961293755f3c480'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: allow, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
  - toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingressDeny:
  - toPorts: [{ports: [{port: "80", protocol: TCP}]}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 81, true],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/backend', 'ICMP', 8, true],
    ],
  },
  {
    name: 'deny.rst table, column 3: an L3 deny of the client wins over every allow',
    source: EXAMPLES('Documentation/security/policy/deny.rst', '94b67c8507c1a6add0155aadd961293755f3c480'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: allow, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
  - toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingressDeny:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 81, false],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/backend', 'ICMP', 8, false],
      ['default/restricted', 'default/backend', 'TCP', 80, true],
    ],
  },
  {
    name: 'deny.rst table, column 5: a deny-only policy puts the pod into default deny ("Pods will enter default-deny mode as soon a single policy selects it")',
    source: EXAMPLES('Documentation/security/policy/deny.rst', '94b67c8507c1a6add0155aadd961293755f3c480'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingressDeny:
  - toPorts: [{ports: [{port: "80", protocol: TCP}]}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 81, false],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/backend', 'ICMP', 8, false],
    ],
  },
  {
    name: 'external lockdown: deny world, allow all',
    source: EXAMPLES('examples/policies/l3/entities/from_world_deny.yaml', 'e0cc421a538bca20fe30f4e1fc8f04951a536993'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: "external-lockdown"
spec:
  endpointSelector: {}
  ingressDeny:
  - fromEntities:
    - "world"
  ingress:
  - fromEntities:
    - "all"
`,
    flows: [
      ['ip:8.8.8.8', 'default/backend', 'TCP', 80, false],
      ['ip:2001:db8::1', 'other/plain', 'UDP', 53, false],
      ['production/client', 'default/backend', 'TCP', 80, true],
      ['default/backend', 'ip:8.8.8.8', 'TCP', 443, true],
    ],
  },
  {
    name: 'egressDeny wins over an allow to all',
    source: EXAMPLES('examples/policies/l3/egress-deny/egress-deny.yaml', '669f18e3e0474760a42e86a2e5637e350384393d'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "deny-egress-example"
spec:
  endpointSelector:
    matchLabels:
      role: frontend
  egress:
  - toEntities:
    - all
  egressDeny:
  - toEndpoints:
    - matchLabels:
        role: backend
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/restricted', 'TCP', 80, true],
      ['default/frontend', 'ip:8.8.8.8', 'UDP', 53, true],
    ],
  },
  {
    name: 'egress: [{}] denies all egress and leaves ingress alone',
    source: EXAMPLES('examples/policies/l3/egress-default-deny/egress-default-deny.yaml', 'e0cc421a538bca20fe30f4e1fc8f04951a536993'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "deny-all-egress"
spec:
  endpointSelector:
    matchLabels:
      role: restricted
  egress:
  - {}
`,
    flows: [
      ['default/restricted', 'default/backend', 'TCP', 80, false],
      ['default/restricted', 'ip:8.8.8.8', 'UDP', 53, false],
      ['default/frontend', 'default/restricted', 'TCP', 80, true],
    ],
  },
  {
    name: 'toCIDR and toCIDRSet with except: outside addresses only',
    source: EXAMPLES('examples/policies/l3/cidr/cidr.yaml', '25972d8e8c67dd3a4d74c2dbea54461fa7f20707'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "cidr-rule"
spec:
  endpointSelector:
    matchLabels:
      app: myService
  egress:
  - toCIDR:
    - 20.1.1.1/32
  - toCIDRSet:
    - cidr: 10.0.0.0/8
      except:
      - 10.96.0.0/12
`,
    flows: [
      ['default/backend', 'ip:20.1.1.1', 'TCP', 443, true],
      ['default/backend', 'ip:20.1.1.2', 'TCP', 443, false],
      ['default/backend', 'ip:10.1.2.3', 'UDP', 53, true],
      ['default/backend', 'ip:10.96.0.1', 'TCP', 443, false],
      ['default/backend', 'ip:10.111.255.255', 'TCP', 443, false],
      ['default/backend', 'default/frontend', 'TCP', 80, false],
    ],
  },
  {
    name: 'port range 80-444',
    source: EXAMPLES('examples/policies/l4/l4_port_range.yaml', '5954beaa7b0ee0ef63b2341fc62b670a92317905'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "l4-port-range-rule"
spec:
  endpointSelector:
    matchLabels:
      app: myService
  egress:
    - toPorts:
      - ports:
        - port: "80"
          endPort: 444
          protocol: TCP
`,
    flows: [
      ['default/backend', 'ip:1.1.1.1', 'TCP', 80, true],
      ['default/backend', 'ip:1.1.1.1', 'TCP', 444, true],
      ['default/backend', 'default/frontend', 'TCP', 443, true],
      ['default/backend', 'ip:1.1.1.1', 'TCP', 445, false],
      ['default/backend', 'ip:1.1.1.1', 'TCP', 79, false],
      ['default/backend', 'ip:1.1.1.1', 'UDP', 80, false],
    ],
  },
  {
    name: 'ICMP echo per family; other ICMP types and TCP denied',
    source: EXAMPLES('examples/policies/l4/icmp.yaml', 'c05f9e35990a8dd4cf0e4c89a713d0f671223b95'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "icmp-rule"
spec:
  endpointSelector:
    matchLabels:
      app: myService
  egress:
  - icmps:
    - fields:
      - type: 8
        family: IPv4
      - type: 128
        family: IPv6
`,
    flows: [
      ['default/backend', 'default/frontend', 'ICMP', 8, true],
      ['default/backend', 'ip:8.8.8.8', 'ICMP', 8, true],
      ['default/backend', 'ip:2001:db8::1', 'ICMPv6', 128, true],
      ['default/backend', 'default/frontend', 'ICMP', 0, false],
      ['default/backend', 'ip:2001:db8::1', 'ICMPv6', 8, false],
      ['default/backend', 'default/frontend', 'TCP', 80, false],
    ],
  },
  {
    name: 'HTTP rules: anchored path regexes, a header that must carry its value, the rest of port 80 denied',
    source: EXAMPLES('examples/policies/l7/http/http.yaml', '669f18e3e0474760a42e86a2e5637e350384393d'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "l7-rule"
spec:
  endpointSelector:
    matchLabels:
      app: myService
  ingress:
  - toPorts:
    - ports:
      - port: '80'
        protocol: TCP
      rules:
        http:
        - method: GET
          path: "/path1$"
        - method: PUT
          path: "/path2$"
          headers:
          - 'X-My-Header: true'
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, true, { method: 'GET', path: '/path1' }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'GET', path: '/path1/x' }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'GET', path: '/a/path1' }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'POST', path: '/path1' }],
      ['default/frontend', 'default/backend', 'TCP', 80, true, { method: 'PUT', path: '/path2', headers: ['X-My-Header: true'] }],
      ['default/frontend', 'default/backend', 'TCP', 80, true, { method: 'PUT', path: '/path2', headers: ['x-my-header: true'] }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'PUT', path: '/path2' }],
      ['default/frontend', 'default/backend', 'TCP', 81, false],
      ['default/frontend', 'default/backend', 'UDP', 80, false],
    ],
  },
  {
    // The example as published writes the operator "in": the CRD's enum (slim metav1
    // LabelSelectorRequirement, +kubebuilder:validation:Enum=In;NotIn;Exists;DoesNotExist) and the
    // agent's LabelSelectorAsSelector ("%q is not a valid label selector operator") refuse it.
    name: 'the published or-statement example writes operator "in", which Cilium refuses',
    source: EXAMPLES('examples/policies/l3/match-expressions/or-statement.yaml', 'ca295501c9be09190f5b548adf04fb311f354ef3'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "or-statement-policy"
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints:
    - matchExpressions:
      - key: "k8s:io.kubernetes.pod.namespace"
        operator: "in"
        values:
        - "production"
    - matchExpressions:
      - key: "k8s:cilium.example.com/policy"
        operator: "in"
        values:
        - "strict"
`,
    errors: ['CILIUM_INVALID_SELECTOR 11:9', 'CILIUM_INVALID_SELECTOR 16:9'],
  },
  {
    name: 'two fromEndpoints selectors are OR\'ed; the one without a namespace stays in the policy\'s (operator written In, as the CRD enum has it)',
    source: EXAMPLES('examples/policies/l3/match-expressions/or-statement.yaml', 'ca295501c9be09190f5b548adf04fb311f354ef3'),
    policies: `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "or-statement-policy"
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints:
    - matchExpressions:
      - key: "k8s:io.kubernetes.pod.namespace"
        operator: "In"
        values:
        - "production"
    - matchExpressions:
      - key: "k8s:cilium.example.com/policy"
        operator: "In"
        values:
        - "strict"
`,
    flows: [
      ['production/client', 'default/backend', 'TCP', 80, true],
      // utils.go getEndpointSelector adds the policy's namespace to the second selector.
      ['other/strict', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
    ],
  },
  {
    name: 'a namespace-label selector spans namespaces (getEndpointSelector adds no namespace)',
    source: AGENT('pkg/k8s/apis/cilium.io/utils/utils.go getEndpointSelector'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: team-blue, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {k8s:io.cilium.k8s.namespace.labels.team: blue}}]
`,
    flows: [
      ['production/client', 'default/backend', 'TCP', 80, true],
      ['other/plain', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
    ],
  },
  {
    name: 'labels the default label filter drops are not in identities: a selector on them matches no pod',
    source: AGENT('pkg/labelsfilter/filter.go defaultLabelPrefixCfg'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: by-pod-name, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {statefulset.kubernetes.io/pod-name: db-0}}]
  - fromEndpoints: [{matchLabels: {app: db}}]
    toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
`,
    flows: [
      ['default/db-0', 'default/backend', 'TCP', 80, false],
      ['default/db-0', 'default/backend', 'TCP', 5432, true],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:21'],
  },
  {
    name: 'on Cilium a Kubernetes NetworkPolicy selects identities too: controller-revision-hash matches no pod',
    source: AGENT('pkg/labelsfilter/filter.go defaultLabelPrefixCfg (`!controller-revision-hash`); cilium/cilium#18878'),
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-db, namespace: default}
spec:
  podSelector: {matchLabels: {role: backend}}
  ingress:
  - from: [{podSelector: {matchLabels: {controller-revision-hash: db-5d4}}}]
  - from: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5432}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: elsewhere, namespace: other}
spec:
  endpointSelector: {}
  ingress: [{fromEntities: [all]}]
`,
    flows: [
      ['default/db-0', 'default/backend', 'TCP', 80, false],
      ['default/db-0', 'default/backend', 'TCP', 5432, true],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:13'],
  },
  {
    name: "a CiliumNetworkPolicy's endpointSelector cannot leave its namespace: Cilium replaces k8s:io.kubernetes.pod.namespace",
    source: AGENT('pkg/k8s/apis/cilium.io/utils/utils.go ParseToCiliumRule'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: elsewhere, namespace: default}
spec:
  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: other, role: backend}}
  ingress: [{}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/frontend', 'other/plain', 'TCP', 80, true],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 5:22'],
  },
  {
    name: 'enableDefaultDeny.ingress false: the allow rule opens nothing new, the deny rule still denies',
    source: AGENT('pkg/policy/repository.go computePolicyEnforcementAndRules'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: audit, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  enableDefaultDeny: {ingress: false}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
  ingressDeny:
  - fromEndpoints: [{matchLabels: {role: restricted}}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, true],
      ['default/frontend', 'default/backend', 'TCP', 81, true],
      ['production/client', 'default/backend', 'UDP', 53, true],
      ['default/restricted', 'default/backend', 'TCP', 80, false],
    ],
  },
  {
    name: 'enableDefaultDeny for a direction without rules does nothing (a direction\'s rules carry it)',
    source: AGENT('pkg/policy/utils/parserules.go RulesToPolicyEntries'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lopsided, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  enableDefaultDeny: {egress: true}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
`,
    flows: [
      ['default/backend', 'ip:8.8.8.8', 'TCP', 443, true],
      ['default/frontend', 'default/backend', 'TCP', 80, true],
      ['default/restricted', 'default/backend', 'TCP', 80, false],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 6:23'],
  },
  {
    name: 'a rule with none of ingress, ingressDeny, egress, egressDeny is refused',
    source: AGENT('pkg/policy/api/rule_validation.go Rule.Sanitize'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: empty, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress: []
`,
    errors: ['CILIUM_NO_RULES 4:1'],
  },
  {
    name: 'an explicitly empty fromEndpoints selects no peer, so with toPorts it allows nothing',
    source: AGENT('pkg/policy/utils/parserules.go mergeEndpointSelectors'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: none, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: []
    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['ip:8.8.8.8', 'default/backend', 'TCP', 80, false],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:5'],
  },
  {
    name: 'a toPorts entry without ports matches nothing (mergeL4Filter iterates the ports)',
    source: AGENT('pkg/policy/rule.go mergeL4Filter'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: portless, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
    toPorts: [{}]
  - fromEndpoints: [{matchLabels: {role: restricted}}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['default/restricted', 'default/backend', 'TCP', 80, true],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 8:15'],
  },
  {
    name: 'entities: cluster-mesh is every pod here, none is nothing, world-ipv4 one family',
    source: AGENT('pkg/policy/api/entity.go EntitySelectorMapping'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: entities, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEntities: [cluster-mesh]
    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
  - fromEntities: [none]
  - fromEntities: [world-ipv4]
    toPorts: [{ports: [{port: "443", protocol: TCP}]}]
`,
    flows: [
      ['other/plain', 'default/backend', 'TCP', 80, true],
      ['other/plain', 'default/backend', 'TCP', 443, false],
      ['ip:8.8.8.8', 'default/backend', 'TCP', 443, true],
      ['ip:2001:db8::1', 'default/backend', 'TCP', 443, false],
      ['ip:8.8.8.8', 'default/backend', 'TCP', 80, false],
    ],
  },
  {
    name: 'CIDRs need a prefix length, and an except must lie inside its cidr',
    source: AGENT('pkg/policy/api/rule_validation.go CIDR.sanitize, CIDRRule.sanitize'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cidrs, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  egress:
  - toCIDR: [20.1.1.1]
  - toCIDRSet: [{cidr: 10.0.0.0/16, except: [10.1.0.0/24]}]
  - toCIDRSet: [{cidr: 10.0.0.0/16, except: [10.0.0.0/8]}]
  - toCIDRSet: [{cidr: 10.0.0.0/16, cidrGroupRef: group}]
`,
    errors: ['CILIUM_INVALID_CIDR 7:14', 'CILIUM_INVALID_CIDR 8:46', 'CILIUM_INVALID_CIDR 9:46', 'CILIUM_CONFLICTING_FIELDS 10:17'],
  },
  {
    name: 'L7 rules: HTTP only on a TCP port other than 0, DNS only on egress with ports, one L7 kind',
    source: AGENT('pkg/policy/api/rule_validation.go PortRule.sanitize, L7Rules.sanitize'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - toPorts: [{ports: [{port: "80"}], rules: {http: [{method: GET}]}}]
  - toPorts: [{ports: [{port: "0", protocol: TCP}], rules: {http: [{method: GET}]}}]
  - toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]
  egress:
  - toPorts: [{rules: {dns: [{matchPattern: "*"}]}}]
  - toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*"}], http: [{method: GET}]}}]
  - toPorts: [{ports: [{port: "53", endPort: 54, protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]
`,
    errors: ['CILIUM_CONFLICTING_FIELDS 7:24', 'CILIUM_CONFLICTING_FIELDS 8:25', 'CILIUM_CONFLICTING_FIELDS 9:62', 'CILIUM_CONFLICTING_FIELDS 11:24', 'CILIUM_CONFLICTING_FIELDS 12:54', 'CILIUM_INVALID_PORT 13:24'],
  },
  {
    name: 'ports: required; the protocol enum is upper case; an unparsable port is refused',
    source: AGENT('pkg/policy/api/rule_validation.go PortProtocol.sanitize; pkg/policy/api/l4.go (CRD enum)'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: ports, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - toPorts: [{ports: [{protocol: TCP}]}]
  - toPorts: [{ports: [{port: "80", protocol: tcp}]}]
  - toPorts: [{ports: [{port: "08"}]}]
  - toPorts: [{ports: [{port: "70000"}]}]
`,
    errors: ['CILIUM_INVALID_PORT 7:24', 'CILIUM_INVALID_PROTOCOL 8:37', 'CILIUM_INVALID_PORT 9:24', 'CILIUM_INVALID_PORT 10:24'],
  },
  {
    name: 'an endPort below port leaves the single port; a leading 0 is octal; port names are case-insensitive',
    source: AGENT('pkg/policy/l4.go keysForRange; rule_validation.go PortProtocol.sanitize (ParseUint base 0, IsSvcName, ToLower)'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: port-forms, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - toPorts: [{ports: [{port: "9090", endPort: 9000, protocol: TCP}]}]
  - toPorts: [{ports: [{port: "010", protocol: TCP}]}]
  - toPorts: [{ports: [{port: "HTTP", protocol: TCP}]}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 9090, true],
      ['default/frontend', 'default/backend', 'TCP', 9000, false],
      ['default/frontend', 'default/backend', 'TCP', 8, true],
      ['default/frontend', 'default/backend', 'TCP', 10, false],
      ['default/frontend', 'default/backend', 'TCP', 8080, true],
    ],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:39'],
  },
  {
    name: 'ICMP type names per family (Echo is 8; IPv6 ExtendedEchoRequest is 160)',
    source: AGENT('pkg/policy/api/icmp.go icmpIpv4TypeNameToCode, icmpIpv6TypeNameToCode'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: icmp-names, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - icmps: [{fields: [{type: Echo}, {type: ExtendedEchoRequest, family: IPv6}]}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'ICMP', 8, true],
      ['default/frontend', 'default/backend', 'ICMP', 42, false],
      ['ip:2001:db8::1', 'default/backend', 'ICMPv6', 160, true],
      ['ip:2001:db8::1', 'default/backend', 'ICMPv6', 128, false],
    ],
  },
  {
    name: 'headerMatches: a value with the default action must match; a LOG action restricts nothing',
    source: AGENT('pkg/envoy/policy/envoy_l7_rules_translator.go getHTTPRule; pkg/policy/api/http.go HeaderMatch'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: header-matches, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEndpoints: [{matchLabels: {role: frontend}}]
    toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules: {http: [{headerMatches: [{name: X-Token, value: "42"}]}]}
  - fromEndpoints: [{matchLabels: {role: restricted}}]
    toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules: {http: [{headerMatches: [{name: X-Token, value: "42", mismatch: LOG}]}]}
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, true, { method: 'GET', path: '/', headers: ['X-Token: 42'] }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'GET', path: '/' }],
      ['default/restricted', 'default/backend', 'TCP', 80, true, { method: 'GET', path: '/' }],
    ],
  },
  {
    name: 'a headers entry without a space names a header ("X-Key:true"), which no request carries',
    source: AGENT('pkg/envoy/policy/envoy_l7_rules_translator.go getHTTPRule (strings.SplitN(hdr, " ", 2))'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: header-forms, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules: {http: [{headers: ["X-Key:true"]}, {method: POST, headers: ["X-Other"]}]}
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'GET', path: '/', headers: ['X-Key: true'] }],
      ['default/frontend', 'default/backend', 'TCP', 80, true, { method: 'POST', path: '/', headers: ['X-Other'] }],
      ['default/frontend', 'default/backend', 'TCP', 80, false, { method: 'POST', path: '/' }],
    ],
  },
  {
    name: 'extended IP protocols take no port and are read with a warning that they need the agent flag',
    source: AGENT('pkg/policy/api/rule_validation.go isExtendedIPProtocol, PortProtocol.sanitize'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: vrrp, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - toPorts: [{ports: [{protocol: VRRP}]}]
  - toPorts: [{ports: [{port: "80", protocol: GRE}]}]
`,
    errors: ['CILIUM_INVALID_PORT 8:24'],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:25', 'CILIUM_OUT_OF_SCOPE 8:37'],
  },
  {
    name: 'fromRequires (removed in Cilium 1.19) is refused: the CRD keeps it with maxItems 0',
    source: AGENT('pkg/policy/api/ingress.go IngressCommonRule.FromRequires (+kubebuilder:validation:MaxItems=0); cilium/cilium#42615, #43167'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: requires, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromRequires: [{matchLabels: {env: prod}}]
  - fromEndpoints: [{matchLabels: {role: frontend}}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, true],
      ['default/restricted', 'default/backend', 'TCP', 80, true],
    ],
    errors: ['CILIUM_REMOVED_FIELD 7:5'],
  },
  {
    name: 'entities for nodes and Cilium\'s own endpoints match nothing the input describes, each with a warning; world-ipv4 is read as on a dual-stack cluster',
    source: AGENT('pkg/policy/api/entity.go EntitySelectorMapping; pkg/labels/cidr.go getWorldLabel ("if only one address family is enabled, then the \"world\" label is used")'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: entities, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromEntities: [host, remote-node, kube-apiserver, health, ingress, init, unmanaged]
  - fromEntities: [world-ipv4]
  egress:
  - toEntities: [cluster]
`,
    flows: [
      ['default/frontend', 'default/backend', 'TCP', 80, false],
      ['ip:203.0.113.7', 'default/backend', 'TCP', 80, true],
      ['ip:2001:db8::7', 'default/backend', 'TCP', 80, false],
      ['default/backend', 'other/plain', 'UDP', 53, true],
      ['default/backend', 'ip:203.0.113.7', 'TCP', 443, false],
    ],
    errors: [],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:20', 'CILIUM_OUT_OF_SCOPE 7:26', 'CILIUM_OUT_OF_SCOPE 7:39', 'CILIUM_OUT_OF_SCOPE 7:55', 'CILIUM_OUT_OF_SCOPE 7:63', 'CILIUM_OUT_OF_SCOPE 7:72', 'CILIUM_OUT_OF_SCOPE 7:78', 'CILIUM_OUT_OF_SCOPE 8:20'],
    notes: ['CILIUM_LOCAL_HOST_ALLOWED 6:3'],
  },
  {
    name: 'fromNodes is read with the node-selector flag on, selecting nodes the input lacks: nothing, with a warning; a deny-only policy still puts the pod into default deny',
    source: AGENT('pkg/policy/api/rule_validation.go IngressCommonRule.sanitize (ErrFromToNodesRequiresNodeSelectorOption)'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: nodes, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingressDeny:
  - fromNodes: [{matchLabels: {node-role.kubernetes.io/control-plane: ""}}]
`,
    flows: [['default/frontend', 'default/backend', 'TCP', 80, false]],
    errors: [],
    warnings: ['CILIUM_OUT_OF_SCOPE 7:5'],
    notes: ['CILIUM_LOCAL_HOST_ALLOWED 6:3'],
  },
  {
    name: 'egress to a named port resolves on the destination\'s identity: pods with the same identity labels share its number, and an identity whose pods give the name two numbers gets none',
    source: AGENT('pkg/types/portmap.go namedPortMultiMap.GetNamedPorts ("skipped ... if there are more than one port defined for the identity"); pkg/policy/l4.go ToMapState ("egress named port is resolved separately for each selector")'),
    policies: `${NAMED_PORT_PODS}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: to-http, namespace: ports}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toEndpoints: [{}]
    toPorts: [{ports: [{port: http, protocol: TCP}]}]
`,
    flows: [
      ['ports/client', 'ports/web-a', 'TCP', 8080, true],
      ['ports/client', 'ports/web-b', 'TCP', 8080, true],
      ['ports/client', 'ports/web-b', 'TCP', 9090, false],
      ['ports/client', 'ports/api-1', 'TCP', 8080, false],
      ['ports/client', 'ports/api-2', 'TCP', 9090, false],
    ],
    errors: [],
  },
  {
    name: 'ingress on a named port resolves on the pod itself: a pod without the name opens nothing, whatever its twins define',
    source: AGENT('pkg/policy/l4.go ToMapState (PolicyOwner.GetIngressNamedPort; "nothing to be done for undefined ingress named port"); pkg/types/portmap.go NamedPortMap.GetNamedPort'),
    policies: `${NAMED_PORT_PODS}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: from-client, namespace: ports}
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints: [{matchLabels: {role: client}}]
    toPorts: [{ports: [{port: http, protocol: TCP}]}]
`,
    flows: [
      ['ports/client', 'ports/web-a', 'TCP', 8080, true],
      ['ports/client', 'ports/web-b', 'TCP', 8080, false],
      ['ports/client', 'ports/api-1', 'TCP', 8080, true],
      ['ports/client', 'ports/api-2', 'TCP', 9090, true],
      ['ports/client', 'ports/api-2', 'TCP', 8080, false],
    ],
    errors: [],
  },
  {
    name: 'a named port with protocol ANY resolves separately for TCP, UDP and SCTP: each opens only a port of that name and protocol',
    source: AGENT('pkg/policy/rule.go resolveL4Policy (ANY split into TCP, UDP, SCTP filters); pkg/types/portmap.go GetNamedPort (ErrIncompatibleProtocol when the protocols differ)'),
    policies: `${NAMED_PORT_PODS}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: any-names, namespace: ports}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toEndpoints: [{matchLabels: {app: web}}]
    toPorts: [{ports: [{port: http}, {port: DNS}]}]
`,
    flows: [
      ['ports/client', 'ports/web-a', 'TCP', 8080, true],
      ['ports/client', 'ports/web-a', 'UDP', 8080, false],
      ['ports/client', 'ports/web-a', 'UDP', 53, true],
      ['ports/client', 'ports/web-a', 'TCP', 53, false],
      ['ports/client', 'ports/web-b', 'UDP', 53, true],
    ],
    errors: [],
  },
  {
    name: 'HTTP rules on a port that is not only TCP are refused, whatever the order of the ports; DNS rules need a port and stay off ingress; DNS on TCP and UDP 53 is fine',
    source: RULE_VALIDATION_TEST('TestL7RulesWithNonTCPProtocols'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7-udp, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - toPorts: [{ports: [{port: "80", protocol: UDP}], rules: {http: [{method: GET, path: /}]}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7-any, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - toPorts: [{ports: [{port: "80"}], rules: {http: [{method: GET, path: /}]}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7-mixed, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "12345", protocol: UDP}], rules: {http: [{method: GET, path: /}]}}]
  - toPorts: [{ports: [{port: "80", protocol: UDP}, {port: "12345", protocol: TCP}], rules: {http: [{method: GET, path: /}]}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: dns-misplaced, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - toPorts: [{ports: [{port: "53"}], rules: {dns: [{matchName: domain.com}]}}]
  egress:
  - toPorts: [{rules: {dns: [{matchName: domain.com}]}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: dns-both, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: frontend}}
  egress:
  - toEndpoints: [{}]
    toPorts: [{ports: [{port: "53", protocol: TCP}, {port: "53", protocol: UDP}], rules: {dns: [{matchName: domain.com}]}}]
`,
    flows: [
      ['default/frontend', 'default/backend', 'UDP', 53, true],
      ['default/frontend', 'default/backend', 'TCP', 53, true],
      ['default/frontend', 'default/backend', 'TCP', 80, false],
    ],
    errors: ['CILIUM_CONFLICTING_FIELDS 7:37', 'CILIUM_CONFLICTING_FIELDS 15:24', 'CILIUM_CONFLICTING_FIELDS 23:69', 'CILIUM_CONFLICTING_FIELDS 24:37', 'CILIUM_CONFLICTING_FIELDS 32:47', 'CILIUM_CONFLICTING_FIELDS 34:24'],
  },
  {
    name: '"*" is not a regular expression: as a path or a method it is refused',
    source: RULE_VALIDATION_TEST('TestHTTPRuleRegexes'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: star, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints: [{}]
    toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}], rules: {http: [{method: GET, path: "*"}, {method: "*", path: /}]}}]
`,
    errors: ['CILIUM_INVALID_REGEX 8:112', 'CILIUM_INVALID_REGEX 8:125'],
  },
  {
    name: 'a CIDR with a dotted, non-contiguous mask is refused; 0.0.0.0/0, ::/0 and full-length prefixes are accepted',
    source: RULE_VALIDATION_TEST('TestCIDRsanitize'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cidrs, namespace: default}
spec:
  endpointSelector: {matchLabels: {role: backend}}
  ingress:
  - fromCIDR: [0.0.0.0/0, 10.0.0.0/24, 192.0.2.3/32, ::/0, ff02::/64, 2001:0db8:85a3:0000:0000:8a2e:0370:7334/128]
  - fromCIDR: [10.0.0.0/254.0.0.255]
`,
    errors: ['CILIUM_INVALID_CIDR 8:16'],
  },
  {
    name: 'a port rule takes at most 40 ports and an icmps entry at most 40 fields',
    source: RULE_VALIDATION_TEST('TestTooManyPortsRule; maxICMPFields in rule_validation.go @ 2efb257c8533'),
    policies: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: many, namespace: default}
spec:
  endpointSelector: {}
  ingress:
  - fromEndpoints: [{}]
    toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}, {port: "82", protocol: TCP}, {port: "83", protocol: TCP}, {port: "84", protocol: TCP}, {port: "85", protocol: TCP}, {port: "86", protocol: TCP}, {port: "87", protocol: TCP}, {port: "88", protocol: TCP}, {port: "89", protocol: TCP}, {port: "90", protocol: TCP}, {port: "91", protocol: TCP}, {port: "92", protocol: TCP}, {port: "93", protocol: TCP}, {port: "94", protocol: TCP}, {port: "95", protocol: TCP}, {port: "96", protocol: TCP}, {port: "97", protocol: TCP}, {port: "98", protocol: TCP}, {port: "99", protocol: TCP}, {port: "100", protocol: TCP}, {port: "101", protocol: TCP}, {port: "102", protocol: TCP}, {port: "103", protocol: TCP}, {port: "104", protocol: TCP}, {port: "105", protocol: TCP}, {port: "106", protocol: TCP}, {port: "107", protocol: TCP}, {port: "108", protocol: TCP}, {port: "109", protocol: TCP}, {port: "110", protocol: TCP}, {port: "111", protocol: TCP}, {port: "112", protocol: TCP}, {port: "113", protocol: TCP}, {port: "114", protocol: TCP}, {port: "115", protocol: TCP}, {port: "116", protocol: TCP}, {port: "117", protocol: TCP}, {port: "118", protocol: TCP}, {port: "119", protocol: TCP}, {port: "120", protocol: TCP}]}]
  - icmps: [{fields: [{type: 0}, {type: 1}, {type: 2}, {type: 3}, {type: 4}, {type: 5}, {type: 6}, {type: 7}, {type: 8}, {type: 9}, {type: 10}, {type: 11}, {type: 12}, {type: 13}, {type: 14}, {type: 15}, {type: 16}, {type: 17}, {type: 18}, {type: 19}, {type: 20}, {type: 21}, {type: 22}, {type: 23}, {type: 24}, {type: 25}, {type: 26}, {type: 27}, {type: 28}, {type: 29}, {type: 30}, {type: 31}, {type: 32}, {type: 33}, {type: 34}, {type: 35}, {type: 36}, {type: 37}, {type: 38}, {type: 39}, {type: 40}]}]
`,
    errors: ['CILIUM_INVALID_PORT 8:16', 'CILIUM_INVALID_ICMP 9:14'],
  },
];

describe('Cilium layer against Cilium\'s examples, docs and agent code', () => {
  for (const c of CASES) {
    it(`${c.name} [${c.source}]`, () => {
      const { model, errors, warnings, notes } = build(c.policies, c.flows ?? []);
      expect(errors).toEqual(c.errors ?? []);
      if (c.warnings) expect(warnings).toEqual(c.warnings);
      if (c.notes) expect(notes).toEqual(c.notes);
      for (const flow of c.flows ?? []) expect(allows(model, flow), JSON.stringify(flow)).toBe(flow[4]);
    });
  }
});

/**
 * matchPattern cases of pkg/fqdn/matchpattern/matchpattern_test.go (TestAnchoredMatchPatternMatching,
 * cilium/cilium @ 076bbeb36a867baf65fbae1f8c70b82a333841d7) and the examples of api.FQDNSelector's
 * MatchPattern comment (pkg/policy/api/fqdn.go @ 2efb257c8533). Upstream names end in "."; palisade's
 * selectors compare names without it (a trailing dot is stripped), and "" and "." are not names here.
 */
const FQDN_CASES: { pattern: string; accept: string[]; reject: string[]; source: string }[] = [
  { pattern: 'cilium.io.', accept: ['cilium.io'], reject: ['anysub.cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io'], source: 'matchpattern_test.go' },
  { pattern: '*.cilium.io.', accept: ['anysub.cilium.io'], reject: ['cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io'], source: 'matchpattern_test.go' },
  { pattern: '*.ci*.io.', accept: ['anysub.cilium.io', 'anysub.ci.io', 'anysub.ciliumandmore.io'], reject: ['cilium.io'], source: 'matchpattern_test.go' },
  { pattern: '*', accept: ['io', 'cilium.io', 'svc.cluster.local', 'service.namesace.svc.cluster.local', '_foobar._tcp.cilium.io'], reject: ['.io', '.cilium.io', '.svc.cluster.local'], source: 'matchpattern_test.go' },
  { pattern: '_foobar._tcp.cilium.io.', accept: ['_foobar._tcp.cilium.io'], reject: ['_tcp.cilium.io', 'cilium.io'], source: 'matchpattern_test.go' },
  { pattern: '*.*.cilium.io.', accept: ['_foobar._tcp.cilium.io'], reject: ['cilium.io', 'a.cilium.io'], source: 'matchpattern_test.go' },
  { pattern: '*cilium.io', accept: ['cilium.io', 'subcilium.io', 'sub-cilium.io'], reject: ['www.cilium.io', 'blog.cilium.io'], source: 'fqdn.go example 2' },
  { pattern: 'sub*.cilium.io', accept: ['sub.cilium.io', 'subdomain.cilium.io'], reject: ['www.cilium.io', 'blog.cilium.io', 'cilium.io', 'google.com'], source: 'fqdn.go example 3' },
  { pattern: '**.cilium.io', accept: ['app.cilium.io', 'test.app.cilium.io'], reject: ['cilium.io'], source: 'fqdn.go example 4' },
  { pattern: '***.cilium.io', accept: ['app.cilium.io', 'test.app.cilium.io'], reject: ['cilium.io'], source: 'matchpattern.go subdomainWildcardSpecifierPrefix `^[*]{2,}[.]`' },
  { pattern: '**', accept: ['io', 'a.b.c'], reject: ['.io'], source: 'matchpattern.go dnsWildcardRegex `^[*]{1,}[.]?$`' },
  { pattern: 'CILIUM.io', accept: ['cilium.io', 'Cilium.IO'], reject: ['cilium.iox'], source: 'matchpattern.go ToAnchoredRegexp (lower-cased)' },
];

describe('toFQDNs matchPattern as pkg/fqdn/matchpattern reads it', () => {
  for (const c of FQDN_CASES) {
    it(`${c.pattern} [${c.source}]`, () => {
      const s = fqdnSelector({ matchPattern: c.pattern });
      if ('error' in s) throw new Error(s.error);
      for (const name of c.accept) expect(s.regex.test(name.toLowerCase()), `${c.pattern} accepts ${name}`).toBe(true);
      for (const name of c.reject) expect(s.regex.test(name.toLowerCase()), `${c.pattern} rejects ${name}`).toBe(false);
    });
  }
});
