import { podFieldPointer } from '../workloads/index.js';
import type { PodContext } from './types.js';

/** The service account a pod runs as (`serviceAccountName`, else the deprecated `serviceAccount`), and whether its token is mounted. */
export function serviceAccountOf(context: PodContext): { name: string; explicit: boolean; tokenMounted: boolean; automountUnset: boolean; automountPath: string; namePath: string } {
  const spec = context.spec;
  const name = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : undefined;
  return {
    name: name ?? 'default',
    explicit: name !== undefined,
    // The pod field wins over the ServiceAccount's; unset means mounted unless the ServiceAccount
    // object says otherwise, which an audit settles at the end (CheckReport.serviceAccount).
    tokenMounted: spec.automountServiceAccountToken !== false,
    automountUnset: typeof spec.automountServiceAccountToken !== 'boolean',
    automountPath: podFieldPointer(context.pod, 'automountServiceAccountToken'),
    namePath: podFieldPointer(context.pod, typeof spec.serviceAccountName === 'string' || spec.serviceAccount === undefined ? 'serviceAccountName' : 'serviceAccount'),
  };
}
