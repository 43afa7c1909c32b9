import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { palisade } from '../../helpers/cli.js';
import { aliasedZip, bytes, global, le, op, pb, pbField, sbu, zip } from './helpers.js';

/**
 * The model rules the unit tests drive through scanModelBytes, run end to end: each file below is
 * built to carry one rule, written to a folder, and `palisade scan model <folder> --format json`
 * must report exactly the expected rules (with the member they name) for each file, and the
 * expected verdict. One CLI run covers them all.
 */

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const evil = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));
const benign = bytes(op('PROTO'), 2, ...global('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('STOP'));

function gguf(pairs: Array<[string, string]>): Uint8Array {
  const str = (s: string): number[] => [...le(text(s).length, 8), ...text(s)];
  return bytes('GGUF', ...le(3, 4), ...le(0, 8), ...le(pairs.length, 8), ...pairs.flatMap(([k, v]) => [...str(k), ...le(8, 4), ...str(v)]));
}

/** A TorchScript archive (constants.pkl marks it) whose code/ holds one given line. */
function torchScript(line: string): Uint8Array {
  return zip([
    { name: 'm/data.pkl', data: benign },
    { name: 'm/constants.pkl', data: bytes(op('PROTO'), 2, op('EMPTY_TUPLE'), op('STOP')) },
    { name: 'm/code/__torch__.py', data: text(`def forward(self, x):\n${line}    return x\n`) },
    { name: 'm/version', data: bytes('3\n') },
  ]);
}

/** A SavedModel (or frozen GraphDef) whose graph holds the given ops. */
function graph(...ops: string[]): Uint8Array {
  return pb(...ops.map((o, i) => pbField(1, pb(pbField(1, `n${i}`), pbField(2, o)))));
}
const savedModel = (g: Uint8Array): Uint8Array => pb(pbField(1, 1), pbField(2, pb(pbField(2, g))));

const brokenZip = (() => {
  const z = zip([{ name: 'data.pkl', data: benign }]);
  z[z.length - 6] = 0xff; // the central directory's offset now points past the end record
  return z;
})();

interface Case {
  file: string;
  data: Uint8Array;
  verdict: string;
  findings: Array<[string, string | undefined]>;
}

const CASES: Case[] = [
  { file: 'broken.zip', data: brokenZip, verdict: 'invalid', findings: [['ARCHIVE_MALFORMED', undefined]] },
  { file: 'lzma.zip', data: zip([{ name: 'data.pkl', data: benign, method: 14 }]), verdict: 'suspicious', findings: [['ARCHIVE_UNINSPECTABLE', 'data.pkl']] },
  { file: 'empty.pt', data: new Uint8Array(0), verdict: 'invalid', findings: [['FILE_EMPTY', undefined]] },
  { file: 'chat.gguf', data: gguf([['tokenizer.chat_template', '{% for m in messages %}{{ m.content }']]), verdict: 'suspicious', findings: [['GGUF_TEMPLATE_UNPARSEABLE', undefined]] },
  { file: 'hf-remote/config.json', data: text(JSON.stringify({ model_type: 'custom', auto_map: { AutoModel: 'modeling_custom.CustomModel' } })), verdict: 'suspicious', findings: [['HF_REMOTE_CODE', undefined]] },
  { file: 'broken.keras', data: zip([{ name: 'metadata.json', data: bytes('{}') }, { name: 'config.json', data: bytes('{"class_name": ') }]), verdict: 'invalid', findings: [['KERAS_MALFORMED', 'config.json']] },
  { file: 'broken.onnx', data: bytes(0x3a, 0x50, 1), verdict: 'invalid', findings: [['ONNX_MALFORMED', undefined]] },
  {
    file: 'nested.pkl',
    data: bytes(op('PROTO'), 2, ...global('pickle', 'loads'), op('BINBYTES'), le(evil.length, 4), evil, op('TUPLE1'), op('REDUCE'), op('STOP')),
    verdict: 'malicious',
    // pickle.loads is deny-listed itself; the bytes it is given hold os.system
    findings: [['PICKLE_DENYLISTED_GLOBAL', undefined], ['PICKLE_NESTED_MALICIOUS', undefined]],
  },
  { file: 'tf-malformed/saved_model.pb', data: pb(pbField(1, 1)), verdict: 'invalid', findings: [['TF_MALFORMED', undefined]] },
  { file: 'tf-risky/saved_model.pb', data: savedModel(graph('Placeholder', 'ReadFile')), verdict: 'suspicious', findings: [['TF_RISKY_OP', undefined]] },
  { file: 'frozen_graph.pb', data: graph('Placeholder', 'MyVendorFusedKernel'), verdict: 'suspicious', findings: [['TF_UNKNOWN_OP', undefined]] },
  { file: 'script-writes.pt', data: torchScript('    _0 = ops.aten.save(x, "/tmp/owned")\n'), verdict: 'malicious', findings: [['TORCHSCRIPT_DANGEROUS_CALL', 'm/code/__torch__.py']] },
  { file: 'script-reads.pt', data: torchScript('    _0 = torch.from_file("/etc/passwd", False, 100)\n'), verdict: 'suspicious', findings: [['TORCHSCRIPT_RISKY_CALL', 'm/code/__torch__.py']] },
  { file: 'hidden-storage.pt', data: zip([{ name: 'archive/data.pkl', data: benign }, { name: 'archive/data/0', data: evil }]), verdict: 'suspicious', findings: [['TORCH_HIDDEN_STORAGE_PICKLE', 'archive/data/0']] },
  { file: 'bomb.zip', data: aliasedZip(new Uint8Array(1024), ['weights.bin'], 0xffffffff), verdict: 'suspicious', findings: [['ZIP_COMPRESSION_BOMB', 'weights.bin']] },
  { file: 'duplicate.zip', data: zip([{ name: 'a.pkl', data: benign }, { name: 'a.pkl', data: benign }]), verdict: 'suspicious', findings: [['ZIP_DUPLICATE_NAME', undefined]] },
  { file: 'overlap.zip', data: aliasedZip(benign, ['a.pkl', 'b.pkl']), verdict: 'suspicious', findings: [['ZIP_OVERLAPPING_MEMBERS', undefined]] },
  { file: 'picture.pt', data: bytes(0x89, 'PNG\r\n', 0x1a, '\n'), verdict: 'unsupported', findings: [['FORMAT_UNSUPPORTED', undefined]] },
  { file: 'traversal.zip', data: zip([{ name: '../escape.pkl', data: benign }]), verdict: 'suspicious', findings: [['ZIP_PATH_TRAVERSAL', '../escape.pkl']] },
];

interface ScanJson {
  files: Array<{ path: string; verdict: string; findings: Array<{ rule: string; member?: string }> }>;
  findings: Array<{ checkId: string; file?: string }>;
}

describe('model rules end to end: `palisade scan model` on a folder of built files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-model-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const c of CASES) {
    mkdirSync(dirname(join(dir, c.file)), { recursive: true });
    writeFileSync(join(dir, c.file), c.data);
  }
  const run = palisade(['scan', 'model', dir, '--format', 'json']);
  const report = JSON.parse(run.stdout) as ScanJson;
  const byPath = new Map(report.files.map((f) => [f.path, f]));

  it('reads every file, fails the default gate, and prints nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(report.files.map((f) => f.path).sort()).toEqual(CASES.map((c) => join(dir, c.file)).sort());
  });

  for (const c of CASES) {
    it(`${c.file}: ${c.findings.map(([rule]) => rule).join(', ')} (${c.verdict})`, () => {
      const scanned = byPath.get(join(dir, c.file));
      expect([scanned?.verdict, scanned?.findings.map((f) => [f.rule, f.member])]).toEqual([c.verdict, c.findings]);
    });
  }

  it('turns each non-safe file into one report finding named by its verdict', () => {
    const checkOf: Record<string, string> = { malicious: 'MODEL_MALICIOUS', suspicious: 'MODEL_SUSPICIOUS', invalid: 'MODEL_INVALID', unsupported: 'MODEL_UNSUPPORTED' };
    const expected = CASES.map((c) => [join(dir, c.file), checkOf[c.verdict]]).sort();
    expect(report.findings.map((f) => [f.file, f.checkId]).sort()).toEqual(expected);
  });
});
