import type { Location, ResourceRef } from '../core/types.js';
import type { Level } from '../pss/index.js';

/**
 * A hardening plan is data first: the field settings that make a pod spec pass the level, each with
 * the reason it is safe, and the blockers a human must decide. The same plan is applied to YAML text
 * (comment-preserving) or turned into a JSON Patch (for the mutating webhook).
 */

/** Set `value` at `pointer` (a JSON pointer into the resource as written). */
export interface Change {
  /** The pod spec this change hardens. */
  podSpecPath: string;
  pointer: string;
  value: unknown;
  /** The PSS check it satisfies, or the hardening it adds (`readOnlyRootFilesystem`, `automountServiceAccountToken`). */
  check: string;
  reason: string;
}

/** Something the level forbids that harden will not rewrite: "needs a human", with the reason. */
export interface Blocker {
  podSpecPath: string;
  /** The offending field (JSON pointer into the resource). */
  pointer: string;
  /** The PSS check that stays violated, or HARDEN_EDIT_UNSAFE when an edit could not be applied safely. */
  check: string;
  reason: string;
}

/** Hardening that is not required by the level and was left out on purpose. */
export interface Skip {
  podSpecPath: string;
  pointer: string;
  reason: string;
}

export interface PodSpecPlan {
  podSpecPath: string;
  containers: string[];
  changes: Change[];
  blockers: Blocker[];
  skipped: Skip[];
}

export interface HardenOptions {
  level: Exclude<Level, 'privileged'>;
  /** `v1.N` or `latest`. */
  version: string;
  /** The UID (and GID) to run as when the image's user is unknown or root. */
  uid: number;
}

export const DEFAULT_HARDEN_OPTIONS: HardenOptions = { level: 'restricted', version: 'latest', uid: 65532 };

/** The user an image runs as, when a Dockerfile in the input builds it. */
export interface ImageUser {
  user: string;
  uid?: number;
  root: boolean;
  /** Where it was decided: the USER instruction. */
  location: Location;
}

/** Image reference → its user, when known. */
export type ImageUserLookup = (image: string) => ImageUser | undefined;

/** What `harden --format json` reports per pod spec. */
export interface HardenResult {
  resource: ResourceRef;
  location: Location;
  podSpecPath: string;
  containers: string[];
  changes: Array<Omit<Change, 'podSpecPath'> & { location: Location }>;
  blockers: Array<Omit<Blocker, 'podSpecPath'> & { location: Location }>;
  skipped: Array<Omit<Skip, 'podSpecPath'> & { location: Location }>;
}
