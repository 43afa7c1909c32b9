import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanModelFile } from '../../../src/scan/model/index.js';
import { SHARED } from './helpers.js';

type Row = [rule: string, global: string | null, member: string | null, offset: number | null];

/** Exact findings for the corpus samples that exercise one trick each. */
const CASES: Array<[file: string, format: string, verdict: string, findings: Row[]]> = [
  ['torch/legacy_malicious_sys_info.pt', 'pytorch-legacy', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'os.system', null, 27]]],
  ['torch/legacy_tar_malicious.pt', 'pytorch-legacy-tar', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'os.system', 'pickle', 9]]],
  ['torch/zip_flag_encrypted_bit.pt', 'pytorch-zip', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'os.system', 'archive/data.pkl', 36]]],
  ['zip/prefixed_spanning_marker.pt', 'zip', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'os.system', 'archive/data.pkl', 36]]],
  ['zip/proto0_payload_txt_member.zip', 'zip', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'os.system', 'payload.txt', 0]]],
  ['joblib/payload_after_raw_array.joblib', 'joblib', 'malicious', [['PICKLE_NON_ALLOWLISTED_GLOBAL', 'joblib.numpy_pickle.NumpyArrayWrapper', null, 59], ['PICKLE_DENYLISTED_GLOBAL', 'os.system', null, 283]]],
  ['pickle/copyreg_extension.pkl', 'pickle', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'copyreg.add_extension', null, 2], ['PICKLE_DENYLISTED_GLOBAL', 'os.system', null, 42]]],
  ['pickle/sg_computed_operands_codecs.pkl', 'pickle', 'malicious', [['PICKLE_DISALLOWED_ARGUMENTS', '_codecs.encode', null, 30], ['PICKLE_UNRESOLVED_GLOBAL', null, null, 64]]],
  ['pickle/nested_pickle_loads.pkl', 'pickle', 'malicious', [['PICKLE_DENYLISTED_GLOBAL', 'pickle.loads', null, 2], ['PICKLE_NESTED_MALICIOUS', 'os.system', null, 20]]],
  ['pickle/frame_divergence.pkl', 'pickle', 'malicious', [['PICKLE_FRAME_VIOLATION', null, null, 131071], ['PICKLE_DENYLISTED_GLOBAL', 'os.system', null, 131078]]],
  ['pickle/duplicate_proto.pkl', 'pickle', 'suspicious', [['PICKLE_MISPLACED_PROTO', null, null, 9]]],
  ['pickle/garbage_then_hidden_pickle.pkl', 'pickle', 'suspicious', [['PICKLE_HIDDEN_PICKLE', 'os.system', null, 46]]],
  ['gguf/chat_template_ssti.gguf', 'gguf', 'malicious', [['GGUF_TEMPLATE_INJECTION', null, null, 100]]],
  ['keras/h5_lambda_os_system.h5', 'keras-h5', 'malicious', [['KERAS_LAMBDA', null, null, null]]],
  ['tf/savedmodel_writefile_in_function/saved_model.pb', 'tf-savedmodel', 'malicious', [['TF_DANGEROUS_OP', null, null, null]]],
  ['onnx/external_data_traversal.onnx', 'onnx', 'malicious', [['ONNX_EXTERNAL_DATA_ESCAPE', null, null, null]]],
];

describe('exact findings on corpus tricks', () => {
  it.each(CASES)('%s', async (file, format, verdict, findings) => {
    const r = await scanModelFile(join(SHARED, 'corpus/models/generated', file), { hash: false });
    expect([r.format, r.verdict, r.findings.map((f) => [f.rule, f.global ?? null, f.member ?? null, f.offset ?? null])]).toEqual([format, verdict, findings]);
  });
});
