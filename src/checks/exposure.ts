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

const byNamespace = new WeakMap<readonly WorkloadSummary[], Map<string, WorkloadSummary[]>>();

/**
 * The workloads of one namespace, in inventory order: indexed once per inventory, so a Service
 * port looks at its namespace only instead of every workload of the input (issue 23).
 */
function workloadsIn(inventory: Inventory, namespace: string): readonly WorkloadSummary[] {
  let index = byNamespace.get(inventory.workloads);
  if (!index) {
    index = new Map();
    for (const workload of inventory.workloads) {
      const list = index.get(workload.namespace);
      if (list) list.push(workload);
      else index.set(workload.namespace, [workload]);
    }
    byNamespace.set(inventory.workloads, index);
  }
  return index.get(namespace) ?? [];
}

/** The workloads a Service selects (its namespace, its selector); a controller's own Pods and ReplicaSets only when nothing else matches. */
export function workloadsSelectedBy(service: InventoryObject, inventory: Inventory): WorkloadSummary[] {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  const selected = workloadsIn(inventory, namespaceOf(service)).filter((w) => selects(spec.selector, w.labels));
  const owners = selected.filter((w) => !w.controlled);
  return owners.length > 0 ? owners : selected;
}

/** `Deployment "a", StatefulSet "b"`: each object once, in inventory order. */
export function describeWorkloads(workloads: readonly WorkloadSummary[]): string {
  return [...new Set(workloads.map((w) => `${w.ref.kind} "${w.ref.name}"`))].join(', ');
}

/** The Service an Ingress backend names, in the Ingress's namespace. */
export function backendService(ingress: InventoryObject, backend: IngressBackend, inventory: Inventory): InventoryObject | undefined {
  return inventory.services.find((s) => s.ref.name === backend.service && namespaceOf(s) === namespaceOf(ingress));
}

/** The containers (running a known server) that one Service port reaches. */
export function reachedByServicePort(service: InventoryObject, port: PlainObject, inventory: Inventory): Reached[] {
  const spec = isPlainObject(service.object.spec) ? service.object.spec : {};
  const target = port.targetPort ?? port.port;
  const out: Reached[] = [];
  for (const workload of workloadsIn(inventory, namespaceOf(service))) {
    if (!selects(spec.selector, workload.labels)) continue;
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
