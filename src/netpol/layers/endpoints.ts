import type { Resource } from '../../core/load.js';
import { getAtPointer } from '../../core/pointer.js';
import type { Location } from '../../core/types.js';
import { operatorPodLabels } from '../../knowledge/index.js';
import { apiGroup, DEFAULT_TABLE, tablePodSpecs, type PodSpecRef } from '../../workloads/index.js';
import { NAMESPACE_NAME_LABEL } from '../model.js';
import { IpSet, parseCidr } from '../sets/ipSet.js';

/**
 * The endpoints of the layered engine, read the way IBM's network-config-analyzer reads them
 * (TopologyObjectsFinder.py, the source of the mesh conformance corpus): Pods, workload templates
 * (at most two pods each), Calico WorkloadEndpoints and HostEndpoints.
 */

export interface NamedPort {
  name: string;
  port: number;
  /** IANA protocol number. */
  protocol: number;
}

export interface Endpoint {
  /** A NetworkSet / GlobalNetworkSet is selectable by labels but stands for addresses (`nets`). */
  /** `dns`: an Istio ServiceEntry host (`dns:<host>`), a destination only. */
  kind: 'pod' | 'hep' | 'netset' | 'dns';
  nets?: readonly IpSet[];
  /** `ns/pod`, `hostendpoint:<name>` or `dns:<host>`. */
  name: string;
  /** `ns/owner` at deployment resolution (the pod name when there is no owner). */
  workload: string;
  /** The workload's kind (`Deployment` for a ReplicaSet with a pod-template hash, `Pod` without owner); pods only. */
  workloadKind?: string;
  /** Which pod spec of an object with several (a RayCluster's head is 0, its worker groups follow): `workload` ends in `/<index>`. */
  podSpecIndex?: number;
  /** undefined for global endpoints (HostEndpoints). */
  namespace?: string;
  labels: Record<string, string>;
  /** Labels added by Calico Profiles' labelsToApply. */
  extraLabels: Record<string, string>;
  profiles: readonly string[];
  ports: readonly NamedPort[];
  serviceAccount: string;
  /** The pod opts out of Istio's sidecar injection (`sidecar.istio.io/inject: "false"`, label or annotation). */
  noSidecar?: boolean;
  location?: Location;
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

export interface Topology {
  endpoints: Endpoint[];
  /** Calico NetworkSets and GlobalNetworkSets (global: no namespace). */
  netsets: Endpoint[];
  namespaces: Map<string, Namespace>;
  /** ServiceAccount labels by `ns/name` (Calico's serviceAccountSelector and serviceAccounts.selector read them). */
  serviceAccounts?: Map<string, Record<string, string>>;
}

export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { ICMP: 1, TCP: 6, UDP: 17, ICMPv6: 58, SCTP: 132, UDPLite: 136 };

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, dflt = ''): string => (typeof v === 'string' ? v : dflt);
const labelsOf = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));
/** Istio's injection opt-out on a pod's (or pod template's) metadata. */
const optsOut = (md: Record<string, unknown>): boolean => [obj(md.labels), obj(md.annotations)].some((m) => String(m['sidecar.istio.io/inject']) === 'false');
/** A pod that runs the proxy itself (Istio's gateways opt out of injection but are `istio-proxy`) has a mesh identity. */
const runsProxy = (spec: Record<string, unknown>): boolean => arr(spec.containers).some((c) => obj(c).name === 'istio-proxy');

function containerPorts(spec: Record<string, unknown>): NamedPort[] {
  const out: NamedPort[] = [];
  for (const c of arr(spec.containers)) {
    for (const p of arr(obj(c).ports)) {
      const port = obj(p);
      if (typeof port.containerPort === 'number' && typeof port.name === 'string') out.push({ name: port.name, port: port.containerPort, protocol: PROTOCOL_NUMBERS[str(port.protocol, 'TCP')] ?? 6 });
    }
  }
  return out;
}

/** NCA's workload name of a pod: a ReplicaSet with a hex suffix is a Deployment's. */
function workloadOf(namespace: string, pod: string, ownerName: string, ownerKind: string): { workload: string; workloadKind: string } {
  if (!ownerName) return { workload: `${namespace}/${pod}`, workloadKind: 'Pod' };
  if (ownerKind === 'ReplicaSet') {
    const dash = ownerName.lastIndexOf('-');
    const suffix = ownerName.slice(dash + 1);
    if (/^[0-9a-fA-F]*$/.test(suffix)) return { workload: `${namespace}/${ownerName.slice(0, dash)}`, workloadKind: 'Deployment' };
  }
  return { workload: `${namespace}/${ownerName}`, workloadKind: ownerKind || 'Pod' };
}

/**
 * How verify and explain name an endpoint: the pod (`ns/pod`), or at deployment resolution its
 * workload as the NetworkPolicy engine names peers: `ns/name[Kind]`, and `ns/name[Kind]/<index>` for
 * one pod spec of an object with several (peers.ts), where the matrix writes `ns/name/<index>`.
 */
