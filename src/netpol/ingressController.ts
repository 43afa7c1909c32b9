import type { Resource } from '../core/load.js';
import type { Engine } from './eval/engine.js';
import type { MatrixEntry } from './matrix.js';
import type { PodPeer } from './model.js';
import { asArray, asObject, metadataOf } from './parse/common.js';
import { parseServices, serviceSelects, targetConnections, type Service } from './services.js';
import { ConnectionSet } from './sets/connectionSet.js';

/**
 * np-guard's `{ingress-controller}` peer: any in-cluster source able to reach the pods behind a
 * Service that an Ingress or OpenShift Route exposes. It lives in no namespace and has no labels, so
 * only rules open to every namespace (or every source) let it in.
 */
export const INGRESS_CONTROLLER: PodPeer = { type: 'pod', id: '{ingress-controller}', namespace: '', name: 'ingress-controller', kind: '', labels: {}, ports: [], ips: [] };

/** A Service reference from an Ingress backend or a Route, with the port it names (if any). */
interface Backend {
  namespace: string;
  service: string;
  /** Ingress: a service port number or name. Route: a service port name or a target port. */
  port?: number | string;
  via: 'ingress' | 'route';
}

export function ingressControllerEntries(resources: readonly Resource[], pods: readonly PodPeer[], engine: Engine): MatrixEntry[] {
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
      exposed.set(pod, (exposed.get(pod) ?? ConnectionSet.empty()).union(backendConnections(backend, service, pod)));
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

/** The pod ports a backend reaches: the service ports it names, mapped to their target ports on this pod. */
function backendConnections(backend: Backend, service: Service, pod: PodPeer): ConnectionSet {
  const chosen = service.ports.filter((p) => {
    if (backend.port === undefined) return true;
    if (p.name === backend.port) return true;
    return backend.via === 'ingress' ? p.port === backend.port : p.targetPort === backend.port;
  });
  return targetConnections(chosen, pod);
}
