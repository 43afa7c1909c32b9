import { CelScalar, celEnv, celMethod, isCelError, listType, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { CelVariable, ExportedPolicy } from '../../src/export/index.js';

/**
 * Evaluates exported CEL the way the Kubernetes API server does for a ValidatingAdmissionPolicy:
 * `object`, `oldObject`, `request` and `variables` (each variable evaluated in order, later ones
 * seeing earlier ones), with @bufbuild/cel as the CEL implementation.
 *
 * Libraries: CEL's standard library and macros come from @bufbuild/cel; the cel-go strings
 * extension that Kubernetes enables (`split`, `trim`, `replace`, `join`, …) from @bufbuild/cel/ext.
 * The Kubernetes library functions the export uses are implemented here from the Kubernetes CEL
 * documentation (https://kubernetes.io/docs/reference/using-api/cel/), nothing else:
 * - list library `<list>.indexOf(<T>) int`: the index of the first element equal to the argument, -1 if none;
 * - regex library `<string>.find(<string>) string`: the first match of the regular expression, '' if none.
 * Any other function an exported expression calls is unbound here, so its evaluation fails the tests.
 */

const kubernetes = [
  // The export calls indexOf on lists of strings only; another element type fails loudly here.
  celMethod('indexOf', listType(CelScalar.DYN), [CelScalar.DYN], CelScalar.INT, function (value) {
    if (typeof value !== 'string') throw new Error('indexOf: the harness compares strings only');
    for (let i = 0; i < this.size; i++) if (this.get(i) === value) return BigInt(i);
    return -1n;
  }),
  // RE2's leftmost-first match is JavaScript's for the patterns the export passes; leading (?s)/(?i) become JS flags.
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
    const flags = /^\(\?([si]+)\)/.exec(pattern);
    const regex = new RegExp(flags ? pattern.slice(flags[0].length) : pattern, `u${flags?.[1] ?? ''}`);
    return regex.exec(this)?.[0] ?? '';
  }),
];

const env = celEnv({ funcs: [...strings, ...kubernetes] });
type Program = ReturnType<typeof plan>;
const programs = new Map<string, Program>();

export function compile(expression: string): Program {
  let program = programs.get(expression);
  if (!program) {
    program = plan(env, parse(expression));
    programs.set(expression, program);
  }
  return program;
}

/** The API server drops explicit nulls when it decodes an object into its typed form. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

export interface Request {
  operation: 'CREATE' | 'UPDATE';
  userInfo: { username: string };
  namespace?: string;
}

export function evaluate(expression: string, bindings: Record<string, unknown>): unknown {
  const result = compile(expression)(bindings as never);
  if (isCelError(result)) throw new Error(`CEL error: ${String(result.message)} in ${expression.slice(0, 200)}`);
  return result;
}

export function evaluateVariables(variables: readonly CelVariable[], bindings: Record<string, unknown>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const variable of variables) values.set(variable.name, evaluate(variable.expression, { ...bindings, variables: values }));
  return values;
}

export interface PolicyDecision {
  /** false when a matchCondition excluded the request. */
  matched: boolean;
  /** The ids of the validations that failed. */
  failed: string[];
}

/** One admission decision: matchConditions, then every validation (a validation error is a failure, as failurePolicy Fail). */
export function evaluatePolicy(policy: ExportedPolicy, object: unknown, request: Request = { operation: 'CREATE', userInfo: { username: 'alice' } }, memo?: Map<string, boolean>): PolicyDecision {
  const bindings: Record<string, unknown> = { object: withoutNulls(object), request };
  for (const condition of policy.matchConditions) if (evaluate(condition.expression, bindings) !== true) return { matched: false, failed: [] };
  let variables: Map<string, unknown> | undefined;
  const failed: string[] = [];
  for (const validation of policy.validations) {
    const cached = memo?.get(validation.expression);
    const passed = cached ?? evaluate(validation.expression, { ...bindings, variables: (variables ??= evaluateVariables(policy.variables, bindings)) }) === true;
    memo?.set(validation.expression, passed);
    if (!passed) failed.push(validation.id);
  }
  return { matched: true, failed };
}
