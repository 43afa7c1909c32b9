import { execFileSync } from 'node:child_process';
import { deflateSync, gzipSync } from 'node:zlib';
import * as SevenZipImport from '7z-wasm';
import type { SevenZipModuleFactory } from '7z-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes, type ScannedFile } from '../../../src/scan/model/index.js';
import { decodeLz4Frames, Lz4Error, Lz4TooLarge } from '../../../src/scan/model/formats/lz4.js';
import { KNOWN_TF_OPS } from '../../../src/scan/model/formats/tfOps.js';
import { bytes, global, le, op, pb, pbField, sbu, zip, type Part } from './helpers.js';
import { lz4Frame, skippableFrame, type FrameOptions } from './lz4-encoder.js';

const summary = (r: ScannedFile): Array<[string, string | undefined]> => r.findings.map((f) => [f.rule, f.member]);

/** Dangerous callables a joblib payload may import, with the verdict the policy gives them. */
const PAYLOADS: ReadonlyArray<[string, string]> = [['os', 'system'], ['subprocess', 'Popen'], ['builtins', 'eval'], ['posix', 'system'], ['runpy', '_run_code']];

/** A joblib-shaped pickle: a dict of float lists, optionally with a REDUCE of a dangerous global. */
function joblibPickle(floats: number, payload: [string, string] | undefined): Uint8Array {
  const values: number[] = [];
  for (let i = 0; i < floats; i++) values.push(op('BINFLOAT'), 0x3f, 0xf0, 0, 0, 0, 0, 0, i & 0xff);
  return bytes(
    op('PROTO'), 4, op('EMPTY_DICT'),
    ...sbu('coef_'), op('EMPTY_LIST'), op('MARK'), values, op('APPENDS'), op('SETITEM'),
    ...(payload ? [...sbu('x'), ...global(payload[0], payload[1]), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('SETITEM')] : []),
    op('STOP'),
  );
}

const frameOptions: fc.Arbitrary<FrameOptions> = fc.record({
  bd: fc.constantFrom(4 as const, 5 as const, 6 as const, 7 as const),
  blockBytes: fc.option(fc.integer({ min: 16, max: 4096 }), { nil: undefined }),
  linked: fc.boolean(),
  blockChecksum: fc.boolean(),
  contentChecksum: fc.boolean(),
  contentSize: fc.boolean(),
  stored: fc.boolean(),
});

/** Bytes with repetitions (so the encoder makes matches, overlapping ones included). */
const repetitive = fc.array(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 300 })).map(([b, n]) => new Uint8Array(n).fill(b))), { maxLength: 40 }).map((parts) => bytes(...parts, ...parts.slice(0, 3)));

describe('LZ4 frames (own decoder) against an independent writer', () => {
  it('decodes every frame option, concatenated and skippable frames', () => {
    fc.assert(
      fc.property(repetitive, frameOptions, repetitive, frameOptions, fc.boolean(), (a, oa, b, ob, skip) => {
        const data = bytes(lz4Frame(a, oa), ...(skip ? [skippableFrame(3, 7)] : []), lz4Frame(b, ob));
        expect(Buffer.from(decodeLz4Frames(data, 1 << 20))).toEqual(Buffer.from(bytes(a, b)));
      }),
      { numRuns: 150 },
    );
  });

  it('stops at the output limit, and refuses offsets before the start', () => {
    const big = lz4Frame(new Uint8Array(100_000), { bd: 4, linked: true, blockChecksum: false, contentChecksum: false, contentSize: false, stored: false });
    expect(() => decodeLz4Frames(big, 50_000)).toThrow(Lz4TooLarge);
    expect(decodeLz4Frames(big, 100_000).length).toBe(100_000);
    // token: 0 literals, match of 4 at offset 9 with nothing written yet
    const bad = bytes(0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x00, ...le(3, 4), 0x00, 9, 0, ...le(0, 4));
    expect(() => decodeLz4Frames(bad, 1000)).toThrow(Lz4Error);
  });

  it('agrees with the lz4 command-line tool when it is installed', () => {
    let tool = true;
    try {
      execFileSync('lz4', ['--version'], { stdio: 'ignore' });
    } catch {
      tool = false;
    }
    if (!tool) {
      console.warn('lz4 not installed: skipping the comparison with the reference writer');
      return;
    }
    const input = bytes(...Array.from({ length: 2000 }, (_, i) => `line ${i % 37} of the model\n`));
    for (const args of [['-1'], ['-9', '-BD'], ['-B4', '--content-size'], ['-BX', '--no-frame-crc']]) {
      const framed = execFileSync('lz4', [...args, '-c'], { input });
      expect(Buffer.from(decodeLz4Frames(framed, 1 << 20))).toEqual(Buffer.from(input));
    }
  });
});

