import { VERDICT_SEVERITY, type ModelFinding, type Verdict } from '../types.js';

/**
 * Every rule of the model scanner, in one table: its verdict (what the verdict policy of
 * ../shared/corpus/models/PROVENANCE.md calls it), a title, and a message template whose {names}
 * are filled from the finding's data. Engines report a rule id plus data, never free text.
 */
export interface RuleMeta {
  verdict: Exclude<Verdict, 'safe'>;
  title: string;
  message: string;
}

export const RULES = {
  PICKLE_DENYLISTED_GLOBAL: { verdict: 'malicious', title: 'Pickle imports a dangerous callable', message: 'imports deny-listed {global} ({reason})' },
  PICKLE_UNRESOLVED_GLOBAL: { verdict: 'malicious', title: 'Pickle import cannot be resolved statically', message: 'imports a global whose {part} is computed at load time ({detail})' },
  PICKLE_SCANNER_TAMPERING: { verdict: 'malicious', title: 'Pickle reaches into a model scanner', message: 'imports {global}, a module of a model scanner (tampering)' },
  PICKLE_GLOBAL_MUTATION: { verdict: 'malicious', title: 'Pickle rewrites an imported module or class', message: 'BUILD sets attributes on the imported object {global}' },
  PICKLE_NESTED_MALICIOUS: { verdict: 'malicious', title: 'Nested pickle is malicious', message: 'bytes passed to {global} hold a pickle that {detail}' },
  PICKLE_NON_ALLOWLISTED_GLOBAL: { verdict: 'suspicious', title: 'Pickle imports something outside the weights-only allow-list', message: 'imports {global}, which is not on the allow-list' },
  PICKLE_DISALLOWED_ARGUMENTS: { verdict: 'suspicious', title: 'Allow-listed callable called with unusual arguments', message: '{global} is only allowed {condition}' },
  PICKLE_COMPUTED_CALLABLE: { verdict: 'suspicious', title: 'Pickle calls a value that is not an imported global', message: '{opcode} calls the result of an earlier call' },
  PICKLE_MISPLACED_PROTO: { verdict: 'suspicious', title: 'PROTO opcode in the middle of a pickle', message: 'second PROTO {protocol} inside the stream (writers emit it only first)' },
  PICKLE_FRAME_VIOLATION: { verdict: 'suspicious', title: 'Pickle frame boundaries are violated', message: '{detail}; loaders disagree on what follows' },
  PICKLE_RESOURCE_TRAP: { verdict: 'suspicious', title: 'Pickle sets a resource-exhaustion trap', message: '{detail}' },
  PICKLE_HIDDEN_PICKLE: { verdict: 'suspicious', title: 'A pickle is hidden where no loader unpickles it', message: 'a pickle importing {globals} is hidden {where}' },
  PICKLE_MALFORMED: { verdict: 'invalid', title: 'Pickle stream is malformed', message: '{detail}' },
  ZIP_ENCRYPTED: { verdict: 'suspicious', title: 'Archive member cannot be inspected', message: 'member is encrypted (flag bit 0) and its bytes do not parse as plain data' },
  ZIP_HEADER_MISMATCH: { verdict: 'suspicious', title: 'Zip local header disagrees with the central directory', message: '{detail}' },
  ZIP_DUPLICATE_NAME: { verdict: 'suspicious', title: 'Zip holds two members with one name', message: 'member name {name} appears {count} times' },
  ZIP_PATH_TRAVERSAL: { verdict: 'suspicious', title: 'Archive member path leaves the extraction folder', message: 'member name {name} is absolute or climbs out with ..' },
  ZIP_OVERLAPPING_MEMBERS: { verdict: 'suspicious', title: 'Zip members share their bytes', message: '{detail}' },
  ZIP_COMPRESSION_BOMB: { verdict: 'suspicious', title: 'Archive member is a compression bomb', message: 'member inflates from {compressed} to {size} bytes (limit {limit})' },
  ARCHIVE_UNINSPECTABLE: { verdict: 'suspicious', title: 'Archive content cannot be inspected', message: '{detail}' },
  ARCHIVE_MALFORMED: { verdict: 'invalid', title: 'Archive is malformed', message: '{detail}' },
  TORCH_HIDDEN_STORAGE_PICKLE: { verdict: 'suspicious', title: 'Pickle hidden in a tensor storage record', message: 'storage record holds a pickle importing {globals}; torch never unpickles it' },
  NUMPY_MALFORMED: { verdict: 'invalid', title: 'NumPy file is malformed', message: '{detail}' },
  SAFETENSORS_MALFORMED: { verdict: 'invalid', title: 'safetensors file is malformed', message: '{detail}' },
  GGUF_MALFORMED: { verdict: 'invalid', title: 'GGUF file is malformed', message: '{detail}' },
  GGUF_TEMPLATE_INJECTION: { verdict: 'malicious', title: 'GGUF chat template walks Python internals', message: 'chat template {key} accesses {attribute} (Jinja sandbox escape)' },
  GGUF_TEMPLATE_UNPARSEABLE: { verdict: 'suspicious', title: 'GGUF chat template does not parse', message: 'chat template {key} is not valid Jinja: {detail}' },
  KERAS_LAMBDA: { verdict: 'malicious', title: 'Keras Lambda layer carries code', message: 'layer {layer} is a Lambda whose function runs on load' },
  KERAS_UNSAFE_MODULE: { verdict: 'malicious', title: 'Keras config names an arbitrary module', message: '{path} names {module}.{name}, outside Keras' },
  KERAS_UNSAFE_DESERIALIZATION: { verdict: 'malicious', title: 'Keras config switches safe mode off', message: '{path} references {name}' },
  KERAS_MALFORMED: { verdict: 'invalid', title: 'Keras file is malformed', message: '{detail}' },
  TF_DANGEROUS_OP: { verdict: 'malicious', title: 'TensorFlow graph runs code or writes files', message: 'op {op} in {where}' },
  TF_RISKY_OP: { verdict: 'suspicious', title: 'TensorFlow graph reads the file system', message: 'op {op} in {where}' },
  TF_MALFORMED: { verdict: 'invalid', title: 'TensorFlow protobuf is malformed', message: '{detail}' },
  ONNX_EXTERNAL_DATA_ESCAPE: { verdict: 'malicious', title: 'ONNX external data leaves the model folder', message: 'tensor {tensor} reads external data from {location}' },
  ONNX_CUSTOM_DOMAIN: { verdict: 'suspicious', title: 'ONNX node in a custom operator domain', message: 'node {op} uses domain {domain}, which needs a native custom-op library' },
  ONNX_MALFORMED: { verdict: 'invalid', title: 'ONNX protobuf is malformed', message: '{detail}' },
  HF_REMOTE_CODE: { verdict: 'suspicious', title: 'Model folder ships code that trust_remote_code runs', message: '{detail}' },
  SCAN_LIMIT_REACHED: { verdict: 'suspicious', title: 'A scan limit stopped the scan', message: '{detail}; what was not read is not known to be safe (raise the {limit} limit to read it)' },
  FILE_EMPTY: { verdict: 'invalid', title: 'Empty file', message: 'zero-byte file: no loader accepts it' },
  FORMAT_UNSUPPORTED: { verdict: 'unsupported', title: 'Not a model format', message: '{detail}' },
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;
export type FindingData = Record<string, string | number>;

export interface Where {
  offset?: number;
  member?: string;
  global?: string;
}

function render(template: string, data: FindingData): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Build a finding from a rule id and its data; the only place messages are made. */
export function finding(rule: RuleId, data: FindingData = {}, where: Where = {}): ModelFinding {
  const meta: RuleMeta = RULES[rule];
  return {
    rule,
    verdict: meta.verdict,
    severity: VERDICT_SEVERITY[meta.verdict],
    message: render(meta.message, data),
    ...(where.global !== undefined ? { global: where.global } : {}),
    ...(where.offset !== undefined ? { offset: where.offset } : {}),
    ...(where.member !== undefined ? { member: where.member } : {}),
  };
}
