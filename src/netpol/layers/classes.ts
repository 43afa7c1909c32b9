import type { Endpoint } from './endpoints.js';
import type { MeshModel } from './matrix.js';

/**
 * Endpoints that no layer tells apart. Every layer reads an endpoint only through the endpoint sets
 * its selectors resolved to (which policies select it, which rules match it as a peer, which
 * Services, routes and gateways hold it) and a few attributes (kind, named ports, sidecar, and, where
 * Sidecars or PeerAuthentications exist, namespace, Sidecar and mTLS ports). Two endpoints alike in
 * all of these get the same verdict from every layer, towards every peer and from every peer, so the
 * matrix is computed once per pair of classes (the pairwise oracle in the property test checks this).
 */
export interface EndpointClasses {
  /** The members of each class, in topology order. */
  members: Endpoint[][];
  classOf: Map<Endpoint, number>;
}

/** Every endpoint set a layer decides by. */
function* distinguishingSets(model: MeshModel): Generator<Iterable<Endpoint> & { readonly size?: number; readonly length?: number }> {
  for (const layer of [model.calico.policies, model.cilium?.policies ?? []]) {
    for (const policy of layer) {
      yield policy.selected;
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        yield rule.src.endpoints;
        yield rule.dst.endpoints;
      }
    }
  }
  for (const policy of model.istio.policies) {
    yield policy.selected;
    for (const rule of policy.rules) {
      yield rule.src.endpoints;
      yield rule.identityOnly;
      yield rule.plaintextOnly;
    }
  }
  yield* model.sidecars.distinguishingSets();
  yield model.ingress.controllers;
  for (const route of model.ingress.routes) yield route.pods;
  yield model.gateways.captured;
  for (const rule of [...model.gateways.rules, ...model.gateways.egressFlows.rules]) {
    yield rule.gatewayPods;
    yield rule.pods;
  }
  yield model.gateways.egressFlows.captured;
  for (const { pods } of model.gateways.egressFlows.hostGateways.values()) yield pods;
}

export function endpointClasses(model: MeshModel): EndpointClasses {
  const endpoints = model.topology.endpoints;
  const index = new Map<Endpoint, number>();
  endpoints.forEach((ep, i) => index.set(ep, i));
  const n = endpoints.length;
  const marks: number[][] = endpoints.map(() => []);
  const seen = new Set<object>();
  let setNo = 0;
  for (const set of distinguishingSets(model)) {
    if (seen.has(set)) continue;
    seen.add(set);
    const size = set.size ?? set.length ?? 0;
    if (size === 0) continue;
    if (size >= n) {
      // A set holding every endpoint tells none apart.
      let known = 0;
      for (const ep of set) if (index.has(ep)) known++;
      if (known === n) continue;
    }
    const no = setNo++;
    for (const ep of set) {
      const i = index.get(ep);
      // Sets may repeat a member (route pod lists); keep one mark.
      if (i !== undefined && marks[i]!.at(-1) !== no) marks[i]!.push(no);
    }
  }
  const sidecarIds = new Map<object, number>();
  const bySignature = new Map<string, number>();
  const members: Endpoint[][] = [];
  const classOf = new Map<Endpoint, number>();
  endpoints.forEach((ep, i) => {
    const attrs = [ep.kind, ep.noSidecar ? 's' : '', ep.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`).join(',')];
    if (!model.sidecars.empty) {
      const config = model.sidecars.byPod.get(ep);
      let id = config ? sidecarIds.get(config) : -1;
      if (id === undefined) sidecarIds.set(config!, (id = sidecarIds.size));
      attrs.push(ep.namespace ?? '', String(id));
    }
    const mtls = model.istio.mtls;
    if (mtls && !mtls.empty) {
      const at = mtls.at(ep);
      attrs.push(at.strict.join(','), at.disable.join(','));
    }
    const signature = `${attrs.join('|')}#${marks[i]!.join(',')}`;
    let c = bySignature.get(signature);
    if (c === undefined) {
      bySignature.set(signature, (c = members.length));
      members.push([]);
    }
    members[c]!.push(ep);
    classOf.set(ep, c);
  });
  return { members, classOf };
}
