import type { ModelFinding, ModelFormat } from './types.js';
import { finding, timeoutFinding } from './policy/rules.js';
import type { ScanPolicy } from './policy/judge.js';
import { LIMITS, ScanBudget } from './policy/limits.js';
import { BufferSource, type ByteSource } from './source.js';
import { scanPickleStream } from './pickle/stream.js';
import { isScanStop } from './pickle/vm.js';
import { looksLikeSafetensors, LZ4_FRAME_PREFIX, NPY_MAGIC } from './formats/magic.js';
import type { ZipEntry } from './formats/zip.js';
import { findEndOfCentralDirectory } from './formats/zipEnd.js';
import { looksLikeTar, readTar } from './formats/tar.js';
import { withTrusted } from './policy/judge.js';

// The readers of formats a file rarely is (zip and its inflater, GGUF, Keras, ONNX, TensorFlow,
// 7-Zip, TorchScript, NumPy, safetensors, LZ4, zlib) load when a file turns out to be one: a pickle scan never loads them
// (issue 23: start-up of a small scan is the modules it loads).

export interface InspectContext {
  policy: ScanPolicy;
  /** Archives and pickles entered so far. */
  depth: number;
  /** File or member name: only formats without magic bytes (ONNX, TensorFlow) are told by it. */
  name: string;
  /** What this scan of one file may still use (shared by every archive level). */
  budget: ScanBudget;
}

export interface Inspection {
  format: ModelFormat;
  findings: ModelFinding[];
}

/** Legacy torch files start with a pickle of this number (torch/serialization.py MAGIC_NUMBER). */
const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const SEVEN_ZIP_MAGIC = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
/** Formats that are certainly not models (a PNG named .pt is "unsupported", not a broken pickle). */
const NON_MODEL_MAGIC: ReadonlyArray<[string, number[]]> = [['PNG image', [0x89, 0x50, 0x4e, 0x47]], ['JPEG image', [0xff, 0xd8, 0xff]], ['GIF image', [0x47, 0x49, 0x46, 0x38]], ['PDF document', [0x25, 0x50, 0x44, 0x46]], ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]], ['Mach-O executable', [0xcf, 0xfa, 0xed, 0xfe]], ['Windows executable', [0x4d, 0x5a]], ['WebAssembly module', [0x00, 0x61, 0x73, 0x6d]]];
/**
 * Streams 7-Zip unpacks. joblib's compressors (joblib/compressor.py: `_BZ2_PREFIX = b'BZ'`, `_XZ_PREFIX`,
 * `_LZMA_PREFIX = b'\x5d\x00'` for lzma.FORMAT_ALONE) are among them; `]` then NUL is no pickle.
 */
const OTHER_COMPRESSION: ReadonlyArray<[string, number[]]> = [['bzip2', [0x42, 0x5a, 0x68]], ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], ['zstd', [0x28, 0xb5, 0x2f, 0xfd]], ['rar', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]], ['lzma', [0x5d, 0x00, 0x00]]];

function startsWith(head: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => head[at + i] === b);
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

/** Findings of a member, labelled with its path (nested members joined with "!"). */
function withMember(findings: readonly ModelFinding[], member: string): ModelFinding[] {
  return findings.map((f) => ({ ...f, member: f.member ? `${member}!${f.member}` : member }));
}

function isText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text);
  } catch {
    return false;
  }
}

/**
 * Recognise a file by its content and judge it. Every view a loader could take is judged: whatever
 * the format by its magic, the bytes are also read as a pickle (pickle.load and torch.load take any
 * file they are given, and `MZ`, `GIF8`, a tar header or a safetensors length are valid opcodes), and
 * what that reading imports is judged with the rest. A file that starts like a pickle and ends with a
 * zip directory is both.
 */
