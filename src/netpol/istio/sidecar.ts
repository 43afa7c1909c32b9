import { namespaceOf, obj, podsSelected, strings, type LayerParseCtx } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import { ConnSet, TCP, ivSubtract, type Domain } from '../layers/connSet.js';
import type { Endpoint } from '../layers/endpoints.js';
import { MeshProblems, type LayerOrigin } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import { ISTIO_ROOT_NAMESPACES } from './authorizationPolicy.js';

/**
 * networking.istio.io Sidecar egress and ServiceEntry (istio.io, "Sidecar" and "Service Entry"
 * references), read as IBM's network-config-analyzer reads them (IstioSidecarYamlParser.py,
 * IstioSidecar.py, IstioServiceEntryYamlParser.py — the source of the mesh corpus):
 *
 * - The Sidecar that configures a pod: the one in its namespace whose workloadSelector selects it,
 *   else its namespace's selector-less Sidecar, else the root namespace's selector-less one.
 * - A Sidecar with `egress` limits the pod's outbound TCP to the hosts its listeners expose:
 *   `namespace/dnsName`, where the namespace is `*` (any), `.` (the pod's own), a name, or any of these after
 *   `~`, which excludes what it names from the other entries' hosts (`~` alone: every namespace, so `~/*` none),
 *   and dnsName is an FQDN, `*.suffix` or `*`. A Kubernetes Service is exposed under
 *   `<name>.<namespace>.svc.cluster.local` (its selected pods become reachable); a ServiceEntry
 *   under each of its `hosts`, when exported to the pod's namespace (`exportTo`, default all).
 * - Addresses outside the cluster stay reachable over TCP under outboundTrafficPolicy ALLOW_ANY
 *   (the default) and are not under REGISTRY_ONLY. Non-TCP traffic is not the proxy's.
 * - ServiceEntry hosts are destinations of their own (`dns:<host>`), reachable over TCP only (the
 *   hosts' addresses are unknown, so the L3/L4 layers, which see addresses, cannot judge them).
 *
 * Assumptions stated as warnings: under ALLOW_ANY, Envoy passes traffic for destinations it has no
 * listener for through to the original address, so a host left out of `egress` may still be
 * reachable in a live cluster; the matrix reports the Sidecar's hosts as the only TCP destinations,
 * as the corpus does. A ServiceEntry's ports and `addresses` are not used (every TCP port, as in the
 * corpus).
 */

export const ISTIO_NETWORKING_APIS = new Set(['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']);

export function isSidecar(r: Resource): boolean {
  return r.object.kind === 'Sidecar' && ISTIO_NETWORKING_APIS.has(String(r.object.apiVersion));
}

export function isServiceEntry(r: Resource): boolean {
  return r.object.kind === 'ServiceEntry' && ISTIO_NETWORKING_APIS.has(String(r.object.apiVersion));
}

interface HostRule {
  /** `*`, `.`, `~` or a namespace name. */
  namespace: string;
  /** `*`, `*.suffix` or an FQDN, lower case. */
  dnsName: string;
  /** `~ns/dnsName`: the hosts it names are subtracted from what the other entries import. */
  exclude?: true;
}

export interface SidecarConfig {
  name: string;
  namespace: string;
  /** undefined: the Sidecar has no `egress` (every host of the mesh stays visible). */
  hosts?: readonly HostRule[];
  registryOnly: boolean;
  origin: LayerOrigin;
}

interface ServiceEntryHost {
  host: string;
  namespace: string;
  /** undefined: exported everywhere. */
  exportTo?: readonly string[];
}

interface MeshService {
  hostname: string;
  namespace: string;
  pods: readonly Endpoint[];
}

/** A host label sequence (NCA's DNSEntry.dns_pattern, an FQDN with at least one dot). */
const FQDN = /^(?=.{1,254}$)[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?)*\.?$/;

/** Whether a Sidecar dnsName (`*`, `*.suffix`, FQDN) exposes a host (an FQDN or a ServiceEntry's `*.suffix`). */
export function sidecarHostMatches(dnsName: string, host: string): boolean {
  const pattern = dnsName.toLowerCase();
  const h = host.toLowerCase();
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    // A wildcard exposes every name below its suffix; a wildcard host is exposed only by an equal or wider wildcard.
    const suffix = pattern.slice(1);
    return h.startsWith('*.') ? h === pattern || h.slice(1).endsWith(suffix) : h.endsWith(suffix) && h.length > suffix.length;
  }
  return h === pattern;
}

/** Whether a ServiceEntry is visible from a namespace (exportTo: `*` all, `.` its own, `~` none, or names). */
function exportedTo(entry: ServiceEntryHost, namespace: string): boolean {
  if (!entry.exportTo) return true;
  return entry.exportTo.some((e) => e === '*' || e === namespace || (e === '.' && entry.namespace === namespace));
}

