import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Random access to the bytes of a file, an archive member or a buffer, so that scanners read only
 * what they parse (a 500 MB storage member is never read) and never hold a whole file.
 */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `start` (fewer at the end); may be a view: do not keep it across reads. */
  read(start: number, length: number): Uint8Array;
  /**
   * Read into `target` from `start` (fewer bytes at the end); returns how many. A reader that moves
   * through a file window by window keeps one buffer this way instead of allocating one per window.
   */
  readInto(start: number, target: Uint8Array): number;
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
  readInto(start: number, target: Uint8Array): number {
    const bytes = this.read(start, target.length);
    target.set(bytes);
    return bytes.length;
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
  readInto(start: number, target: Uint8Array): number {
    const clipped = Math.max(0, Math.min(target.length, this.size - start));
    return this.parent.readInto(this.start + start, target.subarray(0, clipped));
  }
  inMemory(): Uint8Array | undefined {
    return this.parent.inMemory()?.subarray(this.start, this.start + this.size);
  }
}

/** A file read with positioned reads (from a path, or a descriptor it then owns); close() when done. */
export class FileSource implements ByteSource {
  readonly size: number;
  protected readonly fd: number;
  /** `size` when the caller has just taken the descriptor's fstat (saves asking again). */
  constructor(file: string | number, size?: number) {
    this.fd = typeof file === 'number' ? file : openSync(file, 'r');
    this.size = size ?? fstatSync(this.fd).size;
  }
  read(start: number, length: number): Uint8Array {
    const want = Math.max(0, Math.min(length, this.size - start));
    const out = Buffer.allocUnsafe(want);
    const done = this.readInto(start, out);
    return done === want ? out : out.subarray(0, done);
  }
  readInto(start: number, target: Uint8Array): number {
    const want = Math.max(0, Math.min(target.length, this.size - start));
    let done = 0;
    while (done < want) {
      const n = readSync(this.fd, target, done, want - done, start + done);
      if (n === 0) break;
      done += n;
    }
    this.saw(start, target.subarray(0, done));
    return done;
  }
  /** Bytes just read at `start` (a hook for HashingFileSource). */
  protected saw(_start: number, _bytes: Uint8Array): void {}
  inMemory(): undefined {
    return undefined;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * A file whose sha256 is computed from the reads the scanners make, so that a file is read once
 * (issue 23): the digest covers the prefix read so far in order; a read that reaches past that
 * prefix and overlaps it moves it on. What the scanners skipped (tensor storage, bulk bytes after a
 * zip directory was read from the end) is read by digest(), in order, after the scan. Every byte is
 * hashed exactly once, whatever order and how many times the scanners read it.
 */
export class HashingFileSource extends FileSource {
  private readonly hash: Hash = createHash('sha256');
  /** Bytes [0, hashed) are in the digest. */
  private hashed = 0;
  protected override saw(start: number, bytes: Uint8Array): void {
    const end = start + bytes.length;
    if (start > this.hashed || end <= this.hashed) return;
    this.hash.update(bytes.subarray(this.hashed - start));
    this.hashed = end;
  }
  /** The hex sha256 of the whole file: the bytes no scanner read are read now. */
  digest(): string {
    if (this.hashed < this.size) {
      const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK, this.size - this.hashed));
      while (this.hashed < this.size) {
        const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, this.size - this.hashed), this.hashed);
        if (n === 0) break;
        this.hash.update(chunk.subarray(0, n));
        this.hashed += n;
      }
    }
    return this.hash.digest('hex');
  }
}

/** Read size of the digest's own reads: one buffer, reused. */
const HASH_CHUNK = 1024 * 1024;
