import { PalisadeError } from '../core/errors.js';
import { getAtPointer } from '../core/pointer.js';
import type { Resource } from '../core/load.js';
import { detectServer, operatorPodLabels, serverInPlace } from '../knowledge/index.js';
import { apiGroup, tablePodSpecs, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { NAMESPACE_NAME_LABEL, type ContainerPort, type Namespace, type PodPeer } from './model.js';
import { asArray, asObject, metadataOf } from './parse/common.js';
import { isProtocol } from './sets/connectionSet.js';
import { IpSet, parseAddress } from './sets/ipSet.js';
import { netpolError } from './errors.js';

/** The kinds np-guard turns into peers, each named `ns/name[Kind]`. */
export const BUILTIN_PEER_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

export interface PeerOptions {
  /** np-guard compatibility: only the built-in kinds are peers. Otherwise every workload of the pod-spec table is. */
  builtinKindsOnly: boolean;
  /** Where pod specs live (the config's workloads: rows included); default: the built-in table. */
  table?: WorkloadTable;
  /** Pod specs the caller already found, so the walk is not done twice. */
  podSpecsOf?: (resource: Resource) => readonly PodSpecRef[];
}

/**
 * One peer per workload (Pods folded into their controller owner, exactly as the owner is written),
 * plus the namespaces: declared ones and the ones peers live in, each with the implicit name label.
 */
export function collectPeers(resources: readonly Resource[], options: PeerOptions): { pods: PodPeer[]; namespaces: Map<string, Namespace>; warnings: PalisadeError[] } {
  const namespaces = new Map<string, Namespace>();
  const byId = new Map<string, PodPeer>();
  const warnings: PalisadeError[] = [];
  for (const resource of resources) {
    const object = resource.object;
    const kind = object.kind as string;
    if (kind === 'Namespace') {
      const { name, labels } = metadataOf(object);
      // The first declaration wins (buildModel warns when a later one has other labels).
      if (!namespaces.has(name)) namespaces.set(name, { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } });
      continue;
    }
    if (options.builtinKindsOnly && !BUILTIN_PEER_KINDS.has(kind)) continue;
    // Only the table's pod specs make peers: its locations alone, without findPodSpecs' structural walk for the others.
    const specs = (options.podSpecsOf ? options.podSpecsOf(resource) : tablePodSpecs(object, options.table)).filter((s) => !s.discovered);
    if (specs.length === 0) continue;
    // A nameless object is named as everywhere else in palisade (generateName, else Kind#index), so
    // two of them do not fold into one peer with an empty name.
    const { namespace } = metadataOf(object);
    const name = resource.ref.name;
    specs.forEach((spec, index) => {
      const owner = kind === 'Pod' ? controllerOwner(object) : undefined;
      const peerName = owner?.name ?? name;
      const peerKind = owner ? owner.kind || 'Pod' : kind;
      const suffix = specs.length > 1 ? `/${index}` : '';
      const id = `${namespace}/${peerName}[${peerKind}]${suffix}`;
      const folded = byId.get(id);
      if (folded) {
        // Replicas and the owner itself fold into one peer, with the first one's labels (np-guard's convention).
        if (!sameLabels(folded.labels, spec.metadata.labels)) warnings.push(new PalisadeError('NETPOL_OWNER_LABELS_DIFFER', `pods of ${id} have different labels; they are analysed as one peer with the labels of the first`, { errorClass: 'warning', location: resource.locate(spec.metadataPath ?? '') }));
        return;
      }
      const ports: ContainerPort[] = [];
      const portPointers: string[] = [];
      const modelServers = new Set<string>();
      for (const container of spec.containers) {
        if (container.kind !== 'container') continue;
        const { image, command, args } = container.object;
        const commandLine = [...(asArray(command) ?? []), ...(asArray(args) ?? [])].map(String).join(' ');
        const server = serverInPlace(detectServer(typeof image === 'string' ? image : undefined, commandLine), spec.podSpecPath, commandLine);
        if (server) modelServers.add(server.id);
        (asArray(container.object.ports) ?? []).forEach((raw, i) => {
          const port = asObject(raw);
          if (!port || typeof port.containerPort !== 'number') return;
          const protocol = isProtocol(port.protocol) ? port.protocol : 'TCP';
          ports.push({ ...(typeof port.name === 'string' ? { name: port.name } : {}), port: port.containerPort, protocol });
          portPointers.push(`${container.path}/ports/${i}`);
        });
      }
      const byName = new Map<string, ContainerPort>();
      for (const [index, port] of ports.entries()) {
        if (port.name === undefined) continue;
        const key = `${port.name}/${port.protocol}`;
        const first = byName.get(key);
        if (!first) byName.set(key, port);
        else if (first.port !== port.port) warnings.push(netpolError('NETPOL_NAMED_PORT_AMBIGUOUS', `${id}: "${port.name}" (${port.protocol}) is ${first.port} and ${port.port}`, resource.locate(portPointers[index] ?? ''), 'warning'));
      }
      // Findings about the peer point at its labels, or at its pod spec when the template has no metadata.
      const place = spec.metadataPath !== undefined && getAtPointer(object, spec.metadataPath) !== undefined ? spec.metadataPath : spec.podSpecPath;
      byId.set(id, {
        type: 'pod',
        id,
        namespace,
        name: peerName + suffix,
        kind: peerKind,
        // The labels the pods run with: an operator's (KubeRay's ray.io/*) fill in what the template leaves out.
        labels: operatorPodLabels(object, apiGroup(String(object.apiVersion)), name, spec.podSpecPath, spec.metadata.labels),
        ports,
        ...(modelServers.size > 0 ? { modelServers: [...modelServers] } : {}),
        ...(spec.spec.hostNetwork === true ? { hostNetwork: true } : {}),
        ...(typeof spec.spec.serviceAccountName === 'string' && spec.spec.serviceAccountName !== '' ? { serviceAccount: spec.spec.serviceAccountName } : {}),
        ips: kind === 'Pod' ? podIps(object) : [],
        resource: resource.ref,
        path: spec.podSpecPath,
        origin: { file: resource.file, indexInFile: resource.indexInFile, pointer: place },
        get location() {
          return resource.locate(place);
        },
      });
    });
  }
  for (const peer of byId.values()) {
    if (!namespaces.has(peer.namespace)) namespaces.set(peer.namespace, { name: peer.namespace, labels: { [NAMESPACE_NAME_LABEL]: peer.namespace } });
  }
  const pods = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { pods, namespaces, warnings };
}

export function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The controller owner of a Pod, unless it is a Node (static pods stay standalone). */
function controllerOwner(object: Record<string, unknown>): { name: string; kind: string } | undefined {
  const metadata = asObject(object.metadata) ?? {};
  for (const raw of asArray(metadata.ownerReferences) ?? []) {
    const ref = asObject(raw);
    if (ref?.controller === true && ref.kind !== 'Node' && typeof ref.name === 'string') return { name: ref.name, kind: typeof ref.kind === 'string' ? ref.kind : '' };
  }
  return undefined;
}

function podIps(object: Record<string, unknown>): IpSet[] {
  const status = asObject(object.status) ?? {};
  const texts = new Set<string>();
  if (typeof status.podIP === 'string') texts.add(status.podIP);
  for (const raw of asArray(status.podIPs) ?? []) {
    const ip = asObject(raw)?.ip;
    if (typeof ip === 'string') texts.add(ip);
  }
  const out: IpSet[] = [];
  for (const text of texts) {
    const address = parseAddress(text);
    if (address) out.push(IpSet.range(address.family, address.value, address.value));
  }
  return out;
}
