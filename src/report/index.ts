import { github } from './github.js';
import { html } from './html/index.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { policyreport } from './policyreport.js';
import { sarif } from './sarif.js';
import { text } from './text.js';
import type { Reporter } from './types.js';

/** Every output format, by the name --format and --output take. */
export const reporters: Record<'text' | 'json' | 'sarif' | 'junit' | 'policyreport' | 'github' | 'html', Reporter> = { text, json, sarif, junit, policyreport, github, html };

export { github, html, junit, json, policyreport, sarif, text };
export { compareFindings, sortFindings } from './findings.js';
export { pssResults, violationMessage, type PssResultView } from './pssResults.js';
export type { Reporter, ReportContext, RuleInfo } from './types.js';