// CommonJS under ESM interop: the factory is `default`, or `default.default` depending on the loader.
const imported = SevenZipImport as unknown as { default: SevenZipModuleFactory & { default?: SevenZipModuleFactory } };
const factory: SevenZipModuleFactory = imported.default.default ?? imported.default;
async function sevenZipPack(type: 'bzip2' | 'xz', data: Uint8Array): Promise<Uint8Array> {
  const module = await factory({ print: () => undefined, printErr: () => undefined });
  module.FS.writeFile('/model.pkl', data);
  module.callMain(['a', `-t${type}`, '/out.bin', '/model.pkl']);
  return module.FS.readFile('/out.bin');
}

/** joblib.dump(..., compress=...) prefixes (joblib/compressor.py) and how each is written here. */
const COMPRESSORS: ReadonlyArray<[string, (data: Uint8Array, level: number, frame: FrameOptions) => Uint8Array, string]> = [
  ['zlib', (d, level) => deflateSync(d, { level }), '(zlib)'],
  ['gzip', (d, level) => gzipSync(d, { level }), '(gunzipped)'],
  ['zfile', (d, level) => bytes('ZF', `0x${d.length.toString(16)}`.padEnd(19, ' '), deflateSync(d, { level })), '(zlib)'],
  ['lz4', (d, _level, frame) => lz4Frame(d, frame), '(lz4)'],
];

describe('joblib compressed pickles are decoded (bounded) and judged like the pickle inside', () => {
  it('zlib, gzip, the old ZF container and lz4: same verdict and findings as the plain pickle', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.option(fc.constantFrom(...PAYLOADS), { nil: undefined }), fc.constantFrom(...COMPRESSORS), fc.integer({ min: 1, max: 9 }), frameOptions, async (floats, payload, [, compress, label], level, frame) => {
        const plain = joblibPickle(floats, payload);
        const expected = await scanModelBytes(plain, 'model.joblib');
        const r = await scanModelBytes(compress(plain, level, frame), 'model.joblib');
        expect(r.verdict).toBe(payload ? 'malicious' : 'safe');
        expect(r.verdict).toBe(expected.verdict);
        expect(r.findings.map((f) => [f.rule, f.global, f.member])).toEqual(expected.findings.map((f) => [f.rule, f.global, label]));
      }),
      { numRuns: 60 },
    );
  });

  it('bz2 and xz (7-Zip) and lzma FORMAT_ALONE (xz --format=lzma) are unpacked too', async () => {
    for (const payload of [undefined, PAYLOADS[0]] as const) {
      const plain = joblibPickle(50, payload);
      for (const type of ['bzip2', 'xz'] as const) {
        const r = await scanModelBytes(await sevenZipPack(type, plain), 'model.joblib');
        expect([type, r.format, r.verdict]).toEqual([type, 'compressed', payload ? 'malicious' : 'safe']);
      }
      let lzma: Buffer | undefined;
      try {
        lzma = execFileSync('xz', ['--format=lzma', '-c'], { input: plain });
      } catch {
        console.warn('xz not installed: lzma FORMAT_ALONE not checked');
      }
      if (lzma) {
        expect([lzma[0], lzma[1]]).toEqual([0x5d, 0x00]);
        const r = await scanModelBytes(lzma, 'model.joblib');
        expect([r.format, r.verdict]).toEqual(['compressed', payload ? 'malicious' : 'safe']);
      }
    }
  });

  it('a stream that decodes past the limit stops with SCAN_LIMIT_REACHED; a broken one is malformed', async () => {
    const zeros = new Uint8Array(3_000_000);
    for (const [name, compress] of COMPRESSORS) {
      const packed = compress(zeros, 9, { bd: 6, linked: true, blockChecksum: false, contentChecksum: false, contentSize: true, stored: false });
      const r = await scanModelBytes(packed, 'model.joblib', { limits: { maxInflatedMember: 1_000_000 } });
      expect([name, summary(r)]).toEqual([name, [['SCAN_LIMIT_REACHED', undefined]]]);
      const cut = await scanModelBytes(compress(joblibPickle(200, PAYLOADS[0]), 6, { bd: 4, linked: true, blockChecksum: false, contentChecksum: false, contentSize: false, stored: false }).subarray(0, 40), 'model.joblib');
      expect([name, cut.verdict]).toEqual([name, 'invalid']);
    }
  });
});

