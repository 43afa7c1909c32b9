import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Random access to the bytes of a file, an archive member or a buffer, so that scanners read only
 * what they parse (a 500 MB storage member is never read) and never hold a whole file.
 */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `start` (fewer at the end); may be a view: do not keep it across reads. */
  read(start: number, length: number): Uint8Array;
  /** The whole content when it already sits in memory (no copy), else undefined. */
  inMemory(): Uint8Array | undefined;
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly data: Uint8Array) {
    this.size = data.length;
  }
  read(start: number, length: number): Uint8Array {
    return this.data.subarray(start, Math.min(this.size, start + length));
  }
  inMemory(): Uint8Array {
    return this.data;
  }
}

/** A window of another source (a stored zip member, the tail of a polyglot). */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}
  read(start: number, length: number): Uint8Array {
    const clipped = Math.max(0, Math.min(length, this.size - start));
    return this.parent.read(this.start + start, clipped);
  }
  inMemory(): Uint8Array | undefined {
    return this.parent.inMemory()?.subarray(this.start, this.start + this.size);
  }
}

/** A file read with positioned reads (from a path, or a descriptor it then owns); close() when done. */
export class FileSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;
  constructor(file: string | number) {
    this.fd = typeof file === 'number' ? file : openSync(file, 'r');
    this.size = fstatSync(this.fd).size;
  }
  read(start: number, length: number): Uint8Array {
    const want = Math.max(0, Math.min(length, this.size - start));
    const out = Buffer.allocUnsafe(want);
    let done = 0;
    while (done < want) {
      const n = readSync(this.fd, out, done, want - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done === want ? out : out.subarray(0, done);
  }
  inMemory(): undefined {
    return undefined;
  }
  close(): void {
    closeSync(this.fd);
  }
}
