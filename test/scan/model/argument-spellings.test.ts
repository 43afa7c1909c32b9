import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8SurrogatePass, parseIntArgument, parseLongArgument, parsePythonInt } from '../../../src/scan/model/pickle/vm.js';
import { IMPORT_MAPPING, NAME_MAPPING } from '../../../src/scan/model/policy/compatPickle.js';
import { brief, bytes, global, judge, le, op, sbu } from './helpers.js';

// What CPython 3.11's C unpickler returned for `I<s>\n.`, `L<s>L\n.` and a PUT/GET pair spelled <s>
// (recorded by running pickle.loads on each; ERR = UnpicklingError/ValueError).
const CPYTHON: ReadonlyArray<[string, bigint | 'ERR', bigint | 'ERR', bigint | 'ERR']> = [
  ['0x10', 16n, 16n, 'ERR'],
  ['0X_1f', 31n, 31n, 'ERR'],
  [' 12 ', 12n, 12n, 12n],
  ['1_000', 1000n, 1000n, 1000n],
  ['-0b101', -5n, -5n, 'ERR'],
  ['0o17', 15n, 15n, 'ERR'],
  ['010', 8n, 'ERR', 10n],
  ['0_0', 0n, 0n, 0n],
  ['+7', 7n, 7n, 7n],
  ['1__0', 'ERR', 'ERR', 'ERR'],
  ['_1', 'ERR', 'ERR', 'ERR'],
  ['1_', 'ERR', 'ERR', 'ERR'],
  ['0x', 'ERR', 'ERR', 'ERR'],
  ['12\0zz', 12n, 12n, 12n],
];

/** A random spelling that Python's int(text, 10) reads as n: leading zeros, underscores, whitespace, a sign. */
function decimalSpelling(n: bigint): fc.Arbitrary<string> {
  return fc.record({ zeros: fc.nat(3), underscores: fc.boolean(), lead: fc.constantFrom('', ' ', '\t', '  '), trail: fc.constantFrom('', ' ', '\t'), plus: fc.boolean() }).map(({ zeros, underscores, lead, trail, plus }) => {
    let digits = '0'.repeat(zeros) + n.toString();
    if (underscores && digits.length > 1) digits = digits.split('').join('_');
    return `${lead}${plus ? '+' : ''}${digits}${trail}`;
  });
}

/** A random base-0 spelling of n (what int(text, 0) reads): hex, octal, binary or decimal, with underscores. */
function base0Spelling(n: bigint): fc.Arbitrary<string> {
  return fc.record({ radix: fc.constantFrom(16, 8, 2, 10), upper: fc.boolean(), underscore: fc.boolean() }).map(({ radix, upper, underscore }) => {
    const abs = n < 0n ? -n : n;
    const prefix = { 16: '0x', 8: '0o', 2: '0b', 10: '' }[radix] ?? '';
    let digits = abs.toString(radix);
    if (underscore && digits.length > 1) digits = `${digits[0]}_${digits.slice(1)}`;
    const text = `${prefix}${digits}`;
    return `${n < 0n ? '-' : ''}${upper ? text.toUpperCase() : text}`;
  });
}

