import { createHash } from 'node:crypto';
import type { PalisadeError } from '../../../core/errors.js';
import { imageError } from './errors.js';
import type { ImageFiles } from './source.js';
import { DIGEST, indexSchema, manifestSchema, parseShape } from './schema.js';
import { isPlainObject } from '../../../core/object.js';

/** The OCI image config fields palisade reads (image-spec config.md). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, unknown>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Labels?: Record<string, string> | null;
    WorkingDir?: string;
  };
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
}

export interface LayerRef {
  /** Path of the blob in the image files. */
  path: string;
  /** Digest of the blob as stored (compressed), when the format names it. */
  digest?: string;
  mediaType?: string;
  /** Digest of the uncompressed tar, from the config's rootfs.diff_ids. */
  diffId?: string;
}

export interface ResolvedImage {
  format: 'oci-layout' | 'docker-archive';
  manifestDigest?: string;
  configDigest?: string;
  config: ImageConfig;
  layers: LayerRef[];
  repoTags: string[];
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function parsePlatform(text: string): Platform | undefined {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) return undefined;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** The blob path of a digest, or undefined when it is not a well-formed digest (it must never name another path). */
export function digestPath(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return undefined;
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

/** Check bytes against an `algorithm:hex` digest; undefined when they match. */
export function digestMismatch(bytes: Uint8Array, digest: string): string | undefined {
  const [algorithm, hex] = digest.split(':');
  if ((algorithm !== 'sha256' && algorithm !== 'sha512') || !hex) return `unsupported digest ${digest}`;
  const actual = createHash(algorithm).update(bytes).digest('hex');
  return actual === hex ? undefined : `${algorithm}:${actual}`;
}

function parseJson(bytes: Buffer, what: string, file: string, errors: PalisadeError[]): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    errors.push(imageError('IMAGE_BAD_MANIFEST', `${what} is not JSON`, file, 'fatal', cause));
    return undefined;
  }
}

async function readBlob(files: ImageFiles, digest: string, what: string, errors: PalisadeError[]): Promise<Buffer | undefined> {
  const path = digestPath(digest);
  if (!path) {
    errors.push(imageError('IMAGE_BAD_DIGEST', `${what} digest ${JSON.stringify(digest)} is not sha256:<64 hex> or sha512:<128 hex>; no file is opened for it`, files.description, 'fatal'));
    return undefined;
  }
  if (!(await files.has(path))) {
    errors.push(imageError('IMAGE_MISSING_BLOB', `${what} ${digest} is missing (${path})`, files.description, 'fatal'));
    return undefined;
  }
  const bytes = await files.read(path);
  const mismatch = digestMismatch(bytes, digest);
  if (mismatch) errors.push(imageError('IMAGE_DIGEST_MISMATCH', `${what} ${path} has digest ${mismatch}, expected ${digest}`, files.description, 'fatal'));
  return mismatch ? undefined : bytes;
}

function descriptors(value: unknown, errors: PalisadeError[], file: string): Descriptor[] {
  const result = indexSchema.safeParse(value);
  if (result.success) return result.data.manifests as Descriptor[];
  const issue = result.error.issues[0];
  errors.push(imageError('IMAGE_BAD_MANIFEST', `image index is not valid: ${issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : 'bad shape'}`, file, 'fatal'));
  return [];
}

function platformMatches(descriptor: Descriptor, wanted: Platform): boolean {
  const p = descriptor.platform;
  return p?.os === wanted.os && p.architecture === wanted.architecture && (wanted.variant === undefined || p.variant === wanted.variant);
}

/** Every image manifest an index lists, following nested indexes; attestation manifests (buildx) are not images. */
async function collectManifests(files: ImageFiles, index: unknown, errors: PalisadeError[], depth = 0): Promise<Descriptor[]> {
  const found: Descriptor[] = [];
  for (const d of descriptors(index, errors, files.description)) {
    if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || d.platform?.os === 'unknown') continue;
    if (d.mediaType && INDEX_TYPES.has(d.mediaType)) {
      if (depth >= 4) continue;
      const bytes = await readBlob(files, d.digest, 'image index', errors);
      const nested = bytes ? parseJson(bytes, `image index ${d.digest}`, files.description, errors) : undefined;
      if (nested !== undefined) found.push(...(await collectManifests(files, nested, errors, depth + 1)));
    } else found.push(d);
  }
  return found;
}

/** With several platforms, take `platform` (default linux/amd64, else the first). */
async function selectManifest(files: ImageFiles, index: unknown, platform: Platform | undefined, errors: PalisadeError[]): Promise<Descriptor | undefined> {
  const manifests = await collectManifests(files, index, errors);
  if (manifests.length <= 1 && !platform) return manifests[0];
  const wanted = platform ?? { os: 'linux', architecture: 'amd64' };
  const match = manifests.find((d) => platformMatches(d, wanted));
  if (match) return match;
  if (!platform) return manifests[0];
  errors.push(imageError('IMAGE_NO_PLATFORM', `no manifest for platform ${wanted.os}/${wanted.architecture}${wanted.variant ? `/${wanted.variant}` : ''}; found ${manifests.map((d) => `${d.platform?.os}/${d.platform?.architecture}`).join(', ')}`, files.description, 'fatal'));
  return undefined;
}

