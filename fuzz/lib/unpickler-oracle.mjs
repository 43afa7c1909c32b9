/**
 * A reference model of CPython's C unpickler (Modules/_pickle.c, `pickle.loads` defaults: no
 * persistent_load, no buffers, encoding ASCII, fix_imports on): it walks the opcodes with real
 * values for strings and numbers and records every `find_class(module, name)` call made before the
 * load ends, in order. Nothing is imported or called: the result of a call is an opaque object.
 *
 * Written apart from src/ on purpose (an oracle that shared the scanner's code would share its bugs);
 * only the _compat_pickle data table is shared. Where the model cannot tell whether CPython goes on
 * (it would depend on the real imported object), it goes on, so it may record imports CPython never
 * reaches; never the reverse at an error it models.
 */
import { fixImports } from '../../dist/scan/model/policy/compatPickle.js';

class Stop extends Error {}

const MAX_OPS = 200_000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const opaque = { t: 'obj' };
const callable = (module, name) => ({ t: 'callable', module, name });

function hashable(v) {
  if (v.t === 'list' || v.t === 'dict' || v.t === 'set' || v.t === 'bytearray') return false;
  if (v.t === 'tuple') return v.items.every(hashable);
  return true;
}

function cstr(text) {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** Python int(text, base) for base 10 or 0; undefined when Python raises. */
function pyInt(text, base) {
  const t = text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
  const ok = base === 10 ? /^[+-]?\d+(_\d+)*$/.test(t) : /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+|0+(_?0)*|[1-9](_?\d)*)$/.test(t);
  if (!ok) return undefined;
  const neg = t[0] === '-';
  const body = t.replace(/^[+-]/, '').replace(/_/g, '');
  const v = base === 10 ? BigInt(body) : /^0+$/.test(body) ? 0n : BigInt(body.toLowerCase());
  return neg ? -v : v;
}

function strtolWhole(text) {
  const m = /^[ \t\n\r\f\v]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const d = m[2];
  const v = /^0[xX]/.test(d) ? BigInt(d) : d.length > 1 && d[0] === '0' ? BigInt('0o' + d.slice(1)) : BigInt(d);
  if (v > 0x7fffffffffffffffn) return undefined;
  return m[1] === '-' ? -v : v;
}

function surrogatePass(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    // decode by hand, accepting ED A0..BF xx (encoded surrogates)
  }
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const c = (k) => bytes[i + k] !== undefined && (bytes[i + k] & 0xc0) === 0x80;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
    } else if (b >= 0xc2 && b < 0xe0 && c(1)) {
      out += String.fromCharCode(((b & 31) << 6) | (bytes[i + 1] & 63));
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0 && c(1) && c(2) && (b > 0xe0 || bytes[i + 1] >= 0xa0)) {
      out += String.fromCharCode(((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63));
      i += 3;
    } else if (b >= 0xf0 && b < 0xf5 && c(1) && c(2) && c(3) && (b > 0xf0 || bytes[i + 1] >= 0x90) && (b < 0xf4 || bytes[i + 1] < 0x90)) {
      out += String.fromCodePoint(((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63));
      i += 4;
    } else {
      throw new Stop('utf-8');
    }
  }
  return out;
}

function rawUnicodeEscape(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = String.fromCharCode(bytes[i]);
    if (ch === '\\' && (bytes[i + 1] === 0x75 || bytes[i + 1] === 0x55)) {
      const n = bytes[i + 1] === 0x75 ? 4 : 8;
      const hex = String.fromCharCode(...bytes.subarray(i + 2, i + 2 + n));
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Stop('truncated escape');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new Stop('escape out of range');
      out += String.fromCodePoint(cp);
      i += 1 + n;
    } else {
      out += ch;
    }
  }
  return out;
}

/** PyBytes_DecodeEscape then an ASCII decode (STRING with the default encoding). */
function stringEscape(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    const e = bytes[++i];
    if (e === undefined) throw new Stop('trailing backslash');
    const simple = { 0x5c: '\\', 0x27: "'", 0x22: '"', 0x6e: '\n', 0x74: '\t', 0x72: '\r', 0x61: '\x07', 0x62: '\b', 0x66: '\f', 0x76: '\v', 0x0a: '' };
    if (e in simple) out += simple[e];
    else if (e === 0x78) {
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Stop('bad \\x escape');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (e >= 0x30 && e <= 0x37) {
      let d = String.fromCharCode(e);
      while (d.length < 3 && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x37) d += String.fromCharCode(bytes[++i]);
      out += String.fromCharCode(parseInt(d, 8) & 0xff);
    } else out += '\\' + String.fromCharCode(e);
  }
  if (/[^\x00-\x7f]/.test(out)) throw new Stop('STRING is not ASCII');
  return out;
}

