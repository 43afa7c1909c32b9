import { formatMessage } from '../../core/rule.js';
import type { Finding } from '../../core/types.js';
import type { NetpolModel } from '../build.js';
import type { PodPeer } from '../model.js';
import { adminPortFromOutside } from './adminPortFromOutside.js';
import { modelServerEgressAnywhere } from './modelServerEgressAnywhere.js';
import { modelServerReachesMetadata } from './modelServerReachesMetadata.js';
import { policySelectsNothing } from './policySelectsNothing.js';
import { ruleShadowed } from './ruleShadowed.js';
import type { NetpolCheck } from './types.js';

export type { NetpolCheck, NetpolIssue, NetpolRuleMeta } from './types.js';

/** The network lint checks, sorted by id. `palisade audit` can run them on the same model. */
export const NETPOL_CHECKS: readonly NetpolCheck[] = [adminPortFromOutside, modelServerEgressAnywhere, modelServerReachesMetadata, policySelectsNothing, ruleShadowed];

export function lintNetwork(model: NetpolModel, checks: readonly NetpolCheck[] = NETPOL_CHECKS, judged: (pod: PodPeer) => boolean = () => true): Finding[] {
  return checks.flatMap((check) =>
    check.run(model, judged).map((issue) => ({
      checkId: check.meta.id,
      severity: check.meta.severity,
      title: check.meta.title,
      message: formatMessage(check.meta, issue.messageId, issue.data),
      ...(issue.resource ? { resource: issue.resource } : {}),
      ...(issue.path !== undefined ? { path: issue.path } : {}),
      ...(issue.location ? { location: issue.location } : {}),
      remediation: check.meta.remediation,
    })),
  );
}
