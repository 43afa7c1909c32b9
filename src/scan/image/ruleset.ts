import type { Rule } from '../../core/rule.js';
import { IMAGE_CHECKS } from './checks/index.js';
import { DOCKERFILE_DIAGNOSTICS } from './dockerfile/diagnostics/index.js';
import { DOCKERFILE_RULES as DOCKERFILE_CHECKS } from './dockerfile/rules/index.js';
import { reportVulnerability } from './reports/reportVulnerability.js';

/** `scan dockerfile`: the rules and the parse diagnostics reported as input errors. */
export const DOCKERFILE_FAMILY: readonly Rule[] = [...DOCKERFILE_CHECKS.map((r) => r.meta), ...DOCKERFILE_DIAGNOSTICS];

/** `scan image` and `scan report`: the image checks and the vulnerabilities of ingested reports. */
export const IMAGE_RULES: readonly Rule[] = [...IMAGE_CHECKS.map((c) => c.meta), reportVulnerability];
