/**
 * The first bytes that tell the formats whose readers load only when a file is one (NumPy, safetensors,
 * LZ4): every file is asked, so the tests live apart from the readers (issue 23: start-up of a small
 * scan is the modules it loads).
 */

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export const LZ4_FRAME_PREFIX = [0x04, 0x22, 0x4d, 0x18];

/**
 * True when the file starts like a safetensors header: an 8-byte length, then "{". A length past the
 * end of the file is still safetensors (a malformed one, judged by scanSafetensors), not another format.
 */
export function looksLikeSafetensors(head: Uint8Array): boolean {
  if (head.length < 9) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 0x100000000;
  const next = head[9];
  return head[8] === 0x7b && n >= 2 && (next === undefined || next === 0x22 || next === 0x7d || next === 0x20 || next === 0x0a);
}
