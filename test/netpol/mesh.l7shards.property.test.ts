import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { patternMatch, patternMatchReference, StringClasses } from '../../src/netpol/layers/l7Classes.js';
import { buildMeshModel, meshMatrix, type ConnEntry, type MeshConnection, type StringSetJson } from '../../src/netpol/layers/matrix.js';
import { calicoPolicy, istioPolicy, k8sPolicy, meshDocs, peerAuth, sidecar, workload, workloadDocs } from './meshGenerators.js';

/**
 * The sharded matrix (buildMeshModel's shardL7: destinations grouped by the AuthorizationPolicies that
 * select them, each group in a model whose path and host classes hold only those policies' patterns)
 * against the one-model matrix, on random clusters whose policies mix exact, prefix, suffix and
 * template paths, with the bound at 0 so every group is a shard of its own. The two outputs may name
 * different patterns (each model describes its sets with the patterns it has), so they are compared
 * request by request: TCP and UDP, two ports, GET, POST and an unknown method, and every path and host witness (each pattern with its
 * wildcards filled, and strings no pattern names), for every pair.
 */

const PATHS = ['/v1/*', '/v1/models/iris:predict', '*:predict', '/healthz', '/api/*', '*.json', '/api/a.json', '/v1/{*}/x', '/v1/{**}', '/{*}'];
const HOSTS = ['api.example.com', '*.example.com', 'web.a.svc.cluster.local'];

/** Strings the patterns tell apart: each pattern with its wildcards filled (empty and not), and others. */
const witnesses = (patterns: readonly string[]): string[] =>
  [...new Set([...patterns.flatMap((p) => [p.replace(/\{\*\*\}|\{\*\}|\*/g, 'q'), p.replace(/\{\*\*\}|\*/g, ''), p.replace(/\{\*\*\}|\{\*\}|\*/g, 'a/b')]), '/other', '/v1/models/iris:predict.json'])].filter((w) => w !== '');

interface Request {
  proto: number;
  port: number;
  method: string;
  path: string;
  host: string;
}

function numbers(list: string): (x: number) => boolean {
  const ranges = list.split(',').map((t) => t.split('-').map(Number) as [number, number?]);
  return (x) => ranges.some(([lo, hi]) => x >= lo && x <= (hi ?? lo));
}

/** CONVENTIONS.md's reading of a string set: patterns, Python full-match regexes, or their complement. */
function inSet(set: StringSetJson, value: string, caseInsensitive: boolean): boolean {
  const v = caseInsensitive ? value.toLowerCase() : value;
  const one = (item: string | { regex: string }): boolean => {
    if (typeof item === 'string') return patternMatch(caseInsensitive ? item.toLowerCase() : item, v);
    const insensitive = item.regex.startsWith('(?i)');
    const body = item.regex.replace(/^\(\?i\)/, '').replace(/\\Z/g, '$');
    return new RegExp(`^(?:${body})$`, insensitive ? 'i' : '').test(value);
  };
  return Array.isArray(set) ? set.some(one) : !set.not.some(one);
}

function allows(conns: MeshConnection['conns'] | undefined, r: Request): boolean {
  if (!conns) return false;
  if (conns === 'All') return true;
  return conns.some((e: ConnEntry) => {
    if (e.protocol && !numbers(e.protocol)(r.proto)) return false;
    if ((e.ports || e.src_ports) && ![6, 17, 132].includes(r.proto)) return false;
    if (e.ports && !numbers(e.ports)(r.port)) return false;
    const l7 = e.methods || e.paths || e.hosts || e.headers;
    if (l7 && r.proto !== 6) return false;
    if (e.icmp_type || e.icmp_code) return false;
    if (e.methods && !(Array.isArray(e.methods) ? e.methods.includes(r.method) : !e.methods.not.includes(r.method))) return false;
    if (e.paths && !inSet(e.paths, r.path, false)) return false;
    if (e.hosts && !inSet(e.hosts, r.host, true)) return false;
    return true;
  });
}

