import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { classifyDtypeString } from '../../../src/scan/model/formats/numpy.js';
import { parsePyLiteral } from '../../../src/scan/model/formats/pyLiteral.js';
import { bytes, global, le, op } from './helpers.js';

// numpy/lib/format.py reads the header with ast.literal_eval (duplicate keys: the last wins), then
// descr_to_dtype; any object dtype (a plain 'O', 'object', a structured field, a subarray) makes
// np.load(allow_pickle=True) call pickle.load on the data that follows.

const PAYLOAD = bytes(op('PROTO'), 2, ...global('os', 'system'), op('MARK'), op('SHORT_BINUNICODE'), 2, 'id', op('TUPLE'), op('REDUCE'), op('STOP'));

/** Verified with numpy 2.4: each of these is an object dtype (np.dtype(s).hasobject). */
const OBJECT_STRINGS = ['O', '|O', '<O', '>O', '=O', 'O8', 'O4', 'object', 'object_', 'i4,O', '(2,)O', 'O,', '3O', 'f8, O'];
/** Verified with numpy 2.4: plain dtypes. */
const PLAIN_STRINGS = ['<f4', '|u1', '<U10', '|S5', '<M8[ns]', '|b1', '<c8', '|V16', 'float64', 'int', 'bool', '?', 'e', 'g', 'P', 'p', 'i4,f8'];

/** Ways of writing a Python str literal of `text` that literal_eval reads back as `text`. */
function strLiteral(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    `'${text}'`,
    `"${text}"`,
    `u'${text}'`,
    `'''${text}'''`,
    `'${text.slice(0, 1)}' '${text.slice(1)}'`,
    `'${[...text].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`,
    `'${[...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}'`,
  );
}

/** A header dict literal with the given entries (in order), random spacing and comments. */
function headerLiteral(entries: ReadonlyArray<[string, string]>): fc.Arbitrary<string> {
  return fc.tuple(fc.array(strLiteral('x'), { minLength: 0, maxLength: 0 }), ...entries.map(([k]) => strLiteral(k)), fc.constantFrom(' ', '', '\n', ' # c\n'), fc.boolean()).map(([, ...rest]) => {
    const keys = rest.slice(0, entries.length) as string[];
    const gap = rest[entries.length] as string;
    const trailing = rest[entries.length + 1] as boolean;
    return `{${entries.map(([, v], i) => `${keys[i]}:${gap}${v}`).join(`,${gap}`)}${trailing ? ',' : ''}}`;
  });
}

function npyFile(header: string, data: Uint8Array, version: 1 | 2 | 3 = 1): Uint8Array {
  const encoded = version === 3 ? new TextEncoder().encode(header) : Uint8Array.from(header, (c) => c.charCodeAt(0) & 0xff);
  const fixed = version === 1 ? 10 : 12;
  const pad = (64 - ((fixed + encoded.length + 1) % 64)) % 64;
  const body = bytes(encoded, ' '.repeat(pad), '\n');
  return bytes(0x93, 'NUMPY', version, 0, le(body.length, version === 1 ? 2 : 4), body, data);
}

const objectDescr: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...OBJECT_STRINGS).map((s) => `'${s}'`),
  fc.tuple(fc.constantFrom(...PLAIN_STRINGS), fc.constantFrom(...OBJECT_STRINGS), fc.nat(3)).map(([plain, object, at]) => {
    const fields = [`('a', '${plain}')`, `('b', '${plain}', (2,))`, `('c', '${plain}')`];
    fields.splice(at % 3, 0, at % 2 === 0 ? `('obj', '${object}')` : `(('title', 'obj'), '${object}', (1,))`);
    return `[${fields.join(', ')}]`;
  }),
  fc.constantFrom(...OBJECT_STRINGS).map((s) => `('${s}', (2, 2))`),
);

