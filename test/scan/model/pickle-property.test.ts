import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DENY_MODULES, DENY_NAMES } from '../../../src/scan/model/policy/globals.js';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { SHARED, bytes, global, judge, le, op, sbu, stackGlobal } from './helpers.js';

/** A chunk is one opcode with its argument: chunk boundaries are the only places to insert. */
type Chunk = number[];

const leaf: fc.Arbitrary<Chunk[]> = fc.oneof<fc.Arbitrary<Chunk[]>[]>(
  fc.constant<Chunk[]>([[op('NONE')]]),
  fc.constant<Chunk[]>([[op('NEWTRUE')]]),
  fc.integer({ min: 0, max: 255 }).map((n) => [[op('BININT1'), n]]),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => [[op('BININT'), ...le(n >>> 0, 4)]]),
  fc.double().map(() => [[op('BINFLOAT'), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]]),
  fc.string({ maxLength: 12 }).map((s) => [sbu(s)]),
  fc.uint8Array({ maxLength: 12 }).map((b) => [[op('SHORT_BINBYTES'), b.length, ...b]]),
  fc.constant<Chunk[]>([[op('EMPTY_LIST')]]),
  fc.constant<Chunk[]>([[op('EMPTY_DICT')]]),
  fc.constant<Chunk[]>([[op('EMPTY_TUPLE')]]),
);

/** Opcode streams that push exactly one value, built only from allow-listed constructs. */
const value: fc.Memo<Chunk[]> = fc.memo((n) => {
  if (n <= 1) return leaf;
  const child = value(n - 1);
  const children = fc.array(child, { maxLength: 4 }).map((cs) => cs.flat());
  return fc.oneof(
    leaf,
    children.map((c) => [[op('MARK')], ...c, [op('TUPLE')]]),
    children.map((c) => [[op('MARK')], ...c, [op('LIST')]]),
    children.map((c) => [[op('EMPTY_LIST')], [op('MARK')], ...c, [op('APPENDS')]]),
    children.map((c) => [[op('EMPTY_SET')], [op('MARK')], ...c, [op('ADDITEMS')]]),
    fc.array(fc.tuple(fc.string({ maxLength: 6 }), child), { maxLength: 3 }).map((pairs) => [[op('EMPTY_DICT')], [op('MARK')], ...pairs.flatMap(([k, v]) => [sbu(k), ...v]), [op('SETITEMS')]]),
    fc.tuple(child, child).map(([a, b]) => [...a, ...b, [op('TUPLE2')]]),
    fc.tuple(child, fc.integer({ min: 0, max: 255 })).map(([c, k]) => [...c, [op('BINPUT'), k], [op('BINGET'), k], [op('POP')]]),
    children.map((c) => [stackGlobal('collections', 'OrderedDict'), [op('EMPTY_TUPLE')], [op('REDUCE')], [op('MARK')], ...c, [op('POP_MARK')]]),
    child.map((c) => [[op('GLOBAL'), ...bytes('builtins\nset\n')], [op('EMPTY_LIST')], [op('MARK')], ...c, [op('APPENDS')], [op('TUPLE1')], [op('REDUCE')]]),
  );
});

const benignPickle = value(5).map((chunks) => [[op('PROTO'), 4], ...chunks, [op('STOP')]]);
const flat = (chunks: Chunk[]): Uint8Array => Uint8Array.from(chunks.flat());

const DENIED: Array<[string, string]> = [
  ...Object.entries(DENY_NAMES).flatMap(([module, names]) => names.filter((n) => !n.includes('*')).map((n) => [module, n] as [string, string])),
  ...DENY_MODULES.map((module) => [module, 'anything'] as [string, string]),
];
const deniedImport = fc.tuple(fc.constantFrom(...DENIED, ['os', 'system'] as [string, string], ['subprocess', 'Popen'] as [string, string], ['runpy', '_run_code'] as [string, string]), fc.boolean()).map(([[module, name], stacked]) => ({
  global: `${module}.${name}`,
  chunks: [stacked ? stackGlobal(module, name) : Array.from(bytes(...global(module, name))), [op('POP')]],
}));

describe('pickle VM properties', () => {
  it('random pickles of allow-listed constructs are safe, with no finding', () => {
    fc.assert(
      fc.property(benignPickle, (chunks) => {
        expect(judge(flat(chunks)).findings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('inserting a deny-listed import at any opcode boundary makes the pickle malicious, naming it', () => {
    fc.assert(
      fc.property(benignPickle, deniedImport, fc.nat(), (chunks, insert, at) => {
        const position = 1 + (at % (chunks.length - 1));
        const data = flat([...chunks.slice(0, position), ...insert.chunks, ...chunks.slice(position)]);
        const r = judge(data);
        expect(r.verdict).toBe('malicious');
        // Oracle: the imports the VM saw are exactly the inserted one plus the generator's allow-listed ones.
        expect(r.findings.filter((f) => f.verdict === 'malicious').map((f) => f.global)).toEqual([insert.global]);
      }),
      { numRuns: 300 },
    );
  });

  it('truncating a pickle at any byte gives invalid, never a throw', () => {
    fc.assert(
      fc.property(benignPickle, fc.nat(), (chunks, cut) => {
        const data = flat(chunks);
        const prefix = data.subarray(0, cut % data.length);
        expect(judge(prefix).verdict).toBe('invalid');
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never make the scanner throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const result = await scanModelBytes(data, 'random.bin');
        expect(['safe', 'suspicious', 'malicious', 'invalid', 'unsupported']).toContain(result.verdict);
      }),
      { numRuns: 500 },
    );
  });
});

describe('every prefix of every small corpus pickle scans without throwing', () => {
  const manifest = JSON.parse(readFileSync(join(SHARED, 'corpus/models/manifest.json'), 'utf8')) as Array<{ file: string; format: string; size: number; expected: string }>;
  const small = manifest.filter((e) => e.format === 'pickle' && e.size <= 400);
  it.each(small.map((e) => [e.file, e] as const))('%s', (_f, entry) => {
    const data = readFileSync(join(SHARED, 'corpus/models', entry.file));
    for (let cut = 0; cut < data.length; cut++) {
      const verdict = judge(data.subarray(0, cut)).verdict;
      // A prefix can only lose what came after the cut: never worse than the whole file.
      if (entry.expected !== 'malicious') expect(verdict).not.toBe('malicious');
    }
  });
});
