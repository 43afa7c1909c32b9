import { Resource } from '../../core/load.js';

/**
 * The API server prunes a CRD field whose value is null before it validates or stores the object
 * ("null values for fields that either don't specify the nullable flag, or give it a false value,
 * will be pruned before defaulting happens", kubernetes.io, "Extend the Kubernetes API with
 * CustomResourceDefinitions", Defaulting and Nullable). So `egress:` left empty in a Sidecar, or
 * `ingress:` in a CiliumNetworkPolicy, is the field left out, not a wrongly typed one.
 */
const CRD_GROUPS = /(^|\.)(projectcalico\.org|cilium\.io|istio\.io)\//;

export function isMeshCrd(r: Resource): boolean {
  return typeof r.object.apiVersion === 'string' && CRD_GROUPS.test(r.object.apiVersion);
}

function withoutNulls(v: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(v)) {
    let changed = false;
    const value = v.map((x) => {
      const r = withoutNulls(x);
      changed ||= r.changed;
      return r.value;
    });
    return changed ? { value, changed } : { value: v, changed };
  }
  if (v === null || typeof v !== 'object') return { value: v, changed: false };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) {
      changed = true;
      continue;
    }
    const r = withoutNulls(x);
    changed ||= r.changed;
    out[k] = r.value;
  }
  return changed ? { value: out, changed } : { value: v, changed };
}

/** The resources as the API server would store them: Calico, Cilium and Istio objects lose their null fields (array items stay). */
export function pruneCrdNulls(input: readonly Resource[]): readonly Resource[] {
  let changed = false;
  const out = input.map((r) => {
    if (!isMeshCrd(r)) return r;
    const pruned = withoutNulls(r.object);
    if (!pruned.changed) return r;
    changed = true;
    return new Resource(pruned.value as Record<string, unknown>, r.source, () => ({ document: r.document, node: r.node }), r.indexInFile, r.documentIndex, r.documentPointer, r.fastPositions);
  });
  return changed ? out : input;
}
