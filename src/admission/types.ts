/**
 * The admission webhook's public shapes: AdmissionReview in and out (admission.k8s.io/v1, and
 * v1beta1 answered in its own version) and the image-verifier hook other engines plug into.
 * Field names follow k8s.io/api/admission/v1/types.go.
 */
import type { ImageReference } from '../knowledge/index.js';

export type AdmissionVersion = 'admission.k8s.io/v1' | 'admission.k8s.io/v1beta1';
export const ADMISSION_VERSIONS: readonly AdmissionVersion[] = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo: UserInfo;
  object?: Record<string, unknown> | null;
  oldObject?: Record<string, unknown> | null;
  dryRun?: boolean;
  options?: Record<string, unknown> | null;
}

/** metav1.Status as an admission response carries it. */
export interface Status {
  status?: 'Failure' | 'Success';
  code?: number;
  reason?: string;
  message?: string;
  /** metav1.StatusDetails: what was refused (`kind` is the resource, e.g. `pods`) and, for Invalid, each field's cause. */
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Status;
  /** base64 of an RFC 6902 JSON array; mutating only. */
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReview {
  apiVersion: AdmissionVersion;
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** What a decision does where it applies: deny, warn the client, or only annotate the audit event. */
export type PolicyMode = 'enforce' | 'warn' | 'audit';

/** Which webhook path was called. */
export type Endpoint = 'validate' | 'mutate';

// ---------------------------------------------------------------------------------------------
// Image verifier hook (signatures, attestations, scan reports). src/verify implements it; the
// server calls it once per distinct digest per request, in parallel, caches verdicts by digest
// and namespace for `ttlSeconds`, and decides an unfinished call by the failure policy when the
// request's deadline arrives.
// ---------------------------------------------------------------------------------------------

/** One image of one admission request, already resolved to a digest. */
export interface ImageToVerify {
  /** The reference exactly as written in the pod spec (`nvcr.io/nvidia/tritonserver:24.05-py3`). */
  image: string;
  reference: ImageReference;
  /** The manifest (or index) digest the image resolves to, `sha256:<hex>`. */
  digest: string;
  /** Namespace of the object admitted: policies may differ per namespace. */
  namespace: string;
  /** Every container (by JSON pointer into the admitted object) that uses this image. */
  containers: ReadonlyArray<{ name: string; path: string }>;
}

export interface VerifyContext {
  /** Aborted when the request's deadline passes; a verifier should stop its network calls then. */
  signal: AbortSignal;
  /** Epoch milliseconds by which the answer is needed. */
  deadline: number;
  /** Dry-run request: decide, but write nothing anywhere. */
  dryRun: boolean;
  /** The server's clock, so verifiers judge freshness consistently with the cache. */
  now: () => Date;
}

export interface ImageVerdict {
  /** false: the image fails the verifier's policy. */
  allowed: boolean;
  /** How a failure is applied (default enforce). `allowed: true` ignores it. */
  mode?: PolicyMode;
  /** Short reason for a denial or warning, e.g. `no signature by release-key`. */
  message?: string;
  /** Extra warnings to return even when allowed. */
  warnings?: string[];
  /** Added to the response's auditAnnotations (keys are prefixed `<verifier name>.`). */
  auditAnnotations?: Record<string, string>;
  /** How long this verdict may be reused for the same digest and namespace; 0 = not cached. Default: the server's cache TTL. */
  ttlSeconds?: number;
}

export interface ImageVerifier {
  /** Short name used in messages, metrics and annotation keys, e.g. `sigstore`. */
  readonly name: string;
  verify(image: ImageToVerify, context: VerifyContext): Promise<ImageVerdict>;
}
