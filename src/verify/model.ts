import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { verifyBundle, type Authority, type TrustOptions } from './bundle.js';
import type { ImageReference } from '../scan/image/index.js';
import type { RegistryClient } from './registry.js';
import { parseStatement } from './statement.js';
import type { SignerInfo, VerifyFailure } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * OpenSSF model signing (sigstore/model-transparency, `model_signing` v1.0): a Sigstore bundle
 * whose DSSE payload is an in-toto v1 Statement with predicate `https://model_signing/signature/v1.0`:
 * `predicate.resources` lists every file (or shard) with its digest, `predicate.serialization`
 * says how they were computed, and the one subject's sha256 is the hash of all resource digests
 * in order. Verifying a directory means: the bundle verifies, the manifest is self-consistent,
 * and the directory hashes to exactly that manifest: no file changed, missing or added.
 */
export const MODEL_SIGNING_PREDICATE = 'https://model_signing/signature/v1.0';
export const MODEL_SIGNING_PREDICATE_V01 = 'https://model_signing/Digests/v0.1';
/** What model_signing leaves out by default (model_signing `hashing` defaults), besides the signature itself. */
export const DEFAULT_IGNORED = ['.git', '.gitattributes', '.github', '.gitignore'];

export interface ModelOutcome {
  verified: boolean;
  signer?: SignerInfo;
  modelName?: string;
  files: number;
  failures: VerifyFailure[];
  /** Per-file differences, sorted by name. */
  mismatched: string[];
  missing: string[];
  added: string[];
}

interface Serialization {
  method: 'files' | 'shards';
  hashType: string;
  shardSize?: number;
  allowSymlinks: boolean;
  ignorePaths: string[];
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function readManifest(predicateType: string, predicate: unknown, subject: Array<{ name?: string; digest: Record<string, string> }>): { entries: Map<string, string>; serialization: Serialization; name?: string } | VerifyFailure {
  const p = record(predicate);
  if (predicateType === MODEL_SIGNING_PREDICATE_V01) {
    // v0.2 of the tool: every file is a subject; no serialization record, no root digest.
    const entries = new Map<string, string>();
    for (const s of subject) if (s.name && s.digest.sha256) entries.set(s.name, s.digest.sha256);
    return { entries, serialization: { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] } };
  }
  const args = record(p.serialization);
  const method = args.method;
  if (method !== 'files' && method !== 'shards') return { reason: 'unsupported', message: `model serialization method ${JSON.stringify(method)} (files and shards are supported)` };
  const hashType = typeof args.hash_type === 'string' ? args.hash_type : '';
  if (hashType !== 'sha256') return { reason: 'unsupported', message: `model hash type ${JSON.stringify(hashType)} (sha256 is supported)` };
  const shardSize = typeof args.shard_size === 'number' ? args.shard_size : undefined;
  if (method === 'shards' && (!shardSize || shardSize <= 0)) return { reason: 'unsupported', message: 'shards serialization without a positive shard_size' };
  const resources = Array.isArray(p.resources) ? p.resources.map(record) : [];
  const entries = new Map<string, string>();
  const root = createHash('sha256');
  for (const r of resources) {
    if (typeof r.name !== 'string' || typeof r.digest !== 'string' || !/^[0-9a-f]+$/i.test(r.digest) || r.algorithm !== hashType) return { reason: 'tampered', message: `a manifest resource is malformed: ${JSON.stringify(r).slice(0, 200)}` };
    if (entries.has(r.name)) return { reason: 'tampered', message: `the manifest lists ${r.name} twice` };
    entries.set(r.name, r.digest.toLowerCase());
    root.update(Buffer.from(r.digest, 'hex'));
  }
  const expected = subject[0]?.digest.sha256;
  if (subject.length !== 1 || !expected) return { reason: 'tampered', message: 'the model statement must have exactly one subject with a sha256 digest' };
  const actual = root.digest('hex');
  if (actual !== expected) return { reason: 'tampered', message: `the manifest is inconsistent: its resources hash to ${actual}, the signed subject says ${expected}` };
  const ignorePaths = Array.isArray(args.ignore_paths) ? args.ignore_paths.filter((x): x is string => typeof x === 'string') : [];
  return { entries, serialization: { method, hashType, ...(shardSize ? { shardSize } : {}), allowSymlinks: args.allow_symlinks === true, ignorePaths }, ...(subject[0]?.name ? { name: subject[0].name } : {}) };
}

