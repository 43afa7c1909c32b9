import type { Rule } from '../core/rule.js';
import { hardenNeedsHuman } from './needsHuman.js';

/** What `palisade harden` reports: the blockers a human must decide. */
export const HARDEN_RULES: readonly Rule[] = [hardenNeedsHuman];
