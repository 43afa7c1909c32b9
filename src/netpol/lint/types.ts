import type { Location, ResourceRef, Severity } from '../../core/types.js';
import type { NetpolModel } from '../build.js';
import type { PodPeer } from '../model.js';

/** One lint check over the reachability model: its metadata in one place, and a pure function. */
export interface NetpolCheck {
  meta: { id: string; severity: Severity; title: string; description: string; remediation: string };
  /** `judged`: which pods the per-pod checks report on (all of them unless the caller narrows it); every pod is still a peer. */
  run(model: NetpolModel, judged: (pod: PodPeer) => boolean): NetpolIssue[];
}

export interface NetpolIssue {
  message: string;
  resource?: ResourceRef;
  location?: Location;
}
