import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, computeMatrix, explain, toConnections, type CompatMode } from '../../src/netpol/index.js';

const lines = (yaml: string, mode: CompatMode = 'np-guard'): string[] => {
  const loaded = loadText('in.yaml', yaml);
  const model = buildModel(loaded.resources, mode);
  expect(model.errors).toEqual([]);
  return toConnections(computeMatrix(model, loaded.resources)).map((c) => `${c.src} => ${c.dst} : ${c.conns}`);
};

const pod = (name: string, ns: string, labels: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}${extra}}
spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}`;

describe('peers', () => {
  it('folds pods into their controller owner as written, keeps Node-owned and owner-less pods standalone', () => {
    const yaml = [
      pod('web-1', 'a', 'app: web', ', ownerReferences: [{kind: ReplicaSet, name: web-rs, controller: true}]'),
      pod('web-2', 'a', 'app: web', ', ownerReferences: [{kind: ReplicaSet, name: web-rs, controller: true}]'),
      pod('static', 'a', 'app: s', ', ownerReferences: [{kind: Node, name: node-1, controller: true}]'),
      pod('odd', 'a', 'app: o', ', ownerReferences: [{kind: "", name: odd-owner, controller: true}]'),
    ].join('\n---\n');
    const model = buildModel(loadText('in.yaml', yaml).resources, 'np-guard');
    expect(model.pods.map((p) => p.id)).toEqual(['a/odd-owner[Pod]', 'a/static[Pod]', 'a/web-rs[ReplicaSet]']);
    expect(model.namespaces.get('a')?.labels).toEqual({ 'kubernetes.io/metadata.name': 'a' });
    expect(model.warnings).toEqual([]);
  });

  it('names a nameless workload by its generateName, else Kind#index, so two of them stay two peers (was: both "a/[Job]", folded into one)', () => {
    const job = (meta: string, app: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata: {namespace: a${meta}}\nspec: {template: {metadata: {labels: {app: ${app}}}, spec: {containers: [{name: c, image: i}]}}}`;
    const yaml = [job(', generateName: train-', 'train'), job(', generateName: eval-', 'eval'), job('', 'other')].join('\n---\n');
    const model = buildModel(loadText('in.yaml', yaml).resources, 'cluster');
    expect(model.pods.map((p) => [p.id, p.labels.app])).toEqual([
      ['a/Job#2[Job]', 'other'],
      ['a/eval-[Job]', 'eval'],
      ['a/train-[Job]', 'train'],
    ]);
  });

  it('warns when pods folded into one owner have different labels', () => {
    const owned = ', ownerReferences: [{kind: ReplicaSet, name: rs, controller: true}]';
    const model = buildModel(loadText('in.yaml', `${pod('p1', 'a', 'app: web', owned)}\n---\n${pod('p2', 'a', 'app: web, canary: "true"', owned)}`).resources, 'np-guard');
    expect(model.pods.map((p) => [p.id, p.labels])).toEqual([['a/rs[ReplicaSet]', { app: 'web' }]]);
    expect(model.warnings.map((w) => [w.code, w.location?.line])).toEqual([['NETPOL_OWNER_LABELS_DIFFER', 8]]);
  });

  it('the default mode warns that hostNetwork pods cannot be isolated; np-guard mode treats them as ordinary pods', () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: x}\nspec: {hostNetwork: true, containers: [{name: c, image: i}]}';
    expect(buildModel(loadText('in.yaml', yaml).resources, 'cluster').warnings.map((w) => [w.code, w.location?.line])).toEqual([['NETPOL_CNI_HOST_NETWORK', 3]]);
    expect(buildModel(loadText('in.yaml', yaml).resources, 'np-guard').warnings).toEqual([]);
  });

  it('np-guard mode takes only built-in kinds; the default mode also takes ML workloads from the pod-spec table', () => {
    const yaml = `${pod('client', 'ml', 'app: client')}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: ml}
spec: {predictor: {containers: [{name: kserve-container, image: model:1}]}}`;
    expect(buildModel(loadText('in.yaml', yaml).resources, 'np-guard').pods.map((p) => p.id)).toEqual(['ml/client[Pod]']);
    expect(buildModel(loadText('in.yaml', yaml).resources, 'cluster').pods.map((p) => p.id)).toEqual(['ml/client[Pod]', 'ml/iris[InferenceService]']);
  });
});

