import { arr, classSet, namespaceOf, obj, podsSelected, toIv, type LayerParseCtx } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import type { PalisadeError } from '../../core/errors.js';
import { loadText, type Resource } from '../../core/load.js';
import { ConnSet, TCP, type Domain, type Intervals } from '../layers/connSet.js';
import { collectTopology, type Endpoint } from '../layers/endpoints.js';
import { MeshProblems, type LayerOrigin } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import { ONE_LABEL } from '../layers/l7Classes.js';

/**
 * The Kubernetes Ingress gateway layer, as IBM's network-config-analyzer models it
 * (IngressPolicyYamlParser.py, NetworkLayer.py K8sGatewayLayer — the source of the mesh corpus):
 * the ingress controller's pods — those behind a Service whose `namespace/name` contains
 * `ingress-nginx` — send only what the Ingresses route: TCP to the pods of each backend Service,
 * on the Service port's target port, for the rule's host and paths. Path semantics follow
 * kubernetes.io ("Ingress", path types): `Exact` is the path itself; `Prefix` (and
 * `ImplementationSpecific`, read as Prefix) is the path and everything below it, element-wise;
 * within a rule the longest matching path wins; what no path of a rule matches, and every host no
 * rule names, goes to `defaultBackend` when there is one. Every other pod's traffic is not the
 * controller's, and is left to the other layers.
 */

export function isIngress(r: Resource): boolean {
  return r.object.kind === 'Ingress' && String(r.object.apiVersion) === 'networking.k8s.io/v1';
}

/** NCA's recognition of the controller (PeerContainer.get_pods_with_service_name_containing_given_string). */
const CONTROLLER_SERVICE_MARK = 'ingress-nginx';

/**
 * The ingress controller assumed when an Ingress is in the input and no controller is: "You must have
 * an Ingress controller to satisfy an Ingress" (kubernetes.io, "Ingress"), and it is installed with the
 * cluster, not with the application, so manifests rarely hold it. Its shape is network-config-analyzer's
 * "livesim" controller (nca/NetworkConfig/LiveSim/ingress_controller), which the mesh corpus's
 * expectations include — as the Istio gateways assumed in istioGateway.ts.
 */
const ASSUMED_CONTROLLER = `apiVersion: v1
kind: Namespace
metadata: {name: ingress-controller-ns, labels: {name: ingress-controller-ns}}
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx, namespace: ingress-controller-ns}
spec: {selector: {app: ingress-nginx}, ports: [{port: 5678}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ingress-controller-livesim, namespace: ingress-controller-ns, labels: {app: ingress-nginx}}
spec: {containers: [{name: ingress-nginx, image: ingress-nginx}]}
`;

/** The pods behind a Service whose `namespace/name` contains the controller mark. */
function controllerPods(resources: readonly Resource[], topology: LayerParseCtx['topology'], defaultNamespace: string): Endpoint[] {
  return resources.flatMap((r) => {
    if (r.object.kind !== 'Service' || r.object.apiVersion !== 'v1') return [];
    const namespace = namespaceOf(r, defaultNamespace);
    const selector = obj(obj(r.object.spec)?.selector);
    return `${namespace}/${String(obj(r.object.metadata)?.name ?? '')}`.includes(CONTROLLER_SERVICE_MARK) && selector ? podsSelected(topology, namespace, selector) : [];
  });
}

/** The assumed controller's resources when the input has an Ingress and no controller pods (each Ingress warned). */
export function assumedIngressController(resources: readonly Resource[], defaultNamespace = 'default'): { resources: Resource[]; warnings: PalisadeError[] } {
  const ingresses = resources.filter(isIngress);
  if (ingresses.length === 0 || controllerPods(resources, collectTopology(resources), defaultNamespace).length > 0) return { resources: [], warnings: [] };
  const warnings = ingresses.flatMap((r) => {
    const p = new MeshProblems(r);
    p.warn('INGRESS_NO_CONTROLLER', '/metadata', 'the controller pod ingress-controller-ns/ingress-controller-livesim is assumed');
    return p.warnings;
  });
  return { resources: loadText('palisade:assumed/ingress-nginx.yaml', ASSUMED_CONTROLLER).resources, warnings };
}

interface ServiceInfo {
  namespace: string;
  name: string;
  pods: Endpoint[];
  ports: { name?: string; port: number; targetPort: number | string }[];
}

