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
export const RULE_FAMILIES = ['pss', 'audit', 'dockerfile', 'image', 'netpol', 'model', 'harden', 'rbac', 'auditlog', 'admission', 'verify'] as const;
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
  // Split once per template (the webhook formats every finding of every request): even entries
  // are literal text, odd ones placeholder names; the same text as a regex replace.
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    if (compiled.size >= 10_000) compiled.clear();
    compiled.set(template, parts);
  }
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    text += (key in data ? String(data[key]) : `{${key}}`) + parts[i + 1]!;
  }
  return text;
}

/** Message templates split at their placeholders (the rules declare a few hundred). */
const compiled = new Map<string, readonly string[]>();

/** A family's executable unit: the rule's metadata plus the family's own function (check, run…). */
export interface HasRule<P = unknown> {
  meta: Rule<P>;
}

/** A family's list holds bare rules or executable units; the registry reads the metadata of both. */
export function ruleOf<P>(entry: Rule<P> | HasRule<P>): Rule<P> {
  return 'meta' in entry ? entry.meta : entry;
}

/**
 * Registry invariants every family keeps (style.md rule 2), checked by the meta-test over the whole
 * catalogue: UPPER_SNAKE_CASE ids unique across families, complete text, a remediation that ends
 * with a period, at least one message, message placeholders named, default params that pass the schema.
 */
export function ruleProblems(rules: ReadonlyArray<Rule<unknown>>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`${rule.id}: duplicate id`);
    seen.add(rule.id);
    if (!/^[A-Z][A-Z0-9_]+$/.test(rule.id)) problems.push(`${rule.id}: id must be UPPER_SNAKE_CASE`);
    if (!(RULE_FAMILIES as readonly string[]).includes(rule.family)) problems.push(`${rule.id}: unknown family "${rule.family}"`);
    if (!rule.title.trim() || !rule.description.trim()) problems.push(`${rule.id}: title and description are required`);
    if (!rule.remediation.trim().endsWith('.')) problems.push(`${rule.id}: remediation must end with a period`);
    if (Object.keys(rule.messages).length === 0) problems.push(`${rule.id}: no messages`);
    for (const [id, template] of Object.entries(rule.messages)) if (!template.trim()) problems.push(`${rule.id}: message "${id}" is empty`);
    if ((rule.params === undefined) !== (rule.defaultParams === undefined)) problems.push(`${rule.id}: params and defaultParams come together`);
    if (rule.params && !rule.params.safeParse(rule.defaultParams).success) problems.push(`${rule.id}: defaultParams fail the params schema`);
    for (const [framework, ids] of Object.entries(rule.frameworks)) if (ids && ids.length === 0) problems.push(`${rule.id}: framework ${framework} maps to nothing`);
  }
  return problems;
}
