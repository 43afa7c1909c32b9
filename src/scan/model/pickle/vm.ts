import type { ModelFinding } from '../types.js';
import { finding, type FindingData, type RuleId } from '../policy/rules.js';
import { canonicalGlobal, judgeGlobal, type ScanPolicy } from '../policy/judge.js';
import { LIMITS } from '../policy/limits.js';
import type { ArgumentView } from '../policy/globals.js';
import type { ByteSource } from '../source.js';
import { HIGHEST_PROTOCOL, OP, opcodeName } from './opcodes.js';
import { BOOL, BUFFER, FLOAT, MAX_KEPT_ITEMS, NONE, PERSID, describe, isComputed, type BytesValue, type ContainerValue, type GlobalValue, type ObjectValue, type StrValue, type TupleValue, type Value } from './values.js';

/** Why a stream stopped before STOP. The real unpickler fails at the same place. */
export type PickleFaultCode =
  | 'PICKLE_TRUNCATED'
  | 'PICKLE_UNKNOWN_OPCODE'
  | 'PICKLE_STACK_UNDERFLOW'
  | 'PICKLE_NO_MARK'
  | 'PICKLE_MEMO_MISSING'
  | 'PICKLE_BAD_ARGUMENT'
  | 'PICKLE_BAD_PROTOCOL'
  | 'PICKLE_TYPE_ERROR'
  | 'PICKLE_RESOURCE_LIMIT'
  /** The scan's own opcode budget (ScanLimits.maxOpcodes) ran out: not the pickle's fault. */
  | 'SCAN_OPCODE_LIMIT'
  /** The scan's wall-clock bound (ScanDeadline) passed: not the pickle's fault either. */
  | 'SCAN_TIMEOUT';

/** Faults that stop the scanner's own work, as opposed to faults of the pickle. */
export function isScanStop(code: PickleFaultCode | undefined): boolean {
  return code === 'SCAN_OPCODE_LIMIT' || code === 'SCAN_TIMEOUT';
}

export interface PickleFault {
  code: PickleFaultCode;
  offset: number;
  detail: string;
}

/** Thrown to unwind the VM at a fault; not an Error, so no stack trace is captured (probes fault often). */
class Fault {
  constructor(readonly fault: PickleFault) {}
}

/**
 * How reads meet FRAME boundaries. `whole`: the C unpickler over a bytes object, frames only
 * promise that bytes exist (pickletools' view). `drop`: the C unpickler over a file before CPython
 * issue 154848 was fixed, where a read crossing a frame end drops the frame's leftover bytes.
 */
export type Framing = 'whole' | 'drop';

/** A nested loader's bytes, scanned by the caller (the stream scanner) and returned as findings. */
export type NestedScan = (data: Uint8Array, depth: number) => ModelFinding[];

export interface VmOptions {
  policy: ScanPolicy;
  framing: Framing;
  /** Pickles inside pickles so far (nested loaders, joblib object arrays). */
  depth: number;
  extensions: ReadonlyMap<number, readonly [string, string]>;
  nested: NestedScan;
  /** Most opcodes one run may execute (hidden-pickle probes use a small budget). */
  budget?: number;
  /** Longest text argument (probes use a short one, so junk without newlines stays linear). */
  lineLimit?: number;
  /** The scan's wall-clock bound, asked every 65,536 opcodes. */
  expired?: () => boolean;
  /**
   * Runs of BINFLOAT (and the APPENDS after them) in one tight loop (floats()); false executes every
   * opcode through its handler, which the property tests compare it with.
   */
  bulkFloats?: boolean;
}

export interface ImportRecord {
  global: string;
  offset: number;
  verdict: 'safe' | 'suspicious' | 'malicious';
}

export interface RunResult {
  start: number;
  /** Offset after STOP, or where the fault happened. */
  end: number;
  stopped: boolean;
  fault?: PickleFault;
  findings: ModelFinding[];
  imports: ImportRecord[];
  /** The value STOP returned (legacy torch reads its magic number from it). */
  result?: Value;
  frameViolation: boolean;
  opcodes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

const FLOAT_LINE = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)\s*$/i;

/** One opcode's work; STOP returns the pickle's value, every other handler nothing. */
type Handler = (vm: PickleVm) => Value | void;

function handlerTable(handlers: Readonly<Record<number, Handler>>): ReadonlyArray<Handler | undefined> {
  const table = new Array<Handler | undefined>(256).fill(undefined);
  for (const [code, handler] of Object.entries(handlers)) table[Number(code)] = handler;
  return table;
}

const PY_SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;
const BASE10 = /^[+-]?\d+(?:_\d+)*$/;
const BASE0 = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0+(?:_?0)*|[1-9](?:_?\d)*)$/;

/** A C string: the C unpickler hands `char *` arguments to strtol/PyLong_FromString, which stop at NUL. */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** Python's `int(text, base)` for base 10 and base 0 (prefixes, underscores, surrounding whitespace). */
export function parsePythonInt(text: string, base: 0 | 10): bigint | undefined {
  const t = text.replace(PY_SPACE, '');
  if (!(base === 10 ? BASE10 : BASE0).test(t)) return undefined;
  const negative = t.startsWith('-');
  const body = t.replace(/^[+-]/, '').replace(/_/g, '');
  const value = base === 10 || /^0+$/.test(body) ? BigInt(body.replace(/^0+(?=\d)/, '')) : BigInt(body.toLowerCase());
  return negative ? -value : value;
}

/** C `strtol(text, &end, 0)` when it consumes everything (decimal, 0x hex, 0 octal); undefined otherwise. */
function strtol(text: string): bigint | undefined {
  const m = /^[ \t\n\r\f\v]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2] as string;
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (value > 0x7fffffffffffffffn) return undefined;
  return m[1] === '-' ? -value : value;
}

/** The INT argument as `load_int` reads it: strtol to the end of the text, else int(text, 0). */
export function parseIntArgument(text: string): bigint | undefined {
  const c = cString(text);
  return strtol(c) ?? parsePythonInt(c, 0);
}

