import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/index.js';
import { loadText } from '../../src/core/load.js';

/**
 * Issue 16: a workload gets the same network findings whether or not an unrelated NetworkPolicy
 * elsewhere is in the input. "Unrelated" as NetworkPolicy semantics define it (networking/v1
 * NetworkPolicySpec: a policy selects pods of its own namespace only, and an Ingress-only policy
 * restricts traffic into those pods only): a policy of any type in a namespace where the input has
 * no pod, or an Ingress-only policy in another namespace. Neither can change who reaches a pod of
 * `ml` or `lab`, nor where it may send, so the findings about those pods must not move.
 */

const SERVERS = [
  { image: 'rayproject/ray:2.40.0', command: '[ray, start, --head, --block]', ports: [8265, 6379, 10001] },
  { image: 'pytorch/torchserve:0.12.0-cpu', command: '[torchserve, --start]', ports: [8080, 8081] },
  { image: 'quay.io/jupyter/base-notebook:2024-10-02', command: '[start-notebook.py]', ports: [8888] },
  { image: 'redis:7.4', command: '[redis-server]', ports: [6379] },
];
const NAMESPACES = ['ml', 'lab', 'other'] as const;
const APPS = ['a', 'b', 'c'] as const;

const workload = fc.record({ namespace: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), server: fc.nat({ max: SERVERS.length - 1 }) });

const peer = fc.oneof(
  fc.constant('{namespaceSelector: {}}'),
  fc.constant('{podSelector: {}}'),
  fc.constantFrom(...APPS).map((app) => `{podSelector: {matchLabels: {app: ${app}}}}`),
  fc.constantFrom(...NAMESPACES).map((ns) => `{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}}`),
  fc.constant('{ipBlock: {cidr: 0.0.0.0/0}}'),
  fc.constant('{ipBlock: {cidr: 10.0.0.0/8}}'),
);
const rule = fc.record({ peers: fc.array(peer, { maxLength: 2 }), port: fc.option(fc.constantFrom(8265, 8081, 8888, 6379), { nil: undefined }) });
const policy = (types: fc.Arbitrary<readonly string[]>): fc.Arbitrary<{ app: string | undefined; types: readonly string[]; ingress: Array<{ peers: string[]; port: number | undefined }>; egress: Array<{ peers: string[]; port: number | undefined }> }> =>
  fc.record({ app: fc.option(fc.constantFrom(...APPS), { nil: undefined }), types, ingress: fc.array(rule, { maxLength: 2 }), egress: fc.array(rule, { maxLength: 2 }) });
const anyTypes = fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']);

function workloadYaml(w: { namespace: string; app: string; server: number }, i: number): string {
  const server = SERVERS[w.server]!;
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: w${i}, namespace: ${w.namespace}}
spec:
  template:
    metadata: {labels: {app: ${w.app}}}
    spec:
      containers:
      - name: c
        image: ${server.image}
        command: ${server.command}
        ports: [${server.ports.map((p) => `{containerPort: ${p}}`).join(', ')}]
`;
}

function policyYaml(p: { app: string | undefined; types: readonly string[]; ingress: Array<{ peers: string[]; port: number | undefined }>; egress: Array<{ peers: string[]; port: number | undefined }> }, name: string, namespace: string): string {
  const rules = (key: 'from' | 'to', list: Array<{ peers: string[]; port: number | undefined }>): string =>
    list.map((r) => `  - ${key}: [${r.peers.join(', ')}]${r.port ? `\n    ports: [{port: ${r.port}}]` : ''}\n`).join('');
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  podSelector: ${p.app ? `{matchLabels: {app: ${p.app}}}` : '{}'}
  policyTypes: [${p.types.join(', ')}]
${p.types.includes('Ingress') ? `  ingress:\n${rules('from', p.ingress)}` : ''}${p.types.includes('Egress') ? `  egress:\n${rules('to', p.egress)}` : ''}`.replace(/ {2}(ingress|egress):\n$/gm, '  $1: []\n');
}

/** The network findings about the workloads of `ml` and `lab`, as text. */
function networkFindings(files: Record<string, string>): string[] {
  const session = new AuditSession({ now: new Date('2026-11-23') });
  for (const [file, text] of Object.entries(files)) session.addFile(loadText(file, text));
  const outcome = session.finish();
  expect(outcome.errors.map((e) => e.format())).toEqual([]);
  return outcome.findings
    .filter((f) => f.checkId.startsWith('NETPOL_') && f.resource?.kind === 'Deployment' && (f.resource.namespace === 'ml' || f.resource.namespace === 'lab'))
    .map((f) => `${f.checkId} ${f.resource!.namespace}/${f.resource!.name} ${f.message}`)
    .sort();
}

describe('network lint independence (property)', () => {
  it('an Ingress-only policy in another namespace, or any policy in a namespace without pods, never changes the findings of ml and lab workloads', () => {
    fc.assert(
      fc.property(
        fc.array(workload, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.constantFrom('ml', 'lab'), policy(anyTypes)), { maxLength: 3 }),
        fc.oneof(
          policy(fc.constant(['Ingress'])).map((p) => ({ p, namespace: 'other' })),
          policy(anyTypes).map((p) => ({ p, namespace: 'empty' })),
        ),
        (workloads, policies, unrelated) => {
          const files: Record<string, string> = {
            'workloads.yaml': workloads.map(workloadYaml).join('---\n'),
            ...(policies.length > 0 ? { 'policies.yaml': policies.map(([ns, p], i) => policyYaml(p, `p${i}`, ns)).join('---\n') } : {}),
          };
          const before = networkFindings(files);
          const after = networkFindings({ ...files, 'unrelated.yaml': policyYaml(unrelated.p, 'unrelated', unrelated.namespace) });
          expect(after).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the property is not vacuous: the generator reaches admin-port findings in ml, and the IP cut of an unrelated ipBlock is the case it caught', () => {
    const files = {
      'w.yaml': workloadYaml({ namespace: 'ml', app: 'a', server: 0 }, 0) + '---\n' + workloadYaml({ namespace: 'lab', app: 'b', server: 3 }, 1),
      'p.yaml': policyYaml({ app: 'a', types: ['Ingress'], ingress: [{ peers: ['{namespaceSelector: {}}'], port: 8265 }, { peers: ['{ipBlock: {cidr: 0.0.0.0/0}}'], port: 6379 }], egress: [] }, 'p', 'ml'),
    };
    const expected = [
      'NETPOL_ADMIN_PORT_FROM_OUTSIDE ml/w0 ml/w0[Deployment]: reachable from outside its namespace: Ray dashboard and job submission API (TCP 8265) from lab/w1[Deployment]; Ray GCS (TCP 6379) from 0.0.0.0-255.255.255.255[External]',
      'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE ml/w0 ml/w0[Deployment] (ray) may send traffic to every external address',
      'NETPOL_MODEL_SERVER_REACHES_METADATA ml/w0 ml/w0[Deployment] (ray) can reach the cloud metadata service: All Connections',
    ];
    expect(networkFindings(files)).toEqual(expected);
    // An ipBlock in a namespace without pods cuts 0.0.0.0/0 into atoms; the message names their union.
    const cut = policyYaml({ app: undefined, types: ['Ingress'], ingress: [{ peers: ['{ipBlock: {cidr: 10.0.0.0/8}}'], port: undefined }], egress: [] }, 'u', 'empty');
    expect(networkFindings({ ...files, 'u.yaml': cut })).toEqual(expected);
  });
});
