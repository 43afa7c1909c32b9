import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import type { ByteSource } from '../source.js';

export { looksLikeSafetensors } from './magic.js';

/** Bytes per element of each safetensors dtype (sub-byte float formats are not size-checked). */
const DTYPE_BYTES: Readonly<Record<string, number | undefined>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8, C64: 8, F4: undefined, F6_E2M3: undefined, F6_E3M2: undefined,
};

const MAX_HEADER = 100 * 1024 * 1024;


/**
 * Strict header validation, as the safetensors library does on load: JSON object, known dtypes,
 * shapes that match byte ranges, ranges that tile the data area exactly (no gap, no overlap, no
 * byte past the end). Tensor bytes are never inspected: nothing unpickles them.
 */
export function scanSafetensors(source: ByteSource): ModelFinding[] {
  const bad = (detail: string): ModelFinding[] => [finding('SAFETENSORS_MALFORMED', { detail })];
  if (source.size < 8) return bad('file is shorter than the 8-byte header length');
  const first = source.read(0, 8);
  const dv = new DataView(first.buffer, first.byteOffset, 8);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 0x100000000;
  if (n > source.size - 8) return bad(`header length ${n} runs past the end of the file (${source.size} bytes)`);
  if (n > MAX_HEADER) return bad(`header length ${n} exceeds ${MAX_HEADER} bytes`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(source.read(8, n)));
  } catch (error) {
    return bad(`header is not UTF-8 JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return bad('header is not a JSON object');
  const dataLength = source.size - 8 - n;
  const ranges: Array<[number, number, string]> = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Object.values(info).some((v) => typeof v !== 'string')) return bad('__metadata__ must map strings to strings');
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null || typeof t.dtype !== 'string' || !(t.dtype in DTYPE_BYTES)) return bad(`tensor ${JSON.stringify(name)} has an unknown dtype`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return bad(`tensor ${JSON.stringify(name)} has a bad shape`);
    const offsets = t.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) return bad(`tensor ${JSON.stringify(name)} has bad data_offsets`);
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) return bad(`tensor ${JSON.stringify(name)} data_offsets [${begin}, ${end}] leave the ${dataLength}-byte data area`);
    const elementBytes = DTYPE_BYTES[t.dtype];
    const elements = (t.shape as number[]).reduce((a, b) => a * b, 1);
    if (elementBytes !== undefined && elements * elementBytes !== end - begin) return bad(`tensor ${JSON.stringify(name)} shape needs ${elements * elementBytes} bytes, data_offsets give ${end - begin}`);
    ranges.push([begin, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let expected = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== expected) return bad(begin < expected ? `tensor ${JSON.stringify(name)} overlaps the one before it (starts at ${begin}, previous ends at ${expected})` : `gap before tensor ${JSON.stringify(name)} (starts at ${begin}, previous ends at ${expected})`);
    expected = end;
  }
  if (expected !== dataLength) return bad(`tensors cover ${expected} of the ${dataLength} data bytes`);
  return [];
}
