import { z } from 'zod';
import { annotationExemption, EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION } from '../../core/exemptions.js';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../context.js';
import type { CheckReport, ResourceCheck } from '../types.js';

export const exemptionInvalid: ResourceCheck<Record<string, never>> = {
  scope: 'resource',
  meta: {
    id: 'EXEMPTION_INVALID',
    family: 'audit',
    severity: 'medium',
    title: 'Exemption annotation is incomplete or expired',
    description: `An exemption must say why: \`${EXEMPT_ANNOTATION}\` without \`${EXEMPT_REASON_ANNOTATION}\` does not apply, and is itself reported so it cannot hide findings silently. \`${EXEMPT_UNTIL_ANNOTATION}\` must be an ISO date (YYYY-MM-DD); once it has passed the exemption no longer applies, the findings come back with a note, and this check reports the expiry.`,
    remediation: `Add ${EXEMPT_REASON_ANNOTATION} with the reason (a ticket helps), and keep ${EXEMPT_UNTIL_ANNOTATION} a future ISO date.`,
    frameworks: { 'nist-800-53': ['CA-7', 'CM-3'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      noReason: '{exempt} is set to "{checks}" but {reasonKey} is missing, so the exemption does not apply',
      badDate: '{untilKey} is "{until}", not an ISO date (YYYY-MM-DD), so the exemption does not apply',
      expired: 'the exemption of "{checks}" expired on {until}; its findings are reported again',
    },
  },
  create() {
    return (context) => {
      const metadata = isObject(context.object.metadata) ? context.object.metadata : {};
      const annotations = isObject(metadata.annotations) ? Object.fromEntries(Object.entries(metadata.annotations).map(([k, v]) => [k, String(v)])) : {};
      const exemption = annotationExemption(annotations);
      if (!exemption) return [];
      const at = (key: string): string => joinPointer('/metadata/annotations', key);
      const data = { exempt: EXEMPT_ANNOTATION, reasonKey: EXEMPT_REASON_ANNOTATION, untilKey: EXEMPT_UNTIL_ANNOTATION, checks: exemption.checks.join(','), until: exemption.until ?? '' };
      const out: CheckReport[] = [];
      if (exemption.problem === 'noReason') out.push({ messageId: 'noReason', data, path: at(EXEMPT_ANNOTATION) });
      else if (exemption.problem === 'badDate') out.push({ messageId: 'badDate', data, path: at(EXEMPT_UNTIL_ANNOTATION) });
      else if (exemption.until !== undefined && exemption.until < context.today) out.push({ messageId: 'expired', data, path: at(EXEMPT_UNTIL_ANNOTATION) });
      return out;
    };
  },
};
