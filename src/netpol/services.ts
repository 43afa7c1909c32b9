import type { Resource } from '../core/load.js';
import type { PodPeer } from './model.js';
import { asArray, asObject, metadataOf } from './parse/common.js';
import { ConnectionSet, isProtocol, type Protocol } from './sets/connectionSet.js';
import { PortSet } from './sets/portSet.js';

export interface ServicePort {
  name?: string;
  port: number;
  /** A number, or a container port name resolved on each backend pod. */
  targetPort: number | string;
  /** targetPort as written (undefined when left to default to `port`). */
  rawTargetPort?: number | string;
  protocol: Protocol;
}

export interface Service {
  namespace: string;
  name: string;
  /** undefined: a Service without a selector (its endpoints are managed by hand), which selects no pod. */
  selector?: Record<string, string>;
  ports: ServicePort[];
}

/** Every core/v1 Service of the inputs. */
export function parseServices(resources: readonly Resource[]): Service[] {
  const out: Service[] = [];
  for (const resource of resources) {
    if (resource.object.kind !== 'Service' || resource.object.apiVersion !== 'v1') continue;
    const { name, namespace } = metadataOf(resource.object);
    const spec = asObject(resource.object.spec) ?? {};
    const selector = asObject(spec.selector);
    const ports = (asArray(spec.ports) ?? []).flatMap((raw): ServicePort[] => {
      const p = asObject(raw);
      if (!p || typeof p.port !== 'number') return [];
      const written = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined;
      return [{ ...(typeof p.name === 'string' ? { name: p.name } : {}), port: p.port, targetPort: written ?? p.port, ...(written !== undefined ? { rawTargetPort: written } : {}), protocol: isProtocol(p.protocol) ? p.protocol : 'TCP' }];
    });
    out.push({ namespace, name, ...(selector ? { selector: Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])) } : {}), ports });
  }
  return out;
}

export function serviceSelects(service: Service, pod: PodPeer): boolean {
  const selector = service.selector;
  return selector !== undefined && pod.namespace === service.namespace && Object.entries(selector).every(([k, v]) => pod.labels[k] === v);
}

/** The connections the given service ports reach on one backend pod (named target ports resolved on it). */
export function targetConnections(ports: readonly ServicePort[], pod: PodPeer): ConnectionSet {
  let out = ConnectionSet.empty();
  for (const p of ports) {
    const number = typeof p.targetPort === 'number' ? p.targetPort : /^\d+$/.test(p.targetPort) ? Number(p.targetPort) : pod.ports.find((c) => c.name === p.targetPort)?.port;
    if (number !== undefined) out = out.union(ConnectionSet.of(p.protocol, PortSet.range(number, number)));
  }
  return out;
}
