import { describe, expect, it } from 'vitest';
import { brief, bytes, global, judge, le, op, sbu, stackGlobal } from './helpers.js';

const P4 = [op('PROTO'), 4];
const STOP = op('STOP');

describe('imports', () => {
  it('GLOBAL of a deny-listed callable is malicious, with module, name and offset', () => {
    const r = judge(bytes(...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), STOP));
    expect(r.verdict).toBe('malicious');
    expect(brief(r.findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system', 0]]);
  });

  it('STACK_GLOBAL names come from the stack and the memo, not from the previous opcode', () => {
    // memo 1 = "os", memo 2 = "system", with decoy strings pushed in between
    const data = bytes(...P4, ...sbu('collections'), op('MEMOIZE'), op('POP'), ...sbu('os'), op('MEMOIZE'), op('POP'), ...sbu('system'), op('MEMOIZE'), op('POP'), ...sbu('decoy'), op('POP'), op('BINGET'), 1, op('BINGET'), 2, op('STACK_GLOBAL'), op('EMPTY_TUPLE'), op('REDUCE'), STOP);
    const r = judge(data);
    expect(brief(r.findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system', 45]]);
  });

  it('INST, OBJ, NEWOBJ and NEWOBJ_EX import their class like GLOBAL', () => {
    expect(brief(judge(bytes(op('MARK'), ...sbu('x'), op('INST'), 'subprocess\nPopen\n', STOP)).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'subprocess.Popen', 4]]);
    expect(judge(bytes(op('MARK'), ...global('pty', 'spawn'), ...sbu('sh'), op('OBJ'), STOP)).verdict).toBe('malicious');
    expect(judge(bytes(...P4, ...stackGlobal('subprocess', 'Popen'), op('EMPTY_TUPLE'), op('NEWOBJ'), STOP)).verdict).toBe('malicious');
    expect(judge(bytes(...P4, ...stackGlobal('subprocess', 'Popen'), op('EMPTY_TUPLE'), op('EMPTY_DICT'), op('NEWOBJ_EX'), STOP)).verdict).toBe('malicious');
  });

  it('Python 2 module spellings are mapped as fix_imports does', () => {
    expect(brief(judge(bytes(...global('__builtin__', 'eval'), ...sbu('1'), op('TUPLE1'), op('REDUCE'), STOP)).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'builtins.eval', 0]]);
  });

  it('dotted names are attribute walks: every component is judged', () => {
    expect(judge(bytes(...global('builtins', 'eval.__call__'), STOP)).verdict).toBe('malicious');
    expect(judge(bytes(...global('pathlib', 'os.system'), STOP)).verdict).toBe('malicious');
    expect(brief(judge(bytes(...global('torch.serialization', 'os'), STOP)).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'torch.serialization.os', 0]]);
    expect(judge(bytes(...global('numpy', '__builtins__'), STOP)).verdict).toBe('malicious');
    expect(judge(bytes(...global('torch', 'serialization.load'), STOP)).verdict).toBe('malicious');
    expect(brief(judge(bytes(...global('collections', 'OrderedDict.fromkeys'), STOP)).findings)).toEqual([['PICKLE_NON_ALLOWLISTED_GLOBAL', 'collections.OrderedDict.fromkeys', 0]]);
  });

  it('submodules of deny-listed modules are deny-listed', () => {
    expect(brief(judge(bytes(...P4, ...stackGlobal('asyncio.unix_events', '_UnixSubprocessTransport'), STOP)).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'asyncio.unix_events._UnixSubprocessTransport', 49]]);
  });

  it("a scanner's own modules are tampering", () => {
    expect(brief(judge(bytes(...P4, ...stackGlobal('picklescan.scanner', '_unsafe_globals.clear'), STOP)).findings)).toEqual([['PICKLE_SCANNER_TAMPERING', 'picklescan.scanner._unsafe_globals.clear', 45]]);
  });

  it('operands computed at load time are malicious; literal non-strings break the load', () => {
    const computed = bytes(...P4, ...global('_codecs', 'encode'), ...sbu('bf'), ...sbu('rot13'), op('TUPLE2'), op('REDUCE'), ...sbu('system'), op('STACK_GLOBAL'), STOP);
    const r = judge(computed);
    expect(r.verdict).toBe('malicious');
    expect(r.rules).toEqual(['PICKLE_DISALLOWED_ARGUMENTS', 'PICKLE_UNRESOLVED_GLOBAL']);
    const literal = judge(bytes(...P4, op('NONE'), ...sbu('system'), op('STACK_GLOBAL'), STOP));
    expect(brief(literal.findings)).toEqual([['PICKLE_MALFORMED', undefined, 11]]);
  });

  it('EXT codes resolve through copyreg.add_extension calls in the same pickle; unknown codes are unresolved', () => {
    const registered = bytes(op('PROTO'), 2, ...global('copyreg', 'add_extension'), ...sbu('os'), ...sbu('system'), op('BININT1'), 240, op('TUPLE3'), op('REDUCE'), op('POP'), op('EXT1'), 240, STOP);
    expect(brief(judge(registered).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'copyreg.add_extension', 2], ['PICKLE_DENYLISTED_GLOBAL', 'os.system', 42]]);
    expect(brief(judge(bytes(op('PROTO'), 2, op('EXT2'), ...le(300, 2), STOP)).findings)).toEqual([['PICKLE_UNRESOLVED_GLOBAL', undefined, 2]]);
  });

  it('BUILD on an imported module or class rewrites it', () => {
    const r = judge(bytes(...P4, ...stackGlobal('torch', '_utils'), op('EMPTY_DICT'), op('BUILD'), STOP));
    expect(r.rules).toEqual(['PICKLE_NON_ALLOWLISTED_GLOBAL', 'PICKLE_GLOBAL_MUTATION']);
    expect(r.verdict).toBe('malicious');
  });

  it('calling the result of a call is suspicious; calling a literal breaks the load', () => {
    const r = judge(bytes(...P4, ...stackGlobal('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('EMPTY_TUPLE'), op('REDUCE'), STOP));
    expect(r.rules).toEqual(['PICKLE_COMPUTED_CALLABLE']);
    expect(judge(bytes(...sbu('x'), op('EMPTY_TUPLE'), op('REDUCE'), STOP)).rules).toEqual(['PICKLE_MALFORMED']);
  });
});

describe('allow-listed constructs', () => {
  it('containers, scalars, strings, bytes, sets, memo and frames are safe', () => {
    const body = bytes(
      op('EMPTY_DICT'), op('MEMOIZE'), op('MARK'),
      ...sbu('ints'), op('MARK'), op('BININT1'), 1, op('BININT2'), ...le(513, 2), op('BININT'), ...le(0xffffffff, 4), op('LONG1'), 2, 0xff, 0x7f, op('LONG4'), ...le(1, 4), 5, op('INT'), '42\n', op('LONG'), '7L\n', op('LIST'),
      ...sbu('text'), op('MARK'), op('STRING'), "'a\\x41'\n", op('BINSTRING'), ...le(1, 4), 'b', op('SHORT_BINSTRING'), 1, 'c', op('UNICODE'), 'd\\u00e9\n', op('BINUNICODE'), ...le(1, 4), 'e', op('BINUNICODE8'), ...le(1, 8), 'f', op('TUPLE'),
      ...sbu('blobs'), op('SHORT_BINBYTES'), 2, 0, 1, op('BINBYTES'), ...le(1, 4), 9, op('BINBYTES8'), ...le(1, 8), 9, op('BYTEARRAY8'), ...le(1, 8), 9, op('TUPLE3'), op('POP'), op('BINGET'), 0, op('POP'),
      ...sbu('sets'), op('EMPTY_SET'), op('MARK'), op('NONE'), op('NEWTRUE'), op('NEWFALSE'), op('ADDITEMS'),
      ...sbu('frozen'), op('MARK'), op('FLOAT'), '1.5\n', op('BINFLOAT'), ...le(0, 8), op('FROZENSET'),
      ...sbu('od'), ...stackGlobal('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'),
      op('SETITEMS'), STOP,
    );
    const framed = bytes(op('PROTO'), 5, op('FRAME'), ...le(body.length, 8), body);
    expect(judge(framed).findings).toEqual([]);
  });

  it('protocol 0 DICT/LIST/TUPLE with PUT and GET text arguments are safe', () => {
    expect(judge(bytes(op('MARK'), op('DICT'), op('PUT'), '0\n', op('MARK'), op('LIST'), op('PUT'), '1\n', op('POP'), op('GET'), '1\n', op('POP'), op('MARK'), op('TUPLE'), op('POP'), STOP)).findings).toEqual([]);
  });

  it('DUP, POP_MARK, LONG_BINPUT and LONG_BINGET behave as CPython', () => {
    expect(judge(bytes(...P4, op('NONE'), op('DUP'), op('POP'), op('MARK'), op('NONE'), op('POP_MARK'), op('LONG_BINPUT'), ...le(7, 4), op('LONG_BINGET'), ...le(7, 4), op('TUPLE2'), STOP)).findings).toEqual([]);
  });

  it('persistent ids and out-of-band buffers are read without a verdict', () => {
    expect(judge(bytes(op('PROTO'), 5, op('PERSID'), 'storage0\n', op('POP'), op('NEXT_BUFFER'), op('READONLY_BUFFER'), op('BINPERSID'), STOP)).findings).toEqual([]);
  });

  it("_codecs.encode is allowed only as encode(text, 'latin1')", () => {
    const call = (codec: string) => bytes(op('PROTO'), 2, ...global('_codecs', 'encode'), ...sbu('\u00ff'), ...sbu(codec), op('TUPLE2'), op('REDUCE'), STOP);
    expect(judge(call('latin1')).findings).toEqual([]);
    expect(brief(judge(call('rot13')).findings)).toEqual([['PICKLE_DISALLOWED_ARGUMENTS', '_codecs.encode', 30]]);
  });

  it('torch tensor rebuilds with BINPERSID storages are safe', () => {
    const data = bytes(
      op('PROTO'), 2, ...global('torch._utils', '_rebuild_tensor_v2'), op('MARK'),
      op('MARK'), ...sbu('storage'), ...global('torch', 'FloatStorage'), ...sbu('0'), ...sbu('cpu'), op('BININT1'), 4, op('TUPLE'), op('BINPERSID'),
      op('BININT1'), 0, op('BININT1'), 4, op('TUPLE1'), op('BININT1'), 1, op('TUPLE1'), op('NEWFALSE'), ...global('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('TUPLE'), op('REDUCE'), STOP,
    );
    expect(judge(data).findings).toEqual([]);
  });
});

describe('nested pickles', () => {
  const inner = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), STOP);
  it('bytes given to a nested loader are judged, at their offset in the file', () => {
    const outer = bytes(op('PROTO'), 4, ...stackGlobal('torch.storage', '_load_from_bytes'), op('SHORT_BINBYTES'), inner.length, inner, op('TUPLE1'), op('REDUCE'), STOP);
    const r = judge(outer);
    expect(r.verdict).toBe('malicious');
    expect(brief(r.findings)).toEqual([['PICKLE_NON_ALLOWLISTED_GLOBAL', 'torch.storage._load_from_bytes', 35], ['PICKLE_NESTED_MALICIOUS', 'os.system', 36 + 2 + 2]]);
    expect(r.findings[1]?.message).toBe('bytes passed to torch.storage._load_from_bytes hold a pickle that imports deny-listed os.system (module os)');
  });
});

