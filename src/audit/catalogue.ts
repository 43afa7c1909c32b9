import { ruleOf, type HasRule, type Rule, type RuleFamily } from '../core/rule.js';
import type { FrameworkMap, Severity } from '../core/types.js';
// Every family of rules: the family's rule list from its `index.ts` (or its `ruleset.ts`, a light
// file that lists the rules without loading the engine). Add yours here and to FAMILIES below.
import { AUDITLOG_RULES } from '../auditlog/ruleset.js';
import { POSTURE_RULES } from '../checks/ruleset.js';
import { HARDEN_RULES } from '../harden/ruleset.js';
import { NETPOL_RULES } from '../netpol/ruleset.js';
import { PSS_RULES } from '../pss/ruleset.js';
import { RBAC_RULES } from '../rbac/rules/index.js';
import { DOCKERFILE_FAMILY, IMAGE_RULES } from '../scan/image/ruleset.js';
import { MODEL_RULES } from '../scan/model/ruleset.js';
import { VERIFY_RULES } from '../verify/ruleset.js';
import { AUDIT_RULES } from './rules/index.js';

/** Every rule palisade can report, with the metadata `checks list`, `checks explain` and the docs use. */
export interface CatalogueEntry {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  remediation: string;
  frameworks: FrameworkMap;
  /** The family (engine) that reports it; `checks explain` and the docs name its commands. */
  module: RuleFamily;
}

/**
 * The families, from the imports above: lists of rules, or of units that carry one as `meta`.
 * Adding a family is its import line and its name here; the meta-test then requires docs, a unit
 * test and an end-to-end case for each of its rules.
 */
const FAMILIES: ReadonlyArray<ReadonlyArray<Rule | HasRule>> = [AUDIT_RULES, AUDITLOG_RULES, DOCKERFILE_FAMILY, HARDEN_RULES, IMAGE_RULES, MODEL_RULES, NETPOL_RULES, POSTURE_RULES, PSS_RULES, RBAC_RULES, VERIFY_RULES];

/** Every rule of every family, sorted by id. */
export function allRules(): Rule[] {
  return FAMILIES.flatMap((family) => family.map((entry) => ruleOf(entry as Rule | HasRule))).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function catalogue(): CatalogueEntry[] {
  return allRules().map((rule) => ({ id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, remediation: rule.remediation, frameworks: rule.frameworks, module: rule.family }));
}
