import type { MessageData, Rule } from '../../core/rule.js';
import type { Location, ResourceRef } from '../../core/types.js';
import type { NetpolModel } from '../build.js';
import type { PodPeer } from '../model.js';

/** A netpol lint rule's metadata: the one `Rule` shape of every family (core/rule.ts). */
export interface NetpolRuleMeta extends Rule {
  family: 'netpol';
}

/** One lint check over the reachability model: its metadata in one place, and a pure function. */
export interface NetpolCheck {
  meta: NetpolRuleMeta;
  /** `judged`: which pods the per-pod checks report on (all of them unless the caller narrows it); every pod is still a peer. */
  run(model: NetpolModel, judged: (pod: PodPeer) => boolean): NetpolIssue[];
}

/** What a check reports: a message id of its meta plus data, never free text (style.md rule 3). */
export interface NetpolIssue {
  messageId: string;
  data?: MessageData;
  resource?: ResourceRef;
  path?: string;
  location?: Location;
}

/** An issue about one pod, located at the pod's workload. */
export const podIssue = (pod: PodPeer, messageId: string, data: MessageData): NetpolIssue => ({ messageId, data, ...(pod.resource ? { resource: pod.resource } : {}), ...(pod.path !== undefined ? { path: pod.path } : {}), ...(pod.location ? { location: pod.location } : {}) });
