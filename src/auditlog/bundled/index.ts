/**
 * palisade's default rule files, loaded in this order before any --rules file:
 *  1. Falco's k8s audit rules, as upstream ships them (falcoK8sAuditRules.ts);
 *  2. palisade's overrides of them, in Falco's own override syntax (below);
 *  3. palisade's ML-serving rules, generated from the detections and the knowledge tables.
 */
import { stringify } from 'yaml';
import { ML_DETECTIONS, sharedItems } from '../detections/index.js';
import type { RuleFile } from '../rules/loader.js';
import { FALCO_K8S_AUDIT_RULES } from './falcoK8sAuditRules.js';

/** The Falco engine version whose rule schema palisade reads (falco userspace/engine/falco_engine_version.h). */
export const ENGINE_VERSION = '0.63.0';
/** The plugins whose fields palisade provides: k8saudit 0.18 (and its json companion). */
export const PLUGINS = [
  { name: 'k8saudit', version: '0.18.0' },
  { name: 'json', version: '0.7.4' },
] as const;

export const PALISADE_OVERRIDES = `# palisade's tuning of Falco's k8s audit rules, in Falco's override syntax.
# Disallowed K8s User: its allowed_k8s_users list names minikube and kops users, so on any other
# cluster every human request is a Warning. Enable it after appending your users to the list.
- rule: Disallowed K8s User
  enabled: false
  override:
    enabled: replace

# K8s Secret Get Successfully: every successful secret get, controllers' included, at Error
# (so it fails every CI gate). "Model Storage Secret Read By Foreign Service Account" reports
# the reads that matter for model serving.
- rule: K8s Secret Get Successfully
  enabled: false
  override:
    enabled: replace
`;

/** The ML rules file: shared lists and macros, then one rule per detection. */
export function mlRulesText(): string {
  const items = [
    ...sharedItems(),
    ...ML_DETECTIONS.map((d) => ({ rule: d.falco.rule, desc: d.falco.desc, condition: d.falco.condition, output: d.falco.output, priority: d.falco.priority.toUpperCase(), source: 'k8s_audit', tags: d.falco.tags })),
  ];
  const header = `# palisade's ML-serving audit rules (Apache-2.0), in Falco's rule language. Generated from\n# src/auditlog/detections; the lists are data you can extend with 'override: {items: append}'.\n- required_engine_version: 0.15.0\n\n`;
  return header + items.map((item) => stringify([item], { lineWidth: 0 })).join('\n');
}

export function bundledRuleFiles(): RuleFile[] {
  return [
    { name: '<bundled>/k8s_audit_rules.yaml', text: FALCO_K8S_AUDIT_RULES },
    { name: '<bundled>/palisade_overrides.yaml', text: PALISADE_OVERRIDES },
    { name: '<bundled>/palisade_ml_rules.yaml', text: mlRulesText() },
  ];
}