export async function inspect(source: ByteSource, context: InspectContext): Promise<Inspection> {
  const primary = await inspectByMagic(source, context);
  if (primary.pickled) return primary.inspection;
  // `PK\x03\x04` is PERSID: pickle.load (and joblib's unpickler) stop there without a persistent_load,
  // and torch.load and numpy.load send a file with a zip header to their zip readers instead.
  if (startsWith(source.read(0, 4), ZIP_LOCAL_HEADER)) return primary.inspection;
  const asPickle = pickleReading(source, context);
  if (asPickle.length === 0) return primary.inspection;
  const findings = [...primary.inspection.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED'), ...asPickle];
  return { format: primary.inspection.format, findings };
}

/** Rules about what a pickle imports and calls: the evidence a second reading of the bytes can add. */
const IMPORT_RULES = new Set<string>(['PICKLE_DENYLISTED_GLOBAL', 'PICKLE_UNRESOLVED_GLOBAL', 'PICKLE_SCANNER_TAMPERING', 'PICKLE_GLOBAL_MUTATION', 'PICKLE_NESTED_MALICIOUS', 'PICKLE_NON_ALLOWLISTED_GLOBAL', 'PICKLE_DISALLOWED_ARGUMENTS', 'PICKLE_COMPUTED_CALLABLE']);

/**
 * What reading the file as a pickle imports, judged; empty unless that reading imports something
 * outside the allow-list (the structure of bytes that are mainly another format is not judged).
 */
function pickleReading(source: ByteSource, context: InspectContext): ModelFinding[] {
  const stream = scanPickleStream(source, { policy: context.policy, depth: context.depth, budget: context.budget });
  if (stream.imports.every((i) => i.verdict === 'safe')) return [];
  return stream.findings.filter((f) => IMPORT_RULES.has(f.rule));
}

async function inspectByMagic(source: ByteSource, context: InspectContext): Promise<{ inspection: Inspection; pickled: boolean }> {
  const other = (inspection: Inspection | Promise<Inspection>): Promise<{ inspection: Inspection; pickled: boolean }> => Promise.resolve(inspection).then((i) => ({ inspection: i, pickled: false }));
  if (source.size === 0) return { inspection: { format: 'empty', findings: [finding('FILE_EMPTY')] }, pickled: true };
  if (context.depth > LIMITS.maxNestingOfContainers) return { inspection: { format: 'unknown', findings: [finding('ARCHIVE_UNINSPECTABLE', { detail: `nested more than ${LIMITS.maxNestingOfContainers} archives deep` })] }, pickled: true };
  const head = source.read(0, 4096).slice();
  const name = baseName(context.name);
  if (startsWith(head, NPY_MAGIC)) return other(import('./formats/numpy.js').then(({ scanNpy }) => ({ format: 'numpy-npy', findings: scanNpy(source, context.policy, context.depth, context.budget) })));
  if (startsWith(head, [0x47, 0x47, 0x55, 0x46])) return other(import('./formats/gguf.js').then(({ scanGguf }) => ({ format: 'gguf', findings: scanGguf(source) })));
  if (startsWith(head, HDF5_MAGIC)) return other(inspectInMemory(source, context, 'keras-h5', async (bytes) => (await import('./formats/keras.js')).scanKerasH5(bytes)));
  if (startsWith(head, SEVEN_ZIP_MAGIC)) return other(inspectWithSevenZip(source, context, '7z'));
  if (startsWith(head, [0x1f, 0x8b])) return other(inspectDecoded(source, context, GZIP));
  const single = SINGLE_STREAMS.find((d) => d.matches(head));
  if (single) return other(inspectDecoded(source, context, single));
  for (const [kind, magic] of OTHER_COMPRESSION) {
    if (startsWith(head, magic)) return other(inspectWithSevenZip(source, context, kind));
  }
  if (looksLikeTar(head)) return other(inspectTar(source, context));
  for (const [kind, magic] of NON_MODEL_MAGIC) {
    if (startsWith(head, magic)) return other({ format: 'unknown', findings: [finding('FORMAT_UNSUPPORTED', { detail: `content is a ${kind}, not a model` })] });
  }
  const eocd = findEndOfCentralDirectory(source);
  const isZipHead = startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]);
  if (isZipHead) return other(inspectZip(source, context, eocd));
  // A .safetensors file goes to the safetensors loader whatever its header says.
  if (looksLikeSafetensors(head) || /\.safetensors$/i.test(name)) return other(import('./formats/safetensors.js').then(({ scanSafetensors }) => ({ format: 'safetensors', findings: scanSafetensors(source) })));
  if (/\.onnx$/i.test(name)) return other(inspectInMemory(source, context, 'onnx', async (bytes) => (await import('./formats/onnx.js')).scanOnnx(bytes)));
  if (name === 'keras_metadata.pb') return other(inspectInMemory(source, context, 'tf-savedmodel', (bytes) => kerasMetadata(bytes)));
  if (/\.pb$/i.test(name)) return other(inspectInMemory(source, context, 'tf-savedmodel', async (bytes) => (await import('./formats/tensorflow.js')).scanSavedModel(bytes)));
  if (name === 'config.json') return other({ format: 'unknown', findings: huggingFaceConfig(source) });
  const pickled = inspectPickle(source, context, head);
  if (eocd < 0) return { inspection: pickled, pickled: true };
  // A pickle head with a zip directory at the end: both readers will find something.
  const zipped = await inspectZip(source, context, eocd);
  // A head that is no pickle at all (it breaks before importing anything) is just the zip's prefix.
  const noPickle = pickled.format === 'unknown' || pickled.findings.every((f) => f.rule === 'PICKLE_MALFORMED');
  const findings = [...(noPickle ? [] : pickled.findings), ...zipped.findings];
  return { inspection: { format: 'zip', findings }, pickled: true };
}

