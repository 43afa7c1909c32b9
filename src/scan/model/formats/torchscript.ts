import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import type { TrustedGlobals } from '../policy/judge.js';

/**
 * TorchScript archives (torch.jit.save): `constants.pkl`, `data.pkl`, `code/**.py` (+ `.debug_pkl`).
 * torch.load hands a zip holding `constants.pkl` to torch.jit.load (torch/serialization.py
 * `_is_torchscript_zip`), whose C++ unpickler never imports a Python callable: it knows a fixed set of
 * globals and resolves every other name to a class compiled from the archive's own `code/`
 * (torch/csrc/jit/serialization/unpickler.cpp, Unpickler::readGlobal). Those globals are TorchScript's
 * own data, not evidence; the code they name is judged here instead. TorchScript is a Turing-complete
 * program that runs on load (`__setstate__`) and on every call, so what it can reach is what matters.
 */

/** Archive names TorchScript uses: a zip with one of these records is loaded by torch.jit.load. */
export const TORCHSCRIPT_MARKER = /(^|\/)constants\.pkl$/;
/** TorchScript source, compiled at load: never unpickled, so never read as a pickle. */
export const TORCHSCRIPT_CODE = /(^|\/)code\/.*\.py$/;
/** Pickles the C++ unpickler reads: data.pkl, constants.pkl, and the source-range tables of code/. */
export const TORCHSCRIPT_PICKLE = /(^|\/)(data|constants)\.pkl$|(^|\/)code\/.*\.debug_pkl$/;

/** AT_FORALL_SCALAR_TYPES_WITH_COMPLEX_AND_QINTS (c10/core/ScalarType.h): torch.<Name>Storage. */
const SCALAR_TYPES = ['Byte', 'Char', 'Short', 'Int', 'Long', 'Half', 'Float', 'Double', 'ComplexHalf', 'ComplexFloat', 'ComplexDouble', 'Bool', 'QInt8', 'QUInt8', 'QInt32', 'BFloat16', 'QUInt4x2', 'QUInt2x4'];
/** c10/core/QScheme.h names. */
const QSCHEMES = ['per_tensor_affine', 'per_channel_affine', 'per_tensor_symmetric', 'per_channel_symmetric', 'per_channel_affine_float_qparams'];

/** Unpickler::readGlobal's own table; `__torch__` classes come from the archive's code/. */
export const TORCHSCRIPT_GLOBALS: TrustedGlobals = {
  names: new Map<string, readonly string[]>([
    ['torch.jit._pickle', ['build_tensor_from_id', 'restore_type_tag', 'build_intlist', 'build_tensorlist', 'build_doublelist', 'build_boollist']],
    ['torch._utils', ['_rebuild_tensor_v2', '_rebuild_qtensor', '_rebuild_sparse_tensor']],
    ['torch._tensor', ['_rebuild_from_type_v2']],
    ['builtins', ['complex']],
    ['collections', ['OrderedDict']],
    ['__main__', ['TensorID', 'IntList']],
    ['torch', ['device', ...SCALAR_TYPES.map((t) => `${t}Storage`), ...QSCHEMES]],
  ]),
  modules: ['__torch__'],
  // Objects of custom C++ classes (torch.classes.*) need a native library: judged like any import.
  exceptModules: ['__torch__.torch.classes'],
};

/**
 * Calls TorchScript code can make that leave the tensor world. Sources: the operator schemas of
 * torch/csrc/jit/runtime/register_prim_ops_fulljit.cpp (`aten::save(t item, str filename) -> ()`
 * writes a file) and aten/src/ATen/native/native_functions.yaml (`from_file` maps any file).
 */
const WRITES = new Set(['save']);
const READS = new Set(['from_file', 'load']);
/** Operator namespaces torch and its domain libraries register; any other needs a native library loaded with the model. */
const KNOWN_NAMESPACES = new Set(['aten', 'prim', 'quantized', '_quantized', 'prepacked', 'profiler', 'quantized_decomposed', '_caffe2', 'mkldnn', 'mkldnn_prepacked', 'onednn', 'xnnpack', 'cuda', 'c10d', '_c10d_functional', 'inductor', 'higher_order', 'torchvision', 'torchaudio', 'image']);

/** Comments and string literals blanked, so only code is matched (a comment naming torch.save is no call). */
function codeOnly(text: string): string {
  return text.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|#[^\n]*/g, (m) => (m.startsWith('#') ? '' : '""'));
}

/** Findings of one code/ file of a TorchScript archive (each call reported once per file). */
export function judgeTorchScriptCode(text: string): ModelFinding[] {
  const code = codeOnly(text);
  const out: ModelFinding[] = [];
  const seen = new Set<string>();
  const report = (call: string, op: string, custom?: string): void => {
    if (seen.has(call)) return;
    seen.add(call);
    if (WRITES.has(op)) out.push(finding('TORCHSCRIPT_DANGEROUS_CALL', { call, why: 'writes a file' }));
    else if (READS.has(op)) out.push(finding('TORCHSCRIPT_RISKY_CALL', { call, why: 'reads a file' }));
    else if (custom) out.push(finding('TORCHSCRIPT_RISKY_CALL', { call, why: custom }));
  };
  for (const m of code.matchAll(/\b(?:torch\s*\.\s*)?ops\s*\.\s*([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)/g)) {
    const [, ns = '', op = ''] = m;
    report(`ops.${ns}.${op}`, op, KNOWN_NAMESPACES.has(ns) ? undefined : `is a custom operator (namespace ${ns}) whose kernel is a native library loaded with the model`);
  }
  for (const m of code.matchAll(/\btorch\s*\.\s*(save|from_file|load)\s*\(/g)) report(`torch.${m[1] ?? ''}`, m[1] ?? '');
  for (const m of code.matchAll(/\btorch\s*\.\s*classes\s*\.\s*([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)/g)) {
    report(`torch.classes.${m[1] ?? ''}.${m[2] ?? ''}`, '', 'is a custom class whose code is a native library loaded with the model');
  }
  return out;
}