export function endpointLabel(ep: Endpoint, resolution: 'pod' | 'deployment'): string {
  if (resolution !== 'deployment' || ep.kind !== 'pod') return ep.name;
  const kind = `[${ep.workloadKind ?? 'Pod'}]`;
  if (ep.podSpecIndex === undefined) return `${ep.workload}${kind}`;
  const suffix = `/${ep.podSpecIndex}`;
  return `${ep.workload.slice(0, -suffix.length)}${kind}${suffix}`;
}

export function collectTopology(resources: readonly Resource[]): Topology {
  const namespaces = new Map<string, Namespace>();
  const endpoints: Endpoint[] = [];
  const netsets: Endpoint[] = [];
  const seen = new Map<string, number>();
  const ns = (name: string): string => {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name } });
    return name;
  };
  const serviceAccounts = new Map<string, Record<string, string>>();
  for (const r of resources) {
    if (r.object.kind === 'Namespace') {
      const md = obj(r.object.metadata);
      const name = str(md.name);
      namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name, ...labelsOf(md.labels) } });
    }
    if (r.object.kind === 'ServiceAccount' && r.object.apiVersion === 'v1') {
      const md = obj(r.object.metadata);
      serviceAccounts.set(`${str(md.namespace, 'default') || 'default'}/${str(md.name)}`, labelsOf(md.labels));
    }
  }
  const add = (ep: Endpoint, r: Resource, pointer?: string): void => {
    locatedLazily(ep, r, pointer);
    // NCA keeps at most two endpoints that no selector can tell apart (same workload, labels, profiles).
    const key = `${ep.kind}|${ep.kind === 'pod' ? ep.workload : ''}|${JSON.stringify(Object.entries(ep.labels).sort())}|${ep.profiles[0] ?? ''}|${[...ep.profiles.slice(1)].sort().join(',')}`;
    const n = seen.get(key) ?? 0;
    if (n >= 2) return;
    seen.set(key, n + 1);
    endpoints.push(ep);
  };
  for (const r of resources) {
    const kind = str(r.object.kind);
    const md = obj(r.object.metadata);
    const spec = obj(r.object.spec);
    if (kind === 'Pod') {
      const namespace = ns(str(md.namespace, 'default'));
      const owner = obj(arr(md.ownerReferences)[0]);
      const name = str(md.name);
      add({ kind: 'pod', name: `${namespace}/${name}`, ...workloadOf(namespace, name, str(owner.name), str(owner.kind)), namespace, labels: labelsOf(md.labels), extraLabels: {}, profiles: [], ports: containerPorts(spec), serviceAccount: str(spec.serviceAccountName, 'default'), ...(optsOut(md) && !runsProxy(spec) ? { noSidecar: true } : {}) }, r);
    } else if (WORKLOAD_KINDS.has(kind)) {
      const namespace = ns(str(md.namespace, 'default'));
      const name = str(md.name);
      let replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
      let wspec = spec;
      if (kind === 'Job') replicas = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
      if (kind === 'CronJob') wspec = obj(obj(spec.jobTemplate).spec);
      const template = obj(wspec.template);
      const tspec = obj(template.spec);
      for (let i = 1; i <= Math.min(replicas, 2); i++) {
        add({ kind: 'pod', name: `${namespace}/${name}-${i}`, workload: `${namespace}/${name}`, workloadKind: kind, namespace, labels: labelsOf(obj(template.metadata).labels), extraLabels: {}, profiles: [], ports: containerPorts(tspec), serviceAccount: str(tspec.serviceAccountName, 'default'), ...(optsOut(obj(template.metadata)) && !runsProxy(tspec) ? { noSidecar: true } : {}) }, r);
      }
    } else if (kind !== 'Pod' && DEFAULT_TABLE.lookup(String(r.object.apiVersion), kind)) {
      // The pods of ML workloads (KServe, KubeRay, Kubeflow, Seldon, LWS…), one workload per pod spec, with the labels their operator adds.
      const namespace = ns(str(md.namespace, 'default'));
      const name = str(md.name);
      const specs = tablePodSpecs(r.object);
      specs.forEach((ref, index) => {
        const workload = specs.length > 1 ? `${namespace}/${name}/${index}` : `${namespace}/${name}`;
        const labels = operatorPodLabels(r.object, apiGroup(String(r.object.apiVersion)), name, ref.podSpecPath, ref.metadata.labels);
        for (let i = 1; i <= Math.min(replicasBeside(r.object, ref), 2); i++) {
          add({ kind: 'pod', name: `${workload}-${i}`, workload, workloadKind: kind, ...(specs.length > 1 ? { podSpecIndex: index } : {}), namespace, labels, extraLabels: {}, profiles: [], ports: refPorts(ref), serviceAccount: str(ref.spec.serviceAccountName, 'default'), ...(optsOut(ref.metadata) && !runsProxy(ref.spec) ? { noSidecar: true } : {}) }, r, ref.metadataPath ?? ref.podSpecPath);
        }
      });
    } else if (kind === 'WorkloadEndpoint') {
      const namespace = ns(str(md.namespace, 'default'));
      const pod = str(spec.pod);
      const labels = labelsOf(md.labels);
      add({ kind: 'pod', name: `${namespace}/${pod}`, workload: `${namespace}/${pod}`, workloadKind: 'Pod', namespace, labels, extraLabels: {}, profiles: arr(spec.profiles).map((p) => String(p)), ports: wepPorts(spec), serviceAccount: labels['projectcalico.org/serviceaccount'] ?? 'default' }, r);
    } else if ((kind === 'NetworkSet' || kind === 'GlobalNetworkSet') && String(r.object.apiVersion).startsWith('projectcalico.org/')) {
      const name = str(md.name);
      const namespace = kind === 'NetworkSet' ? ns(str(md.namespace, 'default')) : undefined;
      const nets = arr(spec.nets).flatMap((c) => {
        const parsed = typeof c === 'string' ? parseCidr(c.includes('/') ? c : c.includes(':') ? `${c}/128` : `${c}/32`) : undefined;
        return parsed ? [IpSet.range(parsed.family, parsed.first, parsed.last)] : [];
      });
      netsets.push(locatedLazily({ kind: 'netset', name: `${namespace ? `${namespace}/` : ''}${name}`, workload: name, ...(namespace ? { namespace } : {}), labels: labelsOf(md.labels), extraLabels: {}, profiles: [], ports: [], serviceAccount: '', nets }, r));
    } else if (kind === 'HostEndpoint') {
      const name = str(md.name);
      add({ kind: 'hep', name: `hostendpoint:${name}`, workload: `hostendpoint:${name}`, labels: labelsOf(md.labels), extraLabels: {}, profiles: arr(spec.profiles).map((p) => String(p)), ports: wepPorts(spec), serviceAccount: '' }, r);
    }
  }
  return { endpoints, netsets, namespaces, serviceAccounts };
}

