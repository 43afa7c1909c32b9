import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import type { ScannedFile } from '../../../src/scan/model/index.js';
import { bytes, global, le, op, pb, pbField, sbu, zip } from './helpers.js';

const evil = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));
const benign = bytes(op('PROTO'), 2, ...global('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('STOP'));

function summary(r: ScannedFile): Array<[string, string | undefined]> {
  return r.findings.map((f) => [f.rule, f.member]);
}

describe('zip and torch archives', () => {
  it('judges data.pkl under any top folder, and reports the member', async () => {
    const r = await scanModelBytes(zip([{ name: 'resnet_final/data.pkl', data: evil }, { name: 'resnet_final/version', data: bytes('3\n') }]), 'model.pt');
    expect(r.format).toBe('pytorch-zip');
    expect(r.verdict).toBe('malicious');
    expect(summary(r)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'resnet_final/data.pkl']]);
  });

  it('judges members with any name, but storage records only for a hidden pickle', async () => {
    const r = await scanModelBytes(zip([{ name: 'archive/data.pkl', data: benign }, { name: 'archive/data/0', data: evil }, { name: 'payload.txt', data: bytes('cos\nsystem\n(S\'true\'\ntR.') }]), 'model.pt');
    expect(summary(r)).toEqual([['TORCH_HIDDEN_STORAGE_PICKLE', 'archive/data/0'], ['PICKLE_DENYLISTED_GLOBAL', 'payload.txt']]);
  });

  it('reads by the central directory when the local header disagrees', async () => {
    const r = await scanModelBytes(zip([{ name: 'archive/data.pkl', localName: 'archive/datb.pkl', data: evil }]), 'model.pt');
    expect(summary(r)).toEqual([['ZIP_HEADER_MISMATCH', 'archive/data.pkl'], ['PICKLE_DENYLISTED_GLOBAL', 'archive/data.pkl']]);
  });

  it('an "encrypted" flag on plain bytes does not hide them; real ciphertext fails closed', async () => {
    expect((await scanModelBytes(zip([{ name: 'data.pkl', flags: 1, data: evil }]), 'a.zip')).verdict).toBe('malicious');
    const r = await scanModelBytes(zip([{ name: 'data.pkl', flags: 1, data: bytes(0x8a, 0x11, 0x93, 0x02, 0x55, 0x44) }]), 'a.zip');
    expect(summary(r)).toEqual([['ZIP_ENCRYPTED', 'data.pkl']]);
    expect(r.verdict).toBe('suspicious');
  });

  it('finds a zip behind a prefix or a pickle (polyglot) from its end record', async () => {
    const polyglot = zip([{ name: 'archive/data.pkl', data: evil }], benign);
    const r = await scanModelBytes(polyglot, 'model.bin');
    expect(r.verdict).toBe('malicious');
  });

  it('opens nested zips and reports duplicate and escaping names', async () => {
    const inner = zip([{ name: 'data.pkl', data: evil }]);
    const r = await scanModelBytes(zip([{ name: 'inner.zip', data: inner }, { name: '../x', data: benign }, { name: '../x', data: benign }]), 'outer.zip');
    expect(summary(r)).toEqual([
      ['ZIP_DUPLICATE_NAME', undefined],
      ['ZIP_PATH_TRAVERSAL', '../x'],
      ['ZIP_PATH_TRAVERSAL', '../x'],
      ['PICKLE_DENYLISTED_GLOBAL', 'inner.zip!data.pkl'],
    ]);
  });

  it('a zip whose directory does not fit is invalid', async () => {
    const good = zip([{ name: 'data.pkl', data: benign }]);
    const broken = good.slice();
    broken[broken.length - 6] = 0xff; // central directory offset far past the end record
    expect((await scanModelBytes(broken, 'x.zip')).findings.map((f) => f.rule)).toEqual(['ARCHIVE_MALFORMED']);
  });
});

function npy(descr: string, shape: string, data: Uint8Array, version = 1): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const fixed = version === 1 ? 10 : 12;
  header = header.padEnd(Math.ceil((fixed + header.length + 1) / 64) * 64 - fixed - 1, ' ') + '\n';
  return bytes(0x93, 'NUMPY', version, 0, ...le(header.length, version === 1 ? 2 : 4), header, data);
}

describe('numpy', () => {
  it('numeric arrays are safe whatever their bytes look like', async () => {
    expect((await scanModelBytes(npy('<f4', '(2,)', bytes('cos\nsys\n')), 'w.npy')).findings).toEqual([]);
    expect((await scanModelBytes(npy('<f8', '(1,)', new Uint8Array(8), 2), 'w.npy')).findings).toEqual([]);
  });
  it('object arrays are judged as pickles', async () => {
    const r = await scanModelBytes(npy('|O', '(1,)', evil), 'o.npy');
    expect(r.findings.map((f) => f.rule)).toEqual(['PICKLE_DENYLISTED_GLOBAL']);
  });
  it('short data and bad headers are invalid', async () => {
    expect((await scanModelBytes(npy('<f8', '(4,)', new Uint8Array(8)), 'w.npy')).findings.map((f) => f.rule)).toEqual(['NUMPY_MALFORMED']);
    expect((await scanModelBytes(bytes(0x93, 'NUMPY', 1, 0, ...le(500, 2), "{'descr'"), 'w.npy')).verdict).toBe('invalid');
  });
});

