import { joinPointer } from '../core/pointer.js';
import { modelServer, type ModelServer } from '../knowledge/index.js';
import type { Inventory, InventoryObject, WorkloadSummary } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * Who a Service or Ingress sends traffic to: Services select pods by labels in their namespace and
 * map a port to a container port (by number or by name); Ingresses name a Service and its port.
 * Shared by the cluster checks that judge exposure.
 */

export const PUBLIC_SERVICE_TYPES: ReadonlySet<string> = new Set(['LoadBalancer', 'NodePort']);

export interface Reached {
  workload: WorkloadSummary;
  container: string;
  server: ModelServer;
  /** The container port traffic lands on. */
  port: number;
}

type PlainObject = Readonly<Record<string, unknown>>;

export function namespaceOf(item: { ref: { namespace?: string } }): string {
  return item.ref.namespace ?? '';
}

export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isPlainObject(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === String(v));
}

export function serviceType(service: InventoryObject): string {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  return typeof spec.type === 'string' ? spec.type : 'ClusterIP';
}

export function servicePorts(service: InventoryObject): Array<{ entry: PlainObject; index: number }> {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  return ports.flatMap((entry, index) => (isPlainObject(entry) ? [{ entry, index }] : []));
}

/** Every LoadBalancer/NodePort Service port and the model-server container it reaches, with the port's pointer. */
export function publiclyReached(inventory: Inventory): Array<{ service: InventoryObject; type: string; path: string; reached: Reached; workload: string }> {
  const out: Array<{ service: InventoryObject; type: string; path: string; reached: Reached; workload: string }> = [];
  for (const service of inventory.services) {
    const type = serviceType(service);
    if (!PUBLIC_SERVICE_TYPES.has(type)) continue;
    for (const { entry, index } of servicePorts(service)) {
      for (const reached of reachedByServicePort(service, entry, inventory)) out.push({ service, type, path: `/spec/ports/${index}`, reached, workload: `${reached.workload.ref.kind} "${reached.workload.ref.name}"` });
    }
  }
  return out;
}

interface WorkloadIndex {
  /** Workloads by namespace, then by one `key=value` label, each list in inventory order. */
  byLabel: Map<string, Map<string, WorkloadSummary[]>>;
  /** Services by namespace and name; the first of a name wins, as a linear search would find it. */
  services: Map<string, InventoryObject>;
  /** The sizes indexed: an inventory that grew since is indexed again. */
  sizes: string;
}

const indexes = new WeakMap<Inventory, WorkloadIndex>();

/** Built once per inventory, so a Service port or an Ingress backend looks at candidates only, not every object of the input (issue 23). */
function indexOf(inventory: Inventory): WorkloadIndex {
  const sizes = `${inventory.workloads.length}/${inventory.services.length}`;
  let index = indexes.get(inventory);
  if (index?.sizes === sizes) return index;
  index = { byLabel: new Map(), services: new Map(), sizes };
  for (const workload of inventory.workloads) {
    let labels = index.byLabel.get(workload.namespace);
    if (!labels) index.byLabel.set(workload.namespace, (labels = new Map()));
    for (const [key, value] of Object.entries(workload.labels)) {
      const label = `${key}\u0000${value}`;
      const list = labels.get(label);
      if (list) list.push(workload);
      else labels.set(label, [workload]);
    }
  }
  for (const service of inventory.services) {
    const key = `${namespaceOf(service)}\u0000${service.ref.name}`;
    if (!index.services.has(key)) index.services.set(key, service);
  }
  indexes.set(inventory, index);
  return index;
}

/**
 * The workloads of one namespace a selector matches, in inventory order. Every workload it matches
 * carries each of its labels, so the shortest list of workloads with one of them holds them all.
 */
function workloadsMatching(inventory: Inventory, namespace: string, selector: unknown): WorkloadSummary[] {
  if (!isPlainObject(selector)) return [];
  const labels = indexOf(inventory).byLabel.get(namespace);
  let candidates: WorkloadSummary[] | undefined;
  for (const [key, value] of Object.entries(selector)) {
    const list = labels?.get(`${key}\u0000${String(value)}`) ?? [];
    if (!candidates || list.length < candidates.length) candidates = list;
  }
  return (candidates ?? []).filter((workload) => selects(selector, workload.labels));
}

