/**
 * Which rules can match an event, from a few of its fields, as Falco indexes rules by event type.
 * For each rule, the condition tree tells which values of the indexed fields it can possibly
 * match: `ka.verb=create`, `ka.target.resource in (pods, services)`, `jevt.value[/stage] in
 * (ResponseComplete)` narrow it; `or` joins, `and` intersects, anything else (a `not`, `!=`, other
 * fields) leaves it open. The estimate only ever keeps a rule that might match, so evaluating the
 * candidates gives exactly the alerts of evaluating every rule.
 */
import type { Expr } from '../filter/ast.js';
import type { ValueReader, EvalContext } from '../filter/compile.js';

/** The fields rules are indexed on: present in almost every condition, cheap to read. */
export const INDEX_FIELDS = [
  { name: 'jevt.value', arg: '/stage' },
  { name: 'ka.target.resource' },
  { name: 'ka.verb' },
  { name: 'ka.target.subresource' },
] as const;

const MISSING = '\u0000missing';

/** The values of `field` (MISSING for "not extracted") with which `e` can be true; undefined means any. */
export function possibleValues(e: Expr, field: { name: string; arg?: string }): Set<string> | undefined {
  switch (e.type) {
    case 'and': {
      let acc: Set<string> | undefined;
      for (const c of e.children) {
        const s = possibleValues(c, field);
        if (s === undefined) continue;
        acc = acc === undefined ? new Set(s) : new Set([...acc].filter((v) => s.has(v)));
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<string>();
      for (const c of e.children) {
        const s = possibleValues(c, field);
        if (s === undefined) return undefined;
        for (const v of s) acc.add(v);
      }
      return acc;
    }
    case 'binary': {
      if (e.field.name !== field.name || e.field.arg !== field.arg) return undefined;
      if (e.op === '=' || e.op === '==') return new Set([e.value.type === 'value' ? e.value.value : '']);
      if ((e.op === 'in' || e.op === 'intersects') && e.value.type === 'list') return new Set(e.value.values);
      if ((e.op === 'in' || e.op === 'intersects') && e.value.type === 'value') return new Set([e.value.value]);
      return undefined;
    }
    default:
      return undefined;
  }
}

export class RuleIndex<E, R extends { expr: Expr }> {
  private readonly allowed: Array<Array<Set<string> | undefined>>;
  /** One level per indexed field: value → next level, the last level holding the candidates. */
  private root = new Map<string, unknown>();
  private size = 0;
  private readonly values: string[];

  constructor(
    private readonly rules: readonly R[],
    private readonly readers: ReadonlyArray<ValueReader<E>>,
  ) {
    this.allowed = rules.map((r) => INDEX_FIELDS.map((f) => possibleValues(r.expr, f)));
    this.values = readers.map(() => '');
  }

  /** The rules that can match the current event of `ctx`, in load order. */
  candidates(ctx: EvalContext<E>): R[] {
    let level: Map<string, unknown> = this.root;
    const last = this.readers.length - 1;
    for (let f = 0; f <= last; f++) {
      const v = (this.readers[f] as ValueReader<E>)(ctx);
      const s = typeof v === 'string' ? v : MISSING;
      this.values[f] = s;
      let next = level.get(s);
      if (next === undefined) {
        if (f === last) {
          const values = this.values;
          next = this.rules.filter((_r, i) => (this.allowed[i] as Array<Set<string> | undefined>).every((set, k) => set === undefined || set.has(values[k] as string)));
          // Keys come from the log: bounded, so a hostile log cannot grow the index without end.
          if (++this.size > 4096) {
            this.root = new Map();
            this.size = 1;
            level = this.root;
            for (let k = 0; k < last; k++) {
              const m = new Map<string, unknown>();
              level.set(this.values[k] as string, m);
              level = m;
            }
          }
        } else {
          next = new Map<string, unknown>();
        }
        level.set(s, next);
      }
      if (f === last) return next as R[];
      level = next as Map<string, unknown>;
    }
    return this.rules as R[];
  }
}