/**
 * The imports CPython's C unpickler performs, in order, and whether the load got to STOP.
 * `mode` 'bytes' is `pickle.loads(data)` (the input is one buffer: FRAME only checks that its bytes
 * exist); 'file' is `pickle.load(file)` on a plain file object as torch.load and joblib use it: a FRAME
 * is read into a buffer, and a read or line that crosses the frame's end drops the rest of the
 * frame and is served from the file after it (CPython before the fix of issue 154848).
 * @returns {{ imports: Array<[string, string]>, written: Array<[string, string]>, stopped: boolean, error?: string }}
 */
export function cpythonImports(data, mode = 'bytes') {
  const imports = [];
  /** The same calls as written in the pickle, before fix_imports. */
  const written = [];
  let pos = 0;
  const stack = [];
  const marks = [];
  const memo = new Map();
  let proto = 0;
  /** file mode: end of the frame held in the buffer, -1 when none */
  let frameEnd = -1;
  /** file mode: a read of n bytes that does not fit the frame drops the frame's rest */
  const crossing = (n) => {
    if (mode !== 'file' || frameEnd < 0) return;
    if (pos >= frameEnd) frameEnd = -1;
    else if (pos + n > frameEnd) {
      pos = frameEnd;
      frameEnd = -1;
    }
  };
  const fence = () => (marks.length ? marks[marks.length - 1] : 0);
  const need = (n) => {
    if (pos + n > data.length) throw new Stop('truncated');
  };
  const read = (n) => {
    crossing(n);
    need(n);
    const out = data.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u = (n) => {
    const b = read(n);
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = v * 256 + b[k];
    return v;
  };
  /** A text argument without its newline; `min` 1 where C calls bad_readline on an empty one. */
  const readline = (min = 0) => {
    if (mode === 'file' && frameEnd >= 0) {
      const inFrame = data.subarray(0, frameEnd).indexOf(10, pos);
      if (inFrame < 0) crossing(Number.POSITIVE_INFINITY);
    }
    const nl = data.indexOf(10, pos);
    if (nl < 0) throw new Stop('no newline');
    const line = data.subarray(pos, nl);
    if (line.length < min) throw new Stop('empty text argument');
    pos = nl + 1;
    return line;
  };
  const latin = (b) => String.fromCharCode(...b);
  const pop = () => {
    if (stack.length <= fence()) throw new Stop('underflow');
    return stack.pop();
  };
  const top = () => {
    if (stack.length <= fence()) throw new Stop('underflow');
    return stack[stack.length - 1];
  };
  const marker = () => {
    if (!marks.length) throw new Stop('no mark');
    return marks.pop();
  };
  const findClass = (module, name) => {
    const [m, n] = proto < 3 ? fixImports(module, name) : [module, name];
    imports.push([m, n]);
    written.push([module, name]);
    return callable(m, n);
  };
  const call = (fn, args) => {
    if (fn.t !== 'callable' && fn.t !== 'obj') throw new Stop('not callable');
    if (args.t !== 'tuple' && args.t !== 'obj') throw new Stop('args not a tuple');
    return opaque;
  };
  const addTo = (target, pairs, items) => {
    if (target.t === 'obj') return;
    if (pairs) {
      if (target.t !== 'dict') throw new Stop('setitem on non-dict');
      for (let k = 0; k < items.length; k += 2) if (!hashable(items[k])) throw new Stop('unhashable key');
      return;
    }
    if (target.t === 'list') return;
    throw new Stop('append to non-list');
  };
  let ops = 0;
  try {
    for (;;) {
      if (++ops > MAX_OPS) return { imports, written, stopped: false, error: 'op budget' };
      const op = read(1)[0];
      switch (op) {
        case 0x28: marks.push(stack.length); break; // MARK
        case 0x2e: pop(); return { imports, written, stopped: true }; // STOP
        case 0x30: // POP
          if (marks.length && marks[marks.length - 1] === stack.length) marks.pop();
          else pop();
          break;
        case 0x31: stack.length = marker(); break; // POP_MARK
        case 0x32: stack.push(top()); break; // DUP
        case 0x46: { // FLOAT
          const s = cstr(latin(readline(1)));
          if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan)$/i.test(s)) throw new Stop('float');
          stack.push({ t: 'float' });
          break;
        }
        case 0x47: read(8); stack.push({ t: 'float' }); break; // BINFLOAT
        case 0x49: { // INT
          const s = cstr(latin(readline(1)));
          const v = strtolWhole(s) ?? pyInt(s, 0);
          if (v === undefined) throw new Stop('int');
          stack.push({ t: 'int', v });
          break;
        }
        case 0x4a: { const v = u(4); stack.push({ t: 'int', v: BigInt(v >= 2 ** 31 ? v - 2 ** 32 : v) }); break; }
        case 0x4b: stack.push({ t: 'int', v: BigInt(u(1)) }); break;
        case 0x4d: stack.push({ t: 'int', v: BigInt(u(2)) }); break;
        case 0x4c: { // LONG
          let s = cstr(latin(readline(1)));
          if (s.endsWith('L')) s = s.slice(0, -1);
          const v = pyInt(s, 0);
          if (v === undefined) throw new Stop('long');
          stack.push({ t: 'int', v });
          break;
        }
        case 0x8a: read(u(1)); stack.push({ t: 'int', v: 0n }); break; // LONG1
        case 0x8b: { const n = u(4); if (n >= 2 ** 31) throw new Stop('negative'); read(n); stack.push({ t: 'int', v: 0n }); break; }
        case 0x4e: stack.push({ t: 'none' }); break;
        case 0x88: case 0x89: stack.push({ t: 'bool' }); break;
        case 0x53: { // STRING
          const line = readline();
          if (line.length < 2 || line[0] !== line[line.length - 1] || (line[0] !== 0x27 && line[0] !== 0x22)) throw new Stop('not quoted');
          stack.push({ t: 'str', v: stringEscape(line.subarray(1, line.length - 1)) });
          break;
        }
        case 0x54: { const n = u(4); if (n >= 2 ** 31) throw new Stop('negative'); const b = read(n); if (b.some((x) => x > 0x7f)) throw new Stop('ascii'); stack.push({ t: 'str', v: latin(b) }); break; }
        case 0x55: { const b = read(u(1)); if (b.some((x) => x > 0x7f)) throw new Stop('ascii'); stack.push({ t: 'str', v: latin(b) }); break; }
        case 0x56: stack.push({ t: 'str', v: rawUnicodeEscape(readline()) }); break; // UNICODE
        case 0x58: stack.push({ t: 'str', v: surrogatePass(read(u(4))) }); break;
        case 0x8c: stack.push({ t: 'str', v: surrogatePass(read(u(1))) }); break;
        case 0x8d: stack.push({ t: 'str', v: surrogatePass(read(u(8))) }); break;
        case 0x42: read(u(4)); stack.push({ t: 'bytes' }); break;
        case 0x43: read(u(1)); stack.push({ t: 'bytes' }); break;
        case 0x8e: read(u(8)); stack.push({ t: 'bytes' }); break;
        case 0x96: read(u(8)); stack.push({ t: 'bytearray' }); break;
        case 0x29: stack.push({ t: 'tuple', items: [] }); break;
        case 0x74: { const m = marker(); stack.push({ t: 'tuple', items: stack.splice(m) }); break; }
        case 0x85: case 0x86: case 0x87: {
          const n = op - 0x84;
          if (stack.length - n < fence()) throw new Stop('underflow');
          stack.push({ t: 'tuple', items: stack.splice(stack.length - n) });
          break;
        }
        case 0x5d: stack.push({ t: 'list' }); break;
        case 0x6c: { const m = marker(); stack.splice(m); stack.push({ t: 'list' }); break; }
        case 0x7d: stack.push({ t: 'dict' }); break;
        case 0x64: { // DICT
          const m = marker();
          const items = stack.splice(m);
          if (items.length % 2) throw new Stop('odd');
          for (let k = 0; k < items.length; k += 2) if (!hashable(items[k])) throw new Stop('unhashable');
          stack.push({ t: 'dict' });
          break;
        }
        case 0x8f: stack.push({ t: 'set' }); break;
        case 0x91: { const m = marker(); const items = stack.splice(m); if (!items.every(hashable)) throw new Stop('unhashable'); stack.push({ t: 'frozenset' }); break; }
        case 0x90: { // ADDITEMS
          const m = marker();
          if (m <= fence() && m === 0) throw new Stop('underflow');
          const items = stack.splice(m);
          const target = stack[m - 1];
          if (!target) throw new Stop('underflow');
          if (target.t !== 'set' && target.t !== 'obj') throw new Stop('additems');
          if (!items.every(hashable)) throw new Stop('unhashable');
          break;
        }
        case 0x61: { // APPEND
          const x = stack.length - 1;
          if (x <= fence()) throw new Stop('underflow');
          addTo(stack[x - 1], false, stack.splice(x));
          break;
        }
        case 0x65: { const m = marker(); if (m <= fence() || m === 0) throw new Stop('underflow'); addTo(stack[m - 1], false, stack.splice(m)); break; }
        case 0x73: { // SETITEM
          const x = stack.length - 2;
          if (x <= fence()) throw new Stop('underflow');
          addTo(stack[x - 1], true, stack.splice(x));
          break;
        }
        case 0x75: { // SETITEMS
          const m = marker();
          if (m <= fence() || m === 0) throw new Stop('underflow');
          const items = stack.splice(m);
          if (items.length === 0) break;
          if (items.length % 2) throw new Stop('odd');
          addTo(stack[m - 1], true, items);
          break;
        }
        case 0x63: { // GLOBAL
          const module = readline(1);
          const name = readline(1);
          stack.push(findClass(utf8d(module), utf8d(name)));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (name.t !== 'str' || module.t !== 'str') throw new Stop('STACK_GLOBAL requires str');
          stack.push(findClass(module.v, name.v));
          break;
        }
        case 0x69: { // INST: the mark is looked for first
          const m = marker();
          const module = ascii(readline(1));
          const name = ascii(readline(1));
          const cls = findClass(module, name);
          stack.push(call(cls, { t: 'tuple', items: stack.splice(m) }));
          break;
        }
        case 0x6f: { // OBJ
          const m = marker();
          if (stack.length - m < 1) throw new Stop('underflow');
          const args = stack.splice(m + 1);
          const cls = stack.pop();
          stack.push(call(cls, { t: 'tuple', items: args }));
          break;
        }
        case 0x81: { const args = pop(); const cls = pop(); if (args.t !== 'tuple') throw new Stop('NEWOBJ args'); if (cls.t !== 'callable' && cls.t !== 'obj') throw new Stop('NEWOBJ class'); stack.push(opaque); break; }
        case 0x92: { const kw = pop(); const args = pop(); const cls = pop(); if (kw.t !== 'dict' || args.t !== 'tuple') throw new Stop('NEWOBJ_EX'); if (cls.t !== 'callable' && cls.t !== 'obj') throw new Stop('NEWOBJ_EX class'); stack.push(opaque); break; }
        case 0x52: { const args = pop(); const fn = pop(); stack.push(call(fn, args)); break; } // REDUCE
        case 0x62: { pop(); const inst = top(); if (inst.t !== 'obj' && inst.t !== 'callable') throw new Stop('BUILD'); break; }
        case 0x50: case 0x51: throw new Stop('persistent id without persistent_load');
        case 0x82: case 0x83: case 0x84: throw new Stop('unregistered extension code');
        case 0x67: { const k = pyInt(cstr(latin(readline(1))), 10); if (k === undefined || !memo.has(k)) throw new Stop('memo'); stack.push(memo.get(k)); break; }
        case 0x68: { const k = BigInt(u(1)); if (!memo.has(k)) throw new Stop('memo'); stack.push(memo.get(k)); break; }
        case 0x6a: { const k = BigInt(u(4)); if (!memo.has(k)) throw new Stop('memo'); stack.push(memo.get(k)); break; }
        case 0x70: { const k = pyInt(cstr(latin(readline(1))), 10); if (k === undefined || k < 0n) throw new Stop('put'); memo.set(k, top()); break; }
        case 0x71: { const k = BigInt(u(1)); memo.set(k, top()); break; }
        case 0x72: { const k = BigInt(u(4)); memo.set(k, top()); break; }
        case 0x94: memo.set(BigInt(memo.size), top()); break;
        case 0x80: { proto = u(1); if (proto > 5) throw new Stop('protocol'); break; }
        case 0x95: { // FRAME: the bytes must be there; in file mode they become the buffer
          const n = u(8);
          if (mode === 'file') {
            if (!(frameEnd >= 0 && pos + n <= frameEnd)) {
              crossing(n);
              need(n);
              frameEnd = pos + n;
            }
          } else need(n);
          break;
        }
        case 0x97: throw new Stop('out-of-band buffer');
        case 0x98: { const v = top(); if (v.t !== 'bytes' && v.t !== 'bytearray') throw new Stop('not a buffer'); break; }
        default:
          throw new Stop('invalid load key');
      }
    }
  } catch (error) {
    if (error instanceof Stop) return { imports, written, stopped: false, error: error.message };
    throw error;
  }

  function ascii(line) {
    if (line.some((b) => b > 0x7f)) throw new Stop('INST names are ASCII');
    return latin(line);
  }

  function utf8d(line) {
    try {
      return utf8.decode(line);
    } catch {
      throw new Stop('utf-8');
    }
  }
}

/** Callables no model needs: importing one of these (before the load fails) runs code, reads or writes files, or opens sockets. */
export const DANGEROUS = new Set([
  'os.system', 'os.popen', 'os.execv', 'posix.system', 'nt.system', 'subprocess.Popen', 'subprocess.call', 'subprocess.check_output', 'subprocess.run',
  'builtins.eval', 'builtins.exec', 'builtins.compile', 'builtins.__import__', 'builtins.getattr', 'builtins.open', 'runpy._run_code', 'runpy.run_path',
  'pty.spawn', 'webbrowser.open', 'socket.socket', 'sys.intern', 'shutil.rmtree', 'pickle.loads', 'marshal.loads', 'types.FunctionType',
  'http.server.test', 'xmlrpc.client.ServerProxy',
]);
