import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * Build container images in code, byte by byte, for tests: tar layers written with tar-stream,
 * compressed with gzip, zstd (raw blocks: a valid frame without an encoder) or nothing, and
 * packaged as an OCI layout directory, an OCI archive or a `docker save` archive.
 */
export interface LayerFile {
  path: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

export type LayerCompression = 'gzip' | 'zstd' | 'none';

export interface TestImage {
  layers: Array<{ files: LayerFile[]; compression?: LayerCompression }>;
  config?: { User?: string; ExposedPorts?: Record<string, object>; Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; Labels?: Record<string, string> };
  architecture?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function tarOf(entries: Array<{ name: string; content?: string | Buffer; type?: 'file' | 'directory' | 'symlink'; linkname?: string }>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    if (type === 'file') {
      const body = typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? Buffer.alloc(0));
      await new Promise<void>((resolve, reject) => p.entry({ name: entry.name, type, size: body.length, mode: 0o644, mtime: new Date(0) }, body, (e) => (e ? reject(e) : resolve())));
    } else {
      await new Promise<void>((resolve, reject) => p.entry({ name: entry.name, type, ...(entry.linkname ? { linkname: entry.linkname } : {}), mode: 0o755, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve())));
    }
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A zstd frame of raw (stored) blocks, RFC 8878 §3.1.1: enough for a decoder to prove itself. */
export function zstdStored(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])]; // magic, no FCS, window 2 MiB
  const max = 128 * 1024;
  let offset = 0;
  do {
    const size = Math.min(max, data.length - offset);
    const last = offset + size >= data.length ? 1 : 0;
    const header = (size << 3) | last; // block type 0: raw
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), data.subarray(offset, offset + size));
    offset += size;
  } while (offset < data.length);
  return Buffer.concat(parts);
}

function compress(tar: Buffer, compression: LayerCompression): Buffer {
  if (compression === 'gzip') return gzipSync(tar);
  if (compression === 'zstd') return zstdStored(tar);
  return tar;
}

const LAYER_MEDIA_TYPES: Record<LayerCompression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export interface BuiltImage {
  /** Blobs by hex digest. */
  blobs: Map<string, Buffer>;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
  layerTars: Buffer[];
  config: Buffer;
  manifest: Buffer;
}

export async function buildImage(image: TestImage): Promise<BuiltImage> {
  const blobs = new Map<string, Buffer>();
  const layerTars: Buffer[] = [];
  const layerDescriptors = [];
  const layerDigests: string[] = [];
  const diffIds: string[] = [];
  for (const layer of image.layers) {
    const tar = await tarOf(layer.files.map((f) => ({ name: f.path, ...(f.content !== undefined ? { content: f.content } : {}), ...(f.type ? { type: f.type } : {}), ...(f.linkname ? { linkname: f.linkname } : {}) })));
    const compression = layer.compression ?? 'gzip';
    const blob = compress(tar, compression);
    const digest = sha256(blob);
    blobs.set(digest, blob);
    layerTars.push(tar);
    layerDigests.push(`sha256:${digest}`);
    diffIds.push(`sha256:${sha256(tar)}`);
    layerDescriptors.push({ mediaType: LAYER_MEDIA_TYPES[compression], digest: `sha256:${digest}`, size: blob.length });
  }
  const config = Buffer.from(JSON.stringify({ architecture: image.architecture ?? 'amd64', os: 'linux', config: image.config ?? {}, rootfs: { type: 'layers', diff_ids: diffIds } }));
  const configDigest = sha256(config);
  blobs.set(configDigest, config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configDigest}`, size: config.length }, layers: layerDescriptors }));
  const manifestDigest = sha256(manifest);
  blobs.set(manifestDigest, manifest);
  return { blobs, manifestDigest: `sha256:${manifestDigest}`, configDigest: `sha256:${configDigest}`, layerDigests, diffIds, layerTars, config, manifest };
}

function ociIndex(built: BuiltImage, tag: string, architecture = 'amd64'): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: built.manifestDigest, size: built.manifest.length, platform: { os: 'linux', architecture }, annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
}

export async function writeOciLayout(dir: string, built: BuiltImage, tag = 'latest'): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), ociIndex(built, tag));
  for (const [digest, blob] of built.blobs) await writeFile(join(dir, 'blobs', 'sha256', digest), blob);
}

export async function ociArchive(built: BuiltImage, tag = 'latest'): Promise<Buffer> {
  return tarOf([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: ociIndex(built, tag) },
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' },
    ...[...built.blobs].map(([digest, blob]) => ({ name: `blobs/sha256/${digest}`, content: blob })),
  ]);
}

/** The classic `docker save` layout: <hex>.json config, <n>/layer.tar uncompressed layers. */
export async function dockerArchive(built: BuiltImage, repoTag: string): Promise<Buffer> {
  const hex = built.configDigest.slice('sha256:'.length);
  const layers = built.layerTars.map((_, i) => `${String(i).padStart(64, 'a')}/layer.tar`);
  return tarOf([
    { name: 'manifest.json', content: JSON.stringify([{ Config: `${hex}.json`, RepoTags: [repoTag], Layers: layers }]) },
    { name: `${hex}.json`, content: built.config },
    ...built.layerTars.map((tar, i) => ({ name: layers[i] as string, content: tar })),
  ]);
}