/** An endpoint's location, found when first read: locating parses the document's YAML tree, which most runs never need. */
function locatedLazily(ep: Endpoint, r: Resource, pointer = '/metadata'): Endpoint {
  let location: Location | undefined;
  Object.defineProperty(ep, 'location', { enumerable: true, configurable: true, get: (): Location => (location ??= r.locate(pointer)) });
  return ep;
}

/** Named container ports of a pod spec the workloads table found (its containers may be container objects, as KServe's predictors are). */
function refPorts(ref: PodSpecRef): NamedPort[] {
  return containerPorts({ containers: ref.containers.filter((c) => c.kind === 'container').map((c) => c.object) });
}

/** `replicas` beside a pod template (a worker group's, a replica spec's); one pod when none is written. */
function replicasBeside(object: Record<string, unknown>, ref: PodSpecRef): number {
  if (!ref.podSpecPath.endsWith('/template/spec')) return 1;
  const replicas = getAtPointer(object, `${ref.podSpecPath.slice(0, -'/template/spec'.length)}/replicas`);
  return typeof replicas === 'number' && replicas >= 1 ? replicas : 1;
}

function wepPorts(spec: Record<string, unknown>): NamedPort[] {
  const out: NamedPort[] = [];
  for (const p of arr(spec.ports)) {
    const port = obj(p);
    if (typeof port.port === 'number' && typeof port.name === 'string') out.push({ name: port.name, port: port.port, protocol: PROTOCOL_NUMBERS[str(port.protocol, 'TCP')] ?? 6 });
  }
  return out;
}

/** The labels selectors see: the endpoint's own, then those its profiles apply. */
export function effectiveLabels(ep: Endpoint): Record<string, string> {
  return { ...ep.extraLabels, ...ep.labels };
}

/** The topology's endpoints by namespace and by kind, built once per topology (parsers look them up per rule). */
export interface TopologyIndex {
  /** Every endpoint (no NetworkSets), as one shared set: callers must not change it. */
  all: ReadonlySet<Endpoint>;
  pods: readonly Endpoint[];
  /** Every pod, as one shared set: callers must not change it. */
  podSet: ReadonlySet<Endpoint>;
  /** The endpoints of a namespace (undefined: the global ones), in topology order. */
  inNamespace(namespace: string | undefined): readonly Endpoint[];
}

const indexes = new WeakMap<Topology, TopologyIndex>();

export function topologyIndex(topology: Topology): TopologyIndex {
  let hit = indexes.get(topology);
  if (hit) return hit;
  const byNamespace = new Map<string | undefined, Endpoint[]>();
  for (const ep of topology.endpoints) {
    let list = byNamespace.get(ep.namespace);
    if (!list) byNamespace.set(ep.namespace, (list = []));
    list.push(ep);
  }
  const pods = topology.endpoints.filter((ep) => ep.kind === 'pod');
  hit = { all: new Set(topology.endpoints), pods, podSet: new Set(pods), inNamespace: (ns) => byNamespace.get(ns) ?? [] };
  indexes.set(topology, hit);
  return hit;
}

/** `a ∩ b`, walking the smaller set. */
export function intersectSets<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<T>();
  for (const x of small) if (large.has(x)) out.add(x);
  return out;
}
