import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import type { ScanPolicy } from '../policy/judge.js';
import { scanPickleStream } from '../pickle/stream.js';
import { numpyItemSize } from '../pickle/vm.js';
import type { ByteSource } from '../source.js';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyHeader {
  descr: string;
  shape: number[];
  dataOffset: number;
  hasObjects: boolean;
}

/** Parse the header dict literal of a .npy file (format versions 1-3). */
export function readNpyHeader(source: ByteSource): NpyHeader | string {
  const fixed = source.read(0, 12);
  const major = fixed[6];
  if (major !== 1 && major !== 2 && major !== 3) return `unknown .npy format version ${major ?? '?'}`;
  const wide = major !== 1;
  if (fixed.length < (wide ? 12 : 10)) return 'header is truncated';
  const dv = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const headerLength = wide ? dv.getUint32(8, true) : dv.getUint16(8, true);
  const headerStart = wide ? 12 : 10;
  if (headerStart + headerLength > source.size) return `header length ${headerLength} runs past the end of the file (${source.size} bytes)`;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(source.read(headerStart, headerLength));
  const descrMatch = /['"]descr['"]\s*:\s*(?:'([^']*)'|"([^"]*)"|(\[.*\]))/s.exec(text);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descrMatch || !shapeMatch || !/['"]fortran_order['"]\s*:\s*(True|False)/.test(text)) return 'header dict lacks descr, fortran_order or shape';
  const descr = descrMatch[1] ?? descrMatch[2] ?? descrMatch[3] ?? '';
  const dims = (shapeMatch[1] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (!dims.every((d) => /^\d+L?$/.test(d))) return `shape (${shapeMatch[1] ?? ''}) is not a tuple of integers`;
  const structured = descr.startsWith('[');
  const hasObjects = structured ? /['"]\|?O\d*['"]/.test(descr) : numpyItemSize(descr) === 'object';
  return { descr, shape: dims.map((d) => parseInt(d, 10)), dataOffset: headerStart + headerLength, hasObjects };
}

/**
 * .npy: object arrays are a pickle after the header (judged); numeric arrays are raw data that
 * is never unpickled, only checked to be as long as the shape says.
 */
export function scanNpy(source: ByteSource, policy: ScanPolicy, depth: number): ModelFinding[] {
  const header = readNpyHeader(source);
  if (typeof header === 'string') return [finding('NUMPY_MALFORMED', { detail: header })];
  if (header.hasObjects) return scanPickleStream(source, { policy, depth, start: header.dataOffset }).findings;
  if (header.descr.startsWith('[')) return [];
  const itemSize = numpyItemSize(header.descr);
  if (typeof itemSize !== 'number') return [finding('NUMPY_MALFORMED', { detail: `unknown dtype ${JSON.stringify(header.descr)}` })];
  const expected = header.shape.reduce((a, b) => a * b, 1) * itemSize;
  const available = source.size - header.dataOffset;
  if (available < expected) return [finding('NUMPY_MALFORMED', { detail: `array data is ${available} bytes, shape (${header.shape.join(', ')}) of ${header.descr} needs ${expected}` }, { offset: header.dataOffset })];
  return [];
}
