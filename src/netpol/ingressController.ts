import type { Resource } from '../core/load.js';
import type { CompatMode } from './build.js';
import type { Engine } from './eval/engine.js';
import type { MatrixEntry } from './matrix.js';
import type { PodPeer } from './model.js';
import { asArray, asObject, metadataOf } from './parse/common.js';
import { parseServices, serviceSelects, targetConnections, type Service, type ServicePort } from './services.js';
import { ConnectionSet } from './sets/connectionSet.js';
import { PortSet } from './sets/portSet.js';

/**
 * np-guard's `{ingress-controller}` peer: any in-cluster source able to reach the pods behind a
 * Service that an Ingress or OpenShift Route exposes. The real controller is not in the input, so
 * it stands for a label-less pod in a namespace of its own (whose only label is the
 * `kubernetes.io/metadata.name` the API server adds): rules open to every namespace let it in,
 * rules naming the controller's real namespace or pods do not. This is how netpol-analyzer models
 * it at the commit of the conformance corpus (`ingress-controller-ns`).
 */
export const INGRESS_CONTROLLER: PodPeer = { type: 'pod', id: '{ingress-controller}', namespace: 'ingress-controller-ns', name: 'ingress-controller', kind: '', labels: {}, ports: [], ips: [] };

/** A Service reference from an Ingress backend or a Route, with the port it names (if any). */
interface Backend {
  namespace: string;
  service: string;
  /** Ingress: a service port number or name. Route: a service port name or a target port. */
  port?: number | string;
  via: 'ingress' | 'route';
}

export function ingressControllerEntries(resources: readonly Resource[], pods: readonly PodPeer[], engine: Engine, mode: CompatMode = 'cluster'): MatrixEntry[] {
  const services = new Map(parseServices(resources).map((svc) => [`${svc.namespace}/${svc.name}`, svc]));
  const backends: Backend[] = [];
  for (const resource of resources) {
    const { kind, apiVersion } = resource.object as { kind: string; apiVersion: string };
    const { namespace } = metadataOf(resource.object);
    const spec = asObject(resource.object.spec) ?? {};
    if (kind === 'Route' && apiVersion.startsWith('route.openshift.io/')) backends.push(...routeBackends(namespace, spec));
    else if (kind === 'Ingress' && apiVersion.startsWith('networking.k8s.io/')) backends.push(...ingressBackends(namespace, spec));
  }
  const exposed = new Map<PodPeer, ConnectionSet>();
  for (const backend of backends) {
    const service = services.get(`${backend.namespace}/${backend.service}`);
    if (!service) continue;
    for (const pod of pods) {
      if (!serviceSelects(service, pod)) continue;
      const reached = mode === 'np-guard' ? npGuardBackendConnections(backend, service, pod) : backendConnections(backend, service, pod);
      exposed.set(pod, (exposed.get(pod) ?? ConnectionSet.empty()).union(reached));
    }
  }
  const out: MatrixEntry[] = [];
  for (const [pod, ports] of exposed) {
    const allowed = ports.intersect(engine.allowed(INGRESS_CONTROLLER, pod));
    if (!allowed.isEmpty()) out.push({ src: INGRESS_CONTROLLER, dst: pod, allowed });
  }
  return out;
}

function routeBackends(namespace: string, spec: Record<string, unknown>): Backend[] {
  const port = asObject(spec.port)?.targetPort;
  const targets = [asObject(spec.to), ...(asArray(spec.alternateBackends) ?? []).map(asObject)];
  return targets.flatMap((t) => (t && typeof t.name === 'string' && (t.kind ?? 'Service') === 'Service' ? [{ namespace, service: t.name, ...(typeof port === 'number' || typeof port === 'string' ? { port } : {}), via: 'route' as const }] : []));
}

function ingressBackends(namespace: string, spec: Record<string, unknown>): Backend[] {
  const raw = [asObject(spec.defaultBackend), ...(asArray(spec.rules) ?? []).flatMap((r) => (asArray(asObject(asObject(r)?.http)?.paths) ?? []).map((p) => asObject(asObject(p)?.backend)))];
  return raw.flatMap((b) => {
    const service = asObject(b?.service);
    if (!service || typeof service.name !== 'string') return [];
    const port = asObject(service.port);
    const ref = typeof port?.number === 'number' ? port.number : typeof port?.name === 'string' ? port.name : undefined;
    return [{ namespace, service: service.name, ...(ref !== undefined ? { port: ref } : {}), via: 'ingress' as const }];
  });
}

/**
 * The pod ports a backend reaches, as Kubernetes routes it: an Ingress names a service port (by
 * number or name), a Route a service port name or a target port; each maps to its target port on
 * this pod. A pod need not declare a port to listen on it, so declared ports are not required.
 */
function backendConnections(backend: Backend, service: Service, pod: PodPeer): ConnectionSet {
  const chosen = service.ports.filter((p) => {
    if (backend.port === undefined) return true;
    if (p.name === backend.port) return true;
    return backend.via === 'ingress' ? p.port === backend.port : p.targetPort === backend.port;
  });
  return targetConnections(chosen, pod);
}

/**
 * netpol-analyzer's reading of the same backend: the first service port whose name, port number or
 * target port equals the one named (every service port when none is named), its target port (or
 * port) resolved on the pod, kept only when the pod declares that container port; always TCP.
 */
function npGuardBackendConnections(backend: Backend, service: Service, pod: PodPeer): ConnectionSet {
  const chosen: ServicePort[] = backend.port === undefined ? service.ports : service.ports.filter((p) => npGuardPortMatches(p, backend)).slice(0, 1);
  let out = ConnectionSet.empty();
  for (const p of chosen) {
    let number: number | undefined;
    if (typeof p.targetPort === 'number') number = p.targetPort;
    else {
      const named = pod.ports.find((c) => c.name === p.targetPort);
      if (named?.protocol === 'TCP') number = named.port;
    }
    if (number !== undefined && pod.ports.some((c) => c.port === number)) out = out.union(ConnectionSet.of('TCP', PortSet.range(number, number)));
  }
  return out;
}

/**
 * Upstream compares the named port with a service port's name, its number, and its raw targetPort;
 * an Ingress's port name never equals a named targetPort there (the two are typed differently).
 */
function npGuardPortMatches(port: ServicePort, backend: Backend): boolean {
  const wanted = backend.port;
  if (typeof wanted === 'string') return port.name === wanted || (backend.via === 'route' && port.rawTargetPort === wanted);
  return port.port === wanted || port.rawTargetPort === wanted;
}