describe('NetworkPolicy corner cases', () => {
  const deny = (ns: string, spec: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ${ns}}
spec:
${spec}`;

  it('egress: [] without policyTypes does not isolate egress; an explicit Egress type does', () => {
    const pods = `${pod('a', 'x', 'app: a')}\n---\n${pod('b', 'x', 'app: b')}`;
    expect(lines(`${pods}\n---\n${deny('x', '  podSelector: {matchLabels: {app: a}}\n  ingress: [{}]\n  egress: []')}`)).toContain('x/a[Pod] => x/b[Pod] : All Connections');
    expect(lines(`${pods}\n---\n${deny('x', '  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Egress]')}`).filter((l) => l.startsWith('x/a[Pod]'))).toEqual([]);
  });

  it('a UDP-only or SCTP-only rule never opens TCP, and still isolates', () => {
    const pods = `${pod('a', 'x', 'app: a')}\n---\n${pod('b', 'x', 'app: b')}`;
    expect(lines(`${pods}\n---\n${deny('x', '  podSelector: {matchLabels: {app: b}}\n  ingress: [{ports: [{protocol: SCTP}]}]')}`).filter((l) => l.includes('=> x/b'))).toEqual([
      '0.0.0.0-255.255.255.255[External] => x/b[Pod] : SCTP 1-65535',
      'x/a[Pod] => x/b[Pod] : SCTP 1-65535',
    ]);
  });

  it('label values are read as Kubernetes reads YAML: an unquoted y is a boolean, not a string', () => {
    const model = buildModel(loadText('in.yaml', deny('x', '  podSelector: {matchLabels: {answer: y}}')).resources, 'np-guard');
    expect(model.errors.map((e) => [e.code, e.location?.line])).toEqual([['NETPOL_INVALID_SELECTOR', 5]]);
  });

  it('one peer with both selectors is an AND; two peers are an OR', () => {
    const pods = [pod('a', 'x', 'app: a'), pod('b', 'z', 'app: b'), pod('c', 'z', 'app: c'), pod('srv', 'x', 'app: srv')].join('\n---\n');
    const and = deny('x', '  podSelector: {matchLabels: {app: srv}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}, podSelector: {matchLabels: {app: b}}}]}]');
    const or = deny('x', '  podSelector: {matchLabels: {app: srv}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}, {podSelector: {matchLabels: {app: a}}}]}]');
    expect(lines(`${pods}\n---\n${and}`).filter((l) => l.includes('=> x/srv'))).toEqual(['z/b[Pod] => x/srv[Pod] : All Connections']);
    expect(lines(`${pods}\n---\n${or}`).filter((l) => l.includes('=> x/srv'))).toEqual(['x/a[Pod] => x/srv[Pod] : All Connections', 'z/b[Pod] => x/srv[Pod] : All Connections', 'z/c[Pod] => x/srv[Pod] : All Connections']);
  });

  it('np-guard mode: an ipBlock never matches a pod; the default mode matches pod IPs', () => {
    const yaml = [
      pod('client', 'x', 'app: client'),
      pod('db', 'x', 'app: db'),
      deny('x', '  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.5/32}}]}]'),
    ].join('\n---\n');
    const withIp = yaml.replace('metadata: {name: db, namespace: x, labels: {app: db}}', 'metadata: {name: db, namespace: x, labels: {app: db}}\nstatus: {podIP: 10.0.0.5}');
    expect(lines(withIp, 'np-guard').filter((l) => l.startsWith('x/client'))).toEqual(['x/client[Pod] => 10.0.0.5-10.0.0.5[External] : All Connections']);
    expect(lines(withIp, 'cluster').filter((l) => l.startsWith('x/client'))).toEqual(['x/client[Pod] => 10.0.0.5-10.0.0.5[External] : All Connections', 'x/client[Pod] => x/db[Pod] : All Connections']);
  });

  it('the default mode keeps IPv6 apart, cut exactly by ipBlock except', () => {
    const yaml = [pod('a', 'x', 'app: a'), deny('x', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: "fd00::/8", except: ["fd00::/16"]}}]}]')].join('\n---\n');
    expect(lines(yaml, 'cluster')).toEqual([
      '0.0.0.0-255.255.255.255[External] => x/a[Pod] : All Connections',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => x/a[Pod] : All Connections',
      'x/a[Pod] => fd01::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections',
    ]);
  });
});

describe('explain', () => {
  it('names the admin rule that denies, with its file:line, before NetworkPolicies are consulted', () => {
    const yaml = `${pod('a', 'x', 'app: a')}
---
${pod('b', 'z', 'app: b')}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: isolate-z}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: z}}}
  ingress:
  - name: no-x
    action: Deny
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}]
    ports: [{portNumber: {protocol: TCP, port: 8080}}]`;
    const model = buildModel(loadText('in.yaml', yaml).resources, 'np-guard');
    const denied = explain(model, 'x/a[Pod]', 'z/b[Pod]', { protocol: 'TCP', port: 8080 });
    expect(denied?.allowed).toBe(false);
    expect(denied?.ingress.steps.map((s) => [s.tier, s.effect, s.rule.policy, s.rule.description, s.rule.location?.line])).toEqual([['AdminNetworkPolicy', 'deny', 'ANP isolate-z', 'ingress rule "no-x" (Deny)', 18]]);
    const other = explain(model, 'x/a[Pod]', 'z/b[Pod]', { protocol: 'TCP', port: 80 });
    expect(other?.allowed).toBe(true);
    expect(other?.ingress.steps.map((s) => [s.tier, s.effect])).toEqual([['default', 'allow']]);
    expect(other?.conns).toBe('SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535');
  });
});

describe('{ingress-controller}: pods that an Ingress or a Route exposes', () => {
  const deployment = (ports: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: model, namespace: ml}
spec: {selector: {matchLabels: {app: model}}, template: {metadata: {labels: {app: model}}, spec: {containers: [{name: c, image: i, ports: [${ports}]}]}}}`;
  const service = (ports: string): string => `apiVersion: v1
kind: Service
metadata: {name: model, namespace: ml}
spec: {selector: {app: model}, ports: [${ports}]}`;
  const ingress = (port: string): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: ml}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: model, port: {${port}}}}}]}}]}`;
  const route = (targetPort?: string): string => `apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: web, namespace: ml}