describe('TensorFlow graphs: ops outside the op registry are suspicious', () => {
  const known = [...KNOWN_TF_OPS].filter((o) => !['PyFunc', 'PyFuncStateless', 'EagerPyFunc', 'WriteFile', 'ReadFile', 'MatchingFiles', 'ImmutableConst', 'FixedLengthRecordDataset', 'TFRecordDataset', 'TextLineDataset'].includes(o));
  const unknownOp = fc.stringMatching(/^[A-Z][A-Za-z0-9]{2,12}>?[A-Za-z]{0,6}$/).filter((o) => !KNOWN_TF_OPS.has(o));
  const node = (name: string, opName: string): number[] => pbField(1, pb(pbField(1, name), pbField(2, opName)));
  const fnNode = (opName: string): number[] => pbField(3, pb(pbField(2, opName)));

  it('a node is judged against the registry and the graph own functions; each unknown op once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...known), { maxLength: 8 }), fc.array(unknownOp, { maxLength: 3 }), fc.array(fc.stringMatching(/^__inference_[a-z]{1,8}_[0-9]{1,4}$/), { maxLength: 3 }), fc.boolean(), async (ops, unknown, functions, frozen) => {
        // Graph nodes: known ops, calls of the library's functions, and the unknown ops (twice each).
        const graphOps = [...ops, ...functions, ...unknown, ...unknown];
        const library = functions.map((f) => pbField(1, pb(pbField(1, pb(pbField(1, f))), ...ops.map(fnNode), ...functions.map(fnNode))));
        const graph = pb(...graphOps.map((o, i) => node(`n${i}`, o)), ...(library.length ? [pbField(2, pb(...library))] : []));
        const file = frozen ? graph : pb(pbField(1, 1), pbField(2, pb(pbField(2, graph))));
        if (frozen && graphOps.length === 0) return;
        const r = await scanModelBytes(file, frozen ? 'frozen_graph.pb' : 'saved_model.pb');
        const expected = [...new Set(unknown)].map((o) => ['TF_UNKNOWN_OP', `op ${o} in the graph is neither a TensorFlow op nor a function of the graph: it needs a custom kernel (a native library loaded with the model)`]);
        expect(r.findings.map((f) => [f.rule, f.message])).toEqual(expected);
        expect(r.verdict).toBe(unknown.length > 0 ? 'suspicious' : 'safe');
      }),
      { numRuns: 80 },
    );
  });

  it('registry ops of every kind are known (spot check of the table)', () => {
    for (const o of ['Conv2D', 'MatMul', 'VarHandleOp', 'RestoreV2', 'SaveV2', 'StatefulPartitionedCall', 'PartitionedCall', 'Placeholder', 'NoOp', '_Arg', '_Retval']) expect([o, KNOWN_TF_OPS.has(o)]).toEqual([o, true]);
    for (const o of ['Addons>GeluGrad', 'SentencepieceOp', 'Exec']) expect([o, KNOWN_TF_OPS.has(o)]).toEqual([o, false]);
  });
});

