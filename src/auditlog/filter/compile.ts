/**
 * Compiles a resolved condition tree (no macro identifiers left) into nested closures, checking it
 * against a field catalog the way libsinsp's filter compiler does: an unknown field, a missing or
 * unexpected argument, or an operator the field's type does not support is refused with the
 * position of the offending check.
 *
 * Evaluation runs against an EvalContext that caches each distinct field (name + argument) once
 * per event, so the many rules sharing `ka.verb` or `jevt.value[/stage]` extract it once.
 */
import type { Expr, FieldRef, SourceLoc } from './ast.js';
import type { FieldCatalog, FieldInfo, FieldValue } from '../fields/types.js';
import { asciiLower, globMatcher, pathMatcher } from './match.js';
import { FilterSyntaxError, unescapeString } from './parser.js';

export class FilterCompileError extends Error {
  readonly pos: number;
  readonly loc?: SourceLoc;
  constructor(message: string, pos: number, loc?: SourceLoc) {
    super(message);
    this.name = 'FilterCompileError';
    this.pos = pos;
    if (loc) this.loc = loc;
  }
}

/** Per-event state shared by every compiled condition of one ruleset. */
export class EvalContext<E> {
  event!: E;
  gen = 0;
  readonly values: FieldValue[];
  readonly gens: number[];

  /**
   * `size` is the ruleset's slot count: the arrays are made full-length up front, because slots
   * are first written out of order and V8 turns an array written far past its end into a slow
   * dictionary.
   */
  constructor(size = 0) {
    this.values = new Array<FieldValue>(size).fill(undefined);
    this.gens = new Array<number>(size).fill(-1);
  }

  /** Starts a new event: every cached field value becomes stale at once. */
  reset(event: E): void {
    this.event = event;
    this.gen++;
  }
}

export type Predicate<E> = (ctx: EvalContext<E>) => boolean;
export type ValueReader<E> = (ctx: EvalContext<E>) => FieldValue;

/** Hands out cache slots by field key, so one ruleset's conditions and outputs share them. */
export class FieldSlots<E> {
  private readonly slots = new Map<string, ValueReader<E>>();
  private next = 0;

  constructor(private readonly catalog: FieldCatalog<E>) {}

  /** How many slots were handed out: the size of an EvalContext for this ruleset. */
  get size(): number {
    return this.next;
  }

  /** Validates the field reference and returns a cached reader. Throws FilterCompileError. */
  reader(field: FieldRef): { info: FieldInfo; read: ValueReader<E> } {
    const info = checkField(this.catalog, field);
    const key = field.arg === undefined ? field.name : `${field.name}[${field.arg}]`;
    let read = this.slots.get(key);
    if (!read) {
      const factory = this.catalog.extractor(field.name);
      if (!factory) throw new FilterCompileError(`field '${field.name}' cannot be evaluated on ${this.catalog.source} events`, field.pos, field.loc);
      const extract = factory(field.arg, info);
      const slot = this.next++;
      read = (ctx) => {
        if (ctx.gens[slot] === ctx.gen) return ctx.values[slot];
        const v = extract(ctx.event);
        ctx.values[slot] = v;
        ctx.gens[slot] = ctx.gen;
        return v;
      };
      this.slots.set(key, read);
    }
    return { info, read };
  }
}

/** libsinsp's checks on a field reference: it exists, and its argument is as the field declares. */
export function checkField<E>(catalog: FieldCatalog<E>, field: FieldRef): FieldInfo {
  const info = catalog.info(field.name);
  if (!info) throw new FilterCompileError(`nonexistent field '${field.name}'`, field.pos, field.loc);
  if (field.arg === undefined) {
    if (info.arg?.required) throw new FilterCompileError(`field '${field.name}' requires an argument`, field.pos, field.loc);
  } else {
    if (!info.arg) throw new FilterCompileError(`field '${field.name}' does not accept an argument`, field.pos, field.loc);
    if (info.arg.kind === 'index' && !/^(0|[1-9][0-9]*)$/.test(field.arg)) throw new FilterCompileError(`field '${field.name}' has an invalid index argument '${field.arg}': expected digits without leading zeros`, field.pos, field.loc);
  }
  return info;
}

const LIST_FIELD_OPS = new Set(['exists', 'in', 'intersects']);
const STRING_FIELD_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists']);