spec: {to: {kind: Service, name: model}${targetPort ? `, port: {targetPort: ${targetPort}}` : ''}}`;
  const controllerLines = (yaml: string, mode: CompatMode): string[] => lines(yaml, mode).filter((l) => l.startsWith('{ingress-controller}'));

  it('an Ingress reaches the target port of the service port it names; np-guard also needs the pod to declare it', () => {
    const yaml = [deployment('{containerPort: 8501}'), service('{name: http, port: 80, targetPort: 8501}, {name: grpc, port: 81, targetPort: 8500}'), ingress('number: 80')].join('\n---\n');
    expect(controllerLines(yaml, 'cluster')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    expect(controllerLines(yaml, 'np-guard')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    const undeclared = [deployment('{containerPort: 9000}'), service('{name: http, port: 80, targetPort: 8501}'), ingress('name: http')].join('\n---\n');
    expect(controllerLines(undeclared, 'cluster')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    expect(controllerLines(undeclared, 'np-guard')).toEqual([]);
  });

  it('np-guard matches an Ingress port number against target ports too, and takes the first match only', () => {
    const yaml = [deployment('{containerPort: 8501}, {containerPort: 8500}'), service('{port: 80, targetPort: 8501}, {port: 8501, targetPort: 8500}'), ingress('number: 8501')].join('\n---\n');
    expect(controllerLines(yaml, 'np-guard')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    // Kubernetes routes port 8501 of the Service, whose target is 8500.
    expect(controllerLines(yaml, 'cluster')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8500']);
  });

  it('a Route without a port reaches every service port; a named targetPort resolves on the pod', () => {
    const ports = '{name: http, containerPort: 8501}, {name: grpc, containerPort: 8500}';
    const all = [deployment(ports), service('{name: http, port: 80, targetPort: http}, {name: grpc, port: 81, targetPort: grpc}'), route()].join('\n---\n');
    expect(controllerLines(all, 'np-guard')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8500-8501']);
    expect(controllerLines(all, 'cluster')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8500-8501']);
    const one = [deployment(ports), service('{name: http, port: 80, targetPort: http}, {name: grpc, port: 81, targetPort: grpc}'), route('grpc')].join('\n---\n');
    expect(controllerLines(one, 'np-guard')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8500']);
    expect(controllerLines(one, 'cluster')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8500']);
  });

  it('np-guard counts a container port of any protocol as exposed for a numeric target port', () => {
    const yaml = [deployment('{containerPort: 8501, protocol: UDP}'), service('{port: 80, targetPort: 8501}'), ingress('number: 80')].join('\n---\n');
    expect(controllerLines(yaml, 'np-guard')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
  });

  it('sits in a namespace of its own: rules open to all namespaces let it in, rules naming another do not', () => {
    const base = [deployment('{containerPort: 8501}'), service('{port: 8501}'), ingress('number: 8501')];
    const policy = (from: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in, namespace: ml}
spec: {podSelector: {}, ingress: [{from: [${from}]}]}`;
    const withPolicy = (from: string): string[] => controllerLines([...base, policy(from)].join('\n---\n'), 'np-guard');
    expect(withPolicy('{namespaceSelector: {}}')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    expect(withPolicy('{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]}}')).toEqual(['{ingress-controller} => ml/model[Deployment] : TCP 8501']);
    expect(withPolicy('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}')).toEqual([]);
    expect(withPolicy('{namespaceSelector: {}, podSelector: {matchLabels: {app: ingress}}}')).toEqual([]);
    expect(withPolicy('{podSelector: {}}')).toEqual([]);
  });
});