describe('safetensors: a header length past the end of the file is invalid, never unsupported', () => {
  it('any length beyond the data, any header text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 40 }), async (text, extra) => {
        const header = new TextEncoder().encode(`{${text}`);
        const n = header.length + extra;
        const r = await scanModelBytes(bytes(...le(n, 8), header), 'model.safetensors');
        // The length bytes are also read as a pickle (they may spell opcodes); never unsupported or safe.
        expect([r.format, r.findings[0]?.rule]).toEqual(['safetensors', 'SAFETENSORS_MALFORMED']);
        expect(['invalid', 'suspicious', 'malicious']).toContain(r.verdict);
        if (n < 2 ** 24) expect([r.verdict, r.findings.length]).toEqual(['invalid', 1]);
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * TorchScript archives as torch.jit.save writes them (torch/csrc/jit/serialization/export_module.cpp,
 * pickler.cpp): `<name>/data.pkl` (protocol 2, GLOBAL opcodes), `constants.pkl`, `code/__torch__/*.py`
 * with `.debug_pkl` source ranges, `data/<n>` storages, `version`, `byteorder`.
 */
interface Script {
  prefix: string;
  classes: string[];
  lists: Array<'build_intlist' | 'build_doublelist' | 'build_boollist' | 'build_tensorlist'>;
  typeTag: boolean;
  quantized: boolean;
  device: boolean;
}

function tensor(key: string, storage: string): Part[] {
  return [
    ...global('torch._utils', '_rebuild_tensor_v2'), op('MARK'),
    op('MARK'), ...sbu('storage'), ...global('torch', storage), ...sbu(key), ...sbu('cpu'), op('BININT1'), 4, op('TUPLE'), op('BINPERSID'),
    op('BININT1'), 0, op('BININT1'), 4, op('TUPLE1'), op('BININT1'), 1, op('TUPLE1'), op('NEWFALSE'),
    ...global('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('TUPLE'), op('REDUCE'),
  ];
}

function dataPkl(s: Script, payload?: [string, string]): Uint8Array {
  const parts: Part[] = [op('PROTO'), 2];
  parts.push(...global(`__torch__.${s.classes[0] ?? 'Net'}`, s.classes[0] ?? 'Net'), op('EMPTY_TUPLE'), op('NEWOBJ'), op('EMPTY_DICT'), op('MARK'));
  parts.push(...sbu('training'), op('NEWTRUE'), ...sbu('weight'), ...tensor('0', s.quantized ? 'QInt8Storage' : 'FloatStorage'));
  for (const [i, name] of s.classes.slice(1).entries()) parts.push(...sbu(`sub${i}`), ...global(`__torch__.${s.classes[0] ?? 'Net'}.${name}`, name), op('EMPTY_TUPLE'), op('NEWOBJ'), op('EMPTY_DICT'), op('BUILD'));
  for (const [i, list] of s.lists.entries()) parts.push(...sbu(`l${i}`), ...global('torch.jit._pickle', list), op('EMPTY_LIST'), op('BININT1'), 1, op('APPEND'), op('TUPLE1'), op('REDUCE'));
  if (s.typeTag) parts.push(...sbu('tagged'), ...global('torch.jit._pickle', 'restore_type_tag'), op('EMPTY_DICT'), ...sbu('Dict[str, Tensor]'), op('TUPLE2'), op('REDUCE'));
  if (s.device) parts.push(...sbu('dev'), ...global('torch', 'device'), ...sbu('cpu'), op('TUPLE1'), op('REDUCE'));
  if (payload) parts.push(...sbu('p'), ...global(payload[0], payload[1]), ...sbu('true'), op('TUPLE1'), op('REDUCE'));
  parts.push(op('SETITEMS'), op('BUILD'), op('STOP'));
  return bytes(...parts);
}

const debugPkl = bytes(op('PROTO'), 2, op('MARK'), op('BININT1'), 0, op('MARK'), ...sbu(''), ...sbu('code/__torch__.py'), op('BININT1'), 1, op('TUPLE'), op('TUPLE'), op('STOP'));

function code(s: Script, extra: string): string {
  return `class ${s.classes[0] ?? 'Net'}(Module):\n  __parameters__ = ["weight", ]\n  training : bool\n  weight : Tensor\n  def forward(self: __torch__.${s.classes[0] ?? 'Net'},\n    x: Tensor) -> Tensor:\n    # torch.save(x, "not code: a comment")\n    _0 = torch.relu(torch.matmul(x, self.weight))\n    _1 = ops.prim.NumToTensor(torch.size(x, 0))\n${extra}    return _0\n`;
}

function torchScript(s: Script, inject: { dataPayload?: [string, string]; codeLine?: string; storage?: Uint8Array; extra?: Uint8Array } = {}): Uint8Array {
  const p = s.prefix;
  return zip([
    { name: `${p}/data.pkl`, data: dataPkl(s, inject.dataPayload) },
    { name: `${p}/code/__torch__.py`, data: new TextEncoder().encode(code(s, inject.codeLine ?? '')) },
    { name: `${p}/code/__torch__.py.debug_pkl`, data: debugPkl },
    { name: `${p}/constants.pkl`, data: bytes(op('PROTO'), 2, op('MARK'), ...tensor('1', 'FloatStorage'), op('TUPLE'), op('STOP')) },
    { name: `${p}/data/0`, data: inject.storage ?? new Uint8Array(16).fill(0x3f) },
    { name: `${p}/data/1`, data: new Uint8Array(16) },
    ...(inject.extra ? [{ name: `${p}/extra/notes.pkl`, data: inject.extra }] : []),
    { name: `${p}/version`, data: bytes('3\n') },
    { name: `${p}/byteorder`, data: bytes('little') },
  ]);
}

const ident = fc.stringMatching(/^[A-Z][a-zA-Z0-9]{0,10}$/);
const script: fc.Arbitrary<Script> = fc.record({
  prefix: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
  classes: fc.array(ident, { minLength: 1, maxLength: 4 }),
  lists: fc.array(fc.constantFrom('build_intlist' as const, 'build_doublelist' as const, 'build_boollist' as const, 'build_tensorlist' as const), { maxLength: 4 }),
  typeTag: fc.boolean(),
  quantized: fc.boolean(),
  device: fc.boolean(),
});

describe('TorchScript archives: their own globals and code are data; payloads are still found', () => {
  it('benign archives of any shape are safe', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (s) => {
        const r = await scanModelBytes(torchScript(s), 'model.pt');
        expect([r.format, r.verdict, summary(r)]).toEqual(['pytorch-zip', 'safe', []]);
      }),
      { numRuns: 60 },
    );
  });

  it('a payload in data.pkl, a hidden storage pickle, a pickle in extra/, or file-writing code is still caught', async () => {
    const evil = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));
    await fc.assert(
      fc.asyncProperty(script, fc.constantFrom(...PAYLOADS), fc.integer({ min: 0, max: 5 }), async (s, payload, kind) => {
        const p = s.prefix;
        const cases: Array<[Parameters<typeof torchScript>[1], string, Array<[string, string | undefined]>]> = [
          [{ dataPayload: payload }, 'malicious', [['PICKLE_DENYLISTED_GLOBAL', `${p}/data.pkl`]]],
          [{ storage: evil }, 'suspicious', [['TORCH_HIDDEN_STORAGE_PICKLE', `${p}/data/0`]]],
          [{ extra: evil }, 'malicious', [['PICKLE_DENYLISTED_GLOBAL', `${p}/extra/notes.pkl`]]],
          [{ codeLine: '    _2 = ops.aten.save(x, "/tmp/owned")\n' }, 'malicious', [['TORCHSCRIPT_DANGEROUS_CALL', `${p}/code/__torch__.py`]]],
          [{ codeLine: '    _2 = torch.from_file("/etc/passwd", False, 100)\n' }, 'suspicious', [['TORCHSCRIPT_RISKY_CALL', `${p}/code/__torch__.py`]]],
          [{ codeLine: '    _2 = ops.my_ext.run(x)\n' }, 'suspicious', [['TORCHSCRIPT_RISKY_CALL', `${p}/code/__torch__.py`]]],
        ];
        const [inject, verdict, findings] = cases[kind] as (typeof cases)[number];
        const r = await scanModelBytes(torchScript(s, inject), 'model.pt');
        expect([r.verdict, summary(r)]).toEqual([verdict, findings]);
      }),
      { numRuns: 60 },
    );
  });

  it('TorchScript globals stay judged outside TorchScript archives (no constants.pkl: torch.load unpickles in Python)', async () => {
    const s: Script = { prefix: 'archive', classes: ['Net'], lists: ['build_intlist'], typeTag: false, quantized: false, device: false };
    const plain = zip([{ name: 'archive/data.pkl', data: dataPkl(s) }, { name: 'archive/data/0', data: new Uint8Array(16) }]);
    const r = await scanModelBytes(plain, 'model.pt');
    expect(r.findings.map((f) => [f.rule, f.global])).toEqual([
      ['PICKLE_NON_ALLOWLISTED_GLOBAL', '__torch__.Net.Net'],
      ['PICKLE_DENYLISTED_GLOBAL', 'torch.jit._pickle.build_intlist'],
    ]);
  });

  it('custom C++ classes (__torch__.torch.classes) are not trusted', async () => {
    const s: Script = { prefix: 'm', classes: ['Net'], lists: [], typeTag: false, quantized: false, device: false };
    const archive = zip([
      { name: 'm/data.pkl', data: bytes(op('PROTO'), 2, ...global('__torch__.torch.classes.myns', 'Tokenizer'), op('EMPTY_TUPLE'), op('NEWOBJ'), op('STOP')) },
      { name: 'm/constants.pkl', data: bytes(op('PROTO'), 2, op('EMPTY_TUPLE'), op('STOP')) },
      { name: 'm/code/__torch__.py', data: new TextEncoder().encode(code(s, '')) },
    ]);
    const r = await scanModelBytes(archive, 'model.pt');
    expect(r.findings.map((f) => [f.rule, f.global])).toEqual([['PICKLE_NON_ALLOWLISTED_GLOBAL', '__torch__.torch.classes.myns.Tokenizer']]);
  });
});
