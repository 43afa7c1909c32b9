import { formatMessage, type Rule } from '../core/rule.js';
import type { Finding } from '../core/types.js';
import type { ModelOutcome } from './model.js';
import { IMAGE_RULE_OF, modelSignatureInvalid } from './rules/index.js';
import type { VerifyFailure } from './types.js';

function finding(rule: Rule, messageId: string, data: Record<string, string>): Finding {
  return { checkId: rule.id, severity: rule.severity, title: rule.title, message: formatMessage(rule, messageId, data), remediation: rule.remediation, frameworks: rule.frameworks };
}

/** One finding per failure of an image (the reasons of VerifyOutcome / ImageVerdict). */
export function imageFindings(image: string, failures: readonly VerifyFailure[]): Finding[] {
  return failures.map((f) => {
    const { rule, messageId } = IMAGE_RULE_OF[f.reason];
    const message = f.source ? `${f.message} (${f.source})` : f.message;
    return finding(rule, messageId, { image, message, digest: message });
  });
}

export function modelFindings(model: string, outcome: ModelOutcome): Finding[] {
  return outcome.failures.map((f) => finding(modelSignatureInvalid, 'invalid', { model, message: `${f.reason}: ${f.message}` }));
}