async function hashRange(file: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  if (end > start) {
    for await (const chunk of createReadStream(file, { start, end: end - 1 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Every regular file under `dir` as a POSIX path, minus the ignored ones; symlinks are errors unless allowed. */
async function listFiles(dir: string, ignored: Set<string>, allowSymlinks: boolean): Promise<{ files: string[]; symlinks: string[] }> {
  const files: string[] = [];
  const symlinks: string[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      const rel = relative(dir, full).split(sep).join('/');
      if (ignored.has(rel)) continue;
      if (entry.isSymbolicLink()) {
        if (!allowSymlinks) {
          symlinks.push(rel);
          continue;
        }
        const target = await stat(full);
        if (target.isDirectory()) await walk(full);
        else if (target.isFile()) files.push(rel);
      } else if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(rel);
    }
  };
  await walk(dir);
  return { files: files.sort(), symlinks: symlinks.sort() };
}

export interface VerifyModelOptions {
  /** The signature file's path, left out of the directory listing when it lies inside the model. */
  signaturePath?: string;
  /** More paths (relative to the model) to leave out, as model_signing's --ignore-paths. */
  ignorePaths?: readonly string[];
}

type SignedManifest = Exclude<ReturnType<typeof readManifest>, VerifyFailure>;
const EMPTY = { files: 0, mismatched: [], missing: [], added: [] };

/** The bundle verified and its model manifest read, or the outcome that says why not. */
function openSignature(bundleJson: unknown, authority: Authority, trust: TrustOptions): { signer: SignerInfo; manifest: SignedManifest } | ModelOutcome {
  const result = verifyBundle(bundleJson, authority, trust);
  if (!result.ok) return { verified: false, failures: [result.failure], ...EMPTY };
  if (!result.dsse) return { verified: false, signer: result.signer, failures: [{ reason: 'unsupported', message: 'a model signature is a DSSE bundle; this one is a message signature' }], ...EMPTY };
  const statement = parseStatement(result.dsse.payloadType, result.dsse.payload);
  if ('error' in statement) return { verified: false, signer: result.signer, failures: [{ reason: 'unsupported', message: statement.error }], ...EMPTY };
  if (statement.predicateType !== MODEL_SIGNING_PREDICATE && statement.predicateType !== MODEL_SIGNING_PREDICATE_V01) return { verified: false, signer: result.signer, failures: [{ reason: 'unsupported', message: `predicate ${statement.predicateType} is not a model signature (${MODEL_SIGNING_PREDICATE})` }], ...EMPTY };
  const manifest = readManifest(statement.predicateType, statement.predicate, statement.subject);
  if ('reason' in manifest) return { verified: false, signer: result.signer, failures: [manifest], ...EMPTY };
  return { signer: result.signer, manifest };
}

function ignoredPaths(manifest: SignedManifest, extra: readonly string[]): Set<string> {
  return new Set([...DEFAULT_IGNORED, ...manifest.serialization.ignorePaths, ...extra].map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '')));
}

/**
 * The signed manifest against what the model holds: `actual` maps each name the model produces
 * under the signed serialization (a file, or `file:start:end` for shards) to its digest.
 */
function compare(manifest: SignedManifest, signer: SignerInfo, files: readonly string[], actual: ReadonlyMap<string, string>, failures: VerifyFailure[]): ModelOutcome {
  const nameOf = (entry: string): string => (manifest.serialization.method === 'shards' ? entry.replace(/:\d+:\d+$/, '') : entry);
  const mismatched = new Set<string>();
  const missing = new Set<string>();
  const added = new Set<string>();
  for (const [entry, digest] of manifest.entries) {
    const got = actual.get(entry);
    if (got === undefined) (files.includes(nameOf(entry)) ? mismatched : missing).add(nameOf(entry));
    else if (got !== digest) mismatched.add(nameOf(entry));
  }
  for (const entry of actual.keys()) if (!manifest.entries.has(entry)) {
    const name = nameOf(entry);
    if (![...manifest.entries.keys()].some((e) => nameOf(e) === name)) added.add(name);
    else mismatched.add(name);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  if (mismatched.size > 0) failures.push({ reason: 'digest-mismatch', message: `${mismatched.size} file(s) differ from the signed manifest: ${sorted(mismatched).slice(0, 10).join(', ')}` });
  if (missing.size > 0) failures.push({ reason: 'digest-mismatch', message: `${missing.size} signed file(s) are missing: ${sorted(missing).slice(0, 10).join(', ')}` });
  if (added.size > 0) failures.push({ reason: 'digest-mismatch', message: `${added.size} file(s) are not in the signed manifest: ${sorted(added).slice(0, 10).join(', ')}` });
  return { verified: failures.length === 0, signer, ...(manifest.name ? { modelName: manifest.name } : {}), files: files.length, failures, mismatched: sorted(mismatched), missing: sorted(missing), added: sorted(added) };
}

/** Verify a model directory against its model_signing bundle (JSON already parsed). */
export async function verifyModel(dir: string, bundleJson: unknown, authority: Authority, trust: TrustOptions, options: VerifyModelOptions = {}): Promise<ModelOutcome> {
  const opened = openSignature(bundleJson, authority, trust);
  if ('verified' in opened) return opened;
  const { signer, manifest } = opened;
  const root = resolve(dir);
  const ignored = ignoredPaths(manifest, options.ignorePaths ?? []);
  if (options.signaturePath) {
    const rel = relative(root, resolve(options.signaturePath)).split(sep).join('/');
    if (!rel.startsWith('..')) ignored.add(rel);
  }
  if (!(await lstat(root)).isDirectory()) return { verified: false, signer, failures: [{ reason: 'unsupported', message: `${dir} is not a directory` }], ...EMPTY };
  const { files, symlinks } = await listFiles(root, ignored, manifest.serialization.allowSymlinks);
  const failures: VerifyFailure[] = symlinks.map((s) => ({ reason: 'tampered' as const, message: `${s} is a symbolic link and the signature does not allow them` }));

  // The names the directory produces under the signed serialization, with their digests.
  const actual = new Map<string, string>();
  const shardSize = manifest.serialization.shardSize ?? 0;
  await Promise.all(
    files.map(async (file) => {
      const full = join(root, ...file.split('/'));
      if (manifest.serialization.method === 'files') {
        actual.set(file, await hashRange(full, 0, (await stat(full)).size));
        return;
      }
      const size = (await stat(full)).size;
      for (let start = 0; start < size || (start === 0 && size === 0); start += shardSize) {
        const end = Math.min(size, start + shardSize);
        actual.set(`${file}:${start}:${end}`, await hashRange(full, start, end));
        if (size === 0) break;
      }
    }),
  );
  return compare(manifest, signer, files, actual, failures);
}

/** The path a model artifact's layer unpacks to: ModelPack's annotation (both namespaces), else ORAS's title. */
export const MODEL_LAYER_PATH_ANNOTATIONS = ['org.cncf.model.filepath', 'org.cnai.model.filepath', 'org.opencontainers.image.title'] as const;

export interface ArtifactLayer {
  mediaType: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
}

/**
 * Whether a layer holds the file's bytes as they are (so its digest is the file's sha256), or an
 * archive to unpack: ModelPack says so in the media type (`.raw` vs `.tar`, `+gzip`, `+zstd`);
 * ORAS pushes a file as it is unless it marked the layer for unpacking.
 */
export function layerIsRawFile(layer: ArtifactLayer): boolean {
  const type = layer.mediaType;
  if (/^application\/vnd\.(cncf|cnai)\.model\./.test(type)) return type.endsWith('.raw');
  if (layer.annotations?.['io.deis.oras.content.unpack'] === 'true') return false;
  return !/(\.tar|\+gzip|\+zstd|\.tar\.gz)$/.test(type) || layer.annotations?.['org.opencontainers.image.title'] !== undefined;
}

export function layerPath(layer: ArtifactLayer): string | undefined {
  for (const key of MODEL_LAYER_PATH_ANNOTATIONS) {
    const v = layer.annotations?.[key];
    if (typeof v === 'string' && v.length > 0) return v.replace(/^\.\//, '');
  }
  return undefined;
}

/**
 * Verify an OCI model artifact (ModelPack, or files pushed with ORAS) against a model_signing
 * bundle without pulling the weights: a raw layer's digest is the sha256 of the file it holds, so
 * the manifest's layer digests are compared with the signed file digests. The artifact manifest
 * itself is content-addressed (fetched by digest, or hashed on arrival), and any runtime that
 * pulls a layer checks its bytes against that digest, so an equal digest means the signed bytes.
 * Layers that are archives, and shard serializations, need the bytes; they are reported as
 * unsupported rather than passed.
 */
export function verifyModelLayers(layers: readonly ArtifactLayer[], bundleJson: unknown, authority: Authority, trust: TrustOptions, options: { ignorePaths?: readonly string[]; signatureLayerPath?: string } = {}): ModelOutcome {
  const opened = openSignature(bundleJson, authority, trust);
  if ('verified' in opened) return opened;
  const { signer, manifest } = opened;
  const ignored = ignoredPaths(manifest, [...(options.ignorePaths ?? []), ...(options.signatureLayerPath ? [options.signatureLayerPath] : [])]);
  const failures: VerifyFailure[] = [];
  if (manifest.serialization.method !== 'files') failures.push({ reason: 'unsupported', message: 'a shards model signature needs the file bytes; verify the pulled model directory instead' });
  const files: string[] = [];
  const actual = new Map<string, string>();
  for (const [i, layer] of layers.entries()) {
    const path = layerPath(layer);
    if (path === undefined) {
      failures.push({ reason: 'unsupported', message: `layer ${i} (${layer.digest}) names no file path (${MODEL_LAYER_PATH_ANNOTATIONS.join(', ')})` });
      continue;
    }
    if (ignored.has(path) || [...ignored].some((p) => path.startsWith(`${p}/`))) continue;
    if (!layerIsRawFile(layer)) {
      failures.push({ reason: 'unsupported', message: `layer ${path} is an archive (${layer.mediaType}); its files cannot be checked without unpacking it` });
      continue;
    }
    if (!/^sha256:[0-9a-f]{64}$/.test(layer.digest)) {
      failures.push({ reason: 'unsupported', message: `layer ${path} has digest ${layer.digest}; the signature's files are sha256` });
      continue;
    }
    if (actual.has(path)) {
      failures.push({ reason: 'tampered', message: `two layers unpack to ${path}` });
      continue;
    }
    files.push(path);
    actual.set(path, layer.digest.slice('sha256:'.length));
  }
  files.sort();
  return compare(manifest, signer, files, actual, failures);
}

/** An OCI model artifact read for `verifyModelLayers`: its layers and its model_signing bundle. */
export interface ModelArtifact {
  layers: ArtifactLayer[];
  bundleJson: unknown;
  /** The layer the signature came from, left out of the comparison with the signed files. */
  signatureLayerPath?: string;
}

/** Largest model.sig layer read (a manifest of file digests; real ones are a few kilobytes). */
const MAX_SIGNATURE_LAYER = 4 * 1024 * 1024;

/**
 * Read an OCI model artifact's manifest and, unless `signature` is given, its `model.sig` layer
 * (checked against its digest). Only the manifest and the signature are fetched, never the weights.
 */
export async function fetchModelArtifact(client: RegistryClient, ref: ImageReference, signature?: unknown): Promise<ModelArtifact | { error: 'no-manifest' | 'no-signature' | 'tampered' | 'not-json'; message: string }> {
  const manifest = await client.manifest(ref, ref.digest ?? ref.tag ?? 'latest');
  if (!manifest) return { error: 'no-manifest', message: 'no such manifest' };
  const layers = (manifest.json.layers ?? []) as ArtifactLayer[];
  if (signature !== undefined) return { layers, bundleJson: signature };
  const sigLayer = layers.find((l) => layerPath(l) === 'model.sig');
  if (!sigLayer) return { error: 'no-signature', message: 'the artifact has no model.sig layer; give --signature' };
  const bytes = await client.blob(ref, sigLayer.digest, MAX_SIGNATURE_LAYER);
  if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== sigLayer.digest) return { error: 'tampered', message: 'the model.sig layer does not match its digest' };
  try {
    return { layers, bundleJson: JSON.parse(bytes.toString('utf8')) as unknown, signatureLayerPath: 'model.sig' };
  } catch {
    return { error: 'not-json', message: 'the model.sig layer is not JSON' };
  }
}
