import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageTree, OPAQUE_WHITEOUT, WHITEOUT_PREFIX, type TreeEntry } from '../../../../src/scan/image/oci/filesystem.js';

type Entry =
  | { path: string; kind: 'file' | 'directory' }
  | { path: string; kind: 'whiteout' | 'opaque' }
  | { path: string; kind: 'symlink'; target: string }
  | { path: string; kind: 'hardlink'; target: string };

type State = Map<string, { kind: 'file'; inode: string } | { kind: 'directory' } | { kind: 'symlink'; target: string }>;

/**
 * Naive oracle: the whole filesystem as a flat map of paths, each layer applied as containerd
 * does: the layer's whiteouts and opaque markers first (lower content only), then its entries in
 * order; a non-directory replaces whatever is at its path (and below), a directory only a
 * non-directory; parents are resolved through symlinks; a hard link takes the node at its target.
 * Lookups walk the flat map component by component, like the kernel (40 links at most, `..` at
 * the root stays there).
 */
function lookup(state: State, path: string, followLast: boolean): string | undefined {
  let at: string[] = [];
  const pending = path.split('/').filter((c) => c !== '' && c !== '.').reverse();
  let hops = 0;
  while (pending.length > 0) {
    const c = pending.pop() as string;
    if (c === '..') {
      at.pop();
      continue;
    }
    const here = [...at, c].join('/');
    const parent = at.join('/');
    if (parent !== '' && state.get(parent)?.kind !== 'directory') return undefined;
    const node = state.get(here);
    if (!node) return undefined;
    if (node.kind === 'symlink' && (pending.length > 0 || followLast)) {
      if (++hops > 40) return undefined;
      if (node.target.startsWith('/')) at = [];
      pending.push(...node.target.split('/').filter((x) => x !== '' && x !== '.').reverse());
      continue;
    }
    at.push(c);
  }
  return at.join('/');
}

function removeTree(state: State, path: string): void {
  for (const key of [...state.keys()]) if (key === path || key.startsWith(path + '/')) state.delete(key);
}

function parentOf(state: State, path: string): string {
  const parts = path.split('/').slice(0, -1);
  let real = '';
  for (const part of parts) {
    const next = real === '' ? part : `${real}/${part}`;
    const node = state.get(next);
    if (node?.kind === 'symlink') {
      const followed = lookup(state, next, true);
      if (followed !== undefined && (followed === '' || state.get(followed)?.kind === 'directory')) {
        real = followed;
        continue;
      }
    }
    if (node?.kind !== 'directory') {
      removeTree(state, next);
      state.set(next, { kind: 'directory' });
    }
    real = next;
  }
  return real;
}

function naive(layers: Entry[][]): string[] {
  const state: State = new Map();
  layers.forEach((entries, layer) => {
    for (const e of entries) {
      if (e.kind !== 'whiteout' && e.kind !== 'opaque') continue;
      // An opaque marker sits in the directory it empties; a whiteout beside the name it removes.
      const dir = lookup(state, e.kind === 'opaque' ? e.path : e.path.split('/').slice(0, -1).join('/'), true);
      if (dir === undefined || (dir !== '' && state.get(dir)?.kind !== 'directory')) continue;
      const name = e.path.split('/').at(-1) as string;
      if (e.kind === 'whiteout') removeTree(state, dir === '' ? name : `${dir}/${name}`);
      else for (const key of [...state.keys()]) if (dir === '' || key.startsWith(dir + '/')) state.delete(key);
    }
    entries.forEach((e, ordinal) => {
      if (e.kind === 'whiteout' || e.kind === 'opaque') return;
      const parent = parentOf(state, e.path);
      const name = e.path.split('/').at(-1) as string;
      const at = parent === '' ? name : `${parent}/${name}`;
      if (e.kind === 'directory') {
        if (state.get(at)?.kind !== 'directory') {
          removeTree(state, at);
          state.set(at, { kind: 'directory' });
        }
        return;
      }
      let node: ReturnType<State['get']>;
      if (e.kind === 'file') node = { kind: 'file', inode: `${layer}:${ordinal}` };
      else if (e.kind === 'symlink') node = { kind: 'symlink', target: e.target };
      else if (e.kind === 'hardlink') {
        const target = lookup(state, e.target, false);
        node = target === undefined || target === '' ? undefined : state.get(target);
        if (!node || node.kind === 'directory') return;
      } else return;
      removeTree(state, at);
      state.set(at, node);
    });
  });
  const names: string[] = [];
  for (const [path, node] of state) {
    if (node.kind === 'file') names.push(`${path}=${node.inode}`);
    if (node.kind === 'symlink') {
      const real = lookup(state, path, true);
      const found = real === undefined ? undefined : state.get(real);
      if (found?.kind === 'file') names.push(`${path}=${found.inode}`);
    }
  }
  return names.sort();
}

