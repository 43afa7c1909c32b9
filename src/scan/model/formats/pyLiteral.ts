/**
 * Python literals as `ast.literal_eval` reads them, for the header dict of a .npy file (numpy's
 * `format.py` evaluates the header with `safe_eval` = `ast.literal_eval`). Supported: dict, list,
 * tuple and set displays, str/bytes with every prefix and escape and implicit concatenation, int
 * (any base, underscores, and the Python 2 `L` suffix numpy's `_filter_header` accepts), float,
 * complex, True/False/None, unary +/-, comments and line continuations. Duplicate dict keys keep
 * the last value, as Python does.
 */
export type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'bytes'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'tuple'; items: PyValue[] }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'set'; items: PyValue[] }
  | { kind: 'dict'; entries: Array<[PyValue, PyValue]> };

export class PyLiteralError extends Error {}

const MAX_DEPTH = 100;

export function parsePyLiteral(text: string): PyValue {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.space();
  if (parser.pos < text.length) throw new PyLiteralError(`unexpected ${JSON.stringify(text.slice(parser.pos, parser.pos + 10))} at ${parser.pos}`);
  return value;
}

/** The value of a dict key that is a str, the last one winning as in Python. */
export function dictGet(dict: PyValue, key: string): PyValue | undefined {
  if (dict.kind !== 'dict') return undefined;
  let found: PyValue | undefined;
  for (const [k, v] of dict.entries) if (k.kind === 'str' && k.value === key) found = v;
  return found;
}

