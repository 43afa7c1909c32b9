/**
 * Live objects as the API server returns them, turned into what the audit reads: server-populated
 * fields stripped, and where the object is managed from noted first (that is what the report
 * tells people to edit; a fix made with kubectl edit is reverted by the next GitOps sync).
 */

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Remove what the API server writes and users never do: status, metadata.managedFields, and the
 * last-applied-configuration annotation (a second copy of the object, whose text would otherwise
 * be audited twice, e.g. by the secret-literal check).
 */
export function stripServerFields(object: Obj): Obj {
  const { status: _status, ...rest } = object;
  void _status;
  if (!isObject(rest.metadata)) return rest;
  const { managedFields: _managed, ...metadata } = rest.metadata;
  void _managed;
  if (isObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _applied, ...annotations } = metadata.annotations;
    void _applied;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...rest, metadata };
}

/** Where an object is managed from. */
export interface ObjectOrigin {
  tool: 'argocd' | 'flux' | 'helm' | 'kubectl';
  /** The Argo CD Application, Flux Kustomization/HelmRelease or Helm release. */
  kind?: string;
  name?: string;
  namespace?: string;
  /** The label or annotation it was read from. */
  evidence: string;
}

/**
 * Sources, first match wins:
 *  - Argo CD: annotation argocd.argoproj.io/tracking-id (`<app>:<group>/<kind>:<ns>/<name>`, the
 *    default tracking method since Argo CD 3.0; `<app-ns>_<app>` for apps in other namespaces),
 *    or the argocd.argoproj.io/instance label. The plain app.kubernetes.io/instance label is not
 *    taken as Argo CD's: Helm charts and hand-written manifests set it too.
 *  - Flux: labels kustomize.toolkit.fluxcd.io/{name,namespace} (kustomize-controller) and
 *    helm.toolkit.fluxcd.io/{name,namespace} (helm-controller).
 *  - Helm: label app.kubernetes.io/managed-by=Helm with annotations meta.helm.sh/release-{name,namespace}.
 *  - kubectl apply: the last-applied-configuration annotation.
 */
export function originOf(object: Obj): ObjectOrigin | undefined {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const labels = stringMap(metadata.labels);
  const annotations = stringMap(metadata.annotations);
  const tracking = annotations['argocd.argoproj.io/tracking-id'];
  if (tracking) {
    const app = tracking.split(':')[0] ?? tracking;
    const underscore = app.indexOf('_');
    return underscore > 0
      ? { tool: 'argocd', kind: 'Application', namespace: app.slice(0, underscore), name: app.slice(underscore + 1), evidence: 'annotation argocd.argoproj.io/tracking-id' }
      : { tool: 'argocd', kind: 'Application', name: app, evidence: 'annotation argocd.argoproj.io/tracking-id' };
  }
  if (labels['argocd.argoproj.io/instance']) return { tool: 'argocd', kind: 'Application', name: labels['argocd.argoproj.io/instance'], evidence: 'label argocd.argoproj.io/instance' };
  const kustomization = labels['kustomize.toolkit.fluxcd.io/name'];
  if (kustomization) return { tool: 'flux', kind: 'Kustomization', name: kustomization, ...ns(labels['kustomize.toolkit.fluxcd.io/namespace']), evidence: 'label kustomize.toolkit.fluxcd.io/name' };
  const release = labels['helm.toolkit.fluxcd.io/name'];
  if (release) return { tool: 'flux', kind: 'HelmRelease', name: release, ...ns(labels['helm.toolkit.fluxcd.io/namespace']), evidence: 'label helm.toolkit.fluxcd.io/name' };
  if (labels['app.kubernetes.io/managed-by'] === 'Helm' && annotations['meta.helm.sh/release-name']) return { tool: 'helm', kind: 'release', name: annotations['meta.helm.sh/release-name'], ...ns(annotations['meta.helm.sh/release-namespace']), evidence: 'annotation meta.helm.sh/release-name' };
  if (annotations[LAST_APPLIED] !== undefined) return { tool: 'kubectl', evidence: `annotation ${LAST_APPLIED}` };
  return undefined;
}

/** One sentence for the report: where to make the fix so that it stays. */
export function originAdvice(origin: ObjectOrigin): string {
  const where = `${origin.namespace ? `${origin.namespace}/` : ''}${origin.name ?? ''}`;
  switch (origin.tool) {
    case 'argocd':
      return `Managed by Argo CD Application ${where}: fix it in that Application's source repository; an edit in the cluster is reverted at the next sync.`;
    case 'flux':
      return `Managed by Flux ${origin.kind} ${where}: fix it in the source that ${origin.kind} applies; an edit in the cluster is reverted at the next reconciliation.`;
    case 'helm':
      return `Installed by Helm release ${where}: fix it in the chart or its values and upgrade the release.`;
    case 'kubectl':
      return 'Applied with kubectl apply: fix the manifest it was applied from, then apply it again.';
  }
}

function ns(value: string | undefined): { namespace?: string } {
  return value ? { namespace: value } : {};
}

function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
