import type { ScanBudget } from '../policy/limits.js';
import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import type { ScanPolicy } from '../policy/judge.js';
import { scanPickleStream } from '../pickle/stream.js';
import { numpyItemSize } from '../pickle/vm.js';
import type { ByteSource } from '../source.js';
import { dictGet, dictKeys, parsePyLiteral, PyLiteralError, type PyValue } from './pyLiteral.js';

export { NPY_MAGIC } from './magic.js';

/**
 * What a dtype description holds, as numpy/lib/format.py `descr_to_dtype` builds it: `object` when
 * any field is an object (numpy then unpickles the data), `plain` when every part is a known
 * non-object type, `unknown` when this reader cannot tell (treated like object: the data is
 * scanned as a pickle too, so a reader gap never hides one).
 */
export type DtypeKind = 'object' | 'plain' | 'unknown';

export interface NpyHeader {
  /** The simple dtype string when descr is one (for the data length check). */
  descr?: string;
  shape: bigint[];
  dataOffset: number;
  dtype: DtypeKind;
}

/** A header numpy refuses; `dataOffset` is known when the header length was. */
export interface NpyHeaderError {
  error: string;
  dataOffset?: number;
  /** The parser could not read what Python might: judge the data as a pickle too. */
  doubt: boolean;
}

const OBJECT_CODE = /^[<>|=!]?O\d*$/;
const OBJECT_NAMES = new Set(['object', 'object_', 'O']);
const TYPE_CODE = /^[<>|=!]?(?:[?bBhHiIlLqQpPnNefdgFDGSUVacu]\d*|[mM]\d*(?:\[\d*[A-Za-z]+\])?)$/;
const TYPE_NAME = /^(?:bool|int|uint|float|complex|str|bytes|void|unicode|string|datetime64|timedelta64|longlong|ulonglong|half|single|double|longdouble|csingle|cdouble|clongdouble|byte|ubyte|short|ushort|intc|uintc|intp|uintp|long|ulong|longfloat|clongfloat|longcomplex|singlecomplex|cfloat)_?\d*(?:\[\d*[A-Za-z]+\])?$/;

function worst(a: DtypeKind, b: DtypeKind): DtypeKind {
  if (a === 'object' || b === 'object') return 'object';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'plain';
}

