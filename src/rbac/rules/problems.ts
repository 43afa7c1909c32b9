import { defineRbacRule, type RbacRule } from '../analysis.js';
import type { ProblemCode } from '../types.js';
import type { FrameworkMap, Severity } from '../../core/types.js';

/** A rule that reports the model's problems of one code (found while resolving bindings and aggregation). */
export function problemRule(code: ProblemCode, meta: { severity: Severity; title: string; description: string; remediation: string; frameworks: FrameworkMap }): RbacRule {
  return defineRbacRule({
    id: code,
    ...meta,
    messages: { problem: '{message}' },
    detect: (context) => context.model.problems.filter((p) => p.code === code).map((p) => ({ ...(p.subject ? { subject: p.subject } : {}), resource: p.ref, ...(p.location ? { location: p.location } : {}), messageId: 'problem', data: { message: p.message } })),
  });
}
