import { createRequire } from 'node:module';
import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';
import type { ByteSource } from '../source.js';

/** Attribute names a Jinja sandbox escape walks through (dunders plus Python 2 spellings). */
const ESCAPE_ATTRIBUTES = /^(__\w+__|mro|func_globals|f_globals|gi_frame|gi_code|cr_frame|tb_frame|f_back)$/;

/** Byte sizes of the scalar GGUF value types; 8 = string, 9 = array. */
const SCALAR_BYTES: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

class GgufError extends Error {}

/** A bounds-checked little-endian cursor: every count is checked against the bytes left. */
class Cursor {
  pos = 0;
  constructor(private readonly source: ByteSource) {}
  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.source.size) throw new GgufError(`needs ${n} bytes at offset ${this.pos}, file has ${this.source.size}`);
    const out = this.source.read(this.pos, n);
    this.pos += n;
    return out;
  }
  u32(): number {
    const b = this.bytes(4);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }
  u64(): number {
    const b = this.bytes(8);
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    return dv.getUint32(0, true) + dv.getUint32(4, true) * 0x100000000;
  }
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.source.size) throw new GgufError(`needs ${n} bytes at offset ${this.pos}, file has ${this.source.size}`);
    this.pos += n;
  }
  count(version: number): number {
    return version === 1 ? this.u32() : this.u64();
  }
  string(version: number): string {
    const n = this.count(version);
    return new TextDecoder('utf-8').decode(this.bytes(n));
  }
  /** A value of `type`; strings are returned, everything else skipped. */
  value(type: number, version: number): string | undefined {
    if (type === 8) return this.string(version);
    if (type === 9) {
      const itemType = this.u32();
      const n = this.count(version);
      const size = SCALAR_BYTES[itemType];
      if (size !== undefined) this.skip(n * size);
      else {
        // Arrays of strings or arrays: each item is at least 8 bytes, so a count past the end is caught first.
        if (n * 8 > this.source.size - this.pos) throw new GgufError(`array of ${n} items at offset ${this.pos} cannot fit`);
        for (let i = 0; i < n; i++) this.value(itemType, version);
      }
      return undefined;
    }
    const size = SCALAR_BYTES[type];
    if (size === undefined) throw new GgufError(`unknown value type ${type} at offset ${this.pos}`);
    this.skip(size);
    return undefined;
  }
}

/** Names of attributes a parsed template reads, from the AST (identifiers and string subscripts). */
function attributesOf(node: unknown, out: Set<string>, seen = new Set<unknown>()): Set<string> {
  if (typeof node !== 'object' || node === null || seen.has(node)) return out;
  seen.add(node);
  const record = node as Record<string, unknown>;
  if ((record.type === 'Identifier' || record.type === 'StringLiteral') && typeof record.value === 'string' && ESCAPE_ATTRIBUTES.test(record.value)) out.add(record.value);
  for (const child of Object.values(record)) attributesOf(child, out, seen);
  return out;
}

type Jinja = typeof import('@huggingface/jinja');
let jinja: Jinja | undefined;
/** The template parser, loaded (its CommonJS build, synchronously) on the first chat template: most scans never see one. */
function templateClass(): Jinja['Template'] {
  jinja ??= createRequire(import.meta.url)('@huggingface/jinja') as Jinja;
  return jinja.Template;
}

export function checkChatTemplate(key: string, template: string): ModelFinding[] {
  let parsed: unknown;
  try {
    parsed = new (templateClass())(template).parsed;
  } catch (error) {
    const textual = [...template.matchAll(/__\w+__/g)].map((m) => m[0]);
    if (textual.length > 0) return [finding('GGUF_TEMPLATE_INJECTION', { key, attribute: textual[0] ?? '' })];
    return [finding('GGUF_TEMPLATE_UNPARSEABLE', { key, detail: (error as Error).message })];
  }
  const attributes = [...attributesOf(parsed, new Set())];
  return attributes.length > 0 ? [finding('GGUF_TEMPLATE_INJECTION', { key, attribute: attributes.join(', ') })] : [];
}

/** GGUF v1-v3: header, metadata and tensor infos, bounds-checked; chat templates parsed and judged. */
export function scanGguf(source: ByteSource): ModelFinding[] {
  const cursor = new Cursor(source);
  const findings: ModelFinding[] = [];
  try {
    cursor.bytes(4);
    const version = cursor.u32();
    if (version < 1 || version > 3) throw new GgufError(`unknown GGUF version ${version}`);
    const tensors = cursor.count(version);
    const pairs = cursor.count(version);
    // Each pair takes at least 12 bytes and each tensor info 24: absurd counts fail before any loop.
    if (pairs * 12 + tensors * 24 > source.size - cursor.pos) throw new GgufError(`header claims ${pairs} metadata pairs and ${tensors} tensors in a ${source.size}-byte file`);
    for (let i = 0; i < pairs; i++) {
      const key = cursor.string(version);
      const at = cursor.pos;
      const text = cursor.value(cursor.u32(), version);
      if (text !== undefined && key.startsWith('tokenizer.chat_template')) findings.push(...checkChatTemplate(key, text).map((f) => ({ ...f, offset: at })));
    }
    for (let i = 0; i < tensors; i++) {
      cursor.string(version);
      const dims = cursor.u32();
      if (dims > 8) throw new GgufError(`tensor ${i} claims ${dims} dimensions`);
      for (let d = 0; d < dims; d++) cursor.u64();
      cursor.u32();
      cursor.u64();
    }
  } catch (error) {
    if (!(error instanceof GgufError)) throw error;
    findings.push(finding('GGUF_MALFORMED', { detail: error.message }, { offset: cursor.pos }));
  }
  return findings;
}