async function resolveOci(files: ImageFiles, platform: Platform | undefined, errors: PalisadeError[]): Promise<ResolvedImage | undefined> {
  const index = parseJson(await files.read('index.json'), 'index.json', files.description, errors);
  if (index === undefined) return undefined;
  const descriptor = await selectManifest(files, index, platform, errors);
  if (!descriptor) {
    if (errors.length === 0) errors.push(imageError('IMAGE_BAD_MANIFEST', 'index.json lists no image manifest', files.description, 'fatal'));
    return undefined;
  }
  const manifestBytes = await readBlob(files, descriptor.digest, 'manifest', errors);
  if (!manifestBytes) return undefined;
  const shaped = parseShape(manifestSchema, manifestBytes);
  if ('error' in shaped) {
    errors.push(imageError('IMAGE_BAD_MANIFEST', `manifest ${descriptor.digest} ${shaped.error}`, files.description, 'fatal'));
    return undefined;
  }
  const manifest = shaped.value;
  const configDigest = manifest.config.digest;
  const configBytes = await readBlob(files, configDigest, 'config', errors);
  const config = configBytes ? (parseJson(configBytes, `config ${configDigest}`, files.description, errors) as ImageConfig | undefined) : undefined;
  if (!config) return undefined;
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = manifest.layers.map((layer, i) => ({
    path: digestPath(layer.digest) as string, // the schema checked the digest
    digest: layer.digest,
    ...(typeof layer.mediaType === 'string' ? { mediaType: layer.mediaType } : {}),
    ...(diffIds[i] !== undefined ? { diffId: diffIds[i] } : {}),
  }));
  const refName = descriptor.annotations?.['org.opencontainers.image.ref.name'] ?? descriptor.annotations?.['io.containerd.image.name'];
  return { format: 'oci-layout', manifestDigest: descriptor.digest, configDigest, config, layers, repoTags: refName ? [refName] : [] };
}

/** `docker save` manifest.json: [{Config, RepoTags, Layers}] with paths inside the archive. */
async function resolveDockerArchive(files: ImageFiles, errors: PalisadeError[]): Promise<ResolvedImage | undefined> {
  const manifest = parseJson(await files.read('manifest.json'), 'manifest.json', files.description, errors);
  const entry = Array.isArray(manifest) ? manifest[0] : undefined;
  if (!isPlainObject(entry) || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
    if (manifest !== undefined) errors.push(imageError('IMAGE_BAD_MANIFEST', 'manifest.json has no Config and Layers', files.description, 'fatal'));
    return undefined;
  }
  if (!(await files.has(entry.Config))) {
    errors.push(imageError('IMAGE_MISSING_BLOB', `config ${entry.Config} is missing`, files.description, 'fatal'));
    return undefined;
  }
  const configBytes = await files.read(entry.Config);
  // The config's file name is its digest: <hex>.json (classic) or blobs/sha256/<hex> (Docker 25+).
  const hex = /([0-9a-f]{64})(?:\.json)?$/.exec(entry.Config)?.[1];
  const configDigest = hex ? `sha256:${hex}` : undefined;
  if (configDigest) {
    const mismatch = digestMismatch(configBytes, configDigest);
    if (mismatch) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `config ${entry.Config} has digest ${mismatch}, expected ${configDigest}`, files.description, 'fatal'));
      return undefined;
    }
  }
  const config = parseJson(configBytes, 'config', files.description, errors) as ImageConfig | undefined;
  if (!config) return undefined;
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = entry.Layers.map((path: unknown, i: number) => {
    const blobHex = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(String(path))?.[1];
    return { path: String(path), ...(blobHex ? { digest: `sha256:${blobHex}` } : {}), ...(diffIds[i] !== undefined ? { diffId: diffIds[i] } : {}) };
  });
  const repoTags = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === 'string') : [];
  return { format: 'docker-archive', ...(configDigest ? { configDigest } : {}), config, layers, repoTags };
}

/** Resolve the image in a set of image files: an OCI layout (index.json) first, else a docker archive. */
export async function resolveImage(files: ImageFiles, platform: Platform | undefined, errors: PalisadeError[]): Promise<ResolvedImage | undefined> {
  if (await files.has('index.json')) return resolveOci(files, platform, errors);
  if (await files.has('manifest.json')) return resolveDockerArchive(files, errors);
  errors.push(imageError('IMAGE_UNKNOWN_FORMAT', 'neither an OCI layout (index.json) nor a docker archive (manifest.json)', files.description, 'fatal'));
  return undefined;
}