/** The workloads a Service selects (its namespace, its selector); a controller's own Pods and ReplicaSets only when nothing else matches. */
export function workloadsSelectedBy(service: InventoryObject, inventory: Inventory): WorkloadSummary[] {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  const selected = workloadsMatching(inventory, namespaceOf(service), spec.selector);
  const owners = selected.filter((w) => !w.controlled);
  return owners.length > 0 ? owners : selected;
}

/** `Deployment "a", StatefulSet "b"`: each object once, in inventory order. */
export function describeWorkloads(workloads: readonly WorkloadSummary[]): string {
  return [...new Set(workloads.map((w) => `${w.ref.kind} "${w.ref.name}"`))].join(', ');
}

/** The Service an Ingress backend names, in the Ingress's namespace. */
export function backendService(ingress: InventoryObject, backend: IngressBackend, inventory: Inventory): InventoryObject | undefined {
  return indexOf(inventory).services.get(`${namespaceOf(ingress)}\u0000${backend.service}`);
}

/** The containers (running a known server) that one Service port reaches. */
export function reachedByServicePort(service: InventoryObject, port: PlainObject, inventory: Inventory): Reached[] {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  const target = port.targetPort ?? port.port;
  const out: Reached[] = [];
  for (const workload of workloadsMatching(inventory, namespaceOf(service), spec.selector)) {
    for (const container of workload.containers) {
      const server = container.server ? modelServer(container.server) : undefined;
      if (!server) continue;
      const number = typeof target === 'number' ? target : typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : container.ports.find((p) => p.name === target)?.containerPort;
      if (number === undefined) continue;
      out.push({ workload, container: container.name, server, port: number });
    }
  }
  return out;
}

export function adminApi(server: ModelServer, port: number): string | undefined {
  return server.adminPorts.find((p) => p.port === port)?.api;
}

export interface IngressBackend {
  path: string;
  /** Index of the rule it belongs to, or undefined for the default backend. */
  rule?: number;
  service: string;
  port: number | string | undefined;
}

/** Every backend of an Ingress (networking.k8s.io/v1 and the older extensions/v1beta1 shape). */
export function ingressBackends(ingress: InventoryObject): IngressBackend[] {
  const spec = isPlainObject(ingress.object.spec) ? ingress.object.spec : {};
  const out: IngressBackend[] = [];
  const add = (backend: unknown, path: string, rule?: number): void => {
    if (!isPlainObject(backend)) return;
    if (isPlainObject(backend.service) && typeof backend.service.name === 'string') {
      const port = isPlainObject(backend.service.port) ? (backend.service.port.number ?? backend.service.port.name) : undefined;
      out.push({ path, ...(rule !== undefined ? { rule } : {}), service: backend.service.name, port: port as number | string | undefined });
    } else if (typeof backend.serviceName === 'string') {
      out.push({ path, ...(rule !== undefined ? { rule } : {}), service: backend.serviceName, port: backend.servicePort as number | string | undefined });
    }
  };
  add(spec.defaultBackend ?? spec.backend, spec.defaultBackend ? '/spec/defaultBackend' : '/spec/backend');
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, r) => {
    const paths = isPlainObject(rule) && isPlainObject(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    paths.forEach((p, i) => {
      if (isPlainObject(p)) add(p.backend, joinPointer('/spec/rules', r, 'http', 'paths', i, 'backend'), r);
    });
  });
  return out;
}

/** The containers an Ingress backend reaches through its Service. */
export function reachedByBackend(ingress: InventoryObject, backend: IngressBackend, inventory: Inventory): Reached[] {
  const service = backendService(ingress, backend, inventory);
  if (!service) return [];
  const port = servicePorts(service).find(({ entry }) => (typeof backend.port === 'string' && !/^\d+$/.test(backend.port) ? entry.name === backend.port : Number(entry.port) === Number(backend.port)));
  return port ? reachedByServicePort(service, port.entry, inventory) : [];
}
