import { compareDigits, type VersionScheme } from './scheme.js';

/**
 * Alpine apk version ordering (apk-tools src/version.c):
 * `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`. Tokens compare pairwise while
 * their kinds agree; digits after the first compare as strings when either has a leading zero;
 * `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`.
 */
const enum Token {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  RevisionNumber,
  End,
  Invalid,
}

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const NO_SUFFIX = SUFFIXES.indexOf('');

interface State {
  token: Token;
  value: string;
  suffix: number;
  rest: string;
}

function digits(state: State, token: Token): State {
  const value = /^[0-9]*/.exec(state.rest)?.[0] ?? '';
  return { token: value === '' ? Token.Invalid : token, value, suffix: state.suffix, rest: state.rest.slice(value.length) };
}

function first(version: string): State {
  return digits({ token: Token.InitialDigit, value: '', suffix: -1, rest: version }, Token.InitialDigit);
}

function next(state: State): State {
  const { rest, token } = state;
  const invalid: State = { ...state, token: Token.Invalid };
  if (rest === '') return { ...state, token: Token.End };
  const c = rest[0] as string;
  if (c >= 'a' && c <= 'z') {
    if (token > Token.Digit) return invalid;
    return { token: Token.Letter, value: c, suffix: state.suffix, rest: rest.slice(1) };
  }
  if (c === '.' || (c >= '0' && c <= '9')) {
    if (c === '.' && token > Token.Digit) return invalid;
    const after = c === '.' ? rest.slice(1) : rest;
    const kind = token === Token.InitialDigit || token === Token.Digit ? Token.Digit : token === Token.Suffix ? Token.SuffixNumber : undefined;
    if (kind === undefined) return invalid;
    return digits({ ...state, rest: after }, kind);
  }
  if (c === '_') {
    if (token > Token.SuffixNumber) return invalid;
    const name = /^[a-z]*/.exec(rest.slice(1))?.[0] ?? '';
    const suffix = name === '' ? -1 : SUFFIXES.indexOf(name);
    if (suffix < 0 || suffix === NO_SUFFIX) return invalid;
    return { token: Token.Suffix, value: name, suffix, rest: rest.slice(1 + name.length) };
  }
  if (c === '~') {
    if (token >= Token.CommitHash) return invalid;
    const hash = /^[0-9a-fA-F]*/.exec(rest.slice(1))?.[0] ?? '';
    if (hash === '') return invalid;
    return { token: Token.CommitHash, value: hash, suffix: state.suffix, rest: rest.slice(1 + hash.length) };
  }
  if (c === '-') {
    if (token >= Token.RevisionNumber || !rest.startsWith('-r')) return invalid;
    return digits({ ...state, rest: rest.slice(2) }, Token.RevisionNumber);
  }
  return invalid;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTokens(a: State, b: State): number {
  switch (a.token) {
    case Token.Digit:
      if (a.value.startsWith('0') || b.value.startsWith('0')) return compareStrings(a.value, b.value);
      return compareDigits(a.value, b.value);
    case Token.InitialDigit:
    case Token.SuffixNumber:
    case Token.RevisionNumber:
      return compareDigits(a.value, b.value);
    case Token.Letter:
      return compareStrings(a.value, b.value);
    case Token.Suffix:
      return a.suffix - b.suffix;
    default:
      return compareStrings(a.value, b.value);
  }
}

export function compareApk(a: string, b: string): number {
  let x = first(a);
  let y = first(b);
  while (x.token === y.token && x.token < Token.End) {
    const difference = compareTokens(x, y);
    if (difference !== 0) return Math.sign(difference);
    x = next(x);
    y = next(y);
  }
  if (x.token === y.token) return 0;
  // Equal so far: the longer version is newer, unless what follows is a pre-release suffix.
  if (x.token === Token.Suffix && x.suffix < NO_SUFFIX) return -1;
  if (y.token === Token.Suffix && y.suffix < NO_SUFFIX) return 1;
  if (x.token > y.token) return -1;
  if (y.token > x.token) return 1;
  return 0;
}

export function validApk(version: string): boolean {
  let state = first(version);
  while (state.token < Token.End) state = next(state);
  return state.token === Token.End;
}

export const apk: VersionScheme = { name: 'apk', valid: validApk, compare: compareApk };