describe('.npy headers numpy reads as object arrays', () => {
  it('dtype strings are classified as numpy classifies them', () => {
    expect(OBJECT_STRINGS.map(classifyDtypeString)).toEqual(OBJECT_STRINGS.map(() => 'object'));
    expect(PLAIN_STRINGS.map(classifyDtypeString)).toEqual(PLAIN_STRINGS.map(() => 'plain'));
  });

  it('any object dtype, however the header spells it, has its pickle judged', async () => {
    await fc.assert(
      fc.asyncProperty(objectDescr.chain((descr) => headerLiteral([['descr', descr], ['fortran_order', 'False'], ['shape', '(1,)']]).map((h) => h)), fc.constantFrom<1 | 2 | 3>(1, 2, 3), async (header, version) => {
        const r = await scanModelBytes(npyFile(header, PAYLOAD, version), 'a.npy');
        expect([header, r.verdict, r.findings.map((f) => f.global)]).toEqual([header, 'malicious', ['os.system']]);
      }),
      { numRuns: 150 },
    );
  });

  it('descr given twice: numpy keeps the last one', async () => {
    await fc.assert(
      fc.asyncProperty(objectDescr, fc.constantFrom(...PLAIN_STRINGS.filter((s) => !s.includes(','))), fc.boolean(), async (object, plain, objectLast) => {
        const entries: Array<[string, string]> = objectLast
          ? [['descr', `'${plain}'`], ['fortran_order', 'False'], ['shape', '(1,)'], ['descr', object]]
          : [['descr', object], ['fortran_order', 'False'], ['shape', '(1,)'], ['descr', `'${plain}'`]];
        const header = fc.sample(headerLiteral(entries), 1)[0] as string;
        const r = await scanModelBytes(npyFile(header, objectLast ? PAYLOAD : new Uint8Array(64)), 'a.npy');
        expect([header, r.verdict]).toEqual([header, objectLast ? 'malicious' : 'safe']);
      }),
      { numRuns: 100 },
    );
  });

  it('a header this reader cannot parse still has its data judged as a pickle', async () => {
    // a literal_eval syntax the parser does not model (a name): numpy refuses it, the scanner fails closed
    const r = await scanModelBytes(npyFile("{'descr': np.dtype('O'), 'fortran_order': False, 'shape': (1,)}", PAYLOAD), 'a.npy');
    expect(r.findings.map((f) => [f.rule, f.global])).toEqual([['NUMPY_MALFORMED', undefined], ['PICKLE_DENYLISTED_GLOBAL', 'os.system']]);
  });

  it('header keys other than exactly descr, fortran_order and shape are refused as numpy does', async () => {
    const r = await scanModelBytes(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", new Uint8Array(8)), 'a.npy');
    expect(r.findings.map((f) => f.message)).toEqual(['header keys are ["descr","extra","fortran_order","shape"], not descr, fortran_order and shape']);
  });
});

describe('Python literal reader', () => {
  it('reads what literal_eval reads', () => {
    expect(parsePyLiteral("{'a': (1,), \"b\": [0x1_0, -2, 3L], 'c': True, 'a': None, # comment\n 'd': ()}")).toEqual({
      kind: 'dict',
      entries: [
        [{ kind: 'str', value: 'a' }, { kind: 'tuple', items: [{ kind: 'int', value: 1n }] }],
        [{ kind: 'str', value: 'b' }, { kind: 'list', items: [{ kind: 'int', value: 16n }, { kind: 'int', value: -2n }, { kind: 'int', value: 3n }] }],
        [{ kind: 'str', value: 'c' }, { kind: 'bool', value: true }],
        [{ kind: 'str', value: 'a' }, { kind: 'none' }],
        [{ kind: 'str', value: 'd' }, { kind: 'tuple', items: [] }],
      ],
    });
    expect(parsePyLiteral("r'\\x41' 'B\\x43'")).toEqual({ kind: 'str', value: '\\x41BC' });
    expect(parsePyLiteral('(1)')).toEqual({ kind: 'int', value: 1n });
    expect(() => parsePyLiteral("{'a': b'x' 'y'}")).toThrow(/mix/);
    expect(() => parsePyLiteral("{'a': 1")).toThrow();
  });
});
