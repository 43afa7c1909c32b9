import { describe, expect, it } from 'vitest';
import { expandWord, keyValues, splitWords } from '../../../../src/scan/image/dockerfile/words.js';

const vars = new Map([
  ['NAME', 'model'],
  ['EMPTY', ''],
  ['PATHV', '/usr/local/bin/python3.12'],
]);

describe('expandWord', () => {
  it.each([
    ['$NAME', 'model'],
    ['${NAME}:1.0', 'model:1.0'],
    ['pre-${NAME}-post', 'pre-model-post'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${NAME:+set}', 'set'],
    ['${UNSET:+set}', ''],
    ['${UNSET+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${PATHV##*/}', 'python3.12'],
    ['${PATHV#*/}', 'usr/local/bin/python3.12'],
    ['${PATHV%/*}', '/usr/local/bin'],
    ['${PATHV%%.*}', '/usr/local/bin/python3'],
    ["'$NAME'", '$NAME'],
    ['"$NAME"', 'model'],
    ['\\$NAME', '$NAME'],
    ['"a b"c', 'a bc'],
    ['${UNSET:-$NAME}', 'model'],
    ['$', '$'],
    ['a$1', 'a$1'],
  ])('%s → %s', (raw, expected) => {
    expect(expandWord(raw, vars, '\\').value).toBe(expected);
  });

  it('records unset variables', () => {
    expect(expandWord('${REGISTRY}/img:$TAG', vars, '\\')).toEqual({ value: '/img:', unset: ['REGISTRY', 'TAG'] });
  });

  it('uses the backtick as escape when the directive says so', () => {
    expect(expandWord('`$NAME', vars, '`').value).toBe('$NAME');
  });
});

describe('splitWords and keyValues', () => {
  it('splits on unquoted blanks and keeps offsets', () => {
    expect(splitWords('a "b c"  d\\ e', '\\')).toEqual([
      { raw: 'a', start: 0 },
      { raw: '"b c"', start: 2 },
      { raw: 'd\\ e', start: 9 },
    ]);
  });

  it('reads KEY=VALUE pairs and the legacy ENV form', () => {
    expect(keyValues('A=1 B="two words" C', '\\', false)).toEqual([
      { key: 'A', rawValue: '1', start: 0 },
      { key: 'B', rawValue: '"two words"', start: 4 },
      { key: 'C', start: 18 },
    ]);
    expect(keyValues('TOKEN some value here', '\\', true)).toEqual([{ key: 'TOKEN', rawValue: 'some value here', start: 0 }]);
  });
});
