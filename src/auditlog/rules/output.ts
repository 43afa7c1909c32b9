/**
 * Rule `output` formats, as libsinsp's sinsp_evt_formatter reads them: text with `%field` or
 * `%field[arg]` tokens (an optional width, `%20ka.verb`, pads the value), the longest known field
 * name winning (`%ka.target.name/%ka.target.resource`). A value that cannot be extracted prints
 * `<NA>` (Falco formats rule outputs with the `*` prefix); a list prints `(a,b)`.
 */
import type { FieldRef } from '../filter/ast.js';
import { FieldSlots, FilterCompileError, type EvalContext, type ValueReader } from '../filter/compile.js';
import type { FieldValue } from '../fields/types.js';

const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const FIELD_ARG = /\[(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\][\]"' \t\n\r\v\f]+))\]/y;

type Token<E> = { text: string } | { key: string; width: number; read: ValueReader<E> };

export interface CompiledOutput<E> {
  /** The rule's message for this event. */
  render(ctx: EvalContext<E>): string;
  /** Falco's `output_fields`: every field of the format by its written name; lists as arrays, missing as null. */
  fields(ctx: EvalContext<E>): Record<string, string | string[] | null>;
}

export function renderValue(v: FieldValue): string {
  if (v === undefined) return '<NA>';
  return typeof v === 'string' ? v : `(${v.join(',')})`;
}

/** Throws FilterCompileError (pos = offset in the format) on a syntax error or an unknown field. */
export function compileOutput<E>(format: string, slots: FieldSlots<E>): CompiledOutput<E> {
  let fmt = format;
  if (fmt.startsWith('*')) fmt = fmt.slice(1);
  const tokens: Token<E>[] = [];
  let text = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    if (i === fmt.length - 1) throw new FilterCompileError('invalid formatting syntax: formatting cannot end with a %', i);
    let j = i + 1;
    let width = 0;
    const digits = /^[0-9]+/.exec(fmt.slice(j));
    if (digits) {
      width = Number(digits[0]);
      j += digits[0].length;
      if (j >= fmt.length) throw new FilterCompileError('invalid formatting syntax: formatting cannot end with a number', i);
    }
    const field = longestField(fmt, j, slots);
    if (!field) {
      FIELD_NAME.lastIndex = j;
      const m = FIELD_NAME.exec(fmt);
      throw new FilterCompileError(m ? `unknown filter: nonexistent field '${m[0]}' in output` : `unknown filter: expected a field name after '%' in output`, i);
    }
    if (text) tokens.push({ text });
    text = '';
    tokens.push({ key: field.key, width, read: field.read });
    i = field.end;
  }
  if (text) tokens.push({ text });
  const fieldTokens = tokens.filter((t): t is Extract<Token<E>, { key: string }> => 'key' in t);
  return {
    render(ctx) {
      let out = '';
      for (const t of tokens) {
        if ('text' in t) {
          out += t.text;
          continue;
        }
        const s = renderValue(t.read(ctx));
        out += t.width > 0 ? s.padEnd(t.width, ' ').slice(0, t.width) : s;
      }
      return out;
    },
    fields(ctx) {
      const out: Record<string, string | string[] | null> = {};
      for (const t of fieldTokens) {
        const v = t.read(ctx);
        out[t.key] = v === undefined ? null : typeof v === 'string' ? v : [...v];
      }
      return out;
    },
  };
}

/** The longest prefix at `at` that names a known field (with its argument when one follows). */
function longestField<E>(fmt: string, at: number, slots: FieldSlots<E>): { key: string; read: ValueReader<E>; end: number } | undefined {
  FIELD_NAME.lastIndex = at;
  const m = FIELD_NAME.exec(fmt);
  if (!m) return undefined;
  const full = m[0];
  for (let len = full.length; len > 0; len--) {
    const name = full.slice(0, len);
    if (!/^[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+$/.test(name)) continue;
    let end = at + len;
    const ref: FieldRef = { name, pos: at };
    if (len === full.length && fmt[end] === '[') {
      FIELD_ARG.lastIndex = end;
      const a = FIELD_ARG.exec(fmt);
      if (a) {
        ref.arg = a[1] ?? a[2] ?? a[3] ?? '';
        end += a[0].length;
      }
    }
    try {
      const { read } = slots.reader(ref);
      return { key: ref.arg === undefined ? name : `${name}[${ref.arg}]`, read, end };
    } catch (error) {
      if (!(error instanceof FilterCompileError)) throw error;
    }
  }
  return undefined;
}
