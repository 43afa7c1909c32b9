/**
 * The pickle opcodes of protocols 0-5 (CPython Lib/pickletools.py), with how their argument is
 * encoded. The VM's handler table is keyed by `OP`; tests and generators walk `OPCODES`.
 */
export type ArgKind =
  | 'none'
  | 'u1' | 'u2' | 'i4' | 'u4' | 'u8'
  | 'line' | 'two-lines'
  | 'bytes1' | 'bytes4' | 'bytes8' | 'signed-bytes4';

export interface OpcodeInfo {
  name: string;
  code: number;
  arg: ArgKind;
  protocol: number;
}

const TABLE = [
  { name: 'MARK', code: 0x28, arg: 'none', protocol: 0 },
  { name: 'STOP', code: 0x2e, arg: 'none', protocol: 0 },
  { name: 'POP', code: 0x30, arg: 'none', protocol: 0 },
  { name: 'POP_MARK', code: 0x31, arg: 'none', protocol: 1 },
  { name: 'DUP', code: 0x32, arg: 'none', protocol: 0 },
  { name: 'FLOAT', code: 0x46, arg: 'line', protocol: 0 },
  { name: 'INT', code: 0x49, arg: 'line', protocol: 0 },
  { name: 'BININT', code: 0x4a, arg: 'i4', protocol: 1 },
  { name: 'BININT1', code: 0x4b, arg: 'u1', protocol: 1 },
  { name: 'LONG', code: 0x4c, arg: 'line', protocol: 0 },
  { name: 'BININT2', code: 0x4d, arg: 'u2', protocol: 1 },
  { name: 'NONE', code: 0x4e, arg: 'none', protocol: 0 },
  { name: 'PERSID', code: 0x50, arg: 'line', protocol: 0 },
  { name: 'BINPERSID', code: 0x51, arg: 'none', protocol: 1 },
  { name: 'REDUCE', code: 0x52, arg: 'none', protocol: 0 },
  { name: 'STRING', code: 0x53, arg: 'line', protocol: 0 },
  { name: 'BINSTRING', code: 0x54, arg: 'signed-bytes4', protocol: 1 },
  { name: 'SHORT_BINSTRING', code: 0x55, arg: 'bytes1', protocol: 1 },
  { name: 'UNICODE', code: 0x56, arg: 'line', protocol: 0 },
  { name: 'BINUNICODE', code: 0x58, arg: 'bytes4', protocol: 1 },
  { name: 'APPEND', code: 0x61, arg: 'none', protocol: 0 },
  { name: 'BUILD', code: 0x62, arg: 'none', protocol: 0 },
  { name: 'GLOBAL', code: 0x63, arg: 'two-lines', protocol: 0 },
  { name: 'DICT', code: 0x64, arg: 'none', protocol: 0 },
  { name: 'APPENDS', code: 0x65, arg: 'none', protocol: 1 },
  { name: 'GET', code: 0x67, arg: 'line', protocol: 0 },
  { name: 'BINGET', code: 0x68, arg: 'u1', protocol: 1 },
  { name: 'INST', code: 0x69, arg: 'two-lines', protocol: 0 },
  { name: 'LONG_BINGET', code: 0x6a, arg: 'u4', protocol: 1 },
  { name: 'LIST', code: 0x6c, arg: 'none', protocol: 0 },
  { name: 'OBJ', code: 0x6f, arg: 'none', protocol: 1 },
  { name: 'PUT', code: 0x70, arg: 'line', protocol: 0 },
  { name: 'BINPUT', code: 0x71, arg: 'u1', protocol: 1 },
  { name: 'LONG_BINPUT', code: 0x72, arg: 'u4', protocol: 1 },
  { name: 'SETITEM', code: 0x73, arg: 'none', protocol: 0 },
  { name: 'TUPLE', code: 0x74, arg: 'none', protocol: 0 },
  { name: 'SETITEMS', code: 0x75, arg: 'none', protocol: 1 },
  { name: 'EMPTY_DICT', code: 0x7d, arg: 'none', protocol: 1 },
  { name: 'EMPTY_LIST', code: 0x5d, arg: 'none', protocol: 1 },
  { name: 'EMPTY_TUPLE', code: 0x29, arg: 'none', protocol: 1 },
  { name: 'BINFLOAT', code: 0x47, arg: 'u8', protocol: 1 },
  { name: 'PROTO', code: 0x80, arg: 'u1', protocol: 2 },
  { name: 'NEWOBJ', code: 0x81, arg: 'none', protocol: 2 },
  { name: 'EXT1', code: 0x82, arg: 'u1', protocol: 2 },
  { name: 'EXT2', code: 0x83, arg: 'u2', protocol: 2 },
  { name: 'EXT4', code: 0x84, arg: 'i4', protocol: 2 },
  { name: 'TUPLE1', code: 0x85, arg: 'none', protocol: 2 },
  { name: 'TUPLE2', code: 0x86, arg: 'none', protocol: 2 },
  { name: 'TUPLE3', code: 0x87, arg: 'none', protocol: 2 },
  { name: 'NEWTRUE', code: 0x88, arg: 'none', protocol: 2 },
  { name: 'NEWFALSE', code: 0x89, arg: 'none', protocol: 2 },
  { name: 'LONG1', code: 0x8a, arg: 'bytes1', protocol: 2 },
  { name: 'LONG4', code: 0x8b, arg: 'signed-bytes4', protocol: 2 },
  { name: 'BINBYTES', code: 0x42, arg: 'bytes4', protocol: 3 },
  { name: 'SHORT_BINBYTES', code: 0x43, arg: 'bytes1', protocol: 3 },
  { name: 'SHORT_BINUNICODE', code: 0x8c, arg: 'bytes1', protocol: 4 },
  { name: 'BINUNICODE8', code: 0x8d, arg: 'bytes8', protocol: 4 },
  { name: 'BINBYTES8', code: 0x8e, arg: 'bytes8', protocol: 4 },
  { name: 'EMPTY_SET', code: 0x8f, arg: 'none', protocol: 4 },
  { name: 'ADDITEMS', code: 0x90, arg: 'none', protocol: 4 },
  { name: 'FROZENSET', code: 0x91, arg: 'none', protocol: 4 },
  { name: 'NEWOBJ_EX', code: 0x92, arg: 'none', protocol: 4 },
  { name: 'STACK_GLOBAL', code: 0x93, arg: 'none', protocol: 4 },
  { name: 'MEMOIZE', code: 0x94, arg: 'none', protocol: 4 },
  { name: 'FRAME', code: 0x95, arg: 'u8', protocol: 4 },
  { name: 'BYTEARRAY8', code: 0x96, arg: 'bytes8', protocol: 5 },
  { name: 'NEXT_BUFFER', code: 0x97, arg: 'none', protocol: 5 },
  { name: 'READONLY_BUFFER', code: 0x98, arg: 'none', protocol: 5 },
] as const satisfies readonly OpcodeInfo[];

export const OPCODES: readonly OpcodeInfo[] = TABLE;

export type OpName = (typeof TABLE)[number]['name'];

/** Opcode byte by name: `OP.STACK_GLOBAL` is 0x93. */
export const OP = Object.fromEntries(TABLE.map((o) => [o.name, o.code])) as { readonly [K in OpName]: number };

const NAMES = new Map(OPCODES.map((o) => [o.code, o.name]));
export function opcodeName(code: number): string {
  return NAMES.get(code) ?? `0x${code.toString(16).padStart(2, '0')}`;
}

export const HIGHEST_PROTOCOL = 5;