/** The LONG argument as `load_long` reads it: one trailing "L" dropped, then int(text, 0). */
export function parseLongArgument(text: string): bigint | undefined {
  const c = cString(text);
  return parsePythonInt(c.endsWith('L') ? c.slice(0, -1) : c, 0);
}

/**
 * UTF-8 with the "surrogatepass" error handler the unpickler uses for BINUNICODE strings: encoded
 * lone surrogates (ED A0..BF xx) are accepted as code units; anything else invalid is refused.
 */
export function decodeUtf8SurrogatePass(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    // fall through to the slow path
  }
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const c1 = bytes[i + 1] ?? 0;
    const c2 = bytes[i + 2] ?? 0;
    const c3 = bytes[i + 3] ?? 0;
    const cont = (x: number): boolean => (x & 0xc0) === 0x80;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if (b >= 0xc2 && b <= 0xdf && cont(c1)) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (c1 & 0x3f));
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef && cont(c1) && cont(c2) && (b !== 0xe0 || c1 >= 0xa0)) {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f));
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4 && cont(c1) && cont(c2) && cont(c3) && (b !== 0xf0 || c1 >= 0x90) && (b !== 0xf4 || c1 < 0x90)) {
      out += String.fromCodePoint(((b & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f));
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

const JOBLIB_WRAPPERS = new Set(['joblib.numpy_pickle.NumpyArrayWrapper', 'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper']);

/**
 * Simulates the pickle machine over a byte source without executing anything: the stack, the marks
 * and the memo hold descriptions of values (values.ts), every import is judged by the policy, and
 * bulk data (bytes literals, floats) is skipped over without being read.
 */
export class PickleVm {
  private buf: Uint8Array = new Uint8Array(0);
  /** The buffer `buf` points into when the source is read window by window. */
  private window: Uint8Array = new Uint8Array(0);
  private base = 0;
  private end = 0;
  private pos = 0;
  private opStart = 0;
  /** The opcode being executed (for messages). */
  private op = 0;
  private runStart = 0;
  private frameEnd = -1;
  private readonly memoryData: Uint8Array | undefined;
  private stack: Value[] = [];
  private marks: number[] = [];
  private memo = new Map<number, Value>();
  private findings: ModelFinding[] = [];
  private seen = new Set<string>();
  private imports: ImportRecord[] = [];
  private extensions: Map<number, readonly [string, string]>;
  private dups = 0;
  private opcodes = 0;
  private frameViolation = false;
  private trapped = new Set<string>();
  /** Bytes literals already scanned as nested pickles (a memo can hand one to many calls). */
  private nestedDone = new Set<string>();
  /** Globals already listed in `imports` (each is listed once, at its first offset). */
  private imported = new Set<string>();

  private readonly budget: number;
  private readonly bulkFloats: boolean;
  /** Opcodes this run may execute: the probe budget or what the scan has left, whichever is less. */
  private cap = Number.POSITIVE_INFINITY;
  /** Opcode count at which the deadline is asked next (the clock is too slow to ask every opcode). */
  private nextClockCheck = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly options: VmOptions,
  ) {
    this.budget = options.budget ?? Number.POSITIVE_INFINITY;
    this.bulkFloats = options.bulkFloats !== false;
    this.memoryData = source.inMemory();
    if (this.memoryData) {
      this.buf = this.memoryData;
      this.end = this.memoryData.length;
    }
    this.extensions = new Map(options.extensions);
  }

  /** Run one pickle from `start` to its STOP (or to the fault that ends it). */
  run(start: number, scanLeft: number = Number.POSITIVE_INFINITY): RunResult {
    this.cap = Math.min(this.budget, scanLeft);
    this.pos = start;
    this.runStart = start;
    this.frameEnd = -1;
    this.stack = [];
    this.marks = [];
    this.memo = new Map();
    this.findings = [];
    this.seen = new Set();
    this.imports = [];
    this.dups = 0;
    this.opcodes = 0;
    this.nextClockCheck = 0x10000;
    this.frameViolation = false;
    this.trapped = new Set();
    this.nestedDone = new Set();
    this.imported = new Set();
    let result: Value | undefined;
    let fault: PickleFault | undefined;
    try {
      result = this.loop();
    } catch (error) {
      if (!(error instanceof Fault)) throw error;
      fault = error.fault;
    }
    if (this.dups > LIMITS.maxDup) this.trap('dup', `${this.dups} DUP opcodes (limit ${LIMITS.maxDup}); picklers never write DUP`);
    return {
      start,
      end: fault ? fault.offset : this.pos,
      stopped: fault === undefined,
      ...(fault ? { fault } : {}),
      findings: this.findings,
      imports: this.imports,
      ...(result ? { result } : {}),
      frameViolation: this.frameViolation,
      opcodes: this.opcodes,
    };
  }

  // ---- reading ------------------------------------------------------------------------------

  private fault(code: PickleFaultCode, detail: string, offset = this.opStart): never {
    throw new Fault({ code, offset, detail });
  }

  private truncated(need: number): never {
    return this.fault('PICKLE_TRUNCATED', `stream ends inside ${opcodeName(this.op)} at offset ${this.opStart} (needs ${need} more bytes)`);
  }

  /** Make [at, at+n) readable in `buf`. */
  private fill(at: number, n: number): void {
    if (at + n > this.source.size) this.truncated(at + n - this.source.size);
    if (this.memoryData) return;
    // One window buffer per machine, reused: a fresh 4 MB buffer per window costs more than the read.
    const want = Math.min(Math.max(n, LIMITS.readWindow), this.source.size - at);
    if (this.window.length < want) this.window = new Uint8Array(Math.max(want, Math.min(LIMITS.readWindow, this.source.size)));
    this.buf = this.window;
    this.base = at;
    this.end = at + this.source.readInto(at, this.window.subarray(0, want));
  }

  /** Frame bookkeeping before consuming n bytes at pos. */
  private cross(n: number): void {
    const frameEnd = this.frameEnd;
    if (frameEnd < 0) return;
    const p = this.pos;
    if (p >= frameEnd) {
      this.frameEnd = -1;
      return;
    }
    if (p + n <= frameEnd) return;
    this.frameViolation = true;
    this.report('PICKLE_FRAME_VIOLATION', { detail: `${opcodeName(this.op)} at offset ${this.opStart} reads past the end of its frame at ${frameEnd}` }, { offset: this.opStart });
    if (this.options.framing === 'drop') this.pos = frameEnd;
    this.frameEnd = -1;
  }

  /** Consume n bytes; returns their index in `buf`. */
  private take(n: number): number {
    this.cross(n);
    const p = this.pos;
    if (p < this.base || p + n > this.end) this.fill(p, n);
    this.pos = p + n;
    return p - this.base;
  }

  /** Consume n bytes without reading them. */
  private skip(n: number): number {
    this.cross(n);
    const p = this.pos;
    if (p + n > this.source.size) this.truncated(p + n - this.source.size);
    this.pos = p + n;
    return p;
  }

  private u8(): number {
    const i = this.take(1);
    return this.buf[i] as number;
  }

  private uint(n: 2 | 4): number {
    const i = this.take(n);
    const b = this.buf;
    return n === 2 ? (b[i] as number) | ((b[i + 1] as number) << 8) : ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) + (b[i + 3] as number) * 0x1000000;
  }

  private i32(): number {
    const u = this.uint(4);
    return u >= 0x80000000 ? u - 0x100000000 : u;
  }

  private u64(): number {
    const i = this.take(8);
    const b = this.buf;
    let value = 0;
    for (let k = 7; k >= 0; k--) value = value * 256 + (b[i + k] as number);
    return value;
  }

  /** A protocol-0 text argument, without its newline. */
  private line(): Uint8Array {
    let start = this.pos;
    if (this.frameEnd >= 0 && start >= this.frameEnd) this.frameEnd = -1;
    let newline = this.findNewline(start);
    if (this.frameEnd >= 0 && newline >= this.frameEnd) {
      this.cross(newline + 1 - start);
      start = this.pos;
      newline = this.findNewline(start);
    }
    const i = this.take(newline + 1 - start);
    return this.buf.subarray(i, i + newline - start);
  }

  private findNewline(start: number): number {
    const lineLimit = this.options.lineLimit ?? LIMITS.maxLine;
    let window = LIMITS.readWindow;
    for (;;) {
      if (start >= this.source.size) this.truncated(1);
      if (start < this.base || start >= this.end) this.fill(start, 1);
      const from = start - this.base;
      const found = this.buf.subarray(from, Math.min(this.end - this.base, from + lineLimit + 1)).indexOf(10);
      if (found >= 0) return start + found;
      if (this.end - start > lineLimit) this.fault('PICKLE_BAD_ARGUMENT', `text argument at offset ${this.opStart} is longer than ${lineLimit} bytes`);
      if (this.end >= this.source.size) this.fault('PICKLE_TRUNCATED', `stream ends inside the text argument of ${opcodeName(this.op)} at offset ${this.opStart}`);
      window *= 2;
      this.fill(start, Math.min(window, this.source.size - start));
    }
  }

  /** Bytes as latin1 text; short arguments (the common case) without a TextDecoder call. */
  private ascii(bytes: Uint8Array): string {
    if (bytes.length > 64) return latin1.decode(bytes);
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] as number);
    return text;
  }

  private utf8(bytes: Uint8Array, what: string): string {
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fault('PICKLE_BAD_ARGUMENT', `${what} at offset ${this.opStart} is not valid UTF-8`);
    }
  }

  // ---- stack --------------------------------------------------------------------------------

  private fence(): number {
    const marks = this.marks;
    return marks.length === 0 ? 0 : (marks[marks.length - 1] as number);
  }

  private push(value: Value): void {
    const stack = this.stack;
    if (stack.length >= LIMITS.maxStack) {
      this.trap('stack', `more than ${LIMITS.maxStack} items on the stack`);
      this.fault('PICKLE_RESOURCE_LIMIT', `stack limit reached at offset ${this.opStart}`);
    }
    stack.push(value);
  }

  private pop(): Value {
    const stack = this.stack;
    if (stack.length <= this.fence()) this.fault('PICKLE_STACK_UNDERFLOW', `${opcodeName(this.op)} at offset ${this.opStart} pops an empty stack`);
    return stack.pop() as Value;
  }

  private top(): Value {
    const stack = this.stack;
    if (stack.length <= this.fence()) this.fault('PICKLE_STACK_UNDERFLOW', `${opcodeName(this.op)} at offset ${this.opStart} needs a value on the stack`);
    return stack[stack.length - 1] as Value;
  }

  /** Index where the items of the innermost MARK begin; the mark is removed. */
  private popMark(): number {
    const mark = this.marks.pop();
    if (mark === undefined) this.fault('PICKLE_NO_MARK', `${opcodeName(this.op)} at offset ${this.opStart} has no MARK to close`);
    return mark;
  }

  /** Depth and weight of stack[from..] folded into a new container's. */
  private sizeOf(from: number, to: number): { depth: number; weight: number } {
    const stack = this.stack;
    let depth = 0;
    let weight = 1;
    for (let i = from; i < to; i++) {
      const v = stack[i] as Value;
      if (v.depth > depth) depth = v.depth;
      weight += v.weight;
    }
    return { depth: depth + 1, weight };
  }

  private tupleFrom(from: number): TupleValue {
    const stack = this.stack;
    const { depth, weight } = this.sizeOf(from, stack.length);
    const items = stack.length - from <= MAX_KEPT_ITEMS ? stack.slice(from) : undefined;
    stack.length = from;
    return this.measured({ kind: 'tuple', items, depth, weight });
  }

  private measured<T extends Value>(value: T): T {
    if (value.depth > LIMITS.maxNesting) this.trap('nesting', `containers nested ${value.depth} deep at offset ${this.opStart} (limit ${LIMITS.maxNesting})`);
    const limit = Math.max(LIMITS.expansionFloor, LIMITS.expansionFactor * (this.pos - this.runStart));
    if (value.weight > limit) this.trap('expansion', `memo references expand to over ${Math.floor(value.weight)} objects from ${this.pos - this.runStart} bytes at offset ${this.opStart}`);
    return value;
  }

  /** Items stack[from..], and `floats` more that were never pushed (see floats()), added to the container below them. */
  private extend(from: number, pairs: boolean, floats = 0): void {
    const stack = this.stack;
    const target = stack[from - 1];
    if (from - 1 < this.fence() || target === undefined) this.fault('PICKLE_STACK_UNDERFLOW', `${opcodeName(this.op)} at offset ${this.opStart} has no container to add to`);
    const count = stack.length - from;
    if (pairs && count % 2 !== 0) this.fault('PICKLE_BAD_ARGUMENT', `odd number of items for ${opcodeName(this.op)} at offset ${this.opStart}`);
    if (target.kind === 'tuple' || target.kind === 'str' || target.kind === 'bytes' || target.kind === 'int' || target.kind === 'global' || (target.kind === 'atom' && target.what !== 'persid' && target.what !== 'buffer')) {
      this.fault('PICKLE_TYPE_ERROR', `${opcodeName(this.op)} at offset ${this.opStart} adds items to ${describe(target)}`);
    }
    const { depth, weight } = this.sizeOf(from, stack.length);
    if (pairs && target.kind === 'dict' && target.entries) {
      for (let i = from; i + 1 < stack.length; i += 2) {
        const key = stack[i] as Value;
        if (key.kind === 'str' && key.text !== undefined && target.entries.size < MAX_KEPT_ITEMS) target.entries.set(key.text, stack[i + 1] as Value);
      }
    }
    stack.length = from;
    if (depth > target.depth) target.depth = depth;
    // A float is an atom of depth 0 and weight 1: it adds its weight and never the depth.
    target.weight += weight - 1 + floats;
    this.measured(target);
  }

  // ---- findings -----------------------------------------------------------------------------

  private report(rule: RuleId, data: FindingData, where: { offset?: number; global?: string }): void {
    const key = `${rule}|${where.global ?? ''}|${rule === 'PICKLE_FRAME_VIOLATION' ? '' : (data.detail ?? '')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding(rule, data, where));
  }

  private trap(kind: string, detail: string): void {
    if (this.trapped.has(kind)) return;
    this.trapped.add(kind);
    this.report('PICKLE_RESOURCE_TRAP', { detail }, { offset: this.opStart });
  }

  private importGlobal(rawModule: string, rawName: string, offset: number): GlobalValue {
    const policy = this.options.policy;
    const [module, name] = canonicalGlobal(rawModule, rawName);
    const global = `${module}.${name}`;
    const judgement = judgeGlobal(policy, rawModule, rawName);
    if (!this.imported.has(global)) {
      this.imported.add(global);
      this.imports.push({ global, offset, verdict: judgement.verdict });
    }
    if (judgement.verdict !== 'safe') this.report(judgement.rule, judgement.data, { offset, global: String(judgement.data.global ?? global) });
    return { kind: 'global', module, name, resolved: true, offset, depth: 0, weight: 1 };
  }

  private unresolved(part: string, detail: string, offset: number): GlobalValue {
    if (!this.imported.has('<computed>')) {
      this.imported.add('<computed>');
      this.imports.push({ global: '<computed>', offset, verdict: 'malicious' });
    }
    this.report('PICKLE_UNRESOLVED_GLOBAL', { part, detail }, { offset });
    return { kind: 'global', module: '<computed>', name: '<computed>', resolved: false, offset, depth: 0, weight: 1 };
  }

  // ---- calls --------------------------------------------------------------------------------

  private call(opcode: string, callee: Value, args: Value | undefined, offset: number): ObjectValue {
    if (callee.kind === 'global') {
      if (callee.resolved) this.checkCall(`${callee.module}.${callee.name}`, args, offset);
    } else if (isComputed(callee)) {
      this.report('PICKLE_COMPUTED_CALLABLE', { opcode }, { offset });
    } else {
      this.fault('PICKLE_TYPE_ERROR', `${opcode} at offset ${offset} calls ${describe(callee)}, which is not callable`);
    }
    const argDepth = args ? args.depth : 0;
    const argWeight = args ? args.weight : 0;
    return this.measured({ kind: 'object', callee, args, offset, depth: argDepth + 1, weight: argWeight + 1 });
  }

  private argumentsOf(args: Value | undefined): Value[] | undefined {
    return args?.kind === 'tuple' ? args.items : undefined;
  }

  private checkCall(global: string, args: Value | undefined, offset: number): void {
    const items = this.argumentsOf(args);
    const condition = this.options.policy.argumentConditions[global];
    if (condition) {
      const views: ArgumentView[] | undefined = items?.map((v) => (v.kind === 'str' ? { kind: 'str', ...(v.text !== undefined ? { text: v.text } : {}) } : { kind: v.kind }));
      if (!views || !condition.allowed(views)) this.report('PICKLE_DISALLOWED_ARGUMENTS', { global, condition: condition.condition }, { offset, global });
    }
    const first = items?.[0];
    if (this.options.policy.nestedLoaders.has(global) && first?.kind === 'bytes') this.scanNested(global, first, offset);
    if (global === 'copyreg.add_extension' && items && items.length === 3) {
      const [module, name, code] = items;
      if (module?.kind === 'str' && name?.kind === 'str' && code?.kind === 'int' && code.value !== undefined && module.text !== undefined && name.text !== undefined) {
        this.extensions.set(Number(code.value), [module.text, name.text]);
      }
    }
  }

  private scanNested(global: string, bytes: BytesValue, offset: number): void {
    if (this.options.depth >= LIMITS.maxNestingOfContainers) {
      this.trap('nested', `pickles nested more than ${LIMITS.maxNestingOfContainers} deep at offset ${offset}`);
      return;
    }
    const key = `${bytes.start}:${bytes.length}`;
    if (bytes.length > LIMITS.maxNestedBytes || this.nestedDone.has(key)) return;
    this.nestedDone.add(key);
    const data = new Uint8Array(this.source.read(bytes.start, bytes.length));
    for (const inner of this.options.nested(data, this.options.depth + 1)) {
      const offsetInFile = bytes.start + (inner.offset ?? 0);
      // A malicious inner pickle is named as such (the id says the payload was nested); other
      // inner findings keep their rule and say where they come from.
      const shifted =
        inner.verdict === 'malicious'
          ? finding('PICKLE_NESTED_MALICIOUS', { global, detail: inner.message }, { offset: offsetInFile, ...(inner.global !== undefined ? { global: inner.global } : {}) })
          : { ...inner, offset: offsetInFile, message: `in the pickle passed to ${global}: ${inner.message}` };
      const key = `${shifted.rule}|${shifted.global ?? ''}|nested`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.findings.push(shifted);
    }
  }

  private build(state: Value): void {
    const target = this.top();
    if (target.kind === 'global') {
      this.report('PICKLE_GLOBAL_MUTATION', { global: `${target.module}.${target.name}` }, { offset: this.opStart, global: `${target.module}.${target.name}` });
      return;
    }
    if (target.kind === 'object') {
      target.state = state;
      target.weight += state.weight;
      if (state.depth + 1 > target.depth) target.depth = state.depth + 1;
      this.measured(target);
      const callee = target.callee;
      if (callee.kind === 'global' && JOBLIB_WRAPPERS.has(`${callee.module}.${callee.name}`)) this.joblibArray(state);
    }
  }

  /**
   * joblib writes each numpy array right after the BUILD of its NumpyArrayWrapper, outside the
   * pickle opcodes: raw bytes (after an alignment pad), or a whole nested pickle for object arrays.
   */
  private joblibArray(state: Value): void {
    const entries = state.kind === 'dict' ? state.entries : undefined;
    const dtype = entries?.get('dtype');
    const shape = entries?.get('shape');
    const dtypeText = dtype?.kind === 'object' ? this.argumentsOf(dtype.args)?.[0] : dtype;
    if (!entries || dtypeText?.kind !== 'str' || dtypeText.text === undefined || shape?.kind !== 'tuple' || !shape.items) {
      this.fault('PICKLE_BAD_ARGUMENT', `joblib array wrapper at offset ${this.opStart} has no readable dtype and shape`);
    }
    const itemSize = numpyItemSize(dtypeText.text);
    this.frameEnd = -1;
    if (itemSize === 'object') {
      if (this.options.depth >= LIMITS.maxNestingOfContainers) this.fault('PICKLE_RESOURCE_LIMIT', `joblib arrays nested too deep at offset ${this.pos}`);
      const inner = new PickleVm(this.source, { ...this.options, depth: this.options.depth + 1 }).run(this.pos);
      for (const f of inner.findings) this.findings.push(f);
      for (const i of inner.imports) this.imports.push(i);
      if (inner.fault) throw new Fault(inner.fault);
      this.pos = inner.end;
      return;
    }
    if (itemSize === undefined) this.fault('PICKLE_BAD_ARGUMENT', `joblib array at offset ${this.opStart} has unknown dtype ${JSON.stringify(dtypeText.text)}`);
    let count = 1;
    for (const dim of shape.items) {
      if (dim.kind !== 'int' || dim.value === undefined || dim.value < 0n) this.fault('PICKLE_BAD_ARGUMENT', `joblib array at offset ${this.opStart} has a bad shape`);
      count *= Number(dim.value);
    }
    this.opStart = this.pos;
    if (entries.has('numpy_array_alignment_bytes')) {
      const pad = this.u8();
      this.skip(pad);
    }
    this.skip(count * itemSize);
  }

  // ---- the machine --------------------------------------------------------------------------

  /**
   * One handler per opcode, keyed by `OP`; a handler returns a value only for STOP. Each mirrors the
   * `load_*` function of Modules/_pickle.c of the same name (argument spellings included).
   */
  private static readonly HANDLERS: ReadonlyArray<Handler | undefined> = handlerTable({
    // BINFLOAT: the bulk of float lists, skipped without reading
    [OP.BINFLOAT]: (vm) => vm.floats(),
    [OP.MARK]: (vm) => {
      // Marks cost memory like stack items (CPython's metastack grows the same way): same bound.
      if (vm.marks.length >= LIMITS.maxStack) {
        vm.trap('stack', `more than ${LIMITS.maxStack} marks`);
        vm.fault('PICKLE_RESOURCE_LIMIT', `mark limit reached at offset ${vm.opStart}`);
      }
      vm.marks.push(vm.stack.length);
    },
    [OP.APPENDS]: (vm) => vm.extend(vm.popMark(), false),
    [OP.APPEND]: (vm) => {
      if (vm.stack.length - 2 < vm.fence()) vm.fault('PICKLE_STACK_UNDERFLOW', `APPEND at offset ${vm.opStart} needs a list and a value`);
      vm.extend(vm.stack.length - 1, false);
    },
    [OP.SETITEM]: (vm) => {
      if (vm.stack.length - 3 < vm.fence()) vm.fault('PICKLE_STACK_UNDERFLOW', `SETITEM at offset ${vm.opStart} needs a dict, a key and a value`);
      vm.extend(vm.stack.length - 2, true);
    },
    [OP.SETITEMS]: (vm) => vm.extend(vm.popMark(), true),
    [OP.ADDITEMS]: (vm) => vm.extend(vm.popMark(), false),
    [OP.STOP]: (vm) => vm.pop(),
    // POP: a MARK on top is popped instead, as CPython does
    [OP.POP]: (vm) => {
      const marks = vm.marks;
      if (marks.length > 0 && marks[marks.length - 1] === vm.stack.length) marks.pop();
      else vm.pop();
    },
    [OP.POP_MARK]: (vm) => {
      vm.stack.length = vm.popMark();
    },
    [OP.DUP]: (vm) => {
      vm.dups++;
      vm.push(vm.top());
    },
    [OP.FLOAT]: (vm) => {
      const text = vm.ascii(vm.line());
      if (!FLOAT_LINE.test(text)) vm.fault('PICKLE_BAD_ARGUMENT', `FLOAT at offset ${vm.opStart} has argument ${JSON.stringify(text)}`);
      vm.push(FLOAT);
    },
    // INT: C strtol first (base 0: "010" is octal), then Python's int(text, 0); "I01"/"I00" are booleans
    [OP.INT]: (vm) => {
      const text = vm.ascii(vm.line());
      if (text === '01' || text === '00') return vm.push(BOOL);
      const value = parseIntArgument(text);
      if (value === undefined) return vm.fault('PICKLE_BAD_ARGUMENT', `INT at offset ${vm.opStart} has argument ${JSON.stringify(text)}`);
      vm.push(vm.int(value));
    },
    [OP.BININT]: (vm) => vm.push(vm.int(BigInt(vm.i32()))),
    [OP.BININT1]: (vm) => vm.push(vm.int(BigInt(vm.u8()))),
    [OP.BININT2]: (vm) => vm.push(vm.int(BigInt(vm.uint(2)))),
    // LONG: one trailing "L" dropped, then Python's int(text, 0) ("L0x10L" is 16)
    [OP.LONG]: (vm) => {
      const text = vm.ascii(vm.line());
      const value = parseLongArgument(text);
      if (value === undefined) return vm.fault('PICKLE_BAD_ARGUMENT', `LONG at offset ${vm.opStart} has argument ${JSON.stringify(text)}`);
      vm.push(vm.int(value));
    },
    [OP.LONG1]: (vm) => vm.long(vm.u8()),
    [OP.LONG4]: (vm) => {
      const n = vm.i32();
      if (n < 0) vm.fault('PICKLE_BAD_ARGUMENT', `LONG4 at offset ${vm.opStart} has negative length`);
      vm.long(n);
    },
    [OP.NONE]: (vm) => vm.push(NONE),
    [OP.NEWTRUE]: (vm) => vm.push(BOOL),
    [OP.NEWFALSE]: (vm) => vm.push(BOOL),
    [OP.STRING]: (vm) => {
      const raw = vm.line();
      const quote = raw[0];
      if (raw.length < 2 || (quote !== 0x27 && quote !== 0x22) || raw[raw.length - 1] !== quote) vm.fault('PICKLE_BAD_ARGUMENT', `STRING at offset ${vm.opStart} is not quoted`);
      vm.pushString(unescapeString(raw.subarray(1, raw.length - 1), () => vm.fault('PICKLE_BAD_ARGUMENT', `STRING at offset ${vm.opStart} has a bad escape`)));
    },
    [OP.BINSTRING]: (vm) => {
      const n = vm.i32();
      if (n < 0) vm.fault('PICKLE_BAD_ARGUMENT', `BINSTRING at offset ${vm.opStart} has negative length`);
      vm.binaryString(n, false);
    },
    [OP.SHORT_BINSTRING]: (vm) => vm.binaryString(vm.u8(), false),
    [OP.UNICODE]: (vm) => vm.pushString(rawUnicodeEscape(vm.line())),
    [OP.BINUNICODE]: (vm) => vm.binaryString(vm.uint(4), true),
    [OP.SHORT_BINUNICODE]: (vm) => vm.binaryString(vm.u8(), true),
    [OP.BINUNICODE8]: (vm) => vm.binaryString(vm.u64(), true),
    [OP.BINBYTES]: (vm) => vm.bytes(vm.uint(4)),
    [OP.SHORT_BINBYTES]: (vm) => vm.bytes(vm.u8()),
    [OP.BINBYTES8]: (vm) => vm.bytes(vm.u64()),
    [OP.BYTEARRAY8]: (vm) => vm.bytes(vm.u64()),
    [OP.EMPTY_TUPLE]: (vm) => vm.push({ kind: 'tuple', items: [], depth: 1, weight: 1 }),
    [OP.TUPLE]: (vm) => vm.push(vm.tupleFrom(vm.popMark())),
    [OP.TUPLE1]: (vm) => vm.smallTuple(1),
    [OP.TUPLE2]: (vm) => vm.smallTuple(2),
    [OP.TUPLE3]: (vm) => vm.smallTuple(3),
    [OP.EMPTY_LIST]: (vm) => vm.push({ kind: 'list', depth: 1, weight: 1 }),
    [OP.LIST]: (vm) => vm.push(vm.containerFrom('list', vm.popMark())),
    [OP.EMPTY_DICT]: (vm) => vm.push({ kind: 'dict', entries: new Map(), depth: 1, weight: 1 }),
    [OP.DICT]: (vm) => {
      const from = vm.popMark();
      if ((vm.stack.length - from) % 2 !== 0) vm.fault('PICKLE_BAD_ARGUMENT', `odd number of items for DICT at offset ${vm.opStart}`);
      vm.push(vm.containerFrom('dict', from));
    },
    [OP.EMPTY_SET]: (vm) => vm.push({ kind: 'set', depth: 1, weight: 1 }),
    [OP.FROZENSET]: (vm) => vm.push(vm.containerFrom('frozenset', vm.popMark())),
    [OP.GLOBAL]: (vm) => {
      const module = vm.utf8(vm.line(), 'GLOBAL module');
      const name = vm.utf8(vm.line(), 'GLOBAL name');
      vm.push(vm.importGlobal(module, name, vm.opStart));
    },
    [OP.STACK_GLOBAL]: (vm) => {
      const name = vm.pop();
      const module = vm.pop();
      vm.push(vm.stackGlobal(module, name));
    },
    [OP.INST]: (vm) => {
      const offset = vm.opStart;
      const module = vm.utf8(vm.line(), 'INST module');
      const name = vm.utf8(vm.line(), 'INST name');
      const cls = vm.importGlobal(module, name, offset);
      const args = vm.tupleFrom(vm.popMark());
      vm.push(vm.call('INST', cls, args, offset));
    },
    [OP.OBJ]: (vm) => {
      const from = vm.popMark();
      if (vm.stack.length <= from) vm.fault('PICKLE_STACK_UNDERFLOW', `OBJ at offset ${vm.opStart} has no class`);
      const cls = vm.stack[from] as Value;
      const args = vm.tupleFrom(from + 1);
      vm.stack.length = from;
      vm.push(vm.call('OBJ', cls, args, vm.opStart));
    },
    [OP.NEWOBJ]: (vm) => {
      const args = vm.pop();
      const cls = vm.pop();
      vm.push(vm.call('NEWOBJ', cls, args, vm.opStart));
    },
    [OP.NEWOBJ_EX]: (vm) => {
      const kwargs = vm.pop();
      const args = vm.pop();
      const cls = vm.pop();
      const object = vm.call('NEWOBJ_EX', cls, args, vm.opStart);
      object.weight += kwargs.weight;
      vm.push(object);
    },
    [OP.REDUCE]: (vm) => {
      const args = vm.pop();
      const callable = vm.pop();
      vm.push(vm.call('REDUCE', callable, args, vm.opStart));
    },
    [OP.BUILD]: (vm) => vm.build(vm.pop()),
    [OP.PERSID]: (vm) => {
      vm.line();
      vm.push(PERSID);
    },
    [OP.BINPERSID]: (vm) => {
      vm.pop();
      vm.push(PERSID);
    },
    [OP.EXT1]: (vm) => vm.push(vm.extension(vm.u8())),
    [OP.EXT2]: (vm) => vm.push(vm.extension(vm.uint(2))),
    [OP.EXT4]: (vm) => vm.push(vm.extension(vm.i32())),
    // GET/PUT: Python's int(text, 10), so "g0_0" and "p 0" are key 0
    [OP.GET]: (vm) => vm.get(vm.memoKey('GET')),
    [OP.BINGET]: (vm) => vm.get(vm.u8()),
    [OP.LONG_BINGET]: (vm) => vm.get(vm.uint(4)),
    [OP.PUT]: (vm) => vm.put(vm.memoKey('PUT')),
    [OP.BINPUT]: (vm) => vm.put(vm.u8()),
    [OP.LONG_BINPUT]: (vm) => vm.put(vm.uint(4)),
    [OP.MEMOIZE]: (vm) => vm.put(vm.memo.size),
    [OP.PROTO]: (vm) => {
      const protocol = vm.u8();
      if (protocol > HIGHEST_PROTOCOL) vm.fault('PICKLE_BAD_PROTOCOL', `unsupported pickle protocol ${protocol} at offset ${vm.opStart}`);
      if (vm.opStart !== vm.runStart) vm.report('PICKLE_MISPLACED_PROTO', { protocol }, { offset: vm.opStart });
    },
    [OP.FRAME]: (vm) => {
      const length = vm.u64();
      if (vm.frameEnd >= 0 && vm.pos < vm.frameEnd) {
        vm.frameViolation = true;
        vm.report('PICKLE_FRAME_VIOLATION', { detail: `FRAME at offset ${vm.opStart} opens inside another frame` }, { offset: vm.opStart });
      }
      if (vm.pos + length > vm.source.size) vm.truncated(vm.pos + length - vm.source.size);
      vm.frameEnd = vm.pos + length;
    },
    [OP.NEXT_BUFFER]: (vm) => vm.push(BUFFER),
    [OP.READONLY_BUFFER]: (vm) => {
      vm.top();
    },
  });

  private loop(): Value {
    const handlers = PickleVm.HANDLERS;
    for (;;) {
      this.opStart = this.pos;
      if (this.frameEnd >= 0 && this.pos >= this.frameEnd) this.frameEnd = -1;
      if (this.pos < this.base || this.pos >= this.end) {
        if (this.pos >= this.source.size) this.fault('PICKLE_TRUNCATED', `stream ends at offset ${this.pos} without STOP`);
        this.fill(this.pos, 1);
      }
      const op = this.buf[this.pos - this.base] as number;
      this.op = op;
      this.pos++;
      if (++this.opcodes > this.cap) {
        if (this.opcodes > this.budget) this.fault('PICKLE_RESOURCE_LIMIT', `more than ${this.budget} opcodes`);
        this.fault('SCAN_OPCODE_LIMIT', `the scan's opcode budget ran out at offset ${this.opStart}`);
      }
      if (this.opcodes >= this.nextClockCheck) {
        this.nextClockCheck = this.opcodes + 0x10000;
        if (this.options.expired?.()) this.fault('SCAN_TIMEOUT', `the scan's time ran out at offset ${this.opStart}`);
      }
      const handler = handlers[op];
      if (handler === undefined) this.fault('PICKLE_UNKNOWN_OPCODE', `unknown opcode ${opcodeName(op)} at offset ${this.opStart}`);
      const stopped = handler(this);
      if (stopped !== undefined) return stopped;
    }
  }

  private smallTuple(n: number): void {
    if (this.stack.length - n < this.fence()) this.fault('PICKLE_STACK_UNDERFLOW', `${opcodeName(this.op)} at offset ${this.opStart} needs ${n} values`);
    this.push(this.tupleFrom(this.stack.length - n));
  }

  /** The decimal text argument of GET/PUT, read as `int(text, 10)`; negative keys fail as in CPython. */
  private memoKey(opcode: 'GET' | 'PUT'): number {
    const text = this.ascii(this.line());
    const key = parsePythonInt(cString(text), 10);
    if (key === undefined || key < 0n || key > BigInt(Number.MAX_SAFE_INTEGER)) this.fault('PICKLE_BAD_ARGUMENT', `${opcode} at offset ${this.opStart} has argument ${JSON.stringify(text)}`);
    return Number(key);
  }

  /**
   * A run of BINFLOAT opcodes inside the buffered bytes and the current frame, executed in one tight
   * loop (the shape of every pickled float list); anything else goes the general way. When the run
   * ends at an APPENDS in the same window and frame, the APPENDS is executed here too and the floats
   * are counted into the list's weight without ever being pushed (a 200 MB float list is 22 M of them):
   * the checks, faults and numbers are those of pushing them and running APPENDS.
   */
  private floats(): void {
    const buf = this.buf;
    const base = this.base;
    const limit = Math.min(this.end, this.frameEnd >= 0 ? this.frameEnd : Number.POSITIVE_INFINITY, this.source.size);
    const stack = this.stack;
    let p = this.pos;
    if (p + 8 > limit || stack.length >= LIMITS.maxStack || !this.bulkFloats) {
      this.skip(8);
      this.push(FLOAT);
      return;
    }
    p += 8;
    // The run stops where pushing one more would meet the stack bound or the opcode cap.
    const most = Math.min(LIMITS.maxStack - stack.length, this.cap - this.opcodes);
    let count = 1;
    while (count < most && p + 9 <= limit && buf[p - base] === OP.BINFLOAT) {
      p += 9;
      count++;
    }
    this.opcodes += count - 1;
    if (p < limit && buf[p - base] === OP.APPENDS && this.marks.length > 0 && this.opcodes < this.cap) {
      this.opStart = p;
      this.op = OP.APPENDS;
      this.pos = p + 1;
      this.opcodes++;
      this.extend(this.popMark(), false, count);
      return;
    }
    this.pos = p;
    for (let i = 0; i < count; i++) stack.push(FLOAT);
  }

  private int(value: bigint): Value {
    return { kind: 'int', value, depth: 0, weight: 1 };
  }

  private long(n: number): void {
    if (n > 64) {
      this.skip(n);
      this.push({ kind: 'int', value: undefined, depth: 0, weight: 1 });
      return;
    }
    const i = this.take(n);
    let value = 0n;
    for (let k = n - 1; k >= 0; k--) value = (value << 8n) | BigInt(this.buf[i + k] as number);
    if (n > 0 && ((this.buf[i + n - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(8 * n);
    this.push(this.int(value));
  }

  private pushString(text: string | undefined): void {
    const value: StrValue = { kind: 'str', text, offset: this.opStart, depth: 0, weight: 1 };
    this.push(value);
  }

  private binaryString(n: number, unicode: boolean): void {
    if (n > LIMITS.maxDecodedString) {
      this.skip(n);
      this.pushString(undefined);
      return;
    }
    const i = this.take(n);
    const raw = this.buf.subarray(i, i + n);
    if (!unicode) return this.pushString(this.ascii(raw));
    const text = decodeUtf8SurrogatePass(raw);
    if (text === undefined) this.fault('PICKLE_BAD_ARGUMENT', `string at offset ${this.opStart} is not valid UTF-8`);
    this.pushString(text);
  }

  private bytes(n: number): void {
    const start = this.skip(n);
    this.push({ kind: 'bytes', start, length: n, depth: 0, weight: 1 });
  }

  private containerFrom(kind: ContainerValue['kind'], from: number): ContainerValue {
    const { depth, weight } = this.sizeOf(from, this.stack.length);
    this.stack.length = from;
    return this.measured({ kind, depth, weight });
  }

  private stackGlobal(module: Value, name: Value): GlobalValue {
    if (module.kind === 'str' && name.kind === 'str' && module.text !== undefined && name.text !== undefined) return this.importGlobal(module.text, name.text, this.opStart);
    const odd = module.kind !== 'str' ? module : name;
    if (odd.kind !== 'str' && !isComputed(odd)) this.fault('PICKLE_TYPE_ERROR', `STACK_GLOBAL at offset ${this.opStart} needs strings, got ${describe(odd)}`);
    return this.unresolved(module.kind !== 'str' ? 'module' : 'name', `STACK_GLOBAL operand is ${describe(odd)}`, this.opStart);
  }

  private extension(code: number): GlobalValue {
    if (code <= 0) this.fault('PICKLE_BAD_ARGUMENT', `EXT code ${code} at offset ${this.opStart} is not positive`);
    const entry = this.extensions.get(code);
    if (entry) return this.importGlobal(entry[0], entry[1], this.opStart);
    return this.unresolved('module and name', `extension code ${code} is not in the copyreg registry`, this.opStart);
  }

  private get(key: number): void {
    const value = this.memo.get(key);
    if (value === undefined) this.fault('PICKLE_MEMO_MISSING', `memo key ${key} read at offset ${this.opStart} was never stored`);
    this.push(value);
  }

  private put(key: number): void {
    if (this.memo.size >= LIMITS.maxMemo && !this.memo.has(key)) {
      this.trap('memo', `more than ${LIMITS.maxMemo} memo entries`);
      this.fault('PICKLE_RESOURCE_LIMIT', `memo limit reached at offset ${this.opStart}`);
    }
    this.memo.set(key, this.top());
  }
}

/** numpy dtype string ("<f8", "O", "|b1", "<U5") to bytes per item; "object" for pickled objects. */
export function numpyItemSize(dtype: string): number | 'object' | undefined {
  const match = /^[<>|=]?([a-zA-Z?])(\d*)$/.exec(dtype);
  if (!match) return undefined;
  const [, letter, digits] = match;
  if (letter === 'O') return 'object';
  if (letter === '?') return 1;
  const n = digits ? Number(digits) : undefined;
  switch (letter) {
    case 'b':
    case 'i':
    case 'u':
    case 'f':
    case 'c':
    case 'S':
    case 'V':
    case 'a':
      return n ?? (letter === 'b' ? 1 : undefined);
    case 'U':
      return n === undefined ? undefined : 4 * n;
    case 'M':
    case 'm':
      return 8;
    case 'e':
      return 2;
    case 'd':
    case 'g':
      return 8;
    default:
      return undefined;
  }
}

/** Python's string-escape decoding of a STRING argument (quotes already removed). */
function unescapeString(raw: Uint8Array, bad: () => never): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as number;
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    const e = raw[++i];
    if (e === undefined) bad();
    const simple: Record<number, string> = { 0x5c: '\\', 0x27: "'", 0x22: '"', 0x6e: '\n', 0x74: '\t', 0x72: '\r', 0x61: '\x07', 0x62: '\b', 0x66: '\f', 0x76: '\v', 0x0a: '' };
    if (e in simple) {
      out += simple[e];
    } else if (e === 0x78) {
      const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) bad();
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (e >= 0x30 && e <= 0x37) {
      let digits = String.fromCharCode(e);
      while (digits.length < 3 && (raw[i + 1] ?? 0) >= 0x30 && (raw[i + 1] ?? 0) <= 0x37) digits += String.fromCharCode(raw[++i] as number);
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
    } else {
      out += '\\' + String.fromCharCode(e);
    }
  }
  return out;
}

/** Python's raw-unicode-escape decoding of a UNICODE argument. */
function rawUnicodeEscape(raw: Uint8Array): string {
  const text = latin1.decode(raw);
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, four?: string, eight?: string) => String.fromCodePoint(parseInt((four ?? eight) as string, 16)));
}
