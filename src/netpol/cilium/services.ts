import type { Resource } from '../../core/load.js';
import { arr, namespaceOf, obj } from '../layers/parsing.js';
import { parseCidr } from '../sets/ipSet.js';
import { IpSet } from '../sets/ipSet.js';

/**
 * What Cilium's `toServices` reads from the cluster: the Services with their labels and selector,
 * and the addresses of their Endpoints and EndpointSlices. Cilium resolves a toServices entry
 * (pkg/policy/k8s/service.go, processRule) into
 * - for a Service with a selector: a generated toEndpoints selecting the selector's labels in the
 *   Service's namespace (so the Service's pods, by identity);
 * - for a Service without a selector (`IsExternal()`: "Services based rules will only take effect
 *   on Kubernetes services without a selector", docs.cilium.io "Services based", which is what
 *   releases before the selector case did): a generated toCIDRSet of its endpoints' addresses.
 */

export interface CiliumService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Empty: no selector (Cilium's IsExternal also takes `selector: {}` as none). */
  selector: Record<string, string>;
  /** The addresses of its Endpoints / EndpointSlices; undefined when the input holds neither. */
  addresses?: IpSet[];
}

const stringMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v) ?? {}).map(([k, x]) => [k, String(x)]));

function hostSet(ip: unknown): IpSet | undefined {
  if (typeof ip !== 'string') return undefined;
  const parsed = parseCidr(ip.includes(':') ? `${ip}/128` : `${ip}/32`);
  return parsed ? IpSet.range(parsed.family, parsed.first, parsed.last) : undefined;
}

/** The v1 Services of the input, with the addresses their Endpoints and EndpointSlices give. */
export function ciliumServices(resources: readonly Resource[], defaultNamespace: string): CiliumService[] {
  const addresses = new Map<string, IpSet[]>();
  const add = (key: string, sets: IpSet[]): void => {
    addresses.set(key, [...(addresses.get(key) ?? []), ...sets]);
  };
  for (const r of resources) {
    const ns = namespaceOf(r, defaultNamespace);
    if (r.object.kind === 'Endpoints' && r.object.apiVersion === 'v1') {
      const name = String(obj(r.object.metadata)?.name ?? '');
      // Only ready addresses serve: notReadyAddresses are not backends.
      add(`${ns}/${name}`, arr(r.object.subsets).flatMap((s) => arr(obj(s)?.addresses).flatMap((a) => hostSet(obj(a)?.ip) ?? [])));
    } else if (r.object.kind === 'EndpointSlice' && r.object.apiVersion === 'discovery.k8s.io/v1') {
      const service = stringMap(obj(r.object.metadata)?.labels)['kubernetes.io/service-name'];
      if (service === undefined || r.object.addressType === 'FQDN') continue;
      // conditions.ready unset means ready (discovery/v1 EndpointConditions).
      const ready = arr(r.object.endpoints).filter((e) => obj(obj(e)?.conditions)?.ready !== false);
      add(`${ns}/${service}`, ready.flatMap((e) => arr(obj(e)?.addresses).flatMap((a) => hostSet(a) ?? [])));
    }
  }
  const out: CiliumService[] = [];
  for (const r of resources) {
    if (r.object.kind !== 'Service' || r.object.apiVersion !== 'v1') continue;
    const md = obj(r.object.metadata) ?? {};
    const namespace = namespaceOf(r, defaultNamespace);
    const name = String(md.name ?? '');
    const found = addresses.get(`${namespace}/${name}`);
    out.push({ namespace, name, labels: stringMap(md.labels), selector: stringMap(obj(r.object.spec)?.selector), ...(found ? { addresses: found } : {}) });
  }
  return out;
}