/** One routed destination: the backend pods, the target port, and the hosts and paths (class sets; undefined = all). */
interface Route {
  pods: readonly Endpoint[];
  targetPort: number | string;
  hosts?: Intervals;
  paths?: Intervals;
  origin: LayerOrigin;
}

/** A path of an Ingress rule as a set of path patterns (Istio-style: `x` exact, `x/*` below). */
function pathPatterns(path: string, type: 'Exact' | 'Prefix'): string[] | undefined {
  if (type === 'Exact') return [path];
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '' ? undefined : [trimmed, `${trimmed}/*`];
}

/** An Ingress host as a host pattern: a wildcard `*.x` matches one label only (see ONE_LABEL). */
function ingressHostPattern(host: string): string {
  return host.startsWith('*.') && !host.slice(1).includes('*') ? `${ONE_LABEL}${host.slice(1)}` : host;
}

/**
 * Which rule host takes each host class: the host named exactly, else the longest wildcard host whose one label
 * it fills, else '' (the rules without host). The Ingress API leaves the precedence to the controller
 * ("Incoming requests are first evaluated for a host match", IngressRule); the controller palisade models,
 * ingress-nginx, makes a server block per host and nginx picks "exact name", then "longest wildcard name
 * starting with an asterisk", then the default server (nginx.org, "server_name"), where the rules without
 * host go.
 */
function hostServers(resources: readonly Resource[], ctx: Ctx): string[] {
  const named = new Set<string>();
  for (const r of resources) {
    if (!isIngress(r)) continue;
    for (const rule of arr(obj(r.object.spec)?.rules)) {
      const host = obj(rule)?.host;
      if (typeof host === 'string' && host !== '*' && host !== '') named.add(host.toLowerCase());
    }
  }
  const ranked = [...named].map((h) => ({ h, classes: classSet(ctx.hosts, [ingressHostPattern(h)]), rank: h.startsWith('*.') ? h.length : Infinity }));
  return ctx.hosts.witnesses.map((_, c) => {
    let best: { h: string; rank: number } | undefined;
    for (const x of ranked) if (x.classes.has(c) && (!best || x.rank > best.rank)) best = x;
    return best?.h ?? '';
  });
}

/** Every path and host pattern the Ingresses name, to build the string classes first. */
export function ingressL7Patterns(resources: readonly Resource[]): { paths: string[]; hosts: string[] } {
  const paths: string[] = [];
  const hosts: string[] = [];
  for (const r of resources) {
    if (!isIngress(r)) continue;
    for (const rule of arr(obj(r.object.spec)?.rules)) {
      const host = obj(rule)?.host;
      if (typeof host === 'string' && host !== '*') hosts.push(ingressHostPattern(host));
      for (const p of arr(obj(obj(rule)?.http)?.paths)) {
        const path = obj(p)?.path;
        const type = obj(p)?.pathType === 'Exact' ? 'Exact' : 'Prefix';
        if (typeof path === 'string') paths.push(...(pathPatterns(path, type) ?? []));
      }
    }
  }
  return { paths, hosts };
}

export class IngressLayer {
  constructor(
    readonly controllers: ReadonlySet<Endpoint>,
    readonly routes: readonly Route[],
    readonly domain: Domain,
  ) {}

  get empty(): boolean {
    return this.routes.length === 0 && this.controllers.size === 0;
  }

  /** What `src` may send to `dst` in this layer: everything, unless `src` is a controller (then only routed traffic). */
  egress(src: Endpoint, dst: Endpoint | IpSet): { allowed: ConnSet; routes: Route[] } {
    const d = this.domain;
    if (!this.controllers.has(src)) return { allowed: ConnSet.all(d), routes: [] };
    if (!('kind' in dst)) return { allowed: ConnSet.empty(d), routes: [] };
    let allowed = ConnSet.empty(d);
    const used: Route[] = [];
    for (const route of this.routes) {
      if (!route.pods.includes(dst)) continue;
      const port = typeof route.targetPort === 'number' ? route.targetPort : dst.ports.find((p) => p.name === route.targetPort && p.protocol === TCP)?.port;
      if (port === undefined) continue;
      const c = ConnSet.cube(d, { proto: [TCP, TCP], dport: [port, port], ...(route.hosts ? { host: route.hosts } : {}), ...(route.paths ? { path: route.paths } : {}) });
      if (c.isEmpty()) continue;
      allowed = allowed.union(c);
      used.push(route);
    }
    return { allowed, routes: used };
  }
}

type Ctx = LayerParseCtx;

