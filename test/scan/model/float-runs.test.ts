import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXTENSIONS } from '../../../src/scan/model/pickle/copyreg.js';
import { PickleVm, type Framing, type RunResult } from '../../../src/scan/model/pickle/vm.js';
import { DEFAULT_POLICY } from '../../../src/scan/model/policy/judge.js';
import { BufferSource, type ByteSource } from '../../../src/scan/model/source.js';
import { bytes, le, op } from './helpers.js';

// Issue 23: runs of BINFLOAT, and the APPENDS that closes them, are executed in one tight loop
// (PickleVm.floats). The oracle is the same machine executing every opcode through its handler.

/** The same bytes without inMemory(), so the VM reads them window by window as it reads files. */
class WindowedSource implements ByteSource {
  readonly size: number;
  constructor(private readonly data: Uint8Array) {
    this.size = data.length;
  }
  read(start: number, length: number): Uint8Array {
    return this.data.slice(start, Math.min(this.size, start + length));
  }
  readInto(start: number, target: Uint8Array): number {
    const bytes = this.read(start, target.length);
    target.set(bytes);
    return bytes.length;
  }
  inMemory(): undefined {
    return undefined;
  }
}

function run(data: Uint8Array, bulkFloats: boolean, framing: Framing, cap: number, windowed: boolean): RunResult {
  const source = windowed ? new WindowedSource(data) : new BufferSource(data);
  const vm = new PickleVm(source, { policy: DEFAULT_POLICY, framing, depth: 0, extensions: DEFAULT_EXTENSIONS, nested: () => [], bulkFloats });
  return vm.run(0, cap);
}

const FLOAT = [op('BINFLOAT'), 0x3f, 0xf0, 0, 0, 0, 0, 0, 0];
const floats = (n: number): number[] => Array.from({ length: n }, () => FLOAT).flat();

/** One opcode or a few: float runs, the opcodes around float lists, and frames that cut through them. */
const chunk: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map(floats) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => [op('EMPTY_LIST'), op('MARK'), ...floats(n), op('APPENDS')]) },
  { weight: 3, arbitrary: fc.constant<number[]>([op('MARK')]) },
  { weight: 3, arbitrary: fc.constant<number[]>([op('APPENDS')]) },
  { weight: 2, arbitrary: fc.constant<number[]>([op('EMPTY_LIST')]) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 80 }).map((n) => [op('FRAME'), ...le(n, 8)]) },
  fc.constantFrom<number[]>([op('APPEND')], [op('SETITEMS')], [op('ADDITEMS')], [op('EMPTY_TUPLE')], [op('EMPTY_DICT')], [op('EMPTY_SET')], [op('POP')], [op('POP_MARK')], [op('TUPLE')], [op('LIST')], [op('DUP')], [op('MEMOIZE')], [op('NONE')]),
  fc.integer({ min: 0, max: 3 }).map((k) => [op('BINGET'), k]),
  fc.integer({ min: 0, max: 255 }).map((n) => [op('BININT1'), n]),
  // a float cut short: the stream or its frame ends inside it
  fc.integer({ min: 1, max: 8 }).map((n) => [op('BINFLOAT'), ...new Array<number>(n).fill(0)]),
);

const pickle = fc.tuple(fc.array(chunk, { maxLength: 30 }), fc.boolean()).map(([chunks, stop]) => bytes(op('PROTO'), 4, ...chunks.flat(), ...(stop ? [op('STOP')] : [])));

describe('float runs in one loop', () => {
  it('give the same result as every opcode executed by its handler (findings, faults, offsets, opcode counts, weights)', () => {
    fc.assert(
      fc.property(pickle, fc.constantFrom<Framing>('whole', 'drop'), fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 200 })), fc.boolean(), (data, framing, cap, windowed) => {
        expect(run(data, true, framing, cap, windowed)).toEqual(run(data, false, framing, cap, windowed));
      }),
      { numRuns: 3000 },
    );
  });

  it('a float list weighs one per float, however its runs are cut by frames and APPENDS', () => {
    const list = bytes(op('PROTO'), 4, op('EMPTY_LIST'), op('MARK'), ...floats(3), op('FRAME'), ...le(9 * 4 + 1, 8), ...floats(4), op('APPENDS'), op('MARK'), ...floats(5), op('APPENDS'), op('STOP'));
    for (const bulk of [true, false]) {
      const r = run(list, bulk, 'whole', Number.POSITIVE_INFINITY, false);
      expect([r.stopped, r.end, r.opcodes, r.result?.kind, r.result?.weight, r.result?.depth]).toEqual([true, list.length, 20, 'list', 13, 1]);
    }
  });

  it('the opcode cap stops at the same opcode whether it falls inside the run or on its APPENDS', () => {
    const list = bytes(op('PROTO'), 4, op('EMPTY_LIST'), op('MARK'), ...floats(10), op('APPENDS'), op('STOP'));
    for (const cap of [5, 13, 14, 15]) {
      const bulk = run(list, true, 'whole', cap, false);
      expect(bulk).toEqual(run(list, false, 'whole', cap, false));
      expect([bulk.stopped, bulk.fault?.code, bulk.opcodes]).toEqual(cap < 15 ? [false, 'SCAN_OPCODE_LIMIT', cap + 1] : [true, undefined, 15]);
    }
  });
});
