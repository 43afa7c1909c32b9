// Rule matching exactly as the API server's RBAC authorizer does it: kubernetes
// pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches,
// ResourceNameMatches, NonResourceURLMatches) and plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows).
// Only `*` and `*/SUBRESOURCE` are wildcards: `pods/*` is a literal that names nothing.
import type { LabelSelector, NonResourceRequest, PolicyRule, Request, ResourceRequest } from './types.js';
import { isNonResource } from './types.js';

export const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === ALL || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === ALL || g === group) return true;
  return false;
}

/** `combined` is `resource` or `resource/subresource`. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === ALL || r === combined) return true;
    // `*/<sub>` matches that subresource of every resource, and nothing else.
    if (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames = every name; otherwise the request's name must be listed (a request without a name never matches). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  for (const n of rule.resourceNames) if (n === name) return true;
  return false;
}

/** `*` = every path; a trailing `*` is a prefix match (every trailing `*` trimmed, as strings.TrimRight does); else exact. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs) {
    if (url === ALL || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function combinedResource(request: Pick<ResourceRequest, 'resource' | 'subresource'>): string {
  return request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
}

/** RuleAllows: does this one rule allow the request (scope aside: bindings decide that)? */
export function ruleAllows(rule: PolicyRule, request: Request): boolean {
  if (isNonResource(request)) return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path);
  return verbMatches(rule, request.verb) && apiGroupMatches(rule, request.apiGroup) && resourceMatches(rule, combinedResource(request), request.subresource ?? '') && resourceNameMatches(rule, request.name ?? '');
}

export type { NonResourceRequest };

/** metav1.LabelSelector semantics: every matchLabels pair and every expression must hold; an empty selector matches everything, an invalid one nothing. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  // LabelSelectorAsSelector fails on it: the controller aggregates nothing through it.
  if (selector.invalid) return false;
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        if (!has || !expression.values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && expression.values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // LabelSelectorAsSelector fails on an unknown operator: the controller aggregates nothing.
        return false;
    }
  }
  return true;
}
