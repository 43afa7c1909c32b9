/**
 * OCI image layouts with hostile index.json, manifests and configs: mutated JSON, wrong shapes,
 * digests that try to leave blobs/ (sha256:../../x), missing and truncated blobs. Each layout is
 * read: no throw, bounded time and memory, and no file outside the layout is ever read (a secret
 * file beside the layout must never appear among the image's files).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../../dist/scan/image/oci/index.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';

export const name = 'oci';

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const ALPHABET = ['{', '}', '[', ']', ':', ',', '"', 'null', '0', '-1', '1e309', '"sha256:../../secret"', '"sha256:/etc/passwd"', '"manifests"', '"layers"', '{}', '[]', '"a"'];

export async function run({ budgetMs, rng }) {
  const root = mkdtempSync(join(tmpdir(), 'palisade-fuzz-oci-'));
  writeFileSync(join(root, 'secret'), 'TOP SECRET');
  const pool = [];
  try {
    return await loop(budgetMs, async (i) => {
      const dir = join(root, `l${i}`);
      mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { User: rng.pick(['0', 'app', '']) } }));
      writeFileSync(join(dir, 'blobs', 'sha256', sha(config)), rng.chance(0.1) ? config.subarray(0, config.length - 1) : config);
      const layerDigest = rng.pick([`sha256:${sha(config)}`, 'sha256:../../secret', 'sha256:' + 'a'.repeat(64), 'sha512:' + 'b'.repeat(128), '../secret']);
      let manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length }, layers: rng.chance(0.5) ? [] : [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: 1 }] });
      pool.push(manifest);
      if (pool.length > 16) pool.shift();
      if (rng.chance(0.5)) manifest = mutateText(rng, manifest, pool, ALPHABET);
      writeFileSync(join(dir, 'blobs', 'sha256', sha(manifest)), manifest);
      const manifestDigest = rng.pick([`sha256:${sha(manifest)}`, `sha256:${sha(manifest)}`, 'sha256:../../secret', 'sha256:..%2f..%2fsecret']);
      let index = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length }] });
      if (rng.chance(0.3)) index = mutateText(rng, index, [index], ALPHABET);
      writeFileSync(join(dir, 'index.json'), index);
      writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      const input = `${index}\n${manifest}`;
      const out = await check(name, input, () => readImage(dir, { wanted: () => 'content' }));
      rmSync(dir, { recursive: true, force: true });
      if (out.failure) return out.failure;
      const leaked = out.value.files.find((f) => f.content && Buffer.from(f.content).toString('utf8').includes('TOP SECRET'));
      if (leaked) return failure(name, `read a file outside the layout: ${leaked.path}`, input);
      return undefined;
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