const policyWithPaths = fc.tuple(istioPolicy, fc.subarray(PATHS, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.subarray(HOSTS, { maxLength: 2 })).map(([p, paths, negated, hosts]) => ({
  ...p,
  rules: p.rules.map((r, i) => (i === 0 ? { ...r, to: { ...(r.to ?? {}), paths: undefined, ...(negated ? { notPaths: paths } : { paths }), ...(hosts.length > 0 ? { hosts } : {}) } } : r)),
}));

function expectSameAllowed(docs: unknown[]): void {
  const resources = loadText('in.yaml', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources;
  const whole = buildMeshModel(resources);
  const sharded = buildMeshModel(resources, {}, { shardL7: true, shardClasses: 0 });
  expect(whole.errors.map((e) => e.message)).toEqual([]);
  expect(sharded.errors.map((e) => e.message)).toEqual(whole.errors.map((e) => e.message));
  const patterns = resources.flatMap((r) => JSON.stringify(r.object).match(/"(\/[^"]*|\*[^"]*)"/g) ?? []).map((s) => JSON.parse(s) as string);
  const paths = witnesses([...PATHS, ...patterns.filter((p) => p.startsWith('/') || p.startsWith('*'))]);
  const hosts = witnesses(HOSTS).map((h) => h.replace(/^\//, ''));
  for (const resolution of ['pod', 'deployment'] as const) {
    const a = new Map(meshMatrix(whole, resolution).map((c) => [`${c.src} ${c.dst}`, c.conns]));
    const b = new Map(meshMatrix(sharded, resolution).map((c) => [`${c.src} ${c.dst}`, c.conns]));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [pair, conns] of a) {
      for (const proto of [6, 17]) {
        for (const port of [8080, 53]) {
          for (const method of proto === 6 ? ['GET', 'POST', 'BREW'] : ['GET']) {
            for (const path of proto === 6 ? paths : ['/']) {
              for (const host of proto === 6 ? hosts : ['x']) {
                const r = { proto, port, method, path, host };
                if (allows(conns, r) !== allows(b.get(pair), r)) expect({ pair, r, sharded: b.get(pair) }).toEqual({ pair, r, sharded: conns });
              }
            }
          }
        }
      }
    }
  }
}

describe('string classes', () => {
  const text = (chars: string[]): fc.Arbitrary<string> => fc.array(fc.constantFrom(...chars), { maxLength: 6 }).map((a) => a.join(''));
  const pattern = fc.oneof(text(['a', 'b', '/', '*']), text(['a', '/']).map((t) => `/${t}{*}`), text(['a', '/']).map((t) => `/{*}/${t}{**}`));

  it('each pattern compiled once (matcherOf) reads as patternMatch always did', () => {
    fc.assert(fc.property(pattern, text(['a', 'b', '/', '*', 'x']), (p, v) => patternMatch(p, v) === patternMatchReference(p, v)));
  });

  // The classes against a naive per-string oracle: two strings are in one class exactly when every pattern says the same of both.
  it('a class is exactly the strings every pattern judges alike, and each pattern covers exactly its classes', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(text(['a', 'b', '/', 'x', ':']), { maxLength: 12 }), (patterns, values) => {
        const classes = new StringClasses(patterns, false);
        const verdicts = (v: string): string => patterns.map((p) => (patternMatch(p, v) ? 1 : 0)).join('');
        for (const a of [...values, ...classes.witnesses]) {
          if (a === '') continue;
          const c = classes.classOf(a);
          expect(c).toBeDefined();
          expect(verdicts(classes.witnesses[c!]!)).toBe(verdicts(a));
          for (const p of patterns) expect(classes.classesOf(p).includes(c!)).toBe(patternMatch(p, a));
        }
        expect(new Set(classes.witnesses.map(verdicts)).size).toBe(classes.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the L7-sharded matrix', () => {
  it('allows the same requests as the one-model matrix on random clusters with mixed path patterns (every policy group a shard)', () => {
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 5 }), fc.array(calicoPolicy, { maxLength: 2 }), fc.array(k8sPolicy, { maxLength: 2 }), fc.array(policyWithPaths, { minLength: 1, maxLength: 5 }), fc.array(peerAuth, { maxLength: 1 }), fc.array(sidecar, { maxLength: 1 }), (workloads, calico, k8s, istio, mtls, sidecars) => {
        // The generator's policies with other path fields than meshDocs's type lists (it copies `to` as it is).
        expectSameAllowed([...workloadDocs(workloads), ...meshDocs({ calico, k8s, istio: istio as unknown as Parameters<typeof meshDocs>[0]['istio'], mtls, sidecars })]);
      }),
      { numRuns: 30 },
    );
  }, 300_000);

  it('shards only past the bound: below it the model is the one-model one', () => {
    const docs = [...workloadDocs([{ ns: 'a', app: 'web', sa: 'front', replicas: 1, port: 8080, noSidecar: false }])];
    const resources = loadText('in.yaml', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources;
    expect(buildMeshModel(resources, {}, { shardL7: true }).l7Shards).toBeUndefined();
    expect(buildMeshModel(resources, {}, { shardL7: true, shardClasses: 0 }).l7Shards).toBeDefined();
  });
});
