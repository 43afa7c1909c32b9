import type { Rule } from '../core/rule.js';
import { NETPOL_CHECKS } from './lint/index.js';
import { diffOpensModelServer } from './rules/diffOpensModelServer.js';
import { intentBroken } from './rules/intentBroken.js';

/** Every rule the netpol commands report: the lint checks, broken intents, and diffs that open a model server. */
export const NETPOL_RULES: readonly Rule[] = [...NETPOL_CHECKS.map((c) => c.meta), intentBroken, diffOpensModelServer];
export { NETPOL_ERRORS } from './errors.js';