async function inspectInMemory(source: ByteSource, context: InspectContext, format: ModelFormat, scan: (bytes: Uint8Array) => ModelFinding[] | Promise<ModelFinding[]>): Promise<Inspection> {
  const limit = context.budget.limits.maxInMemory;
  if (source.size > limit) return { format, findings: [finding('SCAN_LIMIT_REACHED', { detail: `${format} file of ${source.size} bytes was not parsed: it is larger than ${limit} bytes`, limit: 'maxInMemory' })] };
  return { format, findings: await scan(source.read(0, source.size)) };
}

function kerasMetadata(bytes: Uint8Array): ModelFinding[] {
  const text = new TextDecoder('latin1').decode(bytes);
  return /"class_name"\s*:\s*"Lambda"/.test(text) ? [finding('KERAS_LAMBDA', { layer: 'in keras_metadata.pb' })] : [];
}

function huggingFaceConfig(source: ByteSource): ModelFinding[] {
  try {
    const config = JSON.parse(new TextDecoder().decode(source.read(0, Math.min(source.size, 16 * 1024 * 1024)))) as Record<string, unknown>;
    if (config && typeof config === 'object' && config.auto_map !== undefined) {
      return [finding('HF_REMOTE_CODE', { detail: `config.json auto_map names code that trust_remote_code=True imports: ${JSON.stringify(config.auto_map).slice(0, 200)}` })];
    }
    return [finding('FORMAT_UNSUPPORTED', { detail: 'a JSON config, not a model' })];
  } catch {
    return [finding('FORMAT_UNSUPPORTED', { detail: 'config.json is not JSON' })];
  }
}

function inspectPickle(source: ByteSource, context: InspectContext, head: Uint8Array): Inspection {
  const stream = scanPickleStream(source, { policy: context.policy, depth: context.depth, searchTrailing: true, budget: context.budget });
  const imports = stream.imports;
  if (stream.fault && !isScanStop(stream.fault.code) && stream.findings.length === 1) {
    // Not a pickle at all: the first byte is no opcode, or it is text that only looks like one.
    const noOpcode = stream.fault.code === 'PICKLE_UNKNOWN_OPCODE' && stream.fault.offset === 0;
    if (noOpcode || (isText(head) && imports.length === 0)) return { format: 'unknown', findings: [finding('FORMAT_UNSUPPORTED', { detail: 'content is not a known model format' })] };
  }
  const magic = stream.first;
  if (magic?.kind === 'int' && magic.value === TORCH_LEGACY_MAGIC) return { format: 'pytorch-legacy', findings: stream.findings };
  if (imports.some((i) => i.global.startsWith('joblib.'))) return { format: 'joblib', findings: stream.findings };
  return { format: 'pickle', findings: stream.findings };
}

/** A single compressed stream decoded in memory, within the scan's inflation budget. */
interface Decoder {
  kind: string;
  /** Label of the decoded content in member paths. */
  label: string;
  matches(head: Uint8Array): boolean;
  /** Throws TooLarge past `limit` bytes of output, anything else when the data is broken; loads its decoder when called. */
  decode(data: Uint8Array, limit: number): Promise<Uint8Array>;
}

type Zlib = typeof import('node:zlib');

class TooLarge extends Error {}

