/**
 * The final filesystem of an image: layers applied bottom to top the way containerd's applier
 * does it (image-spec layer.md, containerd archive/tar.go): whiteouts of a layer (`.wh.<name>`
 * deletes <name> and everything under it, `.wh..wh..opq` empties its directory) hide lower-layer
 * content only; then the layer's entries are written in stream order, a non-directory replacing
 * whatever was at its path, a directory replacing only a non-directory. Parent directories are
 * resolved through symlinks scoped to the image root (containerd's fs.RootPath). A hard link
 * shares its target's inode: a later layer that replaces the target's path leaves the link's
 * content as it was. Only metadata is held here; content is read by a second pass over the
 * layers (oci/index.ts), by inode.
 */

/** One file's data: the tar member that carried it. */
export interface Inode {
  /** Index of the layer in the manifest. */
  layerIndex: number;
  /** Position of the member in its layer's tar stream (tar-stream's entries, from 0). */
  ordinal: number;
  /** The member's path, where the data was written. */
  path: string;
  /** The diff id (or digest) of the layer that wrote the file. */
  layer: string;
  size: number;
}

/** One tar member, as read by the first pass. */
export interface TreeEntry {
  path: string;
  kind: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  linkname?: string;
  size: number;
  ordinal: number;
}

type Node = { kind: 'dir'; children: Map<string, Node> } | { kind: 'file'; inode: Inode } | { kind: 'symlink'; target: string } | { kind: 'other' };

/** A link the image holds that does not lead to a file, or leads there only by climbing above the root. */
export interface LinkProblem {
  path: string;
  /** The link's target as written in the layer. */
  target: string;
  problem: 'loop' | 'dangling' | 'escapes-root' | 'hardlink-target-missing' | 'hardlink-to-directory';
}

