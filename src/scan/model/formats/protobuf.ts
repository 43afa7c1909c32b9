/** A minimal protobuf wire-format reader: enough to walk ONNX and TensorFlow graphs. */
export interface Field {
  no: number;
  wire: number;
  /** varint / fixed values as numbers; length-delimited values as bytes. */
  value: number | Uint8Array;
}

export class ProtobufError extends Error {}

function varint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const b = bytes[pos + i];
    if (b === undefined) throw new ProtobufError(`varint runs past the end at offset ${pos}`);
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, pos + i + 1];
  }
  throw new ProtobufError(`varint longer than 10 bytes at offset ${pos}`);
}

/** Every field of one message, in order; throws ProtobufError on malformed input. */
export function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = varint(bytes, pos);
    const no = Math.floor(key / 8);
    const wire = key % 8;
    if (no === 0) throw new ProtobufError(`field number 0 at offset ${pos}`);
    pos = afterKey;
    switch (wire) {
      case 0: {
        const [value, next] = varint(bytes, pos);
        out.push({ no, wire, value });
        pos = next;
        break;
      }
      case 1:
      case 5: {
        const n = wire === 1 ? 8 : 4;
        if (pos + n > bytes.length) throw new ProtobufError(`fixed field runs past the end at offset ${pos}`);
        out.push({ no, wire, value: 0 });
        pos += n;
        break;
      }
      case 2: {
        const [length, start] = varint(bytes, pos);
        if (start + length > bytes.length) throw new ProtobufError(`field ${no} of ${length} bytes runs past the end at offset ${pos}`);
        out.push({ no, wire, value: bytes.subarray(start, start + length) });
        pos = start + length;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire} at offset ${pos}`);
    }
  }
  return out;
}

export function messages(list: readonly Field[], no: number): Uint8Array[] {
  return list.filter((f) => f.no === no && f.value instanceof Uint8Array).map((f) => f.value as Uint8Array);
}

const text = new TextDecoder('utf-8');
export function str(list: readonly Field[], no: number): string | undefined {
  const f = list.find((x) => x.no === no && x.value instanceof Uint8Array);
  return f ? text.decode(f.value as Uint8Array) : undefined;
}

export function num(list: readonly Field[], no: number): number | undefined {
  const f = list.find((x) => x.no === no && typeof x.value === 'number');
  return f ? (f.value as number) : undefined;
}
