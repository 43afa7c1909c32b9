import type { z } from 'zod';
import type { FrameworkMap, Severity } from './types.js';

/**
 * The one shape of rule metadata every family speaks (posture checks, PSS, Dockerfile, image,
 * netpol lint, model scan, RBAC, audit log, admission, verify). A rule is this metadata plus a
 * pure function that lives in the family's own engine; the metadata alone feeds `checks list`,
 * the generated docs, SARIF rule descriptors and the meta-tests.
 *
 * New engines declare their rules with `defineRule` in one file per rule and export them from
 * their `index.ts`; `audit/catalogue.ts` gathers every family into one registry.
 */
export const RULE_FAMILIES = ['pss', 'audit', 'dockerfile', 'image', 'netpol', 'model', 'rbac', 'auditlog', 'admission', 'verify'] as const;
export type RuleFamily = (typeof RULE_FAMILIES)[number];

export interface Rule<P = unknown> {
  /** SCREAMING_SNAKE_CASE, unique across every family. */
  id: string;
  family: RuleFamily;
  severity: Severity;
  title: string;
  /** The docs paragraph: what the rule looks for and why it matters. */
  description: string;
  /** Ends with a period (a meta-test checks it). */
  remediation: string;
  frameworks: FrameworkMap;
  /** messageId → template; `{name}` is replaced by `data.name`. */
  messages: Record<string, string>;
  /** Typed, validated parameters (kube-linter's model); rules without parameters leave both out. */
  params?: z.ZodType<P>;
  defaultParams?: P;
  docsUrl?: string;
}

export type MessageData = Record<string, string | number>;

/** Identity function that fixes the type: `export const rule = defineRule({...})`. */
export function defineRule<P = unknown>(rule: Rule<P>): Rule<P> {
  return rule;
}

/** Fills a message template: `{name}` becomes `data.name`; unknown placeholders stay visible. */
export function formatMessage(rule: Pick<Rule, 'id' | 'messages'>, messageId: string, data: MessageData = {}): string {
  const template = rule.messages[messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} has no message "${messageId}"`);
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
