import { defineRule, formatMessage } from '../core/rule.js';
import type { Finding } from '../core/types.js';
import type { HardenResult } from './types.js';

/** `palisade harden`: a setting that still fails the level and that harden will not change by itself. */
export const hardenNeedsHuman = defineRule({
  id: 'HARDEN_NEEDS_HUMAN',
  family: 'harden',
  severity: 'high',
  title: 'Needs a human: harden will not change this',
  description:
    'palisade harden edits a pod spec only where the edit keeps the pod starting (non-root with a known image user, capabilities the process does not need, a read-only root with writable paths mounted…). Where an edit could break the workload (privileged device access, host namespaces, a shared YAML anchor), the pod spec still fails the level and this finding says which check and why.',
  remediation: 'Decide whether the setting is needed; if not, remove it and run palisade harden again.',
  frameworks: {},
  messages: { blocked: '{check}: {reason}' },
});

/** Each blocker is a finding: the pod spec still fails the level there, and a human must decide. */
export function blockerFindings(result: HardenResult): Finding[] {
  return result.blockers.map((blocker) => ({
    checkId: hardenNeedsHuman.id,
    severity: hardenNeedsHuman.severity,
    title: hardenNeedsHuman.title,
    message: formatMessage(hardenNeedsHuman, 'blocked', { check: blocker.check, reason: blocker.reason }),
    resource: result.resource,
    path: blocker.pointer,
    location: blocker.location,
    remediation: hardenNeedsHuman.remediation,
  }));
}
