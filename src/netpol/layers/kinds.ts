import type { Resource } from '../../core/load.js';

/** API groups the layered engine reads; their presence in the input selects it. Apart from matrix.ts, so the plain path never loads the layers. */
export function isMeshResource(r: Resource): boolean {
  const api = String(r.object.apiVersion);
  return api.startsWith('projectcalico.org/') || api.startsWith('security.istio.io/') || api.startsWith('networking.istio.io/') || api.startsWith('cilium.io/');
}