describe('AdminNetworkPolicy peers relative to the subject (v0.1.0-v0.1.1 sameLabels / notSameLabels)', () => {
  const namespaces = ['a1: a', 'a2: a', 'b1: b'].map((entry) => {
    const [name, tenant] = entry.split(': ');
    return `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {tenant: ${tenant}}}\n---\n${pod('p', name as string, 'app: x')}`;
  });
  const anp = (peer: string): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: tenancy}
spec: {priority: 10, subject: {namespaces: {}}, ingress: [{name: other-tenants, action: Deny, from: [${peer}]}]}`;
  const podLines = (yaml: string, mode: CompatMode): string[] => lines(yaml, mode).filter((l) => !l.includes('[External]'));

  it('the default mode isolates tenants; np-guard mode drops the fields as netpol-analyzer decodes them, and both warn', () => {
    const yaml = [...namespaces, anp('{namespaces: {notSameLabels: [tenant]}}')].join('\n---\n');
    expect(podLines(yaml, 'cluster')).toEqual(['a1/p[Pod] => a2/p[Pod] : All Connections', 'a2/p[Pod] => a1/p[Pod] : All Connections']);
    expect(podLines(yaml, 'np-guard')).toEqual([]);
    for (const mode of ['cluster', 'np-guard'] as const) expect(buildModel(loadText('in.yaml', yaml).resources, mode).warnings.map((w) => w.code)).toEqual(['ANP_LEGACY_NAMESPACE_PEER']);
  });

  it('sameLabels inside a pods peer picks the pods of the same tenant', () => {
    const yaml = [...namespaces, anp('{pods: {namespaces: {sameLabels: [tenant]}, podSelector: {}}}')].join('\n---\n');
    expect(podLines(yaml, 'cluster')).toEqual(['a1/p[Pod] => b1/p[Pod] : All Connections', 'a2/p[Pod] => b1/p[Pod] : All Connections', 'b1/p[Pod] => a1/p[Pod] : All Connections', 'b1/p[Pod] => a2/p[Pod] : All Connections']);
  });

  it('a subject never takes the relative forms: an unknown field there is dropped with a warning', () => {
    const yaml = [...namespaces, `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-all}
spec: {priority: 1, subject: {namespaces: {namespaceSelector: {matchLabels: {tenant: a}}}}, ingress: [{name: all, action: Deny, from: [{namespaces: {}}]}]}`].join('\n---\n');
    const model = buildModel(loadText('in.yaml', yaml).resources, 'cluster');
    expect(model.warnings.map((w) => w.code)).toEqual(['NETPOL_UNKNOWN_SELECTOR_FIELD']);
    expect(podLines(yaml, 'cluster')).toEqual([]);
  });

  it('a field the schema does not have is an error in the default mode (strict field validation) and a warning in np-guard mode', () => {
    const policy = (spec: string): string => `${pod('p', 'a', 'app: x')}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec: ${spec}`;
    const problems = (yaml: string, mode: CompatMode): [string, string, number | undefined, number | undefined][] => {
      const model = buildModel(loadText('in.yaml', yaml).resources, mode);
      return [...model.errors, ...model.warnings].filter((e) => e.code.includes('UNKNOWN')).map((e) => [e.code, e.errorClass, e.location?.line, e.location?.column]);
    };
    const selectorTypo = policy('{podSelector: {matchLabel: {app: x}}, ingress: []}');
    expect(problems(selectorTypo, 'cluster')).toEqual([['NETPOL_UNKNOWN_SELECTOR_FIELD', 'fatal', 9, 22]]);
    expect(problems(selectorTypo, 'np-guard')).toEqual([['NETPOL_UNKNOWN_SELECTOR_FIELD', 'warning', 9, 22]]);
    // `ingres` would leave the pod isolated with no rule: every caller cut off without a word.
    const typos = policy('{podSelector: {}, ingres: [{from: [{podSelector: {}}]}], egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, exept: [10.1.0.0/16]}}], ports: [{port: 443, protocl: UDP}]}]}');
    expect(problems(typos, 'cluster')).toEqual([
      ['NETPOL_UNKNOWN_FIELD', 'fatal', 9, 25],
      ['NETPOL_UNKNOWN_FIELD', 'fatal', 9, 108],
      ['NETPOL_UNKNOWN_FIELD', 'fatal', 9, 153],
    ]);
    expect(problems(typos, 'np-guard').map(([code, errorClass]) => [code, errorClass])).toEqual([['NETPOL_UNKNOWN_FIELD', 'warning'], ['NETPOL_UNKNOWN_FIELD', 'warning'], ['NETPOL_UNKNOWN_FIELD', 'warning']]);
  });
});
