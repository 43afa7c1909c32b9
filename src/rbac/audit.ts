import type { Finding } from '../core/types.js';
import { runRbacRules } from './analysis.js';
import { RbacModel } from './model.js';
import { RBAC_RULES } from './rules/index.js';
import type { RbacInput } from './types.js';

export interface RbacAnalysis {
  model: RbacModel;
  findings: Finding[];
}

/** The model and every enabled RBAC rule's findings, most severe first within the input order of rules. */
export function buildAnalysis(input: RbacInput, options: { enabled?: ReadonlySet<string> } = {}): RbacAnalysis {
  const model = new RbacModel(input);
  return { model, findings: runRbacRules(model, RBAC_RULES, options.enabled ? { enabled: options.enabled } : {}) };
}