async function zlibLike(which: 'inflateSync' | 'gunzipSync', data: Uint8Array, limit: number): Promise<Uint8Array> {
  const inflate: Zlib[typeof which] = (await import('node:zlib'))[which];
  try {
    return inflate(data, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge();
    throw error;
  }
}

const GZIP: Decoder = { kind: 'gzip', label: '(gunzipped)', matches: (head) => startsWith(head, [0x1f, 0x8b]), decode: (data, limit) => zlibLike('gunzipSync', data, limit) };

/** joblib's zlib prefix (`_ZLIB_PREFIX = b'\x78'`): a zlib header (RFC 1950: method 8, check bits). */
function isZlibHeader(head: Uint8Array): boolean {
  const cmf = head[0] ?? 0;
  const flg = head[1] ?? 0;
  return cmf === 0x78 && ((cmf << 8) | flg) % 31 === 0;
}

/** joblib < 0.10 (numpy_pickle_compat.py write_zfile): `ZF`, the length in hex padded to 19 characters, then zlib. */
const ZFILE_HEADER = 2 + 19;
function isZfile(head: Uint8Array): boolean {
  if (!startsWith(head, [0x5a, 0x46]) || head.length < ZFILE_HEADER + 2) return false;
  const length = new TextDecoder('latin1').decode(head.subarray(2, ZFILE_HEADER)).trim();
  return /^(0x)?[0-9a-f]+L?$/i.test(length) && isZlibHeader(head.subarray(ZFILE_HEADER));
}

/** Single streams decoded here (joblib/compressor.py prefixes); bzip2, xz and lzma go to 7-Zip. */
const SINGLE_STREAMS: readonly Decoder[] = [
  { kind: 'zlib', label: '(zlib)', matches: isZlibHeader, decode: (data, limit) => zlibLike('inflateSync', data, limit) },
  { kind: 'joblib zfile', label: '(zlib)', matches: isZfile, decode: (data, limit) => zlibLike('inflateSync', data.subarray(ZFILE_HEADER), limit) },
  {
    kind: 'lz4',
    label: '(lz4)',
    matches: (head) => startsWith(head, LZ4_FRAME_PREFIX),
    decode: async (data, limit) => {
      const { decodeLz4Frames, Lz4TooLarge } = await import('./formats/lz4.js');
      try {
        return decodeLz4Frames(data, limit);
      } catch (error) {
        throw error instanceof Lz4TooLarge ? new TooLarge() : error;
      }
    },
  },
];

async function inspectDecoded(source: ByteSource, context: InspectContext, decoder: Decoder): Promise<Inspection> {
  const { limits } = context.budget;
  const allowed = Math.min(limits.maxInflatedMember, limits.maxInflatedTotal - context.budget.inflated);
  if (source.size > limits.maxInMemory) return { format: 'compressed', findings: [finding('SCAN_LIMIT_REACHED', { detail: `${decoder.kind} data of ${source.size} bytes was not decoded: it is larger than ${limits.maxInMemory} bytes`, limit: 'maxInMemory' })] };
  let inner: Uint8Array;
  try {
    inner = await decoder.decode(source.read(0, source.size), allowed);
  } catch (error) {
    if (error instanceof TooLarge) {
      const limit = allowed === limits.maxInflatedMember ? 'maxInflatedMember' : 'maxInflatedTotal';
      return { format: 'compressed', findings: [finding('SCAN_LIMIT_REACHED', { detail: `${decoder.kind} data decodes to more than ${allowed} bytes and was not judged`, limit })] };
    }
    return { format: 'compressed', findings: [finding('ARCHIVE_MALFORMED', { detail: `${decoder.kind} data does not decode: ${(error as Error).message}` })] };
  }
  context.budget.claimInflated(inner.length);
  const result = await inspect(new BufferSource(inner), { ...context, depth: context.depth + 1, name: context.name.replace(/\.(gz|z|lz4)$/i, '') });
  return { format: result.format, findings: withMember(result.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED'), decoder.label) };
}

/** 7z archives and bzip2/xz/zstd/rar data: unpacked by 7-Zip, every member judged like a tar member. */
async function inspectWithSevenZip(source: ByteSource, context: InspectContext, kind: string): Promise<Inspection> {
  const format: ModelFormat = kind === '7z' ? '7z' : 'compressed';
  const { limits } = context.budget;
  if (context.budget.expired()) return { format, findings: [timeoutFinding(context.budget.deadline, `${kind} data was not unpacked`)] };
  if (source.size > limits.maxSevenZipInput) return { format, findings: [finding('SCAN_LIMIT_REACHED', { detail: `${kind} file of ${source.size} bytes was not unpacked: it is larger than ${limits.maxSevenZipInput} bytes`, limit: 'maxSevenZipInput' })] };
  const { unpackWithSevenZip } = await import('./formats/sevenZip.js');
  const result = await unpackWithSevenZip(source, kind, limits, limits.maxInflatedTotal - context.budget.inflated, () => context.budget.expired());
  if (result.kind === 'encrypted') return { format, findings: [finding('ARCHIVE_UNINSPECTABLE', { detail: `${kind} archive is encrypted; its members cannot be judged` })] };
  if (result.kind === 'unreadable') return { format, findings: [finding('ARCHIVE_UNINSPECTABLE', { detail: `7-Zip stopped reading this ${kind} archive (encrypted headers, or crafted to abort it); its members cannot be judged` })] };
  if (result.kind === 'malformed') return { format, findings: [finding('ARCHIVE_MALFORMED', { detail: result.detail })] };
  if (result.kind === 'bomb') return { format, findings: [finding('ZIP_COMPRESSION_BOMB', { compressed: result.packed, size: result.size, limit: `${limits.maxInflatedMember} bytes per member, ${limits.maxInflatedTotal} per scan, or ratio ${limits.maxCompressionRatio}` }, { member: result.name })] };
  if (result.kind === 'too-large') return { format, findings: [finding('SCAN_LIMIT_REACHED', { detail: `${kind} data declares ${result.declared} bytes of content, more than ${result.limit} bytes: not unpacked`, limit: result.by })] };
  context.budget.claimInflated(result.members.reduce((n, m) => n + m.bytes.length, 0));
  const findings: ModelFinding[] = [];
  // Stopped part-way: what came out is still judged (a pickle that came out whole is still caught).
  if (result.stopped?.by === 'timeout') findings.push(timeoutFinding(context.budget.deadline, `${kind} data was unpacked only in part`));
  else if (result.stopped) findings.push(finding('SCAN_LIMIT_REACHED', { detail: `${kind} data unpacks to more than ${result.stopped.limit} bytes: unpacking stopped there`, limit: result.stopped.by }));
  for (const member of result.members) {
    if (context.budget.expired()) {
      findings.push(timeoutFinding(context.budget.deadline, `members from ${JSON.stringify(member.name)} on were not read`));
      break;
    }
    const inner = await inspect(new BufferSource(member.bytes), { ...context, depth: context.depth + 1, name: member.name });
    findings.push(...withMember(inner.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED'), member.name));
  }
  return { format, findings };
}

async function inspectTar(source: ByteSource, context: InspectContext): Promise<Inspection> {
  const { entries, error } = readTar(source);
  const findings: ModelFinding[] = error ? [finding('ARCHIVE_MALFORMED', { detail: error })] : [];
  const names = new Set(entries.map((e) => e.name));
  const legacyTorch = names.has('pickle') && names.has('sys_info');
  for (const entry of entries) {
    if (context.budget.expired()) {
      findings.push(timeoutFinding(context.budget.deadline, `members from ${JSON.stringify(entry.name)} on were not read`));
      break;
    }
    const result = await inspect(entry.source, { ...context, depth: context.depth + 1, name: entry.name });
    findings.push(...withMember(result.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED'), entry.name));
  }
  return { format: legacyTorch ? 'pytorch-legacy-tar' : 'tar', findings };
}

const TORCH_STORAGE = /(^|\/)data\/\d+$/;

function zipFormat(entries: readonly ZipEntry[]): ModelFormat {
  const names = entries.map((e) => e.name);
  if (names.some((n) => n === 'data.pkl' || n.endsWith('/data.pkl') || n.endsWith('/constants.pkl'))) return 'pytorch-zip';
  if (names.includes('config.json') && (names.includes('model.weights.h5') || names.includes('metadata.json'))) return 'keras-v3';
  if (names.length > 0 && names.every((n) => n.endsWith('.npy'))) return 'numpy-npz';
  return 'zip';
}

/** A pickle at the start of a storage record: torch never unpickles it, so it is hidden. */
function hiddenInStorage(source: ByteSource, context: InspectContext): ModelFinding[] {
  const stream = scanPickleStream(source, { policy: context.policy, depth: context.depth + 1, budget: context.budget });
  const imports = stream.imports;
  if (isScanStop(stream.fault?.code)) return stream.findings.filter((f) => f.rule === 'SCAN_LIMIT_REACHED');
  if (stream.broken || imports.length === 0) return [];
  return [finding('TORCH_HIDDEN_STORAGE_PICKLE', { globals: [...new Set(imports.map((i) => i.global))].join(', ') }, { offset: 0 })];
}

/**
 * Every member of the archive is opened and judged as if loaded, whatever its name; tensor
 * storage records of torch archives are only checked for a hidden pickle.
 */
async function inspectZip(source: ByteSource, context: InspectContext, eocd: number): Promise<Inspection> {
  if (eocd < 0) return { format: 'zip', findings: [finding('ARCHIVE_MALFORMED', { detail: 'zip has no end of central directory record' })] };
  const { directoryFindings, openMember, overlappingEntries, readZip, ZipFormatError } = await import('./formats/zip.js');
  let archive;
  try {
    archive = readZip(source, eocd);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    return { format: 'zip', findings: [finding('ARCHIVE_MALFORMED', { detail: error.message }, { offset: eocd })] };
  }
  const format = zipFormat(archive.entries);
  // torch.load gives a zip holding constants.pkl to torch.jit.load: its pickles are read by the C++ unpickler.
  const torch = format === 'pytorch-zip' ? await import('./formats/torchscript.js') : undefined;
  const torchScript = torch !== undefined && archive.entries.some((e) => torch.TORCHSCRIPT_MARKER.test(e.name));
  const findings = directoryFindings(archive);
  const overlaps = overlappingEntries(source, archive.entries);
  if (overlaps.length > 0) {
    const [a, b] = overlaps[0] as [ZipEntry, ZipEntry];
    findings.push(finding('ZIP_OVERLAPPING_MEMBERS', { detail: `${overlaps.length} pairs of members share bytes (first: ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} at offsets ${a.localOffset} and ${b.localOffset}); each distinct member is judged once` }));
  }
  // Members that start at one local header are one member, whatever names point at it.
  const judged = new Set<number>();
  for (const entry of archive.entries) {
    if (entry.name.endsWith('/')) continue;
    if (judged.has(entry.localOffset)) continue;
    if (context.budget.expired()) {
      findings.push(timeoutFinding(context.budget.deadline, `members from ${JSON.stringify(entry.name)} on were not read`));
      break;
    }
    judged.add(entry.localOffset);
    const member = openMember(source, entry, context.budget);
    findings.push(...withMember(member.findings, entry.name));
    if (!member.source) continue;
    let memberFindings: ModelFinding[];
    if (format === 'pytorch-zip' && TORCH_STORAGE.test(entry.name)) {
      memberFindings = hiddenInStorage(member.source, context);
    } else if (torchScript && torch.TORCHSCRIPT_CODE.test(entry.name)) {
      // TorchScript source, compiled by torch.jit.load (never unpickled: "class ..." would read as a GLOBAL opcode).
      const size = member.source.size;
      memberFindings = size > context.budget.limits.maxInMemory ? [finding('SCAN_LIMIT_REACHED', { detail: `TorchScript code of ${size} bytes was not read`, limit: 'maxInMemory' })] : torch.judgeTorchScriptCode(new TextDecoder().decode(member.source.read(0, size)));
    } else if (torchScript && torch.TORCHSCRIPT_PICKLE.test(entry.name)) {
      const result = await inspect(member.source, { ...context, policy: withTrusted(context.policy, torch.TORCHSCRIPT_GLOBALS), depth: context.depth + 1, name: entry.name });
      memberFindings = result.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED');
    } else if (format === 'keras-v3' && entry.name === 'config.json') {
      memberFindings = (await import('./formats/keras.js')).checkKerasConfigText(new TextDecoder().decode(member.source.read(0, member.source.size)));
    } else {
      const result = await inspect(member.source, { ...context, depth: context.depth + 1, name: entry.name });
      memberFindings = result.findings.filter((f) => f.rule !== 'FORMAT_UNSUPPORTED');
      // Flag bit 0 claims encryption: judge the bytes when they parse, fail closed when they do not.
      const unreadable = result.format === 'unknown' || memberFindings.some((f) => f.verdict === 'invalid');
      if ((entry.flags & 1) !== 0 && unreadable) memberFindings = [finding('ZIP_ENCRYPTED')];
    }
    findings.push(...withMember(memberFindings, entry.name));
  }
  return { format, findings };
}