/** Distinct str keys of a dict (Python's `d.keys()` after duplicates collapse). */
export function dictKeys(dict: PyValue): string[] | undefined {
  if (dict.kind !== 'dict') return undefined;
  const keys = new Set<string>();
  for (const [k] of dict.entries) {
    if (k.kind !== 'str') return undefined;
    keys.add(k.value);
  }
  return [...keys];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  private fail(what: string): never {
    throw new PyLiteralError(`${what} at offset ${this.pos}`);
  }

  /** Whitespace, comments and backslash-newline continuations. */
  space(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else if (c === '\\' && (t[this.pos + 1] === '\n' || t[this.pos + 1] === '\r')) this.pos += 2;
      else return;
    }
  }

  private eat(ch: string): boolean {
    this.space();
    if (this.text[this.pos] === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail('literal nested too deep');
    this.space();
    const t = this.text;
    const c = t[this.pos];
    if (c === '(') return this.sequence(')', depth, 'tuple');
    if (c === '[') return this.sequence(']', depth, 'list');
    if (c === '{') return this.braces(depth);
    if (c === '-' || c === '+') {
      this.pos++;
      const operand = this.value(depth + 1);
      if (operand.kind === 'int') return { kind: 'int', value: c === '-' ? -operand.value : operand.value };
      if (operand.kind === 'float') return operand;
      this.fail('unary operator on a non-number');
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos, this.pos + 64))?.[0];
    if (word !== undefined) {
      const prefix = /^(?:[rRuUbB]|[rR][bB]|[bB][rR])$/.test(word) && (t[this.pos + word.length] === "'" || t[this.pos + word.length] === '"');
      if (prefix) return this.strings();
      this.pos += word.length;
      if (word === 'True' || word === 'False') return { kind: 'bool', value: word === 'True' };
      if (word === 'None') return { kind: 'none' };
      this.fail(`name ${word} is not a literal`);
    }
    if (c === "'" || c === '"') return this.strings();
    if (c !== undefined && /[0-9.]/.test(c)) return this.number();
    return this.fail('expected a literal');
  }

  private sequence(close: string, depth: number, kind: 'tuple' | 'list'): PyValue {
    this.pos++;
    const items: PyValue[] = [];
    let comma = false;
    while (!this.eat(close)) {
      if (items.length > 0 && !comma) this.fail(`expected , or ${close}`);
      items.push(this.value(depth + 1));
      comma = this.eat(',');
    }
    // `(x)` is x itself; `(x,)` and `()` are tuples
    if (kind === 'tuple' && items.length === 1 && !comma) return items[0] as PyValue;
    return { kind, items };
  }

  private braces(depth: number): PyValue {
    this.pos++;
    if (this.eat('}')) return { kind: 'dict', entries: [] };
    const first = this.value(depth + 1);
    if (this.eat(':')) {
      const entries: Array<[PyValue, PyValue]> = [[first, this.value(depth + 1)]];
      while (!this.eat('}')) {
        if (!this.eat(',')) this.fail('expected , or }');
        if (this.eat('}')) break;
        const key = this.value(depth + 1);
        if (!this.eat(':')) this.fail('expected :');
        entries.push([key, this.value(depth + 1)]);
      }
      return { kind: 'dict', entries };
    }
    const items = [first];
    while (!this.eat('}')) {
      if (!this.eat(',')) this.fail('expected , or }');
      if (this.eat('}')) break;
      items.push(this.value(depth + 1));
    }
    return { kind: 'set', items };
  }

  /** One or more adjacent string literals, concatenated (mixing str and bytes is an error). */
  private strings(): PyValue {
    let kind: 'str' | 'bytes' | undefined;
    let value = '';
    for (;;) {
      this.space();
      const m = /^([rRuUbB]|[rR][bB]|[bB][rR])?('''|"""|'|")/.exec(this.text.slice(this.pos, this.pos + 5));
      if (!m) break;
      const prefix = (m[1] ?? '').toLowerCase();
      const quote = m[2] as string;
      const thisKind = prefix.includes('b') ? 'bytes' : 'str';
      if (kind !== undefined && kind !== thisKind) this.fail('cannot mix bytes and str literals');
      kind = thisKind;
      this.pos += m[0].length;
      value += this.stringBody(quote, prefix.includes('r'), thisKind === 'bytes');
    }
    if (kind === undefined) this.fail('expected a string');
    return { kind, value };
  }

  private stringBody(quote: string, raw: boolean, bytes: boolean): string {
    const t = this.text;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      if (t.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return out;
      }
      const c = t[this.pos] as string;
      if (c === '\n' && quote.length === 1) this.fail('newline in a string');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = t[this.pos + 1];
      if (e === undefined) this.fail('unterminated string');
      if (raw) {
        out += c + e;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      else if (e === '\r') {
        if (t[this.pos] === '\n') this.pos++;
      } else if (/[0-7]/.test(e)) {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(t[this.pos] ?? '')) digits += t[this.pos++];
        out += String.fromCharCode(parseInt(digits, 8));
      } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = t.slice(this.pos, this.pos + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.fail(`truncated \\${e} escape`);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) this.fail('escape out of range');
        out += String.fromCodePoint(code);
        this.pos += n;
      } else if (e === 'N' && !bytes) {
        // \N{NAME}: the name table is not carried; the character is kept as an unknown placeholder
        const end = t.indexOf('}', this.pos);
        if (t[this.pos] !== '{' || end < 0) this.fail('malformed \\N escape');
        out += '\ufffd';
        this.pos = end + 1;
      } else {
        out += c + e;
      }
    }
  }

  private number(): PyValue {
    const rest = this.text.slice(this.pos, this.pos + 400);
    const int = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0+(?:_?0)*|[1-9](?:_?\d)*)(?![\w.])/.exec(rest) ?? /^(?:0|[1-9]\d*)[lL](?![\w.])/.exec(rest);
    if (int) {
      this.pos += int[0].length;
      const body = int[0].replace(/_/g, '').replace(/[lL]$/, '');
      return { kind: 'int', value: /^0+$/.test(body) ? 0n : BigInt(body.toLowerCase()) };
    }
    const float = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?/.exec(rest);
    if (float && float[0] !== '' && float[0] !== '.' && /\d/.test(float[0])) {
      this.pos += float[0].length;
      return { kind: 'float' };
    }
    return this.fail('malformed number');
  }
}
