import type { Location, ResourceRef } from '../core/types.js';

/** One rule of a Role or ClusterRole as written (absent lists are empty). */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups: readonly string[];
  resources: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
}

export type RoleKind = 'Role' | 'ClusterRole';
export type BindingKind = 'RoleBinding' | 'ClusterRoleBinding';
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A rule where it was written: the role that holds it in the input, its index and position. */
export interface SourcedRule {
  rule: PolicyRule;
  /** The role whose manifest holds the rule (for an aggregated ClusterRole, the aggregated one). */
  role: RoleId;
  index: number;
  location?: Location;
}

export interface RoleId {
  kind: RoleKind;
  name: string;
  /** Roles only. */
  namespace?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values: readonly string[];
}

export interface LabelSelector {
  matchLabels: Readonly<Record<string, string>>;
  matchExpressions: readonly LabelSelectorRequirement[];
  /** Why the API server refuses it (LabelSelectorAsSelector fails): it then selects nothing. */
  invalid?: string;
}

export interface RbacRole {
  id: RoleId;
  ref: ResourceRef;
  labels: Readonly<Record<string, string>>;
  /** The rules the manifest writes. */
  rules: readonly SourcedRule[];
  /** ClusterRoles with `aggregationRule`: the selectors; their `rules` are the controller's to write. */
  aggregation?: readonly LabelSelector[];
  /** `rbac.authorization.kubernetes.io/autoupdate: "false"`: the API server does not reconcile it at start. */
  autoupdate?: false;
  location?: Location;
}

export interface Subject {
  kind: SubjectKind;
  name: string;
  /** ServiceAccounts (defaulted to the RoleBinding's namespace when left out there). */
  namespace?: string;
}

export interface BindingSubject {
  /** As the authorizer reads it: a ServiceAccount without namespace in a RoleBinding gets the binding's. */
  subject: Subject;
  /** Kinds the authorizer ignores (a typo such as `Serviceaccount`), or an SA that can never match. */
  inert?: 'unknown-kind' | 'no-namespace';
  location?: Location;
}

export interface RbacBinding {
  kind: BindingKind;
  name: string;
  /** RoleBindings only. */
  namespace?: string;
  ref: ResourceRef;
  labels: Readonly<Record<string, string>>;
  roleRef: { kind: string; name: string };
  subjects: readonly BindingSubject[];
  location?: Location;
  roleRefLocation?: Location;
}

/** A pod spec of the input, reduced to what RBAC analysis needs: who it runs as. */
export interface RbacPod {
  /** The object holding the pod spec (Pod, Deployment, InferenceService, RayCluster…). */
  ref: ResourceRef;
  namespace: string;
  podSpecPath: string;
  serviceAccount: string;
  /** `automountServiceAccountToken` of the pod spec, when written. */
  automount?: boolean;
  /** What the pod is for ML purposes (model server, Ray head, notebook…), when known. */
  mlRole?: MlPodRole;
  location?: Location;
}

export type MlPodRole = 'model-server' | 'ray-head' | 'notebook' | 'training' | 'ml-operator';

export interface RbacServiceAccount {
  ref: ResourceRef;
  namespace: string;
  name: string;
  automount?: boolean;
  annotations: Readonly<Record<string, string>>;
  location?: Location;
}

/** A Secret of type kubernetes.io/service-account-token: reading it yields the account's token. */
export interface RbacTokenSecret {
  ref: ResourceRef;
  namespace: string;
  name: string;
  serviceAccount: string;
  location?: Location;
}

export interface RbacWebhookConfiguration {
  ref: ResourceRef;
  kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';
  name: string;
  location?: Location;
}

/** Everything RBAC analysis reads from the input, as plain data (no YAML trees kept). */
export interface RbacInput {
  roles: RbacRole[];
  bindings: RbacBinding[];
  pods: RbacPod[];
  serviceAccounts: RbacServiceAccount[];
  tokenSecrets: RbacTokenSecret[];
  webhooks: RbacWebhookConfiguration[];
}

export type ProblemCode = 'RBAC_DANGLING_ROLE_REF' | 'RBAC_INVALID_ROLE_REF' | 'RBAC_AGGREGATION_LOOP' | 'RBAC_SUBJECT_NEVER_MATCHES' | 'RBAC_DUPLICATE_OBJECT';

/** Something wrong with the RBAC objects themselves, reported as a finding. */
export interface RbacProblem {
  code: ProblemCode;
  message: string;
  ref: ResourceRef;
  location?: Location;
  subject?: Subject;
}

/** A request as the authorizer sees it (authorizer.Attributes). */
export interface ResourceRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** Object name; "" or absent when the request has none (create, list without fieldSelector). */
  name?: string;
  /** "" or absent for cluster-scoped requests. */
  namespace?: string;
}

export interface NonResourceRequest {
  verb: string;
  path: string;
}

export type Request = ResourceRequest | NonResourceRequest;

export const isNonResource = (request: Request): request is NonResourceRequest => 'path' in request;

/** The user the authorizer sees: a name and groups. */
export interface Identity {
  user: string;
  groups: readonly string[];
}
