/**
 * The final filesystem of an image, for the files palisade cares about: layers applied bottom to
 * top with the OCI whiteout rules (image-spec layer.md): `.wh.<name>` deletes <name> (and
 * everything under it) from lower layers, `.wh..wh..opq` empties its directory of lower-layer
 * content, and whiteouts never hide files of their own layer.
 */
export interface FileRecord {
  path: string;
  /** The diff id (or digest) of the layer that wrote the file. */
  layer: string;
  size: number;
  sha256: string;
  /** Present when the file's content was wanted and small enough. */
  content?: Buffer;
  /** A temporary copy of the content on disk, for large files that are scanned (the caller removes it). */
  spooled?: string;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';

function split(path: string): { dir: string; base: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { dir: '', base: path } : { dir: path.slice(0, slash), base: path.slice(slash + 1) };
}

/** Changes one layer makes, collected while it streams, applied when it ends. */
export class LayerChanges {
  /** Paths whose lower-layer file is gone. */
  readonly replaced = new Set<string>();
  /** Paths whose lower-layer file and everything under it are gone (whiteouts, non-directories). */
  readonly removedTrees = new Set<string>();
  /** Directories made opaque: their lower-layer content is gone. */
  readonly opaque = new Set<string>();
  readonly added = new Map<string, FileRecord>();

  entry(path: string, kind: 'file' | 'directory' | 'other', record: FileRecord | undefined): void {
    const { dir, base } = split(path);
    if (base === OPAQUE_WHITEOUT) {
      this.opaque.add(dir);
      return;
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      this.removedTrees.add(dir === '' ? base.slice(WHITEOUT_PREFIX.length) : `${dir}/${base.slice(WHITEOUT_PREFIX.length)}`);
      return;
    }
    // Anything written at a path hides the lower file there; a non-directory also hides a lower directory's content.
    if (kind === 'directory') this.replaced.add(path);
    else this.removedTrees.add(path);
    if (kind === 'file' && record) this.added.set(path, record);
    else this.added.delete(path);
  }
}

export function isWhiteout(path: string): boolean {
  return split(path).base.startsWith(WHITEOUT_PREFIX);
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  const result: string[] = [''];
  for (let i = 1; i < parts.length; i++) result.push(parts.slice(0, i).join('/'));
  return result;
}

export class ImageFilesystem {
  private readonly files = new Map<string, FileRecord>();

  /** Cost: the number of tracked files times their depth, whatever the size of the layer. */
  apply(changes: LayerChanges): void {
    for (const path of [...this.files.keys()]) {
      const hidden =
        changes.replaced.has(path) ||
        changes.removedTrees.has(path) ||
        ancestors(path).some((dir) => changes.opaque.has(dir) || (dir !== '' && changes.removedTrees.has(dir)));
      if (hidden) this.files.delete(path);
    }
    for (const [path, record] of changes.added) this.files.set(path, record);
  }

  list(): FileRecord[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
