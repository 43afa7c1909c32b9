import { inflateSync } from 'fflate';
import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import { DEFAULT_LIMITS, ScanBudget } from '../policy/limits.js';
import { BufferSource, SliceSource, type ByteSource } from '../source.js';

export { findEndOfCentralDirectory } from './zipEnd.js';

/**
 * A zip reader written for scanning rather than extracting: it finds the archive from the end of
 * central directory record (as Python's zipfile and torch do, so prefixed files and polyglots are
 * seen), reads members by the central directory, and reports the tricks that split scanners from
 * loaders (local/central name mismatch, flag bits, duplicates, traversal, bombs) instead of failing.
 * CRC-32 is not checked: torch does not check it either.
 */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header in the source, after correcting for prefixed data. */
  localOffset: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** Bytes before the archive (prefixed data or a polyglot's head). */
  prefix: number;
}

const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x100000000;
}

export class ZipFormatError extends Error {}

/** Read the central directory. Throws ZipFormatError when the directory itself is unreadable. */
export function readZip(source: ByteSource, eocd: number): ZipArchive {
  const record = view(source.read(eocd, 22));
  let count = record.getUint16(10, true);
  let cdSize = record.getUint32(12, true);
  let cdOffset = record.getUint32(16, true);
  let cdEnd = eocd;
  // Zip64 (torch always writes it): a locator right before the end record, the zip64 record before that.
  if (eocd >= 76) {
    const z = view(source.read(eocd - 76, 76));
    if (z.getUint32(56, true) === ZIP64_LOCATOR && z.getUint32(0, true) === ZIP64_EOCD) {
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
      cdEnd = eocd - 76;
    }
  }
  const prefix = cdEnd - cdSize - cdOffset;
  if (prefix < 0) throw new ZipFormatError(`central directory (offset ${cdOffset}, ${cdSize} bytes) does not fit before its end record at ${eocd}`);
  const cd = source.read(cdOffset + prefix, cdSize);
  if (cd.length < cdSize) throw new ZipFormatError('central directory is truncated');
  const dv = view(cd);
  const entries: ZipEntry[] = [];
  let p = 0;
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || dv.getUint32(p, true) !== CENTRAL) throw new ZipFormatError(`central directory entry ${n} is malformed`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLength));
    // Zip64 sizes and offset live in extra field 0x0001, in this order, only when saturated.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd && e + 4 <= cd.length) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) {
          size = u64(dv, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
          compressedSize = u64(dv, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = u64(dv, q);
      }
      e += 4 + len;
    }
    entries.push({ name, flags, method, compressedSize, size, localOffset: localOffset + prefix });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, prefix };
}

export interface MemberData {
  source?: ByteSource;
  findings: ModelFinding[];
}

/**
 * The bytes of one member: stored members are a window of the file, deflated ones are inflated
 * (charged to the scan's budget: the total inflated for one file is bounded).
 */
export function openMember(source: ByteSource, entry: ZipEntry, budget: ScanBudget = new ScanBudget(DEFAULT_LIMITS)): MemberData {
  const findings: ModelFinding[] = [];
  const local = source.read(entry.localOffset, 30);
  if (local.length < 30 || view(local).getUint32(0, true) !== LOCAL) {
    return { findings: [finding('ARCHIVE_MALFORMED', { detail: `member ${entry.name} has no local header at offset ${entry.localOffset}` }, { offset: entry.localOffset })] };
  }
  const lv = view(local);
  const nameLength = lv.getUint16(26, true);
  const extraLength = lv.getUint16(28, true);
  const localName = new TextDecoder('utf-8').decode(source.read(entry.localOffset + 30, nameLength));
  if (localName !== entry.name) {
    findings.push(finding('ZIP_HEADER_MISMATCH', { detail: `local header names ${JSON.stringify(localName)}, central directory ${JSON.stringify(entry.name)}` }, { offset: entry.localOffset }));
  }
  const dataStart = entry.localOffset + 30 + nameLength + extraLength;
  if (dataStart + entry.compressedSize > source.size) {
    findings.push(finding('ARCHIVE_MALFORMED', { detail: `member ${entry.name} runs past the end of the file` }, { offset: entry.localOffset }));
    return { findings };
  }
  const raw = new SliceSource(source, dataStart, entry.compressedSize);
  if (entry.method === 0) return { source: raw, findings };
  if (entry.method !== 8) {
    findings.push(finding('ARCHIVE_UNINSPECTABLE', { detail: `member ${entry.name} uses compression method ${entry.method}` }, { offset: entry.localOffset }));
    return { findings };
  }
  const limits = budget.limits;
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (entry.size > limits.maxInflatedMember || (entry.size > 1_000_000 && ratio > limits.maxCompressionRatio)) {
    findings.push(finding('ZIP_COMPRESSION_BOMB', { compressed: entry.compressedSize, size: entry.size, limit: `${limits.maxInflatedMember} bytes or ratio ${limits.maxCompressionRatio}` }, { offset: entry.localOffset }));
    return { findings };
  }
  if (!budget.claimInflated(entry.size)) {
    findings.push(finding('SCAN_LIMIT_REACHED', { detail: `member ${entry.name} (${entry.size} bytes inflated) was not inflated: ${budget.inflated} of the ${limits.maxInflatedTotal} bytes one scan may inflate are used`, limit: 'maxInflatedTotal' }, { offset: entry.localOffset }));
    return { findings };
  }
  try {
    const out = inflateSync(raw.read(0, entry.compressedSize), { out: new Uint8Array(entry.size) });
    return { source: new BufferSource(out), findings };
  } catch (error) {
    findings.push(finding('ARCHIVE_MALFORMED', { detail: `member ${entry.name} does not inflate: ${(error as Error).message}` }, { offset: entry.localOffset }));
    return { findings };
  }
}

/**
 * Where each entry's bytes lie: from its local header to the end of its data (as far as the header
 * can be read). Entries whose spans overlap share bytes: a zip bomb of many entries pointing at one
 * member, or two names for one payload.
 */
export function overlappingEntries(source: ByteSource, entries: readonly ZipEntry[]): Array<[ZipEntry, ZipEntry]> {
  const spans = entries
    .map((entry) => {
      const local = source.read(entry.localOffset, 30);
      const header = local.length === 30 ? 30 + view(local).getUint16(26, true) + view(local).getUint16(28, true) : 30;
      return { entry, start: entry.localOffset, end: entry.localOffset + header + entry.compressedSize };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const pairs: Array<[ZipEntry, ZipEntry]> = [];
  let reach: (typeof spans)[number] | undefined;
  for (const span of spans) {
    if (reach && span.start < reach.end) pairs.push([reach.entry, span.entry]);
    if (!reach || span.end > reach.end) reach = span;
  }
  return pairs;
}

/** Tricks visible in the directory alone: duplicate names and names that escape. */
export function directoryFindings(archive: ZipArchive): ModelFinding[] {
  const findings: ModelFinding[] = [];
  const counts = new Map<string, number>();
  for (const e of archive.entries) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  for (const [name, count] of counts) if (count > 1) findings.push(finding('ZIP_DUPLICATE_NAME', { name: JSON.stringify(name), count }));
  for (const e of archive.entries) {
    if (escapes(e.name)) findings.push(finding('ZIP_PATH_TRAVERSAL', { name: JSON.stringify(e.name) }, { member: e.name }));
  }
  return findings;
}

export function escapes(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..');
}
