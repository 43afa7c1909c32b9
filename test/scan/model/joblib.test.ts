import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { brief, bytes, global, judge, le, op, sbu, stackGlobal } from './helpers.js';

/** joblib's layout: a NumpyArrayWrapper BUILD, then the array itself outside the opcodes. */
function wrapper(dtype: string, count: number, array: Uint8Array, aligned: boolean): Uint8Array {
  const state = bytes(
    op('EMPTY_DICT'), op('MARK'),
    ...sbu('shape'), op('BININT1'), count, op('TUPLE1'),
    ...sbu('dtype'), ...stackGlobal('numpy', 'dtype'), ...sbu(dtype), op('NEWFALSE'), op('NEWTRUE'), op('TUPLE3'), op('REDUCE'),
    ...(aligned ? [...sbu('numpy_array_alignment_bytes'), op('BININT1'), 16] : []),
    op('SETITEMS'),
  );
  return bytes(...stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper'), op('EMPTY_TUPLE'), op('NEWOBJ'), state, op('BUILD'), array);
}

const payload = bytes(...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'));

describe('joblib arrays inside the pickle stream', () => {
  it('skips raw float64 data (after its alignment pad) and judges what follows', () => {
    const raw = bytes(3, 0xff, 0xff, 0xff, new Uint8Array(3 * 8).fill(0x63));
    const data = bytes(op('PROTO'), 4, op('EMPTY_DICT'), ...sbu('coef_'), wrapper('f8', 3, raw, true), op('SETITEM'), ...sbu('x'), payload, op('SETITEM'), op('STOP'));
    const r = judge(data);
    expect(r.rules).toEqual(['PICKLE_NON_ALLOWLISTED_GLOBAL', 'PICKLE_DENYLISTED_GLOBAL']);
    expect(r.findings[1]?.global).toBe('os.system');
  });

  it('a benign joblib file is suspicious only for the joblib import', async () => {
    const raw = bytes(new Uint8Array(2 * 4));
    const data = bytes(op('PROTO'), 4, wrapper('<f4', 2, raw, false), op('STOP'));
    const r = await scanModelBytes(data, 'model.joblib');
    expect([r.format, r.verdict]).toEqual(['joblib', 'suspicious']);
    expect(brief(r.findings)).toEqual([['PICKLE_NON_ALLOWLISTED_GLOBAL', 'joblib.numpy_pickle.NumpyArrayWrapper', 42]]);
  });

  it('object arrays are a nested pickle read in place', () => {
    const nested = bytes(op('PROTO'), 2, payload, op('STOP'));
    const data = bytes(op('PROTO'), 4, wrapper('O', 1, nested, false), op('STOP'));
    expect(judge(data).rules).toEqual(['PICKLE_NON_ALLOWLISTED_GLOBAL', 'PICKLE_DENYLISTED_GLOBAL']);
  });

  it('raw data shorter than the shape is invalid', () => {
    const data = bytes(op('PROTO'), 4, wrapper('f8', 200, new Uint8Array(16), false), op('STOP'));
    expect(judge(data).rules).toEqual(['PICKLE_NON_ALLOWLISTED_GLOBAL', 'PICKLE_MALFORMED']);
  });

  it('large arrays are skipped, not read (the count is taken from LONG shapes too)', () => {
    const count = 70000;
    const state = bytes(op('EMPTY_DICT'), op('MARK'), ...sbu('shape'), op('BININT'), ...le(count, 4), op('TUPLE1'), ...sbu('dtype'), ...sbu('u1'), op('SETITEMS'));
    const data = bytes(op('PROTO'), 4, ...stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper'), op('EMPTY_TUPLE'), op('NEWOBJ'), state, op('BUILD'), new Uint8Array(count), op('STOP'));
    expect(judge(data).rules).toEqual(['PICKLE_NON_ALLOWLISTED_GLOBAL']);
  });
});