function safetensors(header: unknown, dataLength: number): Uint8Array {
  const json = JSON.stringify(header);
  return bytes(...le(json.length, 8), json, new Uint8Array(dataLength));
}

describe('safetensors', () => {
  it('accepts tensors that tile the data exactly', async () => {
    const r = await scanModelBytes(safetensors({ __metadata__: { a: 'b' }, w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] }, b: { dtype: 'F16', shape: [2], data_offsets: [16, 20] } }, 20), 'm.safetensors');
    expect(r.format).toBe('safetensors');
    expect(r.findings).toEqual([]);
  });
  const invalid: Array<[string, unknown, number]> = [
    ['overlap', { a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] } }, 24],
    ['gap', { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8],
    ['past the end', { a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8],
    ['shape mismatch', { a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, 16],
    ['unknown dtype', { a: { dtype: 'F33', shape: [4], data_offsets: [0, 16] } }, 16],
    ['bytes left over', { a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] } }, 8],
  ];
  it.each(invalid)('%s is invalid', async (_name, header, length) => {
    expect((await scanModelBytes(safetensors(header, length), 'm.safetensors')).findings.map((f) => f.rule)).toEqual(['SAFETENSORS_MALFORMED']);
  });
});

function gguf(pairs: Array<[string, string]>, claimedPairs = pairs.length): Uint8Array {
  const str = (s: string): number[] => {
    const b = new TextEncoder().encode(s);
    return [...le(b.length, 8), ...b];
  };
  return bytes('GGUF', ...le(3, 4), ...le(0, 8), ...le(claimedPairs, 8), ...pairs.flatMap(([k, v]) => [...str(k), ...le(8, 4), ...str(v)]));
}

describe('gguf', () => {
  it('a plain chat template is safe', async () => {
    expect((await scanModelBytes(gguf([['general.architecture', 'llama'], ['tokenizer.chat_template', '{% for m in messages %}{{ m.content }}{% endfor %}']]), 'm.gguf')).findings).toEqual([]);
  });
  it('a template walking __class__/__globals__ is malicious', async () => {
    const r = await scanModelBytes(gguf([['tokenizer.chat_template', "{{ self.__init__.__globals__['os'].popen('id').read() }}"]]), 'm.gguf');
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([['GGUF_TEMPLATE_INJECTION', 'chat template tokenizer.chat_template accesses __init__, __globals__ (Jinja sandbox escape)']]);
  });
  it('a template that is not valid Jinja is suspicious: what it does cannot be told', async () => {
    const r = await scanModelBytes(gguf([['tokenizer.chat_template', '{% for m in messages %}{{ m.content }']]), 'm.gguf');
    expect([r.verdict, r.findings.map((f) => [f.rule, f.message])]).toEqual(['suspicious', [['GGUF_TEMPLATE_UNPARSEABLE', 'chat template tokenizer.chat_template is not valid Jinja: Parser Error: Expected closing expression token. CloseCurlyBracket !== CloseExpression.']]]);
  });
  it('absurd counts are invalid without allocating', async () => {
    expect((await scanModelBytes(gguf([], 2 ** 40), 'm.gguf')).findings.map((f) => f.rule)).toEqual(['GGUF_MALFORMED']);
  });
});

