import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { listTar } from '../../archive/index.js';

/**
 * Where each regular file of an (uncompressed) tar archive sits, read from its headers only, so a
 * layer inside a `docker save` tarball can be streamed with a ranged read instead of unpacking the
 * archive. Headers are read by the one tar reader (../../archive/tar.ts: tarfile's rules, PAX, GNU
 * long names, base-256 sizes).
 */
export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

export function normalizeTarPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/** The regular files of a tar archive by normalized path (the last of a repeated name wins, as in tarfile). */
export async function indexTar(path: string): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const handle = await open(path, 'r');
  try {
    const { size: total } = await handle.stat();
    const fd = handle.fd;
    const read = (offset: number, length: number): Uint8Array => {
      const out = Buffer.alloc(Math.max(0, Math.min(length, total - offset)));
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    };
    for (const member of listTar(read, total).members) {
      if (member.regular) entries.set(normalizeTarPath(member.name), { name: member.name, offset: member.dataOffset, size: member.size });
    }
  } finally {
    await handle.close();
  }
  return entries;
}