/** A dtype string: one type, or numpy's comma form ('i4,O', '(2,)O', '3O') of several. */
export function classifyDtypeString(text: string): DtypeKind {
  // commas inside a subarray shape "(2,3)" do not separate fields
  const parts = text.split(/,(?![^(]*\))/).map((p) => p.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let kind: DtypeKind = 'plain';
  for (const part of parts) {
    const bare = part.replace(/^\(\s*[\d\s,]*\)\s*/, '').replace(/^\d+(?=\D)/, '');
    if (OBJECT_CODE.test(bare) || OBJECT_NAMES.has(bare)) return 'object';
    kind = worst(kind, TYPE_CODE.test(bare) || TYPE_NAME.test(bare) ? 'plain' : 'unknown');
  }
  return kind;
}

/** Walk a descr value the way descr_to_dtype does: str, (base, shape-or-spec), or a list of fields. */
export function classifyDescr(descr: PyValue, depth = 0): DtypeKind {
  if (depth > 50) return 'unknown';
  if (descr.kind === 'str') return classifyDtypeString(descr.value);
  if (descr.kind === 'tuple') {
    const [base, second] = descr.items;
    if (!base) return 'unknown';
    const extra = second && (second.kind === 'str' || second.kind === 'list' || second.kind === 'tuple' || second.kind === 'dict') ? classifyDescr(second, depth + 1) : 'plain';
    return worst(classifyDescr(base, depth + 1), second?.kind === 'int' || second === undefined ? 'plain' : extra);
  }
  if (descr.kind === 'list') {
    let kind: DtypeKind = 'plain';
    for (const field of descr.items) {
      if ((field.kind !== 'tuple' && field.kind !== 'list') || field.items.length < 2 || field.items.length > 3) return 'unknown';
      kind = worst(kind, classifyDescr(field.items[1] as PyValue, depth + 1));
      if (kind === 'object') return kind;
    }
    return kind;
  }
  return 'unknown';
}

/** Parse the header of a .npy file (format versions 1.0, 2.0, 3.0) as numpy's `_read_array_header` does. */
export function readNpyHeader(source: ByteSource): NpyHeader | NpyHeaderError {
  const fixed = source.read(0, 12);
  const major = fixed[6];
  const minor = fixed[7];
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) return { error: `unknown .npy format version ${major ?? '?'}.${minor ?? '?'}`, doubt: false };
  const wide = major !== 1;
  if (fixed.length < (wide ? 12 : 10)) return { error: 'header is truncated', doubt: false };
  const dv = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const headerLength = wide ? dv.getUint32(8, true) : dv.getUint16(8, true);
  const headerStart = wide ? 12 : 10;
  const dataOffset = headerStart + headerLength;
  if (dataOffset > source.size) return { error: `header length ${headerLength} runs past the end of the file (${source.size} bytes)`, doubt: false };
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(source.read(headerStart, headerLength));
  } catch {
    return { error: 'header is not valid UTF-8', dataOffset, doubt: false };
  }
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (error) {
    if (!(error instanceof PyLiteralError)) throw error;
    return { error: `header is not a Python literal: ${error.message}`, dataOffset, doubt: true };
  }
  const keys = dictKeys(dict);
  if (!keys) return { error: 'header is not a dict', dataOffset, doubt: false };
  if (keys.length !== 3 || !['descr', 'fortran_order', 'shape'].every((k) => keys.includes(k))) return { error: `header keys are ${JSON.stringify(keys.sort())}, not descr, fortran_order and shape`, dataOffset, doubt: false };
  const shape = dictGet(dict, 'shape');
  if (shape?.kind !== 'tuple' || !shape.items.every((d) => d.kind === 'int')) return { error: 'shape is not a tuple of integers', dataOffset, doubt: false };
  if (dictGet(dict, 'fortran_order')?.kind !== 'bool') return { error: 'fortran_order is not a bool', dataOffset, doubt: false };
  const descr = dictGet(dict, 'descr') as PyValue;
  return {
    ...(descr.kind === 'str' ? { descr: descr.value } : {}),
    shape: shape.items.map((d) => (d.kind === 'int' ? d.value : 0n)),
    dataOffset,
    dtype: classifyDescr(descr),
  };
}

/**
 * .npy: an object dtype (anywhere in a structured dtype too) means numpy unpickles the data after
 * the header, so it is judged as a pickle; numeric arrays are raw data that is never unpickled,
 * only checked to be as long as the shape says. When this reader is unsure (a dtype or header
 * syntax it does not know), the data is judged as a pickle as well.
 */
export function scanNpy(source: ByteSource, policy: ScanPolicy, depth: number, budget?: ScanBudget): ModelFinding[] {
  const header = readNpyHeader(source);
  if ('error' in header) {
    const malformed = finding('NUMPY_MALFORMED', { detail: header.error });
    if (!header.doubt || header.dataOffset === undefined) return [malformed];
    return [malformed, ...pickleImports(source, policy, depth, header.dataOffset, budget)];
  }
  if (header.dtype === 'object') return scanPickleStream(source, { policy, depth, start: header.dataOffset, ...(budget ? { budget } : {}) }).findings;
  if (header.dtype === 'unknown') return [finding('NUMPY_MALFORMED', { detail: `dtype this reader does not know (${header.descr !== undefined ? JSON.stringify(header.descr) : 'structured'}); its data was also judged as a pickle` }), ...pickleImports(source, policy, depth, header.dataOffset, budget)];
  if (header.descr === undefined) return [];
  const itemSize = numpyItemSize(header.descr);
  if (typeof itemSize !== 'number') return [];
  const expected = header.shape.reduce((a, b) => a * b, 1n) * BigInt(itemSize);
  const available = BigInt(source.size - header.dataOffset);
  if (available < expected) return [finding('NUMPY_MALFORMED', { detail: `array data is ${available} bytes, shape (${header.shape.join(', ')}) of ${header.descr} needs ${expected}` }, { offset: header.dataOffset })];
  return [];
}

/** Findings of the data judged as a pickle, kept only when it imports something. */
function pickleImports(source: ByteSource, policy: ScanPolicy, depth: number, start: number, budget?: ScanBudget): ModelFinding[] {
  const stream = scanPickleStream(source, { policy, depth, start, ...(budget ? { budget } : {}) });
  return stream.imports.length > 0 ? stream.findings.filter((f) => f.rule !== 'PICKLE_MALFORMED') : [];
}
