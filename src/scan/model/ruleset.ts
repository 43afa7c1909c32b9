/** The model family's rules, without loading the scanner (for `checks list` and the reporters). */
export { MODEL_RULES } from './rules/index.js';
