import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import { effectiveLabels, type Endpoint } from '../layers/endpoints.js';
import { MeshProblems } from '../layers/model.js';
import { arr, obj } from '../layers/parsing.js';

/**
 * The labels of a pod that make its Cilium security identity, which is all Cilium's selectors
 * see. Cilium's default label filter (pkg/labelsfilter/filter.go, defaultLabelPrefixCfg;
 * docs.cilium.io "Limiting Identity-Relevant Labels") keeps every label except those an ignore
 * prefix matches, unless an include prefix matches a longer part of the key; a prefix is a regular
 * expression matched at the start of the key. So a selector on `pod-template-hash` or
 * `statefulset.kubernetes.io/pod-name` matches no pod (cilium/cilium#18878).
 */

/** Include prefixes of the default filter (reserved labels aside: pods carry none). */
const INCLUDE = ['io\\.kubernetes\\.pod\\.namespace', 'io\\.cilium\\.k8s\\.namespace\\.labels', 'app\\.kubernetes\\.io', 'io\\.cilium\\.k8s\\.policy\\.cluster', 'io\\.cilium\\.k8s\\.policy\\.serviceaccount'].map((re) => new RegExp(`^${re}`));

/** Ignore prefixes of the default filter. */
const IGNORE = [
  'io\\.kubernetes',
  'kubernetes\\.io',
  'statefulset\\.kubernetes\\.io/pod-name',
  'apps\\.kubernetes\\.io/pod-index',
  'batch\\.kubernetes\\.io/job-completion-index',
  'batch\\.kubernetes\\.io/controller-uid',
  '.*beta\\.kubernetes\\.io',
  'k8s\\.io',
  'pod-template-generation',
  'pod-template-hash',
  'controller-revision-hash',
  'controller-uid',
  'annotation.*',
  'etcd_node',
  'topology\\.kubernetes\\.io',
].map((re) => new RegExp(`^${re}`));

const matchLength = (re: RegExp, key: string): number => re.exec(key)?.[0].length ?? -1;

/** Whether Cilium's default filter keeps a label key in identities (filterLabels: the longest include must beat the shortest ignore). */
export function isIdentityLabel(key: string): boolean {
  const ignored = IGNORE.map((re) => matchLength(re, key)).filter((n) => n >= 0);
  if (ignored.length === 0) return true;
  const included = Math.max(-1, ...INCLUDE.map((re) => matchLength(re, key)));
  return included > Math.min(...ignored);
}

const cache = new WeakMap<Endpoint, Record<string, string>>();

/** The endpoint's labels Cilium's selectors see (its identity labels, implicit ones included). */
export function identityLabels(ep: Endpoint): Record<string, string> {
  let out = cache.get(ep);
  if (!out) {
    out = Object.fromEntries(Object.entries(effectiveLabels(ep)).filter(([k]) => isIdentityLabel(k)));
    cache.set(ep, out);
  }
  return out;
}

/**
 * On Cilium, Kubernetes NetworkPolicies select identities too: a warning at each pod selector of
 * theirs that names a label Cilium leaves out of identities (it matches no pod there).
 */
export function k8sSelectorIdentityWarnings(resources: readonly Resource[]): PalisadeError[] {
  const out: PalisadeError[] = [];
  for (const r of resources) {
    const spec = obj(r.object.spec) ?? {};
    const p = new MeshProblems(r);
    const check = (raw: unknown, pointer: string): void => {
      const sel = obj(raw);
      if (!sel) return;
      const keys = [...Object.keys(obj(sel.matchLabels) ?? {}), ...arr(sel.matchExpressions).map((e) => String(obj(e)?.key ?? ''))];
      const dropped = [...new Set(keys.filter((k) => !isIdentityLabel(k)))];
      if (dropped.length > 0) p.warn('CILIUM_OUT_OF_SCOPE', pointer, `Cilium enforces NetworkPolicies on security identities, which leave out ${dropped.join(', ')} (its default label filter): the selector matches no pod there`);
    };
    check(spec.podSelector, '/spec/podSelector');
    for (const [dir, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
      arr(spec[dir]).forEach((rule, i) => arr(obj(rule)?.[key]).forEach((peer, j) => check(obj(peer)?.podSelector, `/spec/${dir}/${i}/${key}/${j}/podSelector`)));
    }
    out.push(...p.warnings);
  }
  return out;
}