/** flt_is_comparable for the field types palisade evaluates (all k8s_audit fields are strings). */
export function checkOperator(info: FieldInfo, op: string, pos: number, loc?: SourceLoc): void {
  if (op === 'exists') return;
  if (info.list) {
    if (!LIST_FIELD_OPS.has(op)) throw new FilterCompileError(`'${op}' operator not supported list filters (field '${info.name}' yields a list: use 'in', 'intersects' or 'exists')`, pos, loc);
    return;
  }
  if (!STRING_FIELD_OPS.has(op)) throw new FilterCompileError(`'${op}' operator not supported for string filters`, pos, loc);
}

/** The values a check compares with: the list's items, or the single value. */
export function operandValues(value: { type: 'value'; value: string } | { type: 'list'; values: string[] }): string[] {
  return value.type === 'list' ? value.values : [value.value];
}

/** RE2 (POSIX syntax, full match) approximated by a JavaScript RegExp. */
export function compileRegex(source: string, pos: number, loc?: SourceLoc): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 's');
  } catch (error) {
    throw new FilterCompileError(`invalid regex pattern: ${(error as Error).message}`, pos, loc);
  }
}

export function compileCondition<E>(expr: Expr, slots: FieldSlots<E>): Predicate<E> {
  switch (expr.type) {
    case 'and': {
      const parts = expr.children.map((c) => compileCondition(c, slots));
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate<E>, Predicate<E>];
        return (ctx) => a(ctx) && b(ctx);
      }
      return (ctx) => {
        for (const p of parts) if (!p(ctx)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expr.children.map((c) => compileCondition(c, slots));
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate<E>, Predicate<E>];
        return (ctx) => a(ctx) || b(ctx);
      }
      return (ctx) => {
        for (const p of parts) if (p(ctx)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileCondition(expr.child, slots);
      return (ctx) => !inner(ctx);
    }
    case 'identifier':
      throw new FilterCompileError(`undefined macro '${expr.name}' used in filter`, expr.pos, expr.loc);
    case 'unary': {
      const { read } = slots.reader(expr.field);
      return (ctx) => read(ctx) !== undefined;
    }
    case 'binary':
      return compileBinary(expr.field, expr.op, operandValues(expr.value), expr.pos, expr.loc, slots);
  }
}

function compileBinary<E>(field: FieldRef, op: string, values: string[], pos: number, loc: SourceLoc | undefined, slots: FieldSlots<E>): Predicate<E> {
  const { info, read } = slots.reader(field);
  checkOperator(info, op, pos, loc);
  const value = values[0] ?? '';
  if (info.list) {
    const set = new Set(values);
    if (op === 'in') {
      return (ctx) => {
        const v = read(ctx);
        if (v === undefined) return false;
        if (typeof v === 'string') return set.has(v);
        for (const x of v) if (!set.has(x)) return false;
        return true;
      };
    }
    return (ctx) => {
      const v = read(ctx);
      if (v === undefined) return false;
      if (typeof v === 'string') return set.has(v);
      for (const x of v) if (set.has(x)) return true;
      return false;
    };
  }
  const one = (test: (s: string) => boolean): Predicate<E> => {
    return (ctx) => {
      const v = read(ctx);
      return typeof v === 'string' && test(v);
    };
  };
  switch (op) {
    case '=':
    case '==':
      return one((s) => s === value);
    case '!=':
      return one((s) => s !== value);
    case '<':
      return one((s) => s < value);
    case '<=':
      return one((s) => s <= value);
    case '>':
      return one((s) => s > value);
    case '>=':
      return one((s) => s >= value);
    case 'contains':
      return one((s) => s.includes(value));
    case 'icontains': {
      const lower = asciiLower(value);
      return one((s) => asciiLower(s).includes(lower));
    }
    case 'startswith':
      return one((s) => s.startsWith(value));
    case 'endswith':
      return one((s) => s.endsWith(value));
    case 'glob':
    case 'iglob': {
      return one(globMatcher(value, op === 'iglob'));
    }
    case 'regex': {
      const re = compileRegex(value, pos, loc);
      return one((s) => re.test(s));
    }
    case 'in':
    case 'intersects': {
      if (values.length === 0) return () => false;
      if (values.length === 1) return one((s) => s === value);
      const set = new Set(values);
      return one((s) => set.has(s));
    }
    case 'pmatch': {
      const match = pathMatcher(values);
      return one(match);
    }
    default:
      throw new FilterCompileError(`unsupported operator '${op}'`, pos, loc);
  }
}

export { FilterSyntaxError, unescapeString };
