import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * The Kubernetes Ingress layer against a per-request oracle written from kubernetes.io ("Ingress"):
 * a rule applies to a request when it names no host or the request's host (a `*.suffix` host matches one
 * label before `suffix`: "The wildcard character '*' must appear by itself as the first DNS label and
 * matches only a single label", k8s.io/api networking/v1 IngressRule.Host); `Exact` matches the path itself,
 * `Prefix` (and `ImplementationSpecific`, read as Prefix) matches "element by element", the trailing
 * slash ignored, `/` matching everything; "if two or more paths still match the request, the longest
 * matching path takes precedence", and "if two paths are still equally matched, precedence will be given
 * to paths with an exact path type over prefix path type" (over all the host's rules in every Ingress, as
 * ingress-nginx puts them in the host's one server; paths equal in both are all kept);
 * "if none of the hosts or paths match the HTTP request in the Ingress objects, the traffic is routed to
 * your default backend". The controller then sends TCP to the backend Service's pods on the target port.
 * Hosts: a request is the rules' of one host only, as ingress-nginx (nginx "server_name") picks it: the host
 * named exactly, else the longest wildcard host matching it, else the rules without host ("any traffic whose
 * request host header doesn't match first.bar.com and second.bar.com" goes to the host-less rule, kubernetes.io
 * "Name based virtual hosting").
 */

interface Backend {
  svc: 'a' | 'b' | 'c';
}
interface Path {
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: Backend;
}
interface Rule {
  host?: string;
  paths?: Path[];
}
interface Ingress {
  defaultBackend?: Backend;
  rules: Rule[];
}

/** Backend Services: a (port 80 → the pod's port named http, 8080), b (80 → 9090), c (81 → 7070); one pod each. */
const TARGET: Record<Backend['svc'], number> = { a: 8080, b: 9090, c: 7070 };
const TOPOLOGY = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ctl', namespace: 'ingress-nginx', labels: { app: 'ctl' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, spec: { selector: { app: 'ctl' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pa', namespace: 'web', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pb', namespace: 'web', labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pc', namespace: 'web', labels: { app: 'c' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'web' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 'http' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'web' }, spec: { selector: { app: 'b' }, ports: [{ port: 80, targetPort: 9090 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c', namespace: 'web' }, spec: { selector: { app: 'c' }, ports: [{ port: 81, targetPort: 7070 }] } },
];
const SERVICE_PORT: Record<Backend['svc'], number> = { a: 80, b: 80, c: 81 };

const backendYaml = (b: Backend): unknown => ({ service: { name: b.svc, port: { number: SERVICE_PORT[b.svc] } } });
function ingressYaml(ing: Ingress, i: number): unknown {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `ing${i}`, namespace: 'web' },
    spec: {
      ...(ing.defaultBackend ? { defaultBackend: backendYaml(ing.defaultBackend) } : {}),
      rules: ing.rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), ...(r.paths ? { http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backendYaml(p.backend) })) } } : {}) })),
    },
  };
}

/** "If Host is a wildcard, then the request matches this rule if the http host header is to equal to the suffix (removing the first label) of the wildcard rule" (k8s.io/api networking/v1 IngressRule.Host). */
const hostMatches = (rule: Rule, host: string): boolean => {
  if (rule.host === undefined) return true;
  if (!rule.host.startsWith('*.')) return rule.host === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === rule.host.slice(2);
};
const trim = (p: string): string => (p.endsWith('/') ? p.slice(0, -1) : p);
function pathMatches(p: Path, path: string): boolean {
  if (p.pathType === 'Exact') return p.path === path;
  const prefix = trim(p.path);
  return prefix === '' || path === prefix || path === `${prefix}/` || path.startsWith(`${prefix}/`);
}

