/**
 * A recursive-descent parser for Falco's filter language, following libsinsp's grammar and lexer
 * token for token (falcosecurity/libs userspace/libsinsp/filter/parser.{h,cpp}), so that a
 * condition Falco accepts parses here to the same tree and one it refuses fails here too:
 *
 *   Expr ::= OrExpr;  OrExpr ::= AndExpr ('or' (' ' AndExpr | '(' Expr ')'))*
 *   AndExpr ::= NotExpr ('and' (' ' NotExpr | '(' Expr ')'))*
 *   NotExpr ::= ('not ')* ('not(' Expr ')' | Check)
 *   Check ::= '(' Expr ')' | Field Condition | Identifier
 *   Condition ::= 'exists' | NumOp Number | StrOp Value | ListOp (List | Identifier)
 *
 * Field transformers (tolower(), val()…) and the string-operator modifiers (oneof/anyof/allof) of
 * the newest libsinsp are refused with a clear message rather than misread.
 */
import type { BinaryCheck, Expr, FieldRef, ListOperand, ValueOperand } from './ast.js';

export class FilterSyntaxError extends Error {
  /** Offset in the condition text where parsing stopped. */
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(message);
    this.name = 'FilterSyntaxError';
    this.pos = pos;
  }
}

// libsinsp's token regexes (POSIX classes spelled out); sticky, matched at the cursor.
const RGX_NOT_BLANK = /not[ \t\n\r\v\f]+/y;
const RGX_IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const RGX_FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const RGX_FIELD_ARG_BARESTR = /[^\][\]"' \t\n\r\v\f]+/y;
const RGX_HEX_NUM = /0[xX][0-9a-fA-F]+/y;
const RGX_NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const RGX_BARESTR = /[^()"' \t\n\r\v\f=,]+/y;

const UNARY_OPS = ['exists'];
const NUM_OPS = ['<=', '<', '>=', '>'];
// A trailing space: the operator must be followed by a blank (libsinsp's convention).
const STR_OPS = ['==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ', 'startswith ', 'bstartswith ', 'endswith ', 'regex '];
const STR_MODIFIERS = ['oneof ', 'anyof ', 'allof '];
const LIST_OPS = ['intersects', 'in', 'pmatch'];
const TRANSFORMERS = ['tolower(', 'toupper(', 'b64(', 'basename(', 'len(', 'join(', 'concat(', 'getopt('];

const MAX_DEPTH = 1000;

export function parseCondition(input: string): Expr {
  return new Parser(input).parse();
}

/** Unquotes a quoted token as libsinsp's unescape_str does. */
export function unescapeString(token: string): string {
  const quote = token[0];
  let out = '';
  const len = token.length - 1;
  let escaped = false;
  for (let i = 1; i < len; i++) {
    const c = token[i] as string;
    if (!escaped) {
      if (c === '\\') escaped = true;
      else out += c;
      continue;
    }
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case ' ':
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case '"':
        if (quote !== '"') throw new Error('invalid \\" escape in \'-quoted string');
        out += '"';
        break;
      case "'":
        if (quote !== "'") throw new Error("invalid \\' escape in \"-quoted string");
        out += "'";
        break;
      case 'x': {
        if (i + 2 >= len) throw new Error('truncated hex char escape sequence');
        const hex = token.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`invalid hex char escape sequence: ${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        throw new Error(`unsupported string escape sequence: \\${c}`);
    }
    escaped = false;
  }
  return out;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private lastToken = '';

  constructor(private readonly input: string) {}

  parse(): Expr {
    if (this.input.length === 0) throw new FilterSyntaxError('filter input string is empty', 0);
    const res = this.parseOr();
    if (this.pos !== this.input.length) throw this.error(`unexpected token after '${this.lastToken}', expecting 'or', 'and'`);
    return res;
  }

  private error(message: string): FilterSyntaxError {
    return new FilterSyntaxError(message, this.pos);
  }

  private enter(): void {
    if (++this.depth >= MAX_DEPTH) throw this.error(`exceeded max depth limit of ${MAX_DEPTH}`);
  }

  private leave(): void {
    this.depth--;
  }

  private parseOr(): Expr {
    this.enter();
    const pos = this.pos;
    const children: Expr[] = [];
    this.lexBlank();
    children.push(this.parseAnd());
    this.lexBlank();
    while (this.lexStr('or')) {
      if (!this.lexBlank()) {
        if (this.lexStr('(')) children.push(this.parseEmbeddedRemainder());
        else throw this.error("expected blank or '(' after 'or'");
      } else {
        children.push(this.parseAnd());
      }
      this.lexBlank();
    }
    this.leave();
    return children.length > 1 ? { type: 'or', children, pos } : (children[0] as Expr);
  }

  private parseAnd(): Expr {
    this.enter();
    const pos = this.pos;
    const children: Expr[] = [];
    this.lexBlank();
    children.push(this.parseNot());
    this.lexBlank();
    while (this.lexStr('and')) {
      if (!this.lexBlank()) {
        if (this.lexStr('(')) children.push(this.parseEmbeddedRemainder());
        else throw this.error("expected blank or '(' after 'and'");
      } else {
        children.push(this.parseNot());
      }
      this.lexBlank();
    }
    this.leave();
    return children.length > 1 ? { type: 'and', children, pos } : (children[0] as Expr);
  }

  private parseNot(): Expr {
    this.enter();
    const pos = this.pos;
    let isNot = false;
    this.lexBlank();
    while (this.lexRegex(RGX_NOT_BLANK)) isNot = !isNot;
    let child: Expr;
    if (this.lexStr('not(')) {
      isNot = !isNot;
      child = this.parseEmbeddedRemainder();
    } else {
      child = this.parseCheck();
    }
    this.leave();
    return isNot ? { type: 'not', child, pos } : child;
  }

  /** The rest of `( Expr )` once the '(' is read. */
  private parseEmbeddedRemainder(): Expr {
    this.enter();
    this.lexBlank();
    const child = this.parseOr();
    this.lexBlank();
    if (!this.lexStr(')')) throw this.error("expected a ')' token");
    this.leave();
    return child;
  }

  private parseCheck(): Expr {
    this.enter();
    const pos = this.pos;
    this.lexBlank();
    let res: Expr;
    if (this.lexStr('(')) {
      res = this.parseEmbeddedRemainder();
    } else if (this.lexRegex(RGX_FIELD_NAME)) {
      const field = this.parseFieldRemainder(this.lastToken, pos);
      res = this.parseCondition(field, pos);
    } else if (this.transformerFollows()) {
      throw this.error(`field transformers (${this.transformerFollows()}…) are not supported by palisade`);
    } else if (this.lexRegex(RGX_IDENTIFIER)) {
      res = { type: 'identifier', name: this.lastToken, pos };
    } else {
      throw this.error("expected a '(' token, a field check, or an identifier");
    }
    this.leave();
    return res;
  }

  private transformerFollows(): string | undefined {
    for (const t of [...TRANSFORMERS, 'val(']) if (this.input.startsWith(t, this.pos)) return t;
    return undefined;
  }

  private parseFieldRemainder(name: string, pos: number): FieldRef {
    const field: FieldRef = { name, pos };
    if (this.lexStr('[')) {
      if (!this.lexQuotedString() && !this.lexRegex(RGX_FIELD_ARG_BARESTR)) throw this.error('expected a valid field argument: a quoted string or a bare string');
      field.arg = this.lastToken;
      if (!this.lexStr(']')) throw this.error("expected a ']' token");
    }
    return field;
  }

  private parseCondition(field: FieldRef, pos: number): Expr {
    this.lexBlank();
    if (this.lexOperator(UNARY_OPS)) return { type: 'unary', field, op: 'exists', pos };
    this.lexBlank();
    let op: string;
    let value: ValueOperand | ListOperand;
    if (this.lexOperator(NUM_OPS)) {
      op = this.lastToken;
      value = this.parseNumValue();
    } else if (this.lexOperator(STR_OPS)) {
      op = this.lastToken.trim();
      const hadBlank = /^[a-z]/.test(op) || this.lexBlank();
      const save = this.pos;
      if (hadBlank && this.lexOperator(STR_MODIFIERS) && this.listValueFollows() && !this.boolKeywordFollows()) {
        throw this.error(`operator modifier '${op} ${this.lastToken.trim()}' is not supported by palisade`);
      }
      this.pos = save;
      value = this.parseStrValue();
    } else if (this.lexOperator(LIST_OPS)) {
      op = this.lastToken;
      value = this.parseListValue();
    } else {
      throw this.error(`expected a valid check operator: one of ${['exists', ...NUM_OPS, ...STR_OPS.map((o) => o.trim()), ...LIST_OPS].map((o) => `'${o}'`).join(', ')}`);
    }
    const check: BinaryCheck = { type: 'binary', field, op, value, pos };
    return check;
  }

  private parseNumValue(): ValueOperand {
    this.lexBlank();
    const pos = this.pos;
    if (this.transformerFollows()) throw this.error(`field transformers (${this.transformerFollows()}…) are not supported by palisade`);
    if (this.lexRegex(RGX_HEX_NUM) || this.lexRegex(RGX_NUMBER)) return { type: 'value', value: this.lastToken, pos };
    throw this.error('expected a number value');
  }

  private parseStrValue(): ValueOperand {
    this.lexBlank();
    const pos = this.pos;
    if (this.transformerFollows()) throw this.error(`field transformers (${this.transformerFollows()}…) are not supported by palisade`);
    if (this.lexQuotedString() || this.lexRegex(RGX_BARESTR)) return { type: 'value', value: this.lastToken, pos };
    throw this.error('expected a string value');
  }

  private parseListValue(): ValueOperand | ListOperand {
    this.lexBlank();
    const pos = this.pos;
    if (this.lexStr('(')) {
      const values: string[] = [];
      this.lexBlank();
      if (this.lexQuotedString() || this.lexRegex(RGX_BARESTR)) {
        values.push(this.lastToken);
        this.lexBlank();
        while (this.lexStr(',')) {
          this.lexBlank();
          if (!(this.lexQuotedString() || this.lexRegex(RGX_BARESTR))) throw this.error('expected a string value');
          values.push(this.lastToken);
          this.lexBlank();
        }
      }
      if (!this.lexStr(')')) throw this.error("expected a ')' token");
      return { type: 'list', values, pos };
    }
    if (this.transformerFollows()) throw this.error(`field transformers (${this.transformerFollows()}…) are not supported by palisade`);
    if (this.lexRegex(RGX_IDENTIFIER)) return { type: 'value', value: this.lastToken, pos };
    throw this.error('expected a list or an identifier');
  }

  private listValueFollows(): boolean {
    if (this.input[this.pos] === '(') return true;
    RGX_IDENTIFIER.lastIndex = this.pos;
    return RGX_IDENTIFIER.test(this.input);
  }

  private boolKeywordFollows(): boolean {
    const rest = this.input.slice(this.pos, this.pos + 4);
    return ['and', 'or', 'not'].some((kw) => rest.startsWith(kw) && !/[a-zA-Z0-9]/.test(rest[kw.length] ?? ''));
  }

  /** libsinsp's lex_blank: spaces, tabs, backspaces and line breaks. */
  private lexBlank(): boolean {
    const start = this.pos;
    for (;;) {
      const c = this.input.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 8 || c === 13 || c === 10) this.pos++;
      else break;
    }
    return this.pos > start;
  }

  private lexStr(s: string): boolean {
    if (this.input.startsWith(s, this.pos)) {
      this.lastToken = s;
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private lexRegex(re: RegExp): boolean {
    re.lastIndex = this.pos;
    const m = re.exec(this.input);
    if (!m) return false;
    this.lastToken = m[0];
    this.pos += m[0].length;
    return true;
  }

  /** Operators ending in a space need a blank after them; the blank is consumed. */
  private lexOperator(ops: readonly string[]): boolean {
    for (const op of ops) {
      if (!op.endsWith(' ')) {
        if (this.lexStr(op)) return true;
        continue;
      }
      const save = this.pos;
      const saveToken = this.lastToken;
      if (this.lexStr(op.trimEnd())) {
        if (this.lexBlank()) {
          this.lastToken = op;
          return true;
        }
        this.pos = save;
        this.lastToken = saveToken;
      }
    }
    return false;
  }

  private lexQuotedString(): boolean {
    const quote = this.input[this.pos];
    if (quote !== '"' && quote !== "'") return false;
    let prev = '\\';
    let i = this.pos;
    while (i < this.input.length) {
      const c = this.input[i] as string;
      if (c === quote && prev !== '\\') {
        const token = this.input.slice(this.pos, i + 1);
        try {
          this.lastToken = unescapeString(token);
        } catch (error) {
          throw this.error((error as Error).message);
        }
        this.pos = i + 1;
        return true;
      }
      prev = c;
      i++;
    }
    return false;
  }
}
