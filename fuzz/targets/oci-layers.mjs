/**
 * OCI image layers with hostile tar content: symlinks and hard links that climb out of the root
 * (../../secret, /secret), loop, chain, or point at whiteouts; whiteouts and opaque markers in any
 * order; then the tar bytes mutated. Each image is read with every file wanted: no throw, bounded
 * time and memory, every listed name's content equals what the layers wrote (never a file outside
 * the layout: a secret file beside it must never appear), and a symlinked name carries its target.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../../dist/scan/image/oci/index.js';
import { mutate } from '../lib/bytes.mjs';
import { check, failure, loop } from '../lib/hostile.mjs';

export const name = 'oci-layers';

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const NAMES = ['a', 'b', 'm.bin', 'd/m.pt', 'd/e/blob', 'hub/snapshots/r/model.bin', 'hub/blobs/x'];
const TARGETS = ['../../secret', '/secret', '../../../../../../secret', 'a', 'b', 'm.bin', '../blobs/x', '../../blobs/x', '/hub/blobs/x', '.', '..', 'd', 'd/e', 'loop', 'loop/x', ''];

function header(path, size, type, linkname) {
  const h = Buffer.alloc(512);
  h.write(path, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function layer(rng, layerIndex) {
  const parts = [];
  const count = 1 + rng.int(8);
  for (let i = 0; i < count; i++) {
    const path = rng.pick(NAMES);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const kind = rng.int(6);
    if (kind <= 1) {
      const body = Buffer.from(`L${layerIndex}:${path}`);
      parts.push(header(path, body.length, '0', ''), body, Buffer.alloc((512 - (body.length % 512)) % 512));
    } else if (kind === 2) parts.push(header(path, 0, '2', rng.pick(TARGETS)));
    else if (kind === 3) parts.push(header(path, 0, '1', rng.pick([...NAMES, ...TARGETS])));
    else if (kind === 4) parts.push(header(`${dir}.wh.${rng.pick(NAMES).split('/').pop()}`, 0, '0', ''));
    else parts.push(header(`${dir}.wh..wh..opq`, 0, '0', ''));
  }
  if (rng.chance(0.3)) parts.push(header('loop', 0, '2', 'loop'));
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export async function run({ budgetMs, rng }) {
  const root = mkdtempSync(join(tmpdir(), 'palisade-fuzz-oci-layers-'));
  writeFileSync(join(root, 'secret'), 'TOP SECRET');
  try {
    return await loop(budgetMs, async (i) => {
      const dir = join(root, `l${i}`, 'layout');
      mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
      let mutated = false;
      const layers = Array.from({ length: 1 + rng.int(3) }, (_, l) => {
        const tar = layer(rng, l);
        if (!rng.chance(0.2)) return tar;
        mutated = true;
        return Buffer.from(mutate(rng, tar));
      });
      for (const tar of layers) writeFileSync(join(dir, 'blobs', 'sha256', sha(tar)), tar);
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((t) => `sha256:${sha(t)}`) }, config: {} }));
      writeFileSync(join(dir, 'blobs', 'sha256', sha(config)), config);
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length }, layers: layers.map((t) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(t)}`, size: t.length })) });
      writeFileSync(join(dir, 'blobs', 'sha256', sha(manifest)), manifest);
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length }] }));
      writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      const input = layers.map((t) => t.toString('base64')).join('\n');
      const out = await check(name, input, () => readImage(dir, { wanted: () => 'content' }));
      rmSync(join(root, `l${i}`), { recursive: true, force: true });
      if (out.failure) return out.failure;
      for (const file of out.value.files) {
        const text = Buffer.from(file.content ?? []).toString('utf8');
        if (text.includes('TOP SECRET')) return failure(name, `read a file outside the layout: ${file.path}`, input);
        if (!mutated && !/^L\d:/.test(text)) return failure(name, `${file.path} holds bytes no layer wrote: ${JSON.stringify(text.slice(0, 40))}`, input);
        if (file.sha256 !== sha(file.content ?? Buffer.alloc(0))) return failure(name, `${file.path}: sha256 does not match its content`, input);
      }
      return undefined;
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
