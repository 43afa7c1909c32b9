/** The verify family's rules, without loading the verifier (for `checks list` and the reporters). */
export { VERIFY_RULES } from './rules/index.js';
