/** Kubernetes label selectors: matchLabels AND matchExpressions, with the API server's validation. */

export type Labels = Readonly<Record<string, string>>;

export interface Selector {
  readonly empty: boolean;
  /** A canonical text of the selector, for caches and messages. */
  readonly key: string;
  matches(labels: Labels): boolean;
}

export const MATCH_ALL: Selector = { empty: true, key: '{}', matches: () => true };

type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

interface Requirement {
  key: string;
  operator: Operator;
  values: ReadonlySet<string>;
}

/** A problem with one field of the selector: a JSON pointer relative to the selector, and why. */
export interface SelectorProblem {
  pointer: string;
  reason: string;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `label key "${key}": the prefix must be a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return `label key "${key}": the name must be 63 characters or less, alphanumeric with '-', '_' or '.' inside`;
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) return `label value "${value}": must be empty or 63 characters or less, alphanumeric with '-', '_' or '.' inside`;
  return undefined;
}

const SELECTOR_FIELDS: readonly string[] = ['matchLabels', 'matchExpressions'];

/**
 * Compiles a LabelSelector object. Problems are returned, never thrown. `unknownFields` are keys a
 * LabelSelector does not have: a decoder drops them, so the selector is read without them.
 */
export function compileSelector(value: unknown): { selector: Selector; problems: SelectorProblem[]; unknownFields: string[] } {
  const problems: SelectorProblem[] = [];
  if (value === null || value === undefined) return { selector: MATCH_ALL, problems, unknownFields: [] };
  if (typeof value !== 'object' || Array.isArray(value)) return { selector: MATCH_ALL, problems: [{ pointer: '', reason: 'a label selector must be an object' }], unknownFields: [] };
  const unknownFields = Object.keys(value).filter((k) => !SELECTOR_FIELDS.includes(k));
  const raw = value as { matchLabels?: unknown; matchExpressions?: unknown };
  const requirements: Requirement[] = [];
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (typeof raw.matchLabels !== 'object' || Array.isArray(raw.matchLabels)) problems.push({ pointer: '/matchLabels', reason: 'matchLabels must be a map of strings' });
    else {
      for (const [k, v] of Object.entries(raw.matchLabels as Record<string, unknown>)) {
        const text = typeof v === 'string' ? v : undefined;
        const pointer = `/matchLabels/${escapePointer(k)}`;
        const keyProblem = labelKeyProblem(k);
        if (keyProblem) problems.push({ pointer, reason: keyProblem });
        if (text === undefined) problems.push({ pointer, reason: `label value of "${k}" must be a string` });
        else {
          const valueProblem = labelValueProblem(text);
          if (valueProblem) problems.push({ pointer, reason: valueProblem });
          requirements.push({ key: k, operator: 'In', values: new Set([text]) });
        }
      }
    }
  }
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) problems.push({ pointer: '/matchExpressions', reason: 'matchExpressions must be a list' });
    else
      raw.matchExpressions.forEach((e: unknown, i) => {
        const pointer = `/matchExpressions/${i}`;
        const expr = (e ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
        if (typeof expr.key !== 'string') return problems.push({ pointer, reason: 'key must be a string' });
        const keyProblem = labelKeyProblem(expr.key);
        if (keyProblem) problems.push({ pointer: `${pointer}/key`, reason: keyProblem });
        if (!OPERATORS.includes(expr.operator as Operator)) return problems.push({ pointer: `${pointer}/operator`, reason: `operator must be one of ${OPERATORS.join(', ')}` });
        const operator = expr.operator as Operator;
        const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
        const needsValues = operator === 'In' || operator === 'NotIn';
        if (needsValues && values.length === 0) problems.push({ pointer: `${pointer}/values`, reason: `values must be non-empty for operator ${operator}` });
        if (!needsValues && values.length > 0) problems.push({ pointer: `${pointer}/values`, reason: `values must be empty for operator ${operator}` });
        for (const v of values) {
          const valueProblem = labelValueProblem(v);
          if (valueProblem) problems.push({ pointer: `${pointer}/values`, reason: valueProblem });
        }
        requirements.push({ key: expr.key, operator, values: new Set(values) });
      });
  }
  return { selector: fromRequirements(requirements), problems, unknownFields };
}

function fromRequirements(requirements: Requirement[]): Selector {
  if (requirements.length === 0) return MATCH_ALL;
  const key = requirements
    .map((r) => `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`)
    .sort()
    .join(' & ');
  return {
    empty: false,
    key,
    matches: (labels) =>
      requirements.every((r) => {
        const has = Object.hasOwn(labels, r.key);
        switch (r.operator) {
          case 'In':
            return has && r.values.has(labels[r.key] as string);
          case 'NotIn':
            return !has || !r.values.has(labels[r.key] as string);
          case 'Exists':
            return has;
          case 'DoesNotExist':
            return !has;
        }
      }),
  };
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