describe('malformed streams are invalid, with the offset', () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ['truncated inside an argument', bytes(op('PROTO'), 4, op('BINUNICODE'), ...le(1000, 4), 'abc'), 2],
    ['no STOP', bytes(op('PROTO'), 4, op('NONE')), 3],
    ['unknown opcode', bytes(op('PROTO'), 4, 0xff, STOP), 2],
    ['stack underflow', bytes(op('PROTO'), 4, op('TUPLE2'), STOP), 2],
    ['no MARK', bytes(op('PROTO'), 4, op('EMPTY_LIST'), op('APPENDS'), STOP), 3],
    ['missing memo key', bytes(op('PROTO'), 4, op('BINGET'), 3, STOP), 2],
    ['unquoted STRING', bytes(op('STRING'), 'abc\n', STOP), 0],
    ['protocol 6', bytes(op('PROTO'), 6, op('NONE'), STOP), 0],
    ['odd SETITEMS', bytes(op('EMPTY_DICT'), op('MARK'), op('NONE'), op('SETITEMS'), STOP), 3],
    ['GLOBAL name not UTF-8', bytes(op('GLOBAL'), 'mod\n', 0xf8, '\n', STOP), 0],
    ['bad INT', bytes(op('INT'), 'x1\n', STOP), 0],
  ];
  it.each(cases)('%s', (_name, data, offset) => {
    const r = judge(data);
    expect(brief(r.findings)).toEqual([['PICKLE_MALFORMED', undefined, offset]]);
    expect(r.verdict).toBe('invalid');
  });

  it('a payload before the break still makes it malicious', () => {
    const r = judge(bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE')));
    expect(r.rules).toEqual(['PICKLE_DENYLISTED_GLOBAL', 'PICKLE_MALFORMED']);
    expect(r.verdict).toBe('malicious');
  });
});

