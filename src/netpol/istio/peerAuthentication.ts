import type { PalisadeError } from '../../core/errors.js';
import { obj } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import type { Resource } from '../../core/load.js';
import { ivNormalize, ivSubtract, type Intervals } from '../layers/connSet.js';
import { effectiveLabels, type Endpoint, type Topology } from '../layers/endpoints.js';
import { MeshProblems } from '../layers/model.js';
import { ISTIO_ROOT_NAMESPACES, ISTIO_SECURITY_APIS } from './authorizationPolicy.js';
import { compareConfigOrder, configOrder, type ConfigOrder } from './configOrder.js';

/**
 * security.istio.io PeerAuthentication (istio.io, "PeerAuthentication" reference): the mutual TLS
 * mode a workload's sidecar accepts — STRICT (mTLS only), PERMISSIVE (both; the default), DISABLE
 * (plaintext) — chosen by the most specific policy: a workload selector in the workload's namespace,
 * then the namespace-wide policy, then the root namespace's mesh-wide one; `portLevelMtls` overrides
 * per container port (workload policies only); UNSET inherits. What follows for reachability:
 * a plaintext client (an address outside the mesh, a pod without a sidecar) cannot open TCP to a
 * STRICT port, and a request that arrives without mTLS carries no peer identity, so
 * AuthorizationPolicy sources by principal or namespace do not match it.
 */

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
const MODES = new Set(['UNSET', 'STRICT', 'PERMISSIVE', 'DISABLE']);

interface PeerAuthPolicy {
  namespace: string;
  selector?: Record<string, string>;
  mode?: MtlsMode;
  ports: Map<number, MtlsMode | undefined>;
  /** Where it stands in istio's order of configs: of several at one level, the first applies. */
  age: ConfigOrder;
}

/** Per destination, the TCP ports in each mode other than PERMISSIVE. */
export interface MtlsAt {
  strict: Intervals;
  disable: Intervals;
}

export function isPeerAuthentication(r: Resource): boolean {
  return r.object.kind === 'PeerAuthentication' && ISTIO_SECURITY_APIS.has(String(r.object.apiVersion));
}

/**
 * Pods outside the mesh: an explicit opt-out on the pod, or a namespace with
 * `istio-injection: disabled`. Everything else is read as injected (the mesh corpus's reading).
 */
export function markInjection(topology: Topology): void {
  for (const ep of topology.endpoints) {
    if (ep.kind !== 'pod' || ep.namespace === undefined) continue;
    if (topology.namespaces.get(ep.namespace)?.labels['istio-injection'] === 'disabled') ep.noSidecar = true;
  }
}

export class PeerAuthentications {
  private readonly cache = new Map<Endpoint, MtlsAt>();
  private constructor(private readonly policies: readonly PeerAuthPolicy[]) {}

  static parse(resources: readonly Resource[]): { layer: PeerAuthentications; errors: PalisadeError[]; warnings: PalisadeError[] } {
    const policies: PeerAuthPolicy[] = [];
    const errors: PalisadeError[] = [];
    const warnings: PalisadeError[] = [];
    for (const r of resources) {
      if (!isPeerAuthentication(r)) continue;
      const p = new MeshProblems(r);
      const md = obj(r.object.metadata) ?? {};
      const spec = obj(r.object.spec) ?? {};
      const namespace = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default';
      const mode = (v: unknown, at: string): MtlsMode | undefined => {
        if (v === undefined) return undefined;
        if (typeof v !== 'string' || !MODES.has(v)) {
          p.add('ISTIO_INVALID_MTLS_MODE', at, gotText(v));
          return undefined;
        }
        return v === 'UNSET' ? undefined : (v as MtlsMode);
      };
      const labels = obj(obj(spec.selector)?.matchLabels);
      if (spec.selector !== undefined && (!labels || Object.keys(labels).length === 0)) p.add('ISTIO_INVALID_SELECTOR', '/spec/selector', 'matchLabels must name at least one label');
      const ports = new Map<number, MtlsMode | undefined>();
      for (const [port, setting] of Object.entries(obj(spec.portLevelMtls) ?? {})) {
        const n = Number(port);
        if (!Number.isInteger(n) || n < 1 || n > 65535) p.add('ISTIO_INVALID_PORT', `/spec/portLevelMtls/${port}`, gotText(port));
        else ports.set(n, mode(obj(setting)?.mode, `/spec/portLevelMtls/${port}/mode`));
      }
      if (ports.size > 0 && !labels) p.add('ISTIO_CONFLICTING_FIELDS', '/spec/portLevelMtls', 'portLevelMtls needs a workload selector');
      const m = mode(obj(spec.mtls)?.mode, '/spec/mtls/mode');
      errors.push(...p.errors);
      warnings.push(...p.warnings);
      const age = configOrder(r, typeof md.name === 'string' ? md.name : '', namespace);
      if (p.errors.length === 0) policies.push({ namespace, ...(labels ? { selector: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) } : {}), ...(m ? { mode: m } : {}), ports, age });
    }
    // Oldest first, as istio sorts them (a missing creationTimestamp is the zero time), so that the
    // oldest of several matching policies applies whatever the order of the input's documents.
    policies.sort((a, b) => compareConfigOrder(a.age, b.age));
    return { layer: new PeerAuthentications(policies), errors, warnings };
  }

  get empty(): boolean {
    return this.policies.length === 0;
  }

  /** The STRICT and DISABLE TCP ports of a destination pod. */
  at(ep: Endpoint): MtlsAt {
    let hit = this.cache.get(ep);
    if (hit) return hit;
    const labels = effectiveLabels(ep);
    // Istio applies the oldest of several matching policies (creation time, then name, then namespace).
    const workload = this.policies.find((p) => p.namespace === ep.namespace && p.selector && Object.entries(p.selector).every(([k, v]) => labels[k] === v));
    const namespaceWide = this.policies.find((p) => p.namespace === ep.namespace && !p.selector);
    const meshWide = this.policies.find((p) => ISTIO_ROOT_NAMESPACES.includes(p.namespace) && !p.selector);
    const base: MtlsMode = workload?.mode ?? namespaceWide?.mode ?? meshWide?.mode ?? 'PERMISSIVE';
    const by: Record<MtlsMode, [number, number][]> = { STRICT: [], PERMISSIVE: [], DISABLE: [] };
    for (const [port, mode] of workload?.ports ?? []) by[mode ?? base].push([port, port]);
    const overridden = ivNormalize([...(workload?.ports.keys() ?? [])].map((x): [number, number] => [x, x]));
    const rest = ivSubtract([1, 65535], overridden);
    hit = {
      strict: ivNormalize([...by.STRICT, ...(base === 'STRICT' ? pairs(rest) : [])]),
      disable: ivNormalize([...by.DISABLE, ...(base === 'DISABLE' ? pairs(rest) : [])]),
    };
    this.cache.set(ep, hit);
    return hit;
  }
}

function pairs(flat: Intervals): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
