import { deflateRawSync } from 'node:zlib';
import { OP } from '../../../src/scan/model/pickle/opcodes.js';
import { scanPickleStream } from '../../../src/scan/model/pickle/stream.js';
import { BufferSource } from '../../../src/scan/model/source.js';
import { DEFAULT_POLICY } from '../../../src/scan/model/policy/judge.js';
import { verdictOf, type ModelFinding, type Verdict } from '../../../src/scan/model/types.js';

export { SHARED } from '../../helpers/shared.js';

export type Part = number | string | Uint8Array | readonly number[];

/** Concatenate bytes: numbers are single bytes, strings are latin1 text. */
export function bytes(...parts: Part[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'number' ? Uint8Array.of(p) : typeof p === 'string' ? Uint8Array.from(p, (ch) => ch.charCodeAt(0) & 0xff) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function op(name: string): number {
  const code = (OP as Readonly<Record<string, number | undefined>>)[name];
  if (code === undefined) throw new Error(`no opcode ${name}`);
  return code;
}

export function le(value: number, width: number): number[] {
  const out: number[] = [];
  let v = value;
  for (let i = 0; i < width; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}

const utf8 = new TextEncoder();
/** SHORT_BINUNICODE s */
export function sbu(s: string): number[] {
  const b = utf8.encode(s);
  return [op('SHORT_BINUNICODE'), b.length, ...b];
}
/** GLOBAL module\nname\n */
export function global(module: string, name: string): Part[] {
  return [op('GLOBAL'), `${module}\n${name}\n`];
}
/** module and name pushed as strings, then STACK_GLOBAL */
export function stackGlobal(module: string, name: string): number[] {
  return [...sbu(module), ...sbu(name), op('STACK_GLOBAL')];
}

export interface Judged {
  verdict: Verdict;
  rules: string[];
  findings: ModelFinding[];
}

export function judge(data: Uint8Array, searchTrailing = true): Judged {
  const { findings } = scanPickleStream(new BufferSource(data), { policy: DEFAULT_POLICY, searchTrailing });
  return { verdict: verdictOf(findings), rules: findings.map((f) => f.rule), findings };
}

/** The (rule, global, offset) triples of findings, for exact comparisons. */
export function brief(findings: readonly ModelFinding[]): Array<[string, string | undefined, number | undefined]> {
  return findings.map((f) => [f.rule, f.global, f.offset]);
}

export interface ZipMember {
  name: string;
  data: Uint8Array;
  flags?: number;
  /** Name written in the local header when it differs from the central directory. */
  localName?: string;
  method?: number;
}

/** A stored zip, written byte by byte so tests can plant the tricks real writers never make. */
export function zip(members: readonly ZipMember[], prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const local = new TextEncoder().encode(m.localName ?? m.name);
    const name = new TextEncoder().encode(m.name);
    const common = (n: Uint8Array): number[] => [...le(m.flags ?? 0, 2), ...le(m.method ?? 0, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(m.data.length, 4), ...le(m.data.length, 4), ...le(n.length, 2), 0, 0];
    const header = bytes(...le(0x04034b50, 4), 20, 0, common(local), local);
    locals.push(header, m.data);
    central.push(bytes(...le(0x02014b50, 4), 20, 0, 20, 0, common(name), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(offset, 4), name));
    offset += header.length + m.data.length;
  }
  const cd = bytes(...central);
  const eocd = [...le(0x06054b50, 4), 0, 0, 0, 0, ...le(members.length, 2), ...le(members.length, 2), ...le(cd.length, 4), ...le(offset, 4), 0, 0];
  return bytes(prefix, ...locals, cd, eocd);
}

/** protobuf: a length-delimited field */
export function pbField(no: number, value: Uint8Array | string | number): number[] {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    let v = n;
    while (v >= 0x80) {
      out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    return out;
  };
  if (typeof value === 'number') return [...varint(no * 8), ...varint(value)];
  const b = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return [...varint(no * 8 + 2), ...varint(b.length), ...b];
}
export function pb(...fields: number[][]): Uint8Array {
  return Uint8Array.from(fields.flat());
}

/** A deflated zip whose central-directory entries all point at one local member (declaredSize overrides the stored size). */
export function aliasedZip(data: Uint8Array, names: readonly string[], declaredSize = data.length): Uint8Array {
  const packed = deflateRawSync(data);
  const first = names[0] ?? '';
  const local = bytes(...le(0x04034b50, 4), 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, le(packed.length, 4), le(declaredSize, 4), le(first.length, 2), 0, 0, first, packed);
  const central = names.map((name) => bytes(...le(0x02014b50, 4), 20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, le(packed.length, 4), le(declaredSize, 4), le(name.length, 2), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, le(0, 4), name));
  const cd = bytes(...central);
  return bytes(local, cd, ...le(0x06054b50, 4), 0, 0, 0, 0, le(names.length, 2), le(names.length, 2), le(cd.length, 4), le(local.length, 4), 0, 0);
}