describe('streams', () => {
  const benign = bytes(op('PROTO'), 4, op('EMPTY_LIST'), STOP);
  const evil = bytes(op('PROTO'), 4, ...stackGlobal('os', 'system'), STOP);
  it('a pickle right after a STOP is judged', () => {
    expect(brief(judge(bytes(benign, evil)).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system', 4 + 14]]);
  });
  it('junk after the last STOP is ignored', () => {
    expect(judge(bytes(benign, 0xff, 0xfe, 'junk')).findings).toEqual([]);
  });
  it('a pickle hidden behind junk is suspicious, not malicious', () => {
    const r = judge(bytes(benign, 0xff, 0xff, evil));
    expect(brief(r.findings)).toEqual([['PICKLE_HIDDEN_PICKLE', 'os.system', 6]]);
    expect(r.verdict).toBe('suspicious');
  });
  it('legacy torch: every stacked pickle is judged; a pickle in the raw storage after them is hidden', () => {
    const magic = bytes(op('PROTO'), 2, op('LONG1'), 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, STOP);
    const keys = bytes(op('PROTO'), 2, op('EMPTY_LIST'), ...sbu('0'), op('APPEND'), STOP);
    const storage = bytes(...le(2, 8), 0xff, 0xfe);
    expect(judge(bytes(magic, benign, evil, keys, storage)).rules).toEqual(['PICKLE_DENYLISTED_GLOBAL']);
    const r = judge(bytes(magic, benign, keys, storage, evil));
    expect(brief(r.findings)).toEqual([['PICKLE_HIDDEN_PICKLE', 'os.system', 15 + 4 + 8 + 10]]);
  });

  it('a second PROTO mid-stream is tampering', () => {
    expect(brief(judge(bytes(op('PROTO'), 4, op('EMPTY_DICT'), op('PROTO'), 2, STOP)).findings)).toEqual([['PICKLE_MISPLACED_PROTO', undefined, 3]]);
  });
});

describe('resource traps', () => {
  it('a DUP flood is suspicious', () => {
    const r = judge(bytes(op('PROTO'), 4, op('NONE'), op('MARK'), op('NONE'), ...new Array<number>(101).fill(op('DUP')), op('TUPLE'), op('TUPLE2'), STOP));
    expect(r.rules).toEqual(['PICKLE_RESOURCE_TRAP']);
  });
  it('nesting deeper than the recursion limit is suspicious', () => {
    const depth = 1500;
    const r = judge(bytes(op('PROTO'), 2, ...new Array<number>(depth).fill(op('EMPTY_LIST')), ...new Array<number>(depth - 1).fill(op('APPEND')), STOP));
    expect(r.rules).toEqual(['PICKLE_RESOURCE_TRAP']);
    expect(judge(bytes(op('PROTO'), 2, ...new Array<number>(100).fill(op('EMPTY_LIST')), ...new Array<number>(99).fill(op('APPEND')), STOP)).rules).toEqual([]);
  });
  it('memo expansion (each list holds the previous one twice) is suspicious', () => {
    const parts: number[] = [op('PROTO'), 4, op('EMPTY_LIST'), op('MEMOIZE')];
    for (let i = 0; i < 40; i++) parts.push(op('EMPTY_LIST'), op('BINGET'), i, op('BINGET'), i, op('APPEND'), op('APPEND'), op('MEMOIZE'));
    parts.push(STOP);
    expect(judge(bytes(parts)).rules).toEqual(['PICKLE_RESOURCE_TRAP']);
  });
});

describe('frames', () => {
  it('a read that crosses a frame end is judged both ways (CPython issue 154848)', () => {
    // FRAME of 2 bytes: "B" and one length byte; a file reader drops the leftover and reads the
    // length (1) after the frame, then finds the hidden GLOBAL.
    const hidden = bytes(...global('os', 'system'), ...sbu('x'), op('TUPLE1'), op('REDUCE'), op('POP'));
    const data = bytes(op('PROTO'), 4, op('MARK'), op('FRAME'), ...le(2, 8), op('BINBYTES'), 3 + hidden.length, 0, 0, 0, 0x00, hidden, op('POP_MARK'), op('NONE'), STOP);
    const r = judge(data);
    expect(r.rules).toEqual(['PICKLE_FRAME_VIOLATION', 'PICKLE_DENYLISTED_GLOBAL']);
    expect(r.verdict).toBe('malicious');
  });
  it('float runs are read across frames and buffers, and a float cut by its frame is caught', () => {
    const floats = (n: number): number[] => new Array<number>(n).fill(0).flatMap(() => [op('BINFLOAT'), 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
    const frame = (body: number[]): number[] => [op('FRAME'), ...le(body.length, 8), ...body];
    const framed = bytes(op('PROTO'), 4, ...frame([op('EMPTY_LIST'), op('MARK'), ...floats(1000)]), ...frame([...floats(1000), op('APPENDS'), STOP]));
    expect(judge(framed).findings).toEqual([]);
    const cut = floats(3);
    const broken = bytes(op('PROTO'), 4, ...frame([op('EMPTY_LIST'), op('MARK'), ...cut.slice(0, 22)]), ...cut.slice(22), op('APPENDS'), STOP);
    expect(brief(judge(broken).findings)).toEqual([['PICKLE_FRAME_VIOLATION', undefined, 31]]);
  });

  it('well-formed frames raise nothing', () => {
    const body = bytes(op('EMPTY_LIST'), STOP);
    expect(judge(bytes(op('PROTO'), 4, op('FRAME'), ...le(body.length, 8), body)).findings).toEqual([]);
  });
});