describe('onnx and tensorflow', () => {
  const node = (op: string, domain?: string): number[] => pbField(1, pb(pbField(4, op), ...(domain ? [pbField(7, domain)] : [])));
  it('onnx: custom domains are suspicious, escaping external data malicious', async () => {
    const external = pbField(5, pb(pbField(8, 'W'), pbField(14, 1), pbField(13, pb(pbField(1, 'location'), pbField(2, '../../etc/passwd')))));
    const model = pb(pbField(1, 8), pbField(7, pb(node('Add'), node('Exec', 'com.example.evil'), external)));
    expect((await scanModelBytes(model, 'm.onnx')).findings.map((f) => f.rule)).toEqual(['ONNX_CUSTOM_DOMAIN', 'ONNX_EXTERNAL_DATA_ESCAPE']);
    expect((await scanModelBytes(pb(pbField(7, pb(node('Add')))), 'm.onnx')).findings).toEqual([]);
    const truncated = await scanModelBytes(bytes(0x3a, 0x50, 1), 'm.onnx');
    expect([truncated.verdict, truncated.findings.map((f) => [f.rule, f.message])]).toEqual(['invalid', [['ONNX_MALFORMED', 'field 7 of 80 bytes runs past the end at offset 1']]]);
  });
  it('saved_model.pb: WriteFile in the function library is malicious, ReadFile suspicious', async () => {
    const fn = pbField(1, pb(pbField(1, pb(pbField(1, 'f'))), pbField(3, pb(pbField(2, 'WriteFile')))));
    const graph = pb(pbField(1, pb(pbField(1, 'x'), pbField(2, 'ReadFile'))), pbField(2, pb(fn)));
    const saved = pb(pbField(1, 1), pbField(2, pb(pbField(2, graph))));
    expect((await scanModelBytes(saved, 'saved_model.pb')).findings.map((f) => [f.rule, f.message])).toEqual([
      ['TF_RISKY_OP', 'op ReadFile in the graph'],
      ['TF_DANGEROUS_OP', 'op WriteFile in function "f"'],
    ]);
    const frozen = pb(pbField(1, pb(pbField(1, 'p'), pbField(2, 'PyFunc'))), pbField(1, pb(pbField(1, 'c'), pbField(2, 'Const'))));
    expect((await scanModelBytes(frozen, 'frozen_graph.pb')).findings.map((f) => [f.rule, f.message])).toEqual([['TF_DANGEROUS_OP', 'op PyFunc in the graph']]);
    expect((await scanModelBytes(pb(pbField(1, 1)), 'saved_model.pb')).findings.map((f) => f.rule)).toEqual(['TF_MALFORMED']);
  });
});

describe('keras v3', () => {
  const keras = (config: unknown): Uint8Array => zip([{ name: 'metadata.json', data: bytes('{}') }, { name: 'config.json', data: new TextEncoder().encode(JSON.stringify(config)) }]);
  it('Lambda layers, foreign modules and the unsafe switch are malicious', async () => {
    const r = await scanModelBytes(keras({ module: 'keras', class_name: 'Sequential', config: { layers: [
      { module: 'keras.layers', class_name: 'Dense', config: { activation: { module: 'os', class_name: 'function', config: 'system' } } },
      { module: 'keras.layers', class_name: 'Lambda', config: { name: 'l' } },
      { module: 'keras.config', class_name: 'function', config: 'enable_unsafe_deserialization' },
    ] } }), 'm.keras');
    expect(r.format).toBe('keras-v3');
    expect(r.findings.map((f) => f.rule)).toEqual(['KERAS_UNSAFE_MODULE', 'KERAS_LAMBDA', 'KERAS_UNSAFE_DESERIALIZATION']);
  });
  it('a config that is not JSON is malformed: Keras refuses the file', async () => {
    const r = await scanModelBytes(zip([{ name: 'metadata.json', data: bytes('{}') }, { name: 'config.json', data: bytes('{"class_name": ') }]), 'm.keras');
    expect([r.verdict, r.findings.map((f) => [f.rule, f.member, f.message])]).toEqual(['invalid', [['KERAS_MALFORMED', 'config.json', 'config is not JSON: Unexpected end of JSON input']]]);
  });
  it('plain keras layers are safe', async () => {
    expect((await scanModelBytes(keras({ module: 'keras', class_name: 'Sequential', config: { layers: [{ module: 'keras.layers', class_name: 'Dense', config: { activation: 'relu' } }] } }), 'm.keras')).findings).toEqual([]);
  });
});

describe('other inputs', () => {
  it('empty files are invalid, images unsupported, a 7z signature without an archive malformed', async () => {
    const empty = await scanModelBytes(new Uint8Array(0), 'x.pt');
    expect([empty.verdict, empty.findings.map((f) => [f.rule, f.message])]).toEqual(['invalid', [['FILE_EMPTY', 'zero-byte file: no loader accepts it']]]);
    expect((await scanModelBytes(bytes(0x89, 'PNG\r\n', 0x1a, '\n'), 'x.pt')).verdict).toBe('unsupported');
    expect((await scanModelBytes(bytes('7z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4), 'x.7z')).findings.map((f) => f.rule)).toEqual(['ARCHIVE_MALFORMED']);
  });
});

describe('Hugging Face model folders', () => {
  const config = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
  it('a config.json whose auto_map wires in shipped code is suspicious (trust_remote_code runs it)', async () => {
    const r = await scanModelBytes(config({ model_type: 'custom', auto_map: { AutoModel: 'modeling_custom.CustomModel' } }), 'config.json');
    expect([r.verdict, r.findings.map((f) => [f.rule, f.message])]).toEqual(['suspicious', [['HF_REMOTE_CODE', 'config.json auto_map names code that trust_remote_code=True imports: {"AutoModel":"modeling_custom.CustomModel"}']]]);
  });
  it('a config.json without auto_map is not a model: unsupported, not suspicious', async () => {
    const r = await scanModelBytes(config({ model_type: 'bert', hidden_size: 768 }), 'config.json');
    expect([r.verdict, r.findings.map((f) => f.rule)]).toEqual(['unsupported', ['FORMAT_UNSUPPORTED']]);
  });
});