function nsMatches(part: string, ofObject: string, ofPod: string): boolean {
  if (part === '*') return true;
  if (part === '~') return false;
  if (part === '.') return ofObject === ofPod;
  return ofObject === part;
}

export class IstioSidecars {
  private readonly cache = new Map<string, ReadonlySet<Endpoint>>();
  private readonly nonTcp: ConnSet;
  private readonly tcp: ConnSet;
  private readonly all: ConnSet;

  constructor(
    /** The Sidecar configuring each pod (only pods some Sidecar configures). */
    readonly byPod: ReadonlyMap<Endpoint, SidecarConfig>,
    /** One endpoint per ServiceEntry host. */
    readonly dnsEntries: readonly Endpoint[],
    private readonly entryHosts: ReadonlyMap<Endpoint, readonly ServiceEntryHost[]>,
    private readonly services: readonly MeshService[],
    readonly domain: Domain,
  ) {
    this.nonTcp = ConnSet.cube(domain, { proto: ivSubtract([0, 255], [TCP, TCP]) });
    this.tcp = ConnSet.cube(domain, { proto: [TCP, TCP] });
    this.all = ConnSet.all(domain);
  }

  get empty(): boolean {
    return this.byPod.size === 0 && this.dnsEntries.length === 0;
  }

  /** The pod sets egress tells apart (besides a pod's namespace and Sidecar): the Services' pods, when egress limits anything. */
  distinguishingSets(): readonly (readonly Endpoint[])[] {
    return this.empty ? [] : this.services.map((s) => s.pods);
  }

  /** The endpoints (pods, ServiceEntry hosts) a Sidecar exposes to a pod in `namespace`. */
  private exposed(config: SidecarConfig, hosts: readonly HostRule[], namespace: string): ReadonlySet<Endpoint> {
    const key = `${config.namespace}/${config.name}\u0000${namespace}`;
    let hit = this.cache.get(key);
    if (hit) return hit;
    const out = new Set<Endpoint>();
    const include = hosts.filter((rule) => !rule.exclude);
    const exclude = hosts.filter((rule) => rule.exclude);
    // istio/istio pilot/pkg/model/sidecar.go selectServices (master 86c9f01): a host excluded in its namespace or in `*` is not imported, whatever imports it.
    const takes = (ns: string, host: string): boolean => include.some((rule) => nsMatches(rule.namespace, ns, namespace) && sidecarHostMatches(rule.dnsName, host)) && !exclude.some((rule) => nsMatches(rule.namespace, ns, namespace) && sidecarHostMatches(rule.dnsName, host));
    for (const svc of this.services) if (takes(svc.namespace, svc.hostname)) for (const ep of svc.pods) out.add(ep);
    for (const dns of this.dnsEntries) {
      const entries = this.entryHosts.get(dns) ?? [];
      if (entries.some((e) => exportedTo(e, namespace) && takes(e.namespace, e.host))) out.add(dns);
    }
    hit = out;
    this.cache.set(key, hit);
    return hit;
  }

  /** The connections `src`'s proxy lets out towards `dst` (everything when no Sidecar limits it; ServiceEntry hosts: TCP). */
  egress(src: Endpoint, dst: Endpoint | IpSet): { allowed: ConnSet; config?: SidecarConfig } {
    const toDns = 'kind' in dst && dst.kind === 'dns';
    const config = src.noSidecar ? undefined : this.byPod.get(src);
    if (!config) return { allowed: toDns ? (this.visible(src, dst as Endpoint) ? this.tcp : ConnSet.empty(this.domain)) : this.all };
    let tcpOpen: boolean;
    if (!('kind' in dst)) tcpOpen = !config.registryOnly;
    else if (!config.hosts) tcpOpen = toDns ? this.visible(src, dst) : true;
    else tcpOpen = this.exposed(config, config.hosts, src.namespace ?? '').has(dst);
    if (toDns) return { allowed: tcpOpen ? this.tcp : ConnSet.empty(this.domain), config };
    return { allowed: tcpOpen ? this.all : this.nonTcp, config };
  }

  /** Without an egress list, a pod sees the ServiceEntries exported to its namespace. */
  private visible(src: Endpoint, dns: Endpoint): boolean {
    return (this.entryHosts.get(dns) ?? []).some((e) => exportedTo(e, src.namespace ?? ''));
  }
}

type Ctx = Pick<LayerParseCtx, 'topology' | 'domain' | 'defaultNamespace'>;

