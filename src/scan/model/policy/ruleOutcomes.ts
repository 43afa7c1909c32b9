import type { ModelRule } from '../rules/modelRule.js';

/**
 * What each rule of rules/ gives a file and says: the part of a rule the scan itself needs to make a
 * finding. The rule modules read their verdict and message from here (modelRule), so a scan loads
 * this one module instead of 44 (issue 23: start-up of a small scan is the modules it loads); the
 * titles and descriptions load only for the formats and commands that show them.
 */
export const RULE_OUTCOMES = {
  PICKLE_DENYLISTED_GLOBAL: { verdict: 'malicious', message: 'imports deny-listed {global} ({reason})' },
  PICKLE_UNRESOLVED_GLOBAL: { verdict: 'malicious', message: 'imports a global whose {part} is computed at load time ({detail})' },
  PICKLE_SCANNER_TAMPERING: { verdict: 'malicious', message: 'imports {global}, a module of a model scanner (tampering)' },
  PICKLE_GLOBAL_MUTATION: { verdict: 'malicious', message: 'BUILD sets attributes on the imported object {global}' },
  PICKLE_NESTED_MALICIOUS: { verdict: 'malicious', message: 'bytes passed to {global} hold a pickle that {detail}' },
  PICKLE_NON_ALLOWLISTED_GLOBAL: { verdict: 'suspicious', message: 'imports {global}, which is not on the allow-list' },
  PICKLE_DISALLOWED_ARGUMENTS: { verdict: 'suspicious', message: '{global} is only allowed {condition}' },
  PICKLE_COMPUTED_CALLABLE: { verdict: 'suspicious', message: '{opcode} calls the result of an earlier call' },
  PICKLE_MISPLACED_PROTO: { verdict: 'suspicious', message: 'second PROTO {protocol} inside the stream (writers emit it only first)' },
  PICKLE_FRAME_VIOLATION: { verdict: 'suspicious', message: '{detail}; loaders disagree on what follows' },
  PICKLE_RESOURCE_TRAP: { verdict: 'suspicious', message: '{detail}' },
  PICKLE_HIDDEN_PICKLE: { verdict: 'suspicious', message: 'a pickle importing {globals} is hidden {where}' },
  PICKLE_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  ZIP_ENCRYPTED: { verdict: 'suspicious', message: 'member is encrypted (flag bit 0) and its bytes do not parse as plain data' },
  ZIP_HEADER_MISMATCH: { verdict: 'suspicious', message: '{detail}' },
  ZIP_DUPLICATE_NAME: { verdict: 'suspicious', message: 'member name {name} appears {count} times' },
  ZIP_PATH_TRAVERSAL: { verdict: 'suspicious', message: 'member name {name} is absolute or climbs out with ..' },
  ZIP_OVERLAPPING_MEMBERS: { verdict: 'suspicious', message: '{detail}' },
  ZIP_COMPRESSION_BOMB: { verdict: 'suspicious', message: 'member inflates from {compressed} to {size} bytes (limit {limit})' },
  ARCHIVE_UNINSPECTABLE: { verdict: 'suspicious', message: '{detail}' },
  ARCHIVE_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  TORCH_HIDDEN_STORAGE_PICKLE: { verdict: 'suspicious', message: 'storage record holds a pickle importing {globals}; torch never unpickles it' },
  NUMPY_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  SAFETENSORS_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  GGUF_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  GGUF_TEMPLATE_INJECTION: { verdict: 'malicious', message: 'chat template {key} accesses {attribute} (Jinja sandbox escape)' },
  GGUF_TEMPLATE_UNPARSEABLE: { verdict: 'suspicious', message: 'chat template {key} is not valid Jinja: {detail}' },
  KERAS_LAMBDA: { verdict: 'malicious', message: 'layer {layer} is a Lambda whose function runs on load' },
  KERAS_UNSAFE_MODULE: { verdict: 'malicious', message: '{path} names {module}.{name}, outside Keras' },
  KERAS_UNSAFE_DESERIALIZATION: { verdict: 'malicious', message: '{path} references {name}' },
  KERAS_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  TF_DANGEROUS_OP: { verdict: 'malicious', message: 'op {op} in {where}' },
  TF_RISKY_OP: { verdict: 'suspicious', message: 'op {op} in {where}' },
  TF_UNKNOWN_OP: { verdict: 'suspicious', message: 'op {op} in {where} is neither a TensorFlow op nor a function of the graph: it needs a custom kernel (a native library loaded with the model)' },
  TF_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  TORCHSCRIPT_DANGEROUS_CALL: { verdict: 'malicious', message: 'TorchScript code calls {call}, which {why}' },
  TORCHSCRIPT_RISKY_CALL: { verdict: 'suspicious', message: 'TorchScript code calls {call}, which {why}' },
  ONNX_EXTERNAL_DATA_ESCAPE: { verdict: 'malicious', message: 'tensor {tensor} reads external data from {location}' },
  ONNX_CUSTOM_DOMAIN: { verdict: 'suspicious', message: 'node {op} uses domain {domain}, which needs a native custom-op library' },
  ONNX_MALFORMED: { verdict: 'invalid', message: '{detail}' },
  HF_REMOTE_CODE: { verdict: 'suspicious', message: '{detail}' },
  SCAN_LIMIT_REACHED: { verdict: 'suspicious', message: '{detail}; what was not read is not known to be safe (raise the {limit} limit to read it)' },
  FILE_EMPTY: { verdict: 'invalid', message: 'zero-byte file: no loader accepts it' },
  FORMAT_UNSUPPORTED: { verdict: 'unsupported', message: '{detail}' },
} as const satisfies Record<string, { verdict: ModelRule['verdict']; message: string }>;