export function parseIngresses(resources: readonly Resource[], ctx: Ctx): { layer: IngressLayer; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const nsOf = (r: Resource): string => namespaceOf(r, ctx.defaultNamespace);
  const services = new Map<string, ServiceInfo>();
  for (const r of resources) {
    if (r.object.kind !== 'Service' || r.object.apiVersion !== 'v1') continue;
    const namespace = nsOf(r);
    const name = String(obj(r.object.metadata)?.name ?? '');
    const spec = obj(r.object.spec) ?? {};
    const selector = obj(spec.selector);
    const selected = selector ? podsSelected(ctx.topology, namespace, selector) : [];
    const ports = arr(spec.ports).flatMap((raw) => {
      const p = obj(raw);
      if (!p || typeof p.port !== 'number') return [];
      const target = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : p.port;
      return [{ ...(typeof p.name === 'string' ? { name: p.name } : {}), port: p.port, targetPort: typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target }];
    });
    services.set(`${namespace}/${name}`, { namespace, name, pods: selected, ports });
  }
  const controllers = new Set(controllerPods(resources, ctx.topology, ctx.defaultNamespace));

  const routes: Route[] = [];
  const allPaths = new Set(ctx.paths.witnesses.map((_, i) => i));
  const allHosts = new Set(ctx.hosts.witnesses.map((_, i) => i));
  const serverOf = hostServers(resources, ctx);
  type Parsed = { patterns?: string[]; text: string; type: 'Exact' | 'Prefix'; target: { pods: Endpoint[]; targetPort: number | string } | undefined; j: number };
  // The paths of every rule of each host (ingress-nginx's server: one per host, the locations of all its
  // Ingresses together, where nginx takes the longest), filled before any rule's requests are worked out.
  const byServer = new Map<string, Parsed[]>();
  const finish: (() => void)[] = [];
  for (const r of resources) {
    if (!isIngress(r)) continue;
    const p = new MeshProblems(r);
    const namespace = nsOf(r);
    const name = String(obj(r.object.metadata)?.name ?? '');
    const spec = obj(r.object.spec) ?? {};
    const label = `Ingress ${namespace}/${name}`;
    /** A backend's pods and target port; undefined when the service or its port is missing (warned). */
    const backend = (raw: unknown, at: string): { pods: Endpoint[]; targetPort: number | string } | undefined => {
      const b = obj(raw) ?? {};
      if (b.resource !== undefined) {
        if (b.service !== undefined) p.add('MESH_CONFLICTING_FIELDS', at, 'a backend names a resource or a service, not both');
        else p.warn('MESH_OUT_OF_SCOPE', `${at}/resource`, 'resource backends are not modelled');
        return undefined;
      }
      const service = obj(b.service) ?? {};
      const port = obj(service.port) ?? {};
      if (port.name !== undefined && port.number !== undefined) p.add('MESH_CONFLICTING_FIELDS', `${at}/service/port`, 'a backend port has a name or a number, not both');
      const svc = services.get(`${namespace}/${String(service.name ?? '')}`);
      if (!svc) {
        p.warn('INGRESS_BACKEND_MISSING', `${at}/service`, `service ${namespace}/${String(service.name ?? '')} is not in the input`);
        return undefined;
      }
      const sp = svc.ports.find((x) => (port.name !== undefined ? x.name === port.name : x.port === port.number));
      if (!sp) {
        p.warn('INGRESS_BACKEND_MISSING', `${at}/service/port`, `service ${namespace}/${svc.name} exposes no port ${String(port.name ?? port.number)}`);
        return undefined;
      }
      return { pods: svc.pods, targetPort: sp.targetPort };
    };
    const dflt = spec.defaultBackend !== undefined ? backend(spec.defaultBackend, '/spec/defaultBackend') : undefined;
    const add = (target: { pods: Endpoint[]; targetPort: number | string }, hosts: Set<number> | undefined, paths: Set<number> | undefined, at: LayerOrigin): void => {
      if ((hosts && hosts.size === 0) || (paths && paths.size === 0)) return;
      routes.push({ pods: target.pods, targetPort: target.targetPort, ...(hosts && hosts.size < allHosts.size ? { hosts: toIv(hosts) } : {}), ...(paths && paths.size < allPaths.size ? { paths: toIv(paths) } : {}), origin: at });
    };
    // What the rules' paths take, per rule: "If none of the hosts or paths match the HTTP request in
    // the Ingress objects, the traffic is routed to your default backend" (kubernetes.io, "Ingress").
    const taken: { hosts?: Set<number>; paths: Set<number> }[] = [];
    const ruleFinish: (() => void)[] = [];
    arr(spec.rules).forEach((raw, i) => {
      const rule = obj(raw) ?? {};
      const at = `/spec/rules/${i}`;
      const host = typeof rule.host === 'string' && rule.host !== '*' ? rule.host : undefined;
      if (host?.includes('*') && (!host.startsWith('*.') || host.slice(1).includes('*'))) p.add('INGRESS_INVALID_HOST', `${at}/host`, `a wildcard is one leading "*." label, ${gotText(host)}`);
      // The hosts whose requests this rule's server takes (hostServers); a rule without host takes the rest.
      const hosts = new Set([...allHosts].filter((c) => serverOf[c] === (host?.toLowerCase() ?? '')));
      const http = obj(rule.http);
      if (!http) return;
      const parsed: Parsed[] = [];
      arr(http.paths).forEach((rawPath, j) => {
        const path = obj(rawPath) ?? {};
        const pat = `${at}/http/paths/${j}`;
        const type = path.pathType === 'Exact' ? 'Exact' : path.pathType === 'Prefix' || path.pathType === 'ImplementationSpecific' ? 'Prefix' : undefined;
        if (!type) {
          p.add('INGRESS_INVALID_PATH', `${pat}/pathType`, `pathType must be Exact, Prefix or ImplementationSpecific, ${gotText(path.pathType)}`);
          return;
        }
        if (typeof path.path !== 'string' || !path.path.startsWith('/')) {
          p.add('INGRESS_INVALID_PATH', `${pat}/path`, `a path starts with "/", ${gotText(path.path)}`);
          return;
        }
        const target = path.backend !== undefined ? backend(path.backend, `${pat}/backend`) : dflt;
        // A path whose own backend is missing is dropped: its requests fall to the default backend (NCA).
        if (path.backend !== undefined && !target) return;
        const text = type === 'Prefix' && path.path.endsWith('/') ? path.path.slice(0, -1) : path.path;
        const patterns = pathPatterns(path.path, type);
        parsed.push({ ...(patterns ? { patterns } : {}), text, type, target, j });
      });
      const siblings = byServer.get(host?.toLowerCase() ?? '') ?? [];
      siblings.push(...parsed);
      byServer.set(host?.toLowerCase() ?? '', siblings);
      ruleFinish.push(() => {
        const covered = new Set<number>();
        for (const one of parsed) {
          const set = one.patterns ? classSet(ctx.paths, one.patterns) : new Set(allPaths);
          // What the Ingress's own paths match is not its default backend's, whichever path takes it.
          for (const c of set) covered.add(c);
          // Longest match over the host's paths in every Ingress: a Prefix path loses what a longer path
          // starting with it takes, and what an Exact path of its length takes ("precedence will be given to
          // paths with an exact path type"); two equal Prefix paths both keep it.
          if (one.type === 'Prefix') for (const other of siblings) if (other !== one && other.text.startsWith(one.text) && (other.text.length > one.text.length || other.type === 'Exact')) for (const c of other.patterns ? classSet(ctx.paths, other.patterns) : allPaths) set.delete(c);
          if (one.target) add(one.target, hosts, set, p.origin(`${label} rules[${i}].http.paths[${one.j}]`, `${at}/http/paths/${one.j}`));
        }
        taken.push({ hosts, paths: covered });
      });
    });
    finish.push(() => {
    for (const f of ruleFinish) f();
    if (dflt) {
      // The default backend gets, for each host, the paths no rule for that host takes (hosts alike grouped).
      const byUncovered = new Map<string, { hosts: Set<number>; paths: Set<number> }>();
      for (const h of allHosts) {
        const paths = new Set([...allPaths].filter((c) => !taken.some((t) => (!t.hosts || t.hosts.has(h)) && t.paths.has(c))));
        const key = [...paths].join(',');
        const group = byUncovered.get(key) ?? { hosts: new Set<number>(), paths };
        group.hosts.add(h);
        byUncovered.set(key, group);
      }
      for (const g of byUncovered.values()) add(dflt, g.hosts, g.paths, p.origin(`${label} defaultBackend`, '/spec/defaultBackend'));
    }
    });
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  if (errors.length > 0) return { layer: new IngressLayer(new Set(), [], ctx.domain), errors, warnings };
  for (const f of finish) f();
  // No Ingress: the controller is not limited (its other traffic is the other layers' business).
  return { layer: new IngressLayer(resources.some(isIngress) ? controllers : new Set(), routes, ctx.domain), errors, warnings };
}
