/**
 * One tar reader for every engine (model archives, image layers, `docker save` tarballs), reading
 * headers as CPython's tarfile does (the reader behind torch's legacy tar format; Lib/tarfile.py
 * `TarInfo.frombuf`, `_proc_member`, `nti`, `TarFile.next`):
 *  - a header is a 512-byte block whose checksum (unsigned or signed sum) matches; no magic needed
 *    (V7 headers count); every number field must parse, octal or GNU base-256 (0x80 / 0xff lead);
 *  - the first invalid header ends the archive (at offset 0: not a tar); a zero block ends it;
 *  - types 0, NUL, 7 and S, and every type tarfile does not know, are read as regular files;
 *  - PAX extended (x, X) and global (g) records set path, linkpath and size; GNU L/K set the long
 *    name and link; the ustar prefix is joined whenever it is non-empty (not for GNU types);
 *  - a NUL-typed entry whose name ends in "/" is a directory (old V7 convention).
 * GNU sparse members are read by their stored bytes (holes are not rebuilt).
 */

export const TAR_BLOCK = 512;

export interface TarMember {
  /** The name tarfile reports (PAX path, GNU long name or prefix/name). */
  name: string;
  /** The raw type flag (one character). */
  type: string;
  /** tarfile reads the data as a regular file (extractfile returns it). */
  regular: boolean;
  linkname: string;
  /** Offset of the first header of this member (PAX/GNU headers included). */
  headerOffset: number;
  dataOffset: number;
  /** Bytes of data stored after the header. */
  size: number;
  /** GNU sparse member: `size` bytes are the stored chunks only. */
  sparse: boolean;
}

export interface TarListing {
  members: TarMember[];
  /** Why reading stopped early (tarfile raises ReadError here), or undefined. */
  error?: string;
  /** Where tarfile stops reading (an end block, an invalid header, the end of the input). */
  end: number;
}

const REGULAR = new Set(['0', '\0', '7', 'S']);
/** Types tarfile knows (SUPPORTED_TYPES plus the PAX/GNU metadata types). */
const KNOWN = new Set(['0', '\0', '1', '2', '3', '4', '5', '6', '7', 'L', 'K', 'S', 'x', 'g', 'X']);
const GNU_TYPES = new Set(['L', 'K', 'S']);

class InvalidHeader extends Error {}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Bytes up to the first NUL, as text (tarfile decodes names as UTF-8 with surrogateescape). */
function nts(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return utf8.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/** tarfile's `nti`: base-256 when the first byte is 0x80 or 0xff, else NUL-terminated octal. */
export function tarNumber(field: Uint8Array): number {
  const lead = field[0] as number;
  if (lead === 0x80 || lead === 0xff) {
    let n = 0n;
    for (let i = 1; i < field.length; i++) n = n * 256n + BigInt(field[i] as number);
    if (lead === 0xff) n = -(256n ** BigInt(field.length - 1) - n);
    return Number(n);
  }
  const nul = field.indexOf(0);
  const bytes = nul >= 0 ? field.subarray(0, nul) : field;
  if (bytes.some((b) => b > 0x7f)) throw new InvalidHeader('number field is not ASCII');
  // Python's int(s.strip() or "0", 8): surrounding whitespace, a sign, underscores between digits
  const text = latin1.decode(bytes).replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
  if (text === '') return 0;
  if (!/^[+-]?(?:0[oO])?_?[0-7](?:_?[0-7])*$/.test(text)) throw new InvalidHeader(`number field ${JSON.stringify(text)} is not octal`);
  const negative = text.startsWith('-');
  const value = parseInt(text.replace(/^[+-]/, '').replace(/^0[oO]/, '').replace(/_/g, ''), 8);
  return negative ? -value : value;
}

function checksums(block: Uint8Array): [number, number] {
  let unsigned = 256;
  let signed = 256;
  for (let i = 0; i < TAR_BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = block[i] as number;
    unsigned += b;
    signed += b >= 128 ? b - 256 : b;
  }
  return [unsigned, signed];
}

interface RawHeader {
  name: string;
  size: number;
  type: string;
  linkname: string;
  prefix: string;
}

/** One header block as tarfile's `frombuf` reads it; throws InvalidHeader. */
function parseHeader(block: Uint8Array): RawHeader {
  const chksum = tarNumber(block.subarray(148, 156));
  const [unsigned, signed] = checksums(block);
  if (chksum !== unsigned && chksum !== signed) throw new InvalidHeader('bad checksum');
  for (const [from, to] of [[100, 108], [108, 116], [116, 124], [136, 148], [329, 337], [337, 345]] as const) tarNumber(block.subarray(from, to));
  const size = tarNumber(block.subarray(124, 136));
  return { name: nts(block.subarray(0, 100)), size, type: String.fromCharCode(block[156] as number), linkname: nts(block.subarray(157, 257)), prefix: nts(block.subarray(345, 500)) };
}

/** True when a block is a header tarfile accepts (checksum and number fields), whatever its magic. */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < TAR_BLOCK || block.every((b) => b === 0)) return false;
  try {
    parseHeader(block.subarray(0, TAR_BLOCK));
    return true;
  } catch (error) {
    if (error instanceof InvalidHeader) return false;
    throw error;
  }
}

