/**
 * The AST of Falco's filter language, as libsinsp's parser builds it (userspace/libsinsp/filter/ast.h):
 * and/or/not, macro identifiers, unary checks (`exists`) and binary checks whose right-hand side is a
 * value or a list. `pos` is the offset of the node in the condition text it was parsed from.
 */
export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheck | BinaryCheck;

export interface AndExpr {
  type: 'and';
  children: Expr[];
  pos: number;
}

export interface OrExpr {
  type: 'or';
  children: Expr[];
  pos: number;
}

export interface NotExpr {
  type: 'not';
  child: Expr;
  pos: number;
}

/** A bare identifier: a macro reference until macros are resolved. */
export interface IdentifierExpr {
  type: 'identifier';
  name: string;
  pos: number;
  loc?: SourceLoc;
}

/** Where a node was written, once the loader knows the file (macro bodies keep theirs when spliced). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface FieldRef {
  name: string;
  /** `ka.uri.param[command]`, `jevt.value[/stage]`, `ka.req.pod.containers.image[0]`. */
  arg?: string;
  pos: number;
  loc?: SourceLoc;
}

export interface UnaryCheck {
  type: 'unary';
  field: FieldRef;
  op: 'exists';
  pos: number;
  loc?: SourceLoc;
}

export interface ValueOperand {
  type: 'value';
  value: string;
  pos: number;
}

export interface ListOperand {
  type: 'list';
  values: string[];
  pos: number;
}

export interface BinaryCheck {
  type: 'binary';
  field: FieldRef;
  op: string;
  value: ValueOperand | ListOperand;
  pos: number;
  loc?: SourceLoc;
}

/** Operators of libsinsp's grammar that palisade evaluates. */
export const STRING_OPERATORS = ['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex'] as const;
export const NUMBER_OPERATORS = ['<', '<=', '>', '>='] as const;
export const LIST_OPERATORS = ['in', 'intersects', 'pmatch'] as const;

/** A deep copy, so a macro's tree can be spliced into many rules. */
export function cloneExpr(e: Expr): Expr {
  switch (e.type) {
    case 'and':
    case 'or':
      return { type: e.type, children: e.children.map(cloneExpr), pos: e.pos };
    case 'not':
      return { type: 'not', child: cloneExpr(e.child), pos: e.pos };
    case 'identifier':
      return { ...e };
    case 'unary':
      return { ...e, field: { ...e.field } };
    case 'binary':
      return { ...e, field: { ...e.field }, value: e.value.type === 'list' ? { ...e.value, values: [...e.value.values] } : { ...e.value } };
  }
}

/** The identifiers (macro references) of a tree, in order. */
export function identifiers(e: Expr, out: IdentifierExpr[] = []): IdentifierExpr[] {
  switch (e.type) {
    case 'and':
    case 'or':
      for (const c of e.children) identifiers(c, out);
      break;
    case 'not':
      identifiers(e.child, out);
      break;
    case 'identifier':
      out.push(e);
      break;
    default:
      break;
  }
  return out;
}

/** Gives every check, field and identifier its source location. */
export function locate(e: Expr, at: (pos: number) => SourceLoc): void {
  switch (e.type) {
    case 'and':
    case 'or':
      for (const c of e.children) locate(c, at);
      break;
    case 'not':
      locate(e.child, at);
      break;
    case 'identifier':
      e.loc = at(e.pos);
      break;
    case 'unary':
    case 'binary':
      e.loc = at(e.pos);
      e.field.loc = at(e.field.pos);
      break;
  }
}