/** A name of a regular file in the final filesystem. */
export interface FileName {
  path: string;
  inode: Inode;
  /** Where the name leads when it is a symlink (the resolved path), or the member that carried the data when it is a hard link. */
  target?: string;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
/** Linux's MAXSYMLINKS: more links than this in one lookup is ELOOP. */
const MAX_LINK_HOPS = 40;

export function isWhiteout(path: string): boolean {
  return baseOf(path).startsWith(WHITEOUT_PREFIX);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

type Resolved = { node: Node; path: string; escaped: boolean } | { problem: 'loop' | 'dangling'; escaped: boolean };

export class ImageTree {
  private readonly root: Node & { kind: 'dir' } = { kind: 'dir', children: new Map() };
  readonly problems: LinkProblem[] = [];

  /**
   * Walk a path the way the kernel does inside the container: `..` at the root stays at the root
   * (noted as an escape), absolute targets start again at the image root, more than 40 links is a
   * loop. The last component is followed only when asked.
   */
  resolve(path: string, followLast: boolean): Resolved {
    const names: string[] = [];
    const nodes: Node[] = [];
    const pending = components(path).reverse();
    let hops = 0;
    let escaped = false;
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (name === '..') {
        if (names.length === 0) escaped = true;
        names.pop();
        nodes.pop();
        continue;
      }
      const dir = nodes.at(-1) ?? this.root;
      if (dir.kind !== 'dir') return { problem: 'dangling', escaped };
      const child = dir.children.get(name);
      if (!child) return { problem: 'dangling', escaped };
      if (child.kind === 'symlink' && (pending.length > 0 || followLast)) {
        if (++hops > MAX_LINK_HOPS) return { problem: 'loop', escaped };
        if (child.target.startsWith('/')) {
          names.length = 0;
          nodes.length = 0;
        }
        for (const c of components(child.target).reverse()) pending.push(c);
        continue;
      }
      names.push(name);
      nodes.push(child);
    }
    return { node: nodes.at(-1) ?? this.root, path: names.join('/'), escaped };
  }

  /** The directory a member's parent path names, created (or a non-directory replaced) as needed. */
  private parentDir(path: string): Map<string, Node> {
    let dir = this.root;
    const walked: string[] = [];
    for (const name of components(dirOf(path))) {
      if (name === '..') continue; // normalised member names have none; a hostile one stays inside
      walked.push(name);
      let child = dir.children.get(name);
      if (child?.kind === 'symlink') {
        const followed = this.resolve(walked.join('/'), true);
        if ('node' in followed && followed.node.kind === 'dir') {
          dir = followed.node;
          walked.splice(0, walked.length, ...components(followed.path));
          continue;
        }
      }
      if (!child || child.kind !== 'dir') {
        child = { kind: 'dir', children: new Map() };
        dir.children.set(name, child);
      }
      dir = child;
    }
    return dir.children;
  }

  /** The directory at `path` if there is one (through symlinks), for whiteouts. */
  private existingDir(path: string): Map<string, Node> | undefined {
    const found = this.resolve(path, true);
    return 'node' in found && found.node.kind === 'dir' ? found.node.children : undefined;
  }

  applyLayer(entries: readonly TreeEntry[], layerIndex: number, layer: string): void {
    for (const entry of entries) {
      const base = baseOf(entry.path);
      if (base === OPAQUE_WHITEOUT) this.existingDir(dirOf(entry.path))?.clear();
      else if (base.startsWith(WHITEOUT_PREFIX)) this.existingDir(dirOf(entry.path))?.delete(base.slice(WHITEOUT_PREFIX.length));
    }
    for (const entry of entries) {
      const base = baseOf(entry.path);
      if (base === '' || base === '.' || base === '..' || base.startsWith(WHITEOUT_PREFIX)) continue;
      const children = this.parentDir(entry.path);
      if (entry.kind === 'directory') {
        if (children.get(base)?.kind !== 'dir') children.set(base, { kind: 'dir', children: new Map() });
      } else if (entry.kind === 'file') {
        children.set(base, { kind: 'file', inode: { layerIndex, ordinal: entry.ordinal, path: entry.path, layer, size: entry.size } });
      } else if (entry.kind === 'symlink') {
        children.set(base, { kind: 'symlink', target: entry.linkname ?? '' });
      } else if (entry.kind === 'hardlink') {
        // link(2) does not follow a final symlink: the link shares whatever node is there.
        const target = this.resolve(entry.linkname ?? '', false);
        if (!('node' in target)) this.problems.push({ path: entry.path, target: entry.linkname ?? '', problem: 'hardlink-target-missing' });
        else if (target.node.kind === 'dir') this.problems.push({ path: entry.path, target: entry.linkname ?? '', problem: 'hardlink-to-directory' });
        else children.set(base, target.node);
      } else {
        children.set(base, { kind: 'other' });
      }
    }
  }

  /**
   * Every name of a regular file: its own paths (hard links included) and the symlinks that lead
   * to it, sorted. Names under symlinked directories are not enumerated (a link to `.` would make
   * them endless); the files there are listed under their real paths. Links that dangle, loop or
   * climb above the root are recorded in `problems`.
   */
  names(): FileName[] {
    const out: FileName[] = [];
    const walk = (dir: Map<string, Node>, prefix: string): void => {
      for (const [name, node] of dir) {
        const path = prefix === '' ? name : `${prefix}/${name}`;
        if (node.kind === 'dir') walk(node.children, path);
        else if (node.kind === 'file') out.push({ path, inode: node.inode, ...(node.inode.path !== path ? { target: node.inode.path } : {}) });
        else if (node.kind === 'symlink') {
          const found = this.resolve(path, true);
          if (found.escaped) this.problems.push({ path, target: node.target, problem: 'escapes-root' });
          if (!('node' in found)) this.problems.push({ path, target: node.target, problem: found.problem });
          else if (found.node.kind === 'file') out.push({ path, inode: found.node.inode, target: found.path });
        }
      }
    };
    walk(this.root.children, '');
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