/** The rule host (or undefined: the host-less rules) that takes requests for `host`. */
function serverFor(ingresses: Ingress[], host: string): string | undefined {
  const named = ingresses.flatMap((i) => i.rules.flatMap((r) => (r.host !== undefined && hostMatches(r, host) ? [r.host] : [])));
  return named.find((h) => h === host) ?? named.sort((a, b) => b.length - a.length)[0];
}

/** The Services one request reaches through the Ingresses. */
function routed(ingresses: Ingress[], host: string, path: string): Set<Backend['svc']> {
  const out = new Set<Backend['svc']>();
  const server = serverFor(ingresses, host);
  // The longest matching path over every rule of the host, in every Ingress (one nginx server per host).
  const matching = ingresses.flatMap((ing) => ing.rules.filter((rule) => rule.host === server).flatMap((rule) => (rule.paths ?? []).filter((p) => pathMatches(p, path))));
  const len = (p: Path): number => (p.pathType === 'Exact' ? p.path.length : trim(p.path).length);
  const best = Math.max(...matching.map(len));
  const longest = matching.filter((p) => len(p) === best);
  const winners = longest.some((p) => p.pathType === 'Exact') ? longest.filter((p) => p.pathType === 'Exact') : longest;
  for (const w of winners) out.add(w.backend.svc);
  // An Ingress none of whose paths for the host match sends the request to its default backend.
  for (const ing of ingresses) {
    const matchedSome = ing.rules.some((rule) => rule.host === server && (rule.paths ?? []).some((p) => pathMatches(p, path)));
    if (!matchedSome && ing.defaultBackend) out.add(ing.defaultBackend.svc);
  }
  return out;
}

const HOSTS = ['foo.com', 'bar.com', 'x.foo.com', 'a.b.foo.com', 'other.org', 'x.bar.com'];
const PATHS = ['/', '/api', '/api/', '/api/v1', '/api/v1/x', '/apix', '/other'];

describe('Kubernetes Ingress layer', () => {
  const backend = fc.record({ svc: fc.constantFrom<Backend['svc']>('a', 'b', 'c') });
  const path: fc.Arbitrary<Path> = fc.record({ path: fc.constantFrom('/', '/api', '/api/', '/api/v1', '/apix'), pathType: fc.constantFrom<Path['pathType']>('Exact', 'Prefix', 'ImplementationSpecific'), backend });
  const rule: fc.Arbitrary<Rule> = fc.record({ host: fc.constantFrom('foo.com', 'bar.com', 'x.foo.com', '*.foo.com', '*.b.foo.com'), paths: fc.array(path, { minLength: 1, maxLength: 3 }) }, { requiredKeys: [] });
  const ingress: fc.Arbitrary<Ingress> = fc.record({ defaultBackend: backend, rules: fc.array(rule, { maxLength: 3 }) }, { requiredKeys: ['rules'] });

  it('the controller sends a request to a pod exactly when the per-request reading routes it to the pod\'s Service, on its target port', () => {
    fc.assert(
      fc.property(fc.array(ingress, { minLength: 1, maxLength: 2 }), (ingresses) => {
        const text = [...TOPOLOGY, ...ingresses.map(ingressYaml)].map((o) => JSON.stringify(o)).join('\n---\n');
        const model = buildMeshModel(loadText('ingress.yaml', text).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const ep = (name: string) => model.topology.endpoints.find((e) => e.name === name)!;
        const controller = ep('ingress-nginx/ctl');
        for (const host of HOSTS) {
          for (const p of PATHS) {
            const want = routed(ingresses, host, p);
            for (const svc of ['a', 'b', 'c'] as const) {
              for (const port of [8080, 9090, 7070, 80]) {
                const point = [6, 40000, port, 0, 0, 0, model.paths.classOf(p)!, model.hosts.classOf(host)!, 0];
                const got = model.ingress.egress(controller, ep(`web/p${svc}`)).allowed.contains(point);
                expect(got, `${host}${p} -> ${svc}:${port}`).toBe(want.has(svc) && port === TARGET[svc]);
              }
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
