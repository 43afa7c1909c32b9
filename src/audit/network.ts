import type { PalisadeError } from '../core/errors.js';
import type { Resource } from '../core/load.js';
import type { Finding, Location } from '../core/types.js';
import { buildModel, collectPeers, DEFAULT_TUNING, lintNetwork, metadataOf, POLICY_GROUPS, reachabilityGraph, type Namespace, type NetpolCheck, type NetpolModel, type PodPeer, type ReachabilityGraph } from '../netpol/index.js';
import { copyData } from '../core/copy.js';
import { apiGroup, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { kuberayNetworkPolicyConfig } from '../knowledge/index.js';

const isPolicy = (resource: Resource): boolean => (POLICY_GROUPS as Readonly<Record<string, string>>)[resource.ref.kind] === apiGroup(resource.ref.apiVersion);
const isNamespace = (resource: Resource): boolean => resource.ref.kind === 'Namespace' && resource.ref.apiVersion === 'v1';

/**
 * What the network lint needs, gathered file by file so that no file's YAML tree outlives it:
 * policies and Namespaces whole (few and small: one document each), and one detached peer per
 * workload (labels, ports, model servers, location).
 */
export class NetworkCollector {
  private readonly kept: Resource[] = [];
  private readonly pods = new Map<string, PodPeer>();
  private readonly implicitNamespaces = new Map<string, Namespace>();
  private readonly policedNamespaces = new Set<string>();
  private adminPolicies = 0;

  /** `locate` finds a position in a file again when a finding needs it (the session re-reads the file). */
  constructor(
    private readonly table: WorkloadTable,
    private readonly locate: (file: string, indexInFile: number, pointer: string) => Location | undefined,
  ) {}

  add(resources: readonly Resource[], podSpecsOf?: (resource: Resource) => readonly PodSpecRef[]): void {
    for (const resource of resources) {
      if (isPolicy(resource)) {
        this.kept.push(resource);
        // The namespace as the netpol model names it (an object without one lands in "default").
        if (resource.ref.kind === 'NetworkPolicy') this.policedNamespaces.add(metadataOf(resource.object).namespace);
        else this.adminPolicies++;
      } else if (isNamespace(resource)) this.kept.push(resource);
      // Ray clusters KubeRay isolates: the model adds the policies it creates (not counted as the namespace's own).
      else if (kuberayNetworkPolicyConfig(resource.object)) this.kept.push(resource);
    }
    const { pods, namespaces } = collectPeers(resources, { builtinKindsOnly: false, table: this.table, ...(podSpecsOf ? { podSpecsOf } : {}) });
    // Replicas in several files fold into the first peer, as collectPeers folds them within one.
    const byPlace = new Map(resources.map((resource) => [`${resource.indexInFile}|${resource.file}`, resource]));
    for (const pod of pods) if (!this.pods.has(pod.id)) this.pods.set(pod.id, this.detach(pod, pod.origin && byPlace.get(`${pod.origin.indexInFile}|${pod.origin.file}`)));
    for (const [name, namespace] of namespaces) if (!this.implicitNamespaces.has(name)) this.implicitNamespaces.set(name, copyData(namespace));
  }

  /**
   * Run the lint when the input has policies to judge. Pods in namespaces without any
   * NetworkPolicy (and no admin policy in the input) are left to NAMESPACE_WITHOUT_DEFAULT_DENY,
   * which says it once per namespace. An invalid policy makes every answer false: it is reported
   * and nothing is judged.
   */
  lint(checks: readonly NetpolCheck[]): { findings: Finding[]; errors: PalisadeError[] } {
    if ((this.policedNamespaces.size === 0 && this.adminPolicies === 0) || checks.length === 0) return { findings: [], errors: [] };
    const model = this.model();
    if (model.errors.length > 0) return { findings: [], errors: model.errors };
    const judged = (pod: PodPeer): boolean => this.adminPolicies > 0 || this.policedNamespaces.has(pod.namespace);
    return { findings: lintNetwork(model, checks, judged), errors: [] };
  }

  /**
   * Who reaches the model servers, for the HTML report. Without any policy in the input every pod
   * reaches every other, which the graph shows as it is. An invalid policy gives no graph.
   */
  graph(): ReachabilityGraph | undefined {
    const model = this.model();
    return model.errors.length > 0 ? undefined : reachabilityGraph(model);
  }

  private built: NetpolModel | undefined;

  /** The reachability model of everything added, built once for the lint and the graph. */
  private model(): NetpolModel {
    if (this.built) return this.built;
    const declared = collectPeers(this.kept.filter(isNamespace), { builtinKindsOnly: false }).namespaces;
    const namespaces = new Map([...this.implicitNamespaces, ...declared]);
    const pods = [...this.pods.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.built = buildModel(this.kept, 'cluster', DEFAULT_TUNING, this.table, { pods, namespaces });
    return this.built;
  }

  /**
   * A peer that holds nothing of its file's tree (a copy), located now, while the file's positions
   * are at hand: on an insecure input most peers get a network finding, and locating each at the
   * end meant reading its document again (issue 23). A peer whose position would cost a parse now
   * (JSON, whose YAML tree is built only on demand) is located at the end, if a finding names it.
   */
  private detach(pod: PodPeer, resource: Resource | undefined): PodPeer {
    const plain = { type: pod.type, id: pod.id, namespace: pod.namespace, name: pod.name, kind: pod.kind, labels: pod.labels, ports: pod.ports, modelServers: pod.modelServers, hostNetwork: pod.hostNetwork, serviceAccount: pod.serviceAccount, resource: pod.resource, path: pod.path, origin: pod.origin };
    const detached: PodPeer = { ...copyData(plain), ips: pod.ips };
    const { origin } = detached;
    if (!origin) return detached;
    const now = resource?.locateIfCheap(origin.pointer);
    if (now) return Object.assign(detached, { location: now });
    let location: Location | undefined;
    const locate = this.locate;
    return Object.defineProperty(detached, 'location', { enumerable: true, get: () => (location ??= locate(origin.file, origin.indexInFile, origin.pointer)) });
  }
}