function markerPath(e: Entry): string {
  const dir = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
  const base = e.path.slice(dir === '' ? 0 : dir.length + 1);
  const marker = e.kind === 'opaque' ? OPAQUE_WHITEOUT : `${WHITEOUT_PREFIX}${base}`;
  // An opaque marker names its directory (e.path) itself.
  if (e.kind === 'opaque') return e.path === '' ? marker : `${e.path}/${marker}`;
  return dir === '' ? marker : `${dir}/${marker}`;
}

function ours(layers: Entry[][]): string[] {
  const tree = new ImageTree();
  layers.forEach((entries, layer) => {
    const tar: TreeEntry[] = entries.map((e, ordinal) => {
      if (e.kind === 'whiteout' || e.kind === 'opaque') return { path: markerPath(e), kind: 'file', size: 0, ordinal };
      if (e.kind === 'symlink' || e.kind === 'hardlink') return { path: e.path, kind: e.kind, linkname: e.target, size: 0, ordinal };
      return { path: e.path, kind: e.kind, size: 0, ordinal };
    });
    tree.applyLayer(tar, layer, `layer${layer}`);
  });
  return tree.names().map((n) => `${n.path}=${n.inode.layerIndex}:${n.inode.ordinal}`).sort();
}

const segment = fc.constantFrom('a', 'b', 'c');
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const linkTarget = fc.oneof(
  path,
  path.map((p) => `/${p}`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), path).map(([up, p]) => `${'../'.repeat(up)}${p}`),
  fc.constantFrom('.', '..', 'a/./b', '/'),
);

/** Layers of unique paths; whiteout, opaque markers and links anywhere (writes through links included). */
const layer = fc
  .array(
    fc.oneof(
      fc.record({ path, kind: fc.constantFrom('file', 'file', 'directory', 'whiteout', 'opaque') }),
      fc.record({ path, kind: fc.constantFrom('symlink', 'hardlink'), target: linkTarget }),
    ),
    { maxLength: 8 },
  )
  .map((raw) => {
    const seen = new Set<string>();
    return (raw as Entry[]).filter((e) => {
      const key = e.kind === 'whiteout' || e.kind === 'opaque' ? `${e.kind}:${e.path}` : e.path;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

describe('the final filesystem of an image', () => {
  it('gives every name of every regular file (through symlinks and hard links) as a naive whole-filesystem simulation does', () => {
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 5 }), (layers) => {
        expect(ours(layers)).toEqual(naive(layers));
      }),
      { numRuns: 1500 },
    );
  });

  it('follows the Hugging Face cache layout and reports loops and escapes without leaving the image', () => {
    const tree = new ImageTree();
    tree.applyLayer(
      [
        { path: 'hf/blobs/0123', kind: 'file', size: 10, ordinal: 0 },
        { path: 'hf/snapshots/rev/pytorch_model.bin', kind: 'symlink', linkname: '../../blobs/0123', size: 0, ordinal: 1 },
        { path: 'hf/snapshots/rev/model.safetensors', kind: 'symlink', linkname: '/hf/blobs/0123', size: 0, ordinal: 2 },
        { path: 'loop/a.pt', kind: 'symlink', linkname: 'b.pt', size: 0, ordinal: 3 },
        { path: 'loop/b.pt', kind: 'symlink', linkname: 'a.pt', size: 0, ordinal: 4 },
        { path: 'up.pt', kind: 'symlink', linkname: '../../../hf/blobs/0123', size: 0, ordinal: 5 },
        { path: 'hard.pt', kind: 'hardlink', linkname: 'hf/blobs/0123', size: 0, ordinal: 6 },
      ],
      0,
      'L0',
    );
    expect(tree.names().map((n) => [n.path, n.inode.path, n.target ?? null])).toEqual([
      ['hard.pt', 'hf/blobs/0123', 'hf/blobs/0123'],
      ['hf/blobs/0123', 'hf/blobs/0123', null],
      ['hf/snapshots/rev/model.safetensors', 'hf/blobs/0123', 'hf/blobs/0123'],
      ['hf/snapshots/rev/pytorch_model.bin', 'hf/blobs/0123', 'hf/blobs/0123'],
      ['up.pt', 'hf/blobs/0123', 'hf/blobs/0123'],
    ]);
    expect(tree.problems.map((p) => [p.path, p.problem])).toEqual([
      ['loop/a.pt', 'loop'],
      ['loop/b.pt', 'loop'],
      ['up.pt', 'escapes-root'],
    ]);
  });
});
