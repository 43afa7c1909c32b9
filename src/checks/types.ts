import type { z } from 'zod';
import type { MessageData, Rule } from '../core/rule.js';
import type { ResourceRef, Severity } from '../core/types.js';
import type { ContainerRef, PodSpecRef } from '../workloads/index.js';
import type { ImageReference, ModelServer } from '../knowledge/index.js';
import type { SecurityContextView } from './securityContext.js';

/**
 * A check is metadata plus a pure function (style.md rule 3). `create(params)` runs once per audit
 * with validated params and returns the function that inspects one context; it reports
 * `{messageId, data, path}` and the runner turns that into a Finding with text and location.
 * The metadata is the one `Rule` shape of every family (core/rule.ts), with params always present.
 */
export interface CheckMeta<P> extends Rule<P> {
  family: 'audit';
  params: z.ZodType<P>;
  defaultParams: P;
  /** PSS checks that report the same field: when PSS already flagged it, this check stays quiet. */
  overlapsPss?: readonly string[];
}

export type { MessageData };

export interface CheckReport {
  messageId: string;
  data?: MessageData;
  /** JSON pointer into the resource: the offending field, or the nearest parent when it is missing. */
  path: string;
  /**
   * A severity other than the check's default for this one report (the model-server table raises an
   * exposure to high). A severity set in the config for the check wins over it.
   */
  severity?: Severity;
  /**
   * The report depends on the ServiceAccount the pod runs as, which may be written in another file,
   * so an audit settles it at the end: dropped when the pod leaves automountServiceAccountToken
   * unset and the ServiceAccount object sets it to false (the pod's field wins when written); said
   * with `whenBound` when a RoleBinding or ClusterRoleBinding names the account. Where the object
   * is not in the input (a webhook's single pod), the report stands as made.
   */
  serviceAccount?: ServiceAccountCondition;
}

export interface ServiceAccountCondition {
  name: string;
  /** The pod spec does not write automountServiceAccountToken. */
  podAutomountUnset: boolean;
  /** The message (with data `binding` and `role` added) and severity when a binding names the account. */
  whenBound?: { messageId: string; severity: Severity };
}

/** What a pod-spec check sees: one pod spec of one resource, with everything already resolved. */
export interface PodContext {
  resource: { ref: ResourceRef; object: Readonly<Record<string, unknown>> };
  pod: PodSpecRef;
  containers: readonly ContainerView[];
  /** Volumes of the pod by name, with their pointers. */
  volumes: ReadonlyMap<string, { volume: Readonly<Record<string, unknown>>; path: string }>;
  /** Pod-level `automountServiceAccountToken`/`serviceAccountName` and friends, as written. */
  spec: Readonly<Record<string, unknown>>;
}

export interface ContainerView {
  ref: ContainerRef;
  /** Pod-level securityContext merged with the container's: pod settings count unless the container overrides them. */
  securityContext: SecurityContextView;
  /** The model server this container runs, from the data table (image, then command line). */
  server?: ModelServer;
  /** `command` and `args` joined into one list of words. */
  commandLine: readonly string[];
  /** Env vars with literal values (valueFrom entries have `value: undefined`). */
  env: ReadonlyArray<{ name: string; value?: string; path: string }>;
  /** The image, parsed (absent when missing, templated or unparsable): read through containerImage. */
  image?: ContainerImage;
}

export interface ContainerImage {
  readonly text: string;
  readonly reference: ImageReference;
  /** Pointer of the `image` field. */
  readonly path: string;
}

export interface PodCheck<P = unknown> {
  scope: 'pod';
  meta: CheckMeta<P>;
  create(params: P): (context: PodContext) => CheckReport[];
}

/** What a resource check sees: one object as written (its annotations, for instance). */
export interface ResourceContext {
  ref: ResourceRef;
  object: Readonly<Record<string, unknown>>;
  /** Today's date (YYYY-MM-DD), for checks that judge expiry. */
  today: string;
  /** The resource's pod specs, resolved as pod checks see them. */
  pods: readonly PodContext[];
}

export interface ResourceCheck<P = unknown> {
  scope: 'resource';
  meta: CheckMeta<P>;
  create(params: P): (context: ResourceContext) => CheckReport[];
}

/** A cluster check reports against one item of the inventory (a Service, a workload…). */
export interface ClusterReport extends CheckReport {
  target: InventoryItem;
}

export interface ClusterCheck<P = unknown> {
  scope: 'cluster';
  meta: CheckMeta<P>;
  create(params: P): (inventory: Inventory) => ClusterReport[];
}

export type Check = PodCheck | ResourceCheck | ClusterCheck;

/** Where an inventory item came from, so its findings can be located after its file's tree is gone. */
export interface InventoryItem {
  file: string;
  indexInFile: number;
  ref: ResourceRef;
}

/** A small object kept (Services, Ingresses, NetworkPolicies, Namespaces, quotas): its spec and its name, namespace and labels. */
export interface InventoryObject extends InventoryItem {
  object: Readonly<Record<string, unknown>>;
}

export interface WorkloadPort {
  containerPort: number;
  name?: string;
}

/** The light summary of one pod spec that cluster checks need. */
export interface WorkloadSummary extends InventoryItem {
  namespace: string;
  podSpecPath: string;
  labels: Readonly<Record<string, string>>;
  containers: ReadonlyArray<{ name: string; path: string; server?: string; ports: readonly WorkloadPort[] }>;
  requestsGpu: boolean;
  /** Made by a controller (ownerReferences controller: true), as a live cluster's Pods and ReplicaSets are: not counted as workloads of their own. */
  controlled?: true;
  /** A Service the operator creates from this object (KubeRay's head service), with its type. */
  ownService?: { type: string; path: string };
  /** The operator puts these pods behind NetworkPolicies of its own (KubeRay `spec.networkPolicy`): which directions they deny by default. */
  operatorIsolation?: { ingress: boolean; egress: boolean };
}

export interface Inventory {
  services: readonly InventoryObject[];
  ingresses: readonly InventoryObject[];
  networkPolicies: readonly InventoryObject[];
  namespaces: readonly InventoryObject[];
  quotas: readonly InventoryObject[];
  workloads: readonly WorkloadSummary[];
}
