import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, flowsFromIntents, generateAuthorizationPolicies, generatePolicies, isIntentsResource, parseIntents } from '../../src/netpol/index.js';
import { buildMeshModel, intentPaths, verifyMeshIntents } from '../../src/netpol/layers/index.js';
import { allowedBetween } from '../../src/netpol/layers/matrix.js';
import { DIM, METHODS, TCP } from '../../src/netpol/layers/connSet.js';

/**
 * `netpol generate` with HTTP intents writes NetworkPolicies and Istio AuthorizationPolicies; fed
 * back, `verify` must find every intent true (the round trip), and nothing beyond the intents may
 * pass: each concrete request between two workloads is allowed exactly when an intent covers it
 * (its port, method and path; an inner "*" is widened to its prefix, as generate notes; a
 * destination no HTTP intent names has no AuthorizationPolicy, so its ports alone decide).
 */
const WORKLOADS = [
  ['a', 'w0'],
  ['a', 'w1'],
  ['b', 'w2'],
  ['b', 'w3'],
] as const;
const workloads = WORKLOADS.map(
  ([ns, name]) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      serviceAccountName: sa-${name}
      containers: [{name: c, image: img, ports: [{containerPort: 8080}, {containerPort: 9090}]}]`,
).join('\n---\n');

const PORTS = [8080, 9090];
const PATHS = ['/v1/models/iris:predict', '/v1/*', '*:predict', '/v1/models/*:predict', '/health'];
const SAMPLE_PATHS = ['/v1/models/iris:predict', '/v1/models/x:predict', '/v1/x', '/health', '/other:predict', '/v1/models/', '/x'];
const SAMPLE_METHODS = ['GET', 'POST', 'PUT'];
const SAMPLE_PORTS = [8080, 9090, 7000];

interface RandomIntent {
  from: number;
  to: number;
  ports?: number[];
  methods?: string[];
  paths?: string[];
}

const subset = <T>(items: readonly T[]): fc.Arbitrary<T[] | undefined> => fc.option(fc.subarray([...items], { minLength: 1 }), { nil: undefined });
const intentArb: fc.Arbitrary<RandomIntent> = fc
  .record({ from: fc.nat(3), to: fc.nat(3), ports: subset(PORTS), methods: subset(['GET', 'POST']), paths: subset(PATHS) })
  .filter((i) => i.from !== i.to)
  .map((i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)) as unknown as RandomIntent);

function intentsYaml(list: readonly RandomIntent[]): string {
  const id = (i: number): string => `${WORKLOADS[i]![0]}/${WORKLOADS[i]![1]}`;
  return stringify({
    apiVersion: 'palisade.dev/v1alpha1',
    kind: 'NetworkIntents',
    intents: list.map((i, n) => ({ name: `i${n}`, from: id(i.from), to: id(i.to), ...(i.ports ? { ports: i.ports.map((p) => `${p}/TCP`) } : {}), ...(i.methods ? { methods: i.methods } : {}), ...(i.paths ? { paths: i.paths } : {}), expect: 'allow' })),
  });
}

/** The naive reading of a path pattern, inner "*" widened to its prefix (what the AuthorizationPolicy says). */
function widenedMatch(pattern: string, path: string): boolean {
  const star = pattern.indexOf('*');
  if (star > 0 && star < pattern.length - 1) return path.startsWith(pattern.slice(0, star));
  if (pattern === '*') return path.length > 0;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return path === pattern;
}

describe('netpol generate with HTTP intents: the round trip', () => {
  it('the generated NetworkPolicies and AuthorizationPolicies make every intent true, and allow nothing more', () => {
    fc.assert(
      fc.property(fc.array(intentArb, { minLength: 1, maxLength: 4 }), (list) => {
        const intentRes = loadText('intents.yaml', intentsYaml(list)).resources.filter(isIntentsResource);
        const parsed = intentRes.map(parseIntents);
        expect(parsed.flatMap((p) => p.errors)).toEqual([]);
        const intents = parsed.flatMap((p) => p.intents);
        const base = buildModel(loadText('w.yaml', workloads).resources, 'cluster');
        const flows = flowsFromIntents(base, intents);
        const istio = generateAuthorizationPolicies(flows);
        const generated = [...generatePolicies(base, flows, { dns: false }), ...istio.policies].map((p) => stringify(p)).join('---\n');
        const mesh = buildMeshModel(loadText('all.yaml', `${workloads}\n---\n${generated}`).resources, { paths: [...intentPaths(intents), ...SAMPLE_PATHS] });
        expect(mesh.errors).toEqual([]);
        expect(verifyMeshIntents(mesh, intents).filter((r) => !r.holds)).toEqual([]);
        const withPolicy = new Set(list.filter((i) => i.methods || i.paths).map((i) => i.to));
        const pods = mesh.topology.endpoints.filter((e) => e.kind === 'pod');
        const index = (workload: string): number => WORKLOADS.findIndex(([ns, name]) => `${ns}/${name}` === workload);
        for (const src of pods) {
          for (const dst of pods) {
            if (src === dst) continue;
            const s = index(src.workload);
            const d = index(dst.workload);
            const allowed = allowedBetween(mesh, src, dst);
            for (const port of SAMPLE_PORTS) {
              for (const method of SAMPLE_METHODS) {
                for (const path of SAMPLE_PATHS) {
                  const point = [TCP, 40000, port, 0, 0, METHODS.indexOf(method as (typeof METHODS)[number]), mesh.paths.classOf(path)!, 0, 0];
                  expect(point[DIM.path]).toBeTypeOf('number');
                  const covered = list.some(
                    (i) => i.from === s && i.to === d && (!i.ports || i.ports.includes(port)) && (!withPolicy.has(d) || ((!i.methods || i.methods.includes(method)) && (!i.paths || i.paths.some((p) => widenedMatch(p, path))))),
                  );
                  if (allowed.contains(point) !== covered) expect({ src: src.name, dst: dst.name, port, method, path, allowed: allowed.contains(point) }).toEqual({ src: src.name, dst: dst.name, port, method, path, allowed: covered });
                }
              }
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('netpol generate: the AuthorizationPolicy of the seed intents', () => {
  it('one ALLOW policy at iris, by the gateway\'s principal, the inner "*" widened with a note', () => {
    const text = `apiVersion: palisade.dev/v1alpha1
kind: NetworkIntents
intents:
- {from: a/w0, to: a/w1, ports: [8080/TCP], methods: [POST], paths: ["/v1/models/*:predict"], expect: allow}
- {from: b/w2, to: a/w1, ports: [9090/TCP], expect: allow}
- {from: b/w2, to: a/w1, ports: [53/UDP], expect: allow}
- {from: a/w0, to: b/w3, ports: [8080/TCP], expect: allow}`;
    const intents = loadText('i.yaml', text).resources.filter(isIntentsResource).flatMap((r) => parseIntents(r).intents);
    const base = buildModel(loadText('w.yaml', workloads).resources, 'cluster');
    expect(generateAuthorizationPolicies(flowsFromIntents(base, intents))).toEqual({
      policies: [
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: 'w1-allow', namespace: 'a', labels: { 'app.kubernetes.io/managed-by': 'palisade' } },
          spec: {
            selector: { matchLabels: { app: 'w1' } },
            action: 'ALLOW',
            rules: [
              { from: [{ source: { principals: ['cluster.local/ns/a/sa/sa-w0'] } }], to: [{ operation: { ports: ['8080'], methods: ['POST'], paths: ['/v1/models/*'] } }] },
              { from: [{ source: { principals: ['cluster.local/ns/b/sa/sa-w2'] } }], to: [{ operation: { ports: ['9090'] } }] },
            ],
          },
        },
      ],
      notes: ['path "/v1/models/*:predict": Istio matches one "*" at the start or the end only; the AuthorizationPolicy allows "/v1/models/*"'],
    });
  });
});
