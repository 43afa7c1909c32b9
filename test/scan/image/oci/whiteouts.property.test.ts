import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageFilesystem, LayerChanges, OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from '../../../../src/scan/image/oci/filesystem.js';

type Entry = { path: string; kind: 'file' | 'directory' } | { path: string; kind: 'whiteout' } | { path: string; kind: 'opaque' };

/**
 * Naive oracle: the whole filesystem (files and directories) as a map, each layer applied the way
 * the OCI image spec describes it: whiteouts and opaque markers hide lower-layer content, then the
 * layer's own entries are written, a non-directory replacing whatever was at its path.
 */
function naive(layers: Entry[][]): string[] {
  const state = new Map<string, { kind: 'file' | 'directory'; layer: number }>();
  const removeTree = (path: string): void => {
    for (const key of [...state.keys()]) if (key === path || key.startsWith(path + '/')) state.delete(key);
  };
  layers.forEach((entries, layer) => {
    for (const e of entries) {
      if (e.kind === 'whiteout') removeTree(e.path);
      if (e.kind === 'opaque') for (const key of [...state.keys()]) if (e.path === '' || key.startsWith(e.path + '/')) state.delete(key);
    }
    for (const e of entries) {
      if (e.kind === 'file') {
        for (const key of [...state.keys()]) if ((key === e.path || key.startsWith(e.path + '/')) && state.get(key)?.layer !== layer) state.delete(key);
        state.set(e.path, { kind: 'file', layer });
      } else if (e.kind === 'directory') {
        const existing = state.get(e.path);
        if (!existing || existing.kind === 'file') state.set(e.path, { kind: 'directory', layer });
      }
    }
  });
  return [...state].filter(([, v]) => v.kind === 'file').map(([k, v]) => `${k}@${v.layer}`).sort();
}

function ours(layers: Entry[][]): string[] {
  const filesystem = new ImageFilesystem();
  layers.forEach((entries, layer) => {
    const changes = new LayerChanges();
    for (const e of entries) {
      const dir = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
      const base = e.path.slice(dir.length === 0 ? 0 : dir.length + 1);
      if (e.kind === 'whiteout') changes.entry(dir === '' ? `${WHITEOUT_PREFIX}${base}` : `${dir}/${WHITEOUT_PREFIX}${base}`, 'file', undefined);
      else if (e.kind === 'opaque') changes.entry(e.path === '' ? OPAQUE_WHITEOUT : `${e.path}/${OPAQUE_WHITEOUT}`, 'file', undefined);
      else changes.entry(e.path, e.kind, e.kind === 'file' ? { path: e.path, layer: String(layer), size: 0, sha256: '' } : undefined);
    }
    filesystem.apply(changes);
  });
  return filesystem.list().map((f) => `${f.path}@${f.layer}`).sort();
}

const segment = fc.constantFrom('a', 'b', 'c');
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

/** A well-formed layer: unique paths, every file's parent directories present, markers anywhere. */
const layer = fc
  .array(fc.record({ path, kind: fc.constantFrom('file', 'file', 'directory', 'whiteout', 'opaque') }), { maxLength: 8 })
  .map((raw) => {
    const entries = new Map<string, Entry>();
    for (const e of raw as Entry[]) {
      if (e.kind === 'file' || e.kind === 'directory') {
        const parts = e.path.split('/');
        for (let i = 1; i < parts.length; i++) {
          const parent = parts.slice(0, i).join('/');
          const existing = entries.get(parent);
          if (!existing || existing.kind === 'file') entries.set(parent, { path: parent, kind: 'directory' });
        }
        if (!entries.has(e.path) || entries.get(e.path)?.kind !== 'directory') entries.set(e.path, e);
      } else {
        entries.set(`${e.kind}:${e.path}`, e);
      }
    }
    // A path a file sits under must be a directory in this layer.
    for (const [key, e] of entries) if (e.kind === 'file' && [...entries.values()].some((o) => o.kind === 'file' && o.path.startsWith(e.path + '/'))) entries.delete(key);
    return [...entries.values()];
  });

describe('whiteouts and opaque directories', () => {
  it('give the same final files as a naive whole-filesystem simulation', () => {
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 5 }), (layers) => {
        expect(ours(layers)).toEqual(naive(layers));
      }),
      { numRuns: 1000 },
    );
  });
});
