import type { Rule } from '../../../core/rule.js';
import { RULE_OUTCOMES } from '../policy/ruleOutcomes.js';
import { VERDICT_SEVERITY, type Verdict } from '../types.js';

/** A model-scan rule: the one `Rule` shape of every family plus the verdict it gives a file. */
export interface ModelRule extends Rule {
  family: 'model';
  verdict: Exclude<Verdict, 'safe'>;
}

/** What to do with a file of each verdict; the per-file finding (`MODEL_<VERDICT>`) and its rules share it. */
export const VERDICT_REMEDIATION: Record<Exclude<Verdict, 'safe'>, string> = {
  malicious: 'Do not load this file; obtain the model from a trusted source, preferably as safetensors.',
  suspicious: 'Load it only with a restricted loader (torch.load(weights_only=True)) or convert it to safetensors; allow-list the named globals if they are expected.',
  invalid: 'Re-download or re-export the file; the loader will reject it.',
  unsupported: 'Nothing to do unless this file was meant to be a model.',
};

/** Model files are how ML supply-chain compromise arrives: ATLAS Publish Poisoned Models / User Execution-like entry points. */
export const MODEL_FRAMEWORKS = { 'mitre-atlas': ['AML.T0010', 'AML.T0011'] };

/**
 * A rule of the model scanner. Its verdict (what the verdict policy of
 * ../shared/corpus/models/PROVENANCE.md calls it) and message come from RULE_OUTCOMES, the table the
 * scan reads without loading the rule modules; the verdict sets severity and remediation, and the
 * message template's {names} are filled from the finding's data. Engines report a rule id plus data.
 */
export function modelRule(rule: { id: keyof typeof RULE_OUTCOMES; title: string; description: string }): ModelRule {
  const { verdict, message } = RULE_OUTCOMES[rule.id];
  return {
    id: rule.id,
    family: 'model',
    verdict,
    severity: VERDICT_SEVERITY[verdict],
    title: rule.title,
    description: rule.description,
    remediation: VERDICT_REMEDIATION[verdict],
    frameworks: MODEL_FRAMEWORKS,
    messages: { default: message },
  };
}

/** The per-file finding `palisade scan model` reports, named after the file's verdict. */
export function verdictRule(verdict: ModelRule['verdict'], title: string, description: string): ModelRule {
  return {
    id: `MODEL_${verdict.toUpperCase()}`,
    family: 'model',
    verdict,
    severity: VERDICT_SEVERITY[verdict],
    title,
    description,
    remediation: VERDICT_REMEDIATION[verdict],
    frameworks: MODEL_FRAMEWORKS,
    messages: { file: '{file}: {verdict}: {detail}{more}' },
  };
}
