/** Pickle builders for targets: payloads spelled the many ways CPython reads them, and benign data around them. */
import { cat, le, utf8 } from './bytes.mjs';

export const OPS = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, DUP: 0x32, INT: 0x49, BININT1: 0x4b, LONG: 0x4c, NONE: 0x4e, REDUCE: 0x52, STRING: 0x53,
  BINSTRING: 0x54, SHORT_BINSTRING: 0x55, UNICODE: 0x56, BINUNICODE: 0x58, APPEND: 0x61, BUILD: 0x62, GLOBAL: 0x63, DICT: 0x64,
  APPENDS: 0x65, GET: 0x67, BINGET: 0x68, INST: 0x69, LIST: 0x6c, OBJ: 0x6f, PUT: 0x70, BINPUT: 0x71, SETITEM: 0x73, TUPLE: 0x74,
  SETITEMS: 0x75, EMPTY_DICT: 0x7d, EMPTY_LIST: 0x5d, EMPTY_TUPLE: 0x29, BINFLOAT: 0x47, PROTO: 0x80, NEWOBJ: 0x81, TUPLE1: 0x85,
  TUPLE2: 0x86, NEWTRUE: 0x88, SHORT_BINBYTES: 0x43, SHORT_BINUNICODE: 0x8c, STACK_GLOBAL: 0x93, MEMOIZE: 0x94, FRAME: 0x95,
};

/** Callables that run code when a pickle calls them, with the module spellings a pickle may use. */
export const PAYLOADS = [
  ['os', 'system'], ['posix', 'system'], ['subprocess', 'Popen'], ['subprocess', 'check_output'], ['builtins', 'eval'], ['builtins', 'exec'],
  ['__builtin__', 'eval'], ['builtins', 'getattr'], ['runpy', '_run_code'], ['pty', 'spawn'], ['webbrowser', 'open'], ['commands', 'call'],
];

const s = (o, text) => {
  const b = utf8(text);
  return b.length < 256 ? cat(OPS.SHORT_BINUNICODE, b.length, b) : cat(OPS.BINUNICODE, le(b.length, 4), b);
};

/** A string argument in one of the encodings CPython reads. */
export function text(rng, value) {
  switch (rng.int(5)) {
    case 0: return cat(OPS.STRING, `'${value}'\n`);
    case 1: return cat(OPS.SHORT_BINSTRING, value.length, value);
    case 2: return cat(OPS.UNICODE, `${value}\n`);
    case 3: return cat(OPS.BINUNICODE, le(utf8(value).length, 4), utf8(value));
    default: return s(OPS, value);
  }
}

/** A decimal memo key spelled as CPython's int(text, 10) accepts it. */
function key(rng, k) {
  const digits = String(k);
  return rng.pick([digits, ` ${digits}`, `0${digits}`, `${digits} `, digits.split('').join('_')]);
}

/** Push the callable (module, name) in one of the ways a pickle can, optionally through the memo. */
function importing(rng, module, name, protocol) {
  const how = rng.int(protocol >= 4 ? 4 : 2);
  if (how === 0) return cat(OPS.GLOBAL, `${module}\n${name}\n`);
  if (how === 1) {
    // GLOBAL memoized, popped, fetched back
    const k = rng.int(300);
    return cat(OPS.GLOBAL, `${module}\n${name}\n`, OPS.PUT, `${key(rng, k)}\n`, OPS.POP, OPS.GET, `${key(rng, k)}\n`);
  }
  if (how === 2) return cat(s(OPS, module), s(OPS, name), OPS.STACK_GLOBAL);
  // operands through the memo with a decoy between
  return cat(s(OPS, module), OPS.MEMOIZE, OPS.POP, s(OPS, 'decoy'), OPS.POP, s(OPS, name), OPS.MEMOIZE, OPS.POP, OPS.BINGET, 0, OPS.BINGET, 2, OPS.STACK_GLOBAL);
}

/** A call of (module, name) with one string argument, by REDUCE, INST, OBJ or NEWOBJ. */
export function payload(rng, module, name, protocol) {
  const arg = text(rng, 'id');
  switch (rng.int(protocol >= 2 ? 4 : 3)) {
    case 0: return cat(importing(rng, module, name, protocol), OPS.MARK, arg, OPS.TUPLE, OPS.REDUCE);
    case 1: return cat(OPS.MARK, arg, OPS.INST, `${module}\n${name}\n`);
    case 2: return cat(OPS.MARK, importing(rng, module, name, protocol), arg, OPS.OBJ);
    default: return cat(importing(rng, module, name, protocol), arg, OPS.TUPLE1, OPS.REDUCE);
  }
}

/** Benign values: what real pickles hold around a payload. */
export function benign(rng, depth = 0) {
  switch (depth > 2 ? rng.int(4) : rng.int(8)) {
    case 0: return cat(OPS.BININT1, rng.int(256));
    case 1: return text(rng, rng.pick(['weight', 'bias', 'layer.0', 'x']));
    case 2: return cat(OPS.NONE);
    case 3: return cat(OPS.BINFLOAT, rng.bytes(8));
    case 4: return cat(OPS.EMPTY_LIST, OPS.MARK, benign(rng, depth + 1), benign(rng, depth + 1), OPS.APPENDS);
    case 5: return cat(OPS.EMPTY_DICT, text(rng, 'k'), benign(rng, depth + 1), OPS.SETITEM);
    case 6: return cat(OPS.GLOBAL, 'collections\nOrderedDict\n', OPS.EMPTY_TUPLE, OPS.REDUCE);
    default: return cat(OPS.MARK, benign(rng, depth + 1), OPS.TUPLE);
  }
}

/** A whole pickle: benign values, the payload somewhere among them, STOP. */
export function payloadPickle(rng) {
  const protocol = rng.int(6);
  const [module, name] = rng.pick(PAYLOADS);
  const parts = [];
  const before = rng.int(3);
  for (let i = 0; i < before; i++) parts.push(benign(rng), OPS.POP);
  parts.push(payload(rng, module, name, protocol));
  const after = rng.int(3);
  for (let i = 0; i < after; i++) parts.push(OPS.POP, benign(rng));
  const body = cat(...parts, OPS.STOP);
  const head = protocol >= 2 ? cat(OPS.PROTO, protocol) : new Uint8Array(0);
  if (protocol >= 4 && rng.chance(0.5)) return cat(head, OPS.FRAME, le(body.length, 8), body);
  return cat(head, body);
}

export function benignPickle(rng) {
  const protocol = rng.int(6);
  return cat(protocol >= 2 ? cat(OPS.PROTO, protocol) : new Uint8Array(0), benign(rng), OPS.STOP);
}
