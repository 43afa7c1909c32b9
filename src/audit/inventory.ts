import type { Resource } from '../core/load.js';
import { getAtPointer } from '../core/pointer.js';
import { ACCELERATOR_RESOURCES } from '../knowledge/index.js';
import { kuberayIsolation, operatorPodLabels, operatorPodRule } from '../knowledge/index.js';
import type { Inventory, InventoryItem, InventoryObject, PodContext, WorkloadSummary } from '../checks/index.js';
import { apiGroup } from '../workloads/index.js';
import { isPlainObject } from '../core/object.js';
import { copyData } from '../core/copy.js';

/** Kinds cluster checks read whole; everything else is summarised or dropped with its file's tree. */
const INVENTORY_KINDS: ReadonlyArray<{ group: string; kind: string; list: keyof Omit<Inventory, 'workloads'> }> = [
  { group: '', kind: 'Service', list: 'services' },
  { group: 'networking.k8s.io', kind: 'Ingress', list: 'ingresses' },
  { group: 'extensions', kind: 'Ingress', list: 'ingresses' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', list: 'networkPolicies' },
  { group: '', kind: 'Namespace', list: 'namespaces' },
  { group: '', kind: 'ResourceQuota', list: 'quotas' },
  { group: '', kind: 'LimitRange', list: 'quotas' },
];

/**
 * The light inventory cluster checks run on: plain objects of a few small kinds, a summary per pod
 * spec, and the text of each file that contributed (to locate findings later by re-parsing it).
 */
export class InventoryBuilder {
  readonly inventory = { services: [], ingresses: [], networkPolicies: [], namespaces: [], quotas: [], workloads: [] } as { [K in keyof Inventory]: Array<Inventory[K][number]> };
  /** Texts of the files that contributed, unless the caller can read them again at the end. */
  readonly texts = new Map<string, string>();

  constructor(private readonly keepTexts = true) {}

  /** Remember what cluster checks need of one resource; true when anything was kept. */
  add(resource: Resource, pods: readonly PodContext[]): boolean {
    const item: InventoryItem = { file: resource.file, indexInFile: resource.indexInFile, ref: resource.ref };
    const group = apiGroup(resource.ref.apiVersion);
    const kind = INVENTORY_KINDS.find((k) => k.kind === resource.ref.kind && k.group === group);
    // Copies (structuredClone's, made faster): nothing of the file's tree outlives the file.
    if (kind) (this.inventory[kind.list] as InventoryObject[]).push(copyData({ ...item, object: slim(resource.object) }));
    for (const pod of pods) this.inventory.workloads.push(copyData(summarize(item, resource, pod)));
    const kept = kind !== undefined || pods.length > 0;
    if (kept && this.keepTexts) this.texts.set(resource.file, resource.source.text);
    return kept;
  }
}

/** What cluster checks read of a small object: its spec and identity. Helm annotations and status stay behind. */
function slim(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  // An Ingress's annotations configure its controller (TLS passthrough, for one): cluster checks read them.
  const annotations = object.kind === 'Ingress' && isPlainObject(metadata.annotations) ? { annotations: metadata.annotations } : {};
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels, ...annotations }, spec: object.spec };
}

export function annotationsOf(object: Readonly<Record<string, unknown>>): Record<string, string> {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : {};
  return Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, String(v)]));
}

/** The light summary of one pod spec that cluster checks read after the file's tree is gone. */
function summarize(item: InventoryItem, resource: Resource, context: PodContext): WorkloadSummary {
  const pod = context.pod;
  const group = apiGroup(resource.ref.apiVersion);
  const rule = operatorPodRule(group, pod.podSpecPath);
  const labels = operatorPodLabels(resource.object, group, resource.ref.name, pod.podSpecPath, pod.metadata.labels);
  let requestsGpu = false;
  const containers = context.containers.map((c) => {
    const resources = isPlainObject(c.ref.object.resources) ? c.ref.object.resources : {};
    for (const field of ['limits', 'requests']) {
      const values = resources[field];
      if (isPlainObject(values) && ACCELERATOR_RESOURCES.some((r) => values[r] !== undefined)) requestsGpu = true;
    }
    const ports = (Array.isArray(c.ref.object.ports) ? c.ref.object.ports : []).flatMap((p) => (isPlainObject(p) && typeof p.containerPort === 'number' ? [{ containerPort: p.containerPort, ...(typeof p.name === 'string' ? { name: p.name } : {}) }] : []));
    return { name: c.ref.name, path: c.ref.path, ports, ...(c.server ? { server: c.server.id } : {}) };
  });
  const summary: WorkloadSummary = { ...item, namespace: resource.ref.namespace ?? '', podSpecPath: pod.podSpecPath, labels, containers, requestsGpu };
  const metadata = isPlainObject(resource.object.metadata) ? resource.object.metadata : {};
  if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.some((r) => isPlainObject(r) && r.controller === true)) summary.controlled = true;
  if (group === 'ray.io') {
    const isolation = kuberayIsolation(resource.object, pod.podSpecPath);
    if (isolation) summary.operatorIsolation = isolation;
  }
  if (rule?.serviceTypeField) {
    const typePath = pod.podSpecPath.slice(0, -'/template/spec'.length) + '/' + rule.serviceTypeField;
    const type = getAtPointer(resource.object, typePath);
    if (typeof type === 'string') summary.ownService = { type, path: typePath };
  }
  return summary;
}