export function parseSidecars(resources: readonly Resource[], ctx: Ctx): { layer: IstioSidecars; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const pods = ctx.topology.endpoints.filter((ep) => ep.kind === 'pod');
  const nsOf = (r: Resource): string => namespaceOf(r, ctx.defaultNamespace);

  // Kubernetes Services: the hostnames a Sidecar's hosts select.
  const services: MeshService[] = [];
  for (const r of resources) {
    if (r.object.kind !== 'Service' || r.object.apiVersion !== 'v1') continue;
    const md = obj(r.object.metadata) ?? {};
    const namespace = nsOf(r);
    const selector = obj(obj(r.object.spec)?.selector);
    const selected = selector ? podsSelected(ctx.topology, namespace, selector) : [];
    services.push({ hostname: `${String(md.name ?? '')}.${namespace}.svc.cluster.local`, namespace, pods: selected });
  }

  // ServiceEntries: one destination per host.
  const dnsByHost = new Map<string, Endpoint>();
  const entryHosts = new Map<Endpoint, ServiceEntryHost[]>();
  for (const r of resources) {
    if (!isServiceEntry(r)) continue;
    const p = new MeshProblems(r);
    const spec = obj(r.object.spec) ?? {};
    const namespace = nsOf(r);
    const hosts = strings(spec.hosts) ?? [];
    if (hosts.length === 0) p.add('ISTIO_INVALID_HOST', '/spec/hosts', 'a ServiceEntry needs at least one host');
    hosts.forEach((host, i) => {
      const bare = host.startsWith('*.') ? host.slice(2) : host;
      if (host === '*' || !FQDN.test(bare)) p.add('ISTIO_INVALID_HOST', `/spec/hosts/${i}`, gotText(host));
    });
    const exportTo = strings(spec.exportTo);
    if (spec.location !== undefined && spec.location !== 'MESH_EXTERNAL' && spec.location !== 'MESH_INTERNAL') p.add('ISTIO_INVALID_FIELD', '/spec/location', `location must be MESH_EXTERNAL or MESH_INTERNAL, ${gotText(spec.location)}`);
    if (spec.resolution !== undefined && !['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'].includes(String(spec.resolution))) p.add('ISTIO_INVALID_FIELD', '/spec/resolution', `resolution must be NONE, STATIC, DNS or DNS_ROUND_ROBIN, ${gotText(spec.resolution)}`);
    if (spec.location === 'MESH_INTERNAL') p.warn('ISTIO_OUT_OF_SCOPE', '/spec/location', 'MESH_INTERNAL entries are read as external destinations (their workloads are not resolved)');
    if (spec.addresses !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', '/spec/addresses', 'addresses are not used: the entry is reached by its hosts');
    if (spec.ports !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', '/spec/ports', 'ports are not used: every TCP port of the hosts is read as exposed');
    if (spec.workloadSelector !== undefined || spec.endpoints !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', spec.workloadSelector !== undefined ? '/spec/workloadSelector' : '/spec/endpoints', 'the entry\'s endpoints are not resolved');
    errors.push(...p.errors);
    warnings.push(...p.warnings);
    if (p.errors.length > 0) continue;
    for (const host of hosts) {
      const key = host.toLowerCase();
      let ep = dnsByHost.get(key);
      if (!ep) {
        ep = { kind: 'dns', name: `dns:${host}`, workload: `dns:${host}`, labels: {}, extraLabels: {}, profiles: [], ports: [], serviceAccount: '', location: r.locate('/metadata') };
        dnsByHost.set(key, ep);
        entryHosts.set(ep, []);
      }
      entryHosts.get(ep)!.push({ host, namespace, ...(exportTo ? { exportTo } : {}) });
    }
  }

  // Sidecars: which one configures each pod.
  const byPod = new Map<Endpoint, SidecarConfig>();
  const specific: { config: SidecarConfig; selected: Endpoint[]; p: MeshProblems; ok: boolean }[] = [];
  const namespaceDefault = new Map<string, SidecarConfig>();
  let rootDefault: SidecarConfig | undefined;
  for (const r of resources) {
    if (!isSidecar(r)) continue;
    const p = new MeshProblems(r);
    const spec = obj(r.object.spec) ?? {};
    const namespace = nsOf(r);
    const name = String(obj(r.object.metadata)?.name ?? '');
    const root = ISTIO_ROOT_NAMESPACES.includes(namespace);
    let hosts: HostRule[] | undefined;
    if (spec.egress !== undefined) {
      hosts = [];
      if (!Array.isArray(spec.egress)) p.add('MESH_NOT_AN_OBJECT', '/spec/egress', 'egress is a list of listeners');
      (Array.isArray(spec.egress) ? spec.egress : []).forEach((l, i) => {
        const listener = obj(l) ?? {};
        const list = strings(listener.hosts) ?? [];
        if (list.length === 0) p.add('ISTIO_INVALID_HOST', `/spec/egress/${i}/hosts`, 'an egress listener needs at least one host');
        if (listener.port !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', `/spec/egress/${i}/port`, 'the listener port is not used: its hosts are read as exposed on every port');
        list.forEach((host, j) => {
          const rule = parseHost(host);
          if (typeof rule === 'string') p.add('ISTIO_INVALID_HOST', `/spec/egress/${i}/hosts/${j}`, rule);
          else hosts!.push(rule);
        });
      });
    }
    const mode = obj(spec.outboundTrafficPolicy)?.mode;
    if (mode !== undefined && mode !== 'ALLOW_ANY' && mode !== 'REGISTRY_ONLY') p.add('ISTIO_INVALID_FIELD', '/spec/outboundTrafficPolicy/mode', `mode must be ALLOW_ANY or REGISTRY_ONLY, ${gotText(mode)}`);
    if (spec.ingress !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', '/spec/ingress', 'ingress listeners are not modelled');
    const registryOnly = mode === 'REGISTRY_ONLY';
    if (hosts && !registryOnly) p.warn('ISTIO_SIDECAR_ALLOW_ANY', '/spec/egress');
    const labels = obj(obj(spec.workloadSelector)?.labels);
    if (spec.workloadSelector !== undefined && (!labels || Object.keys(labels).length === 0)) p.add('ISTIO_INVALID_SELECTOR', '/spec/workloadSelector', 'labels must name at least one label');
    if (root && spec.workloadSelector !== undefined) p.add('ISTIO_CONFLICTING_FIELDS', '/spec/workloadSelector', 'the root namespace\'s Sidecar is the mesh default and takes no workloadSelector');
    const config: SidecarConfig = { name, namespace, ...(hosts ? { hosts } : {}), registryOnly, origin: p.origin(`Sidecar ${namespace}/${name}`, '/metadata/name') };
    if (labels) {
      const selected = podsSelected(ctx.topology, namespace, labels);
      // Ambiguity among workload Sidecars is known once all are read.
      specific.push({ config, selected, p, ok: p.errors.length === 0 });
      continue;
    }
    if (p.errors.length === 0) {
      if (root) {
        if (rootDefault) p.add('ISTIO_SIDECAR_AMBIGUOUS', '/metadata', `the root namespace already has a Sidecar without workloadSelector (${rootDefault.name})`);
        else rootDefault = config;
      } else if (namespaceDefault.has(namespace)) p.add('ISTIO_SIDECAR_AMBIGUOUS', '/metadata', `namespace ${namespace} already has a Sidecar without workloadSelector (${namespaceDefault.get(namespace)!.name})`);
      else namespaceDefault.set(namespace, config);
    }
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  for (const { config, selected, p, ok } of specific) {
    if (!ok) {
      errors.push(...p.errors);
      warnings.push(...p.warnings);
      continue;
    }
    const taken = selected.filter((ep) => byPod.has(ep));
    if (taken.length > 0) p.add('ISTIO_SIDECAR_AMBIGUOUS', '/spec/workloadSelector', `${taken.map((ep) => ep.name).join(', ')} already selected by Sidecar ${byPod.get(taken[0]!)!.namespace}/${byPod.get(taken[0]!)!.name}`);
    for (const ep of selected) if (!byPod.has(ep)) byPod.set(ep, config);
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  for (const ep of pods) {
    if (byPod.has(ep)) continue;
    const config = namespaceDefault.get(ep.namespace ?? '') ?? rootDefault;
    if (config) byPod.set(ep, config);
  }
  return { layer: new IstioSidecars(byPod, [...dnsByHost.values()], entryHosts, services, ctx.domain), errors, warnings };
}

/** `namespace/dnsName` (istio.io Sidecar, IstioEgressListener.hosts); a string is the reason it is invalid. */
function parseHost(host: string): HostRule | string {
  const parts = host.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return `a host is namespace/dnsName, ${gotText(host)}`;
  const [raw, dnsName] = parts as [string, string];
  // `~ns/dnsName` excludes; a bare `~` is the wildcard namespace, so `~/*` excludes everything (istio/api sidecar.proto, istio/istio sidecar.go excludePrefix).
  const exclude = raw.startsWith('~');
  const namespace = exclude ? raw.slice(1) || '*' : raw;
  if (/[*.~]/.test(namespace) && namespace.length !== 1) return `the namespace part is *, ., ~ or a name, optionally after ~, ${gotText(raw)}`;
  if (namespace === '~') return `the namespace part is *, ., ~ or a name, optionally after ~, ${gotText(raw)}`;
  if (dnsName !== '*') {
    const bare = dnsName.startsWith('*.') ? dnsName.slice(2) : dnsName;
    if (bare.includes('*') || !FQDN.test(bare)) return `the dnsName is *, *.suffix or an FQDN, ${gotText(dnsName)}`;
  }
  return { namespace, dnsName: dnsName.toLowerCase(), ...(exclude ? { exclude: true as const } : {}) };
}