function blocks(size: number): number {
  return Math.ceil(Math.max(0, size) / TAR_BLOCK) * TAR_BLOCK;
}

/** PAX records "<length> <keyword>=<value>\n", validated as tarfile does. */
function paxRecords(data: Uint8Array, into: Map<string, string>): void {
  let pos = 0;
  while (pos < data.length && data[pos] !== 0) {
    const m = /^([0-9]{1,20}) /.exec(latin1.decode(data.subarray(pos, pos + 22)));
    if (!m) throw new InvalidHeader('invalid PAX record');
    const length = Number(m[1]);
    if (length < 5 || pos + length > data.length) throw new InvalidHeader('invalid PAX record length');
    const record = data.subarray(pos + (m[1] as string).length + 1, pos + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0 || data[pos + length - 1] !== 0x0a) throw new InvalidHeader('invalid PAX record');
    into.set(utf8.decode(record.subarray(0, eq)), utf8.decode(record.subarray(eq + 1)));
    pos += length;
  }
}

/**
 * The members of a tar archive, read through `read(offset, length)` over `size` bytes. `maxMembers`
 * bounds the work on hostile input.
 */
export function listTar(read: (offset: number, length: number) => Uint8Array, size: number, maxMembers = 1_000_000): TarListing {
  const members: TarMember[] = [];
  const globals = new Map<string, string>();
  let offset = 0;
  const header = (at: number): RawHeader | 'end' => {
    if (at + TAR_BLOCK > size) {
      if (at === 0 || at < size) throw new InvalidHeader(at === 0 ? 'empty file' : 'truncated header');
      return 'end';
    }
    const block = read(at, TAR_BLOCK);
    if (block.every((b) => b === 0)) return 'end';
    return parseHeader(block);
  };
  while (members.length < maxMembers) {
    const start = offset;
    let first: RawHeader | 'end';
    try {
      first = header(offset);
    } catch (error) {
      if (!(error instanceof InvalidHeader)) throw error;
      return offset === 0 ? { members, error: `not a tar archive: ${error.message}`, end: 0 } : { members, end: offset };
    }
    if (first === 'end') return { members, end: offset };
    let raw = first;
    let longName: string | undefined;
    let longLink: string | undefined;
    const local = new Map<string, string>();
    // metadata headers (PAX, GNU long names) apply to the header that follows them
    try {
      while (raw.type === 'L' || raw.type === 'K' || raw.type === 'x' || raw.type === 'X' || raw.type === 'g') {
        const data = read(offset + TAR_BLOCK, Math.max(0, Math.min(raw.size, size - offset - TAR_BLOCK)));
        if (raw.type === 'L') longName = nts(data);
        else if (raw.type === 'K') longLink = nts(data);
        else paxRecords(data, raw.type === 'g' ? globals : local);
        offset += TAR_BLOCK + blocks(raw.size);
        const next = header(offset);
        if (next === 'end') return { members, error: `metadata header at offset ${start} is not followed by a member`, end: offset };
        raw = next;
      }
    } catch (error) {
      if (!(error instanceof InvalidHeader)) throw error;
      return { members, error: `header after the metadata at offset ${start}: ${error.message}`, end: offset };
    }
    const pax = new Map([...globals, ...local]);
    let name = raw.prefix && !GNU_TYPES.has(raw.type) ? `${raw.prefix}/${raw.name}` : raw.name;
    let type = raw.type;
    if (type === '\0' && name.endsWith('/')) type = '5';
    if (longName !== undefined) name = longName;
    const path = pax.get('path') ?? pax.get('GNU.sparse.name');
    if (path !== undefined) name = path.replace(/\/+$/, '');
    let dataSize = raw.size;
    const paxSize = pax.get('size');
    if (paxSize !== undefined) dataSize = /^\s*[+-]?\d+\s*$/.test(paxSize) ? Number(paxSize) : 0;
    const regular = REGULAR.has(type) || !KNOWN.has(type);
    const dataOffset = offset + TAR_BLOCK;
    members.push({ name: type === '5' ? name.replace(/\/+$/, '') : name, type, regular, linkname: pax.get('linkpath') ?? longLink ?? raw.linkname, headerOffset: start, dataOffset, size: dataSize, sparse: type === 'S' || pax.has('GNU.sparse.map') || pax.has('GNU.sparse.size') || pax.has('GNU.sparse.major') });
    // data blocks follow regular and unknown types only (tarfile's _proc_builtin)
    offset = dataOffset + (regular ? blocks(dataSize) : 0);
  }
  return { members, error: `more than ${maxMembers} members`, end: offset };
}
