import type { Location, ResourceRef, Severity } from '../../core/types.js';
import type { NetpolModel } from '../build.js';

/** One lint check over the reachability model: its metadata in one place, and a pure function. */
export interface NetpolCheck {
  meta: { id: string; severity: Severity; title: string; description: string; remediation: string };
  run(model: NetpolModel): NetpolIssue[];
}

export interface NetpolIssue {
  message: string;
  resource?: ResourceRef;
  location?: Location;
}