describe('argument spellings CPython accepts', () => {
  it('match what CPython returned for each recorded spelling', () => {
    for (const [text, int, long, memo] of CPYTHON) {
      const memoKey = parsePythonInt(text.split('\0')[0] ?? '', 10);
      expect([text, parseIntArgument(text) ?? 'ERR', parseLongArgument(`${text}L`) ?? 'ERR', memoKey === undefined || memoKey < 0n ? 'ERR' : memoKey]).toEqual([text, int, long, memo]);
    }
  });

  it('INT and LONG read every base-0 spelling of a number as that number', () => {
    const n = fc.bigInt({ min: -(1n << 70n), max: 1n << 70n });
    fc.assert(
      fc.property(n.chain((v) => fc.tuple(fc.constant(v), base0Spelling(v))), ([value, text]) => {
        expect(parseLongArgument(`${text}L`)).toBe(value);
        expect(parseIntArgument(text)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('a memo key spelled two different ways (p 0 / g0_0) still feeds STACK_GLOBAL its operand', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000n }).chain((k) => fc.tuple(decimalSpelling(k), decimalSpelling(k))), ([put, get]) => {
        const data = bytes(op('PROTO'), 4, ...sbu('os'), op('PUT'), `${put}\n`, op('POP'), op('GET'), `${get}\n`, ...sbu('system'), op('STACK_GLOBAL'), op('STOP'));
        expect(brief(judge(data).findings)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system', data.length - 2]]);
      }),
      { numRuns: 200 },
    );
  });

  it('a negative or malformed memo key is a fault, as in CPython', () => {
    for (const key of ['-1', '1__0', 'x', '']) {
      const data = bytes(op('NONE'), op('PUT'), `${key}\n`, op('STOP'));
      expect([key, judge(data).rules]).toEqual([key, ['PICKLE_MALFORMED']]);
    }
  });
});

/** Encode code units as UTF-8, lone surrogates included (Python's "surrogatepass"). */
function surrogatePass(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out.push(...new TextEncoder().encode(text.slice(i, i + 2)));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else {
      out.push(...new TextEncoder().encode(text[i] as string));
    }
  }
  return out;
}

describe('unicode strings with lone surrogates (surrogatepass)', () => {
  const withSurrogates = fc.array(fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

  it('decode to the same code units they were made from', () => {
    fc.assert(
      fc.property(withSurrogates, (text) => {
        expect(decodeUtf8SurrogatePass(Uint8Array.from(surrogatePass(text)))).toBe(text);
      }),
      { numRuns: 300 },
    );
    expect(decodeUtf8SurrogatePass(Uint8Array.of(0xff))).toBeUndefined();
    expect(decodeUtf8SurrogatePass(Uint8Array.of(0xc0, 0x80))).toBeUndefined();
  });

  it('do not stop the scan before a payload (BINUNICODE, SHORT_BINUNICODE, BINUNICODE8)', () => {
    fc.assert(
      fc.property(withSurrogates, fc.constantFrom('SHORT_BINUNICODE', 'BINUNICODE', 'BINUNICODE8'), (text, opcode) => {
        const encoded = surrogatePass(text);
        const width = opcode === 'SHORT_BINUNICODE' ? 1 : opcode === 'BINUNICODE' ? 4 : 8;
        const data = bytes(op('PROTO'), 4, op(opcode), le(encoded.length, width), encoded, op('POP'), ...global('os', 'system'), op('STOP'));
        expect(judge(data).findings.map((f) => [f.rule, f.global])).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system']]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Python 2 names (fix_imports)', () => {
  it('GLOBAL with a Python 2 module is judged as the module it becomes', () => {
    const dangerous = Object.entries(IMPORT_MAPPING).filter(([, to]) => /^(subprocess|http|xmlrpc|socketserver|pickle|urllib)/.test(to));
    expect(dangerous.length).toBeGreaterThan(8);
    fc.assert(
      fc.property(fc.constantFrom(...dangerous), fc.constantFrom('Popen', 'serve_forever', 'loads', 'urlopen', 'ServerProxy'), ([from, to], name) => {
        const data = bytes(...global(from, name), op('STOP'));
        expect(judge(data).findings.map((f) => [f.rule, f.global])).toEqual([['PICKLE_DENYLISTED_GLOBAL', `${to}.${name}`]]);
      }),
      { numRuns: 100 },
    );
  });

  it('NAME_MAPPING renames are followed (__builtin__.intern is sys.intern)', () => {
    expect(NAME_MAPPING.get('__builtin__ intern')).toEqual(['sys', 'intern']);
    const data = bytes(op('PROTO'), 2, ...global('__builtin__', 'intern'), op('STOP'));
    expect(judge(data).findings.map((f) => [f.rule, f.global])).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'sys.intern']]);
    expect(judge(bytes(op('PROTO'), 2, ...global('__builtin__', 'xrange'), op('STOP'))).verdict).toBe('safe');
  });
});
