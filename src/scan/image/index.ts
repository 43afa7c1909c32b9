import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalisadeError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import { IMAGE_CHECKS, type ImageCheck, type ImageCheckReport, type ImageModelFile } from './checks/index.js';
import { modelExtension } from '../../knowledge/index.js';
import { isSecretName, tokenFormatIn } from '../../knowledge/index.js';
import { formatMessage } from '../../core/rule.js';
import { inventory, isInventoryPath } from './inventory/index.js';
import { DEFAULT_IMAGE_LIMITS, readImage, type ImageRead, type LayerSummary, type LinkProblem, type Platform, type ReadImageOptions } from './oci/index.js';
import { imageError } from './oci/errors.js';
import { parseImageReference } from '../../knowledge/index.js';
import { pullToLayout, type PullOptions } from './remote/index.js';
import type { Distro, ImagePackage } from './types.js';
import { matchPackages, type OsvDatabase, type VulnerabilityMatch } from './vuln/index.js';

export type { Distro, ImagePackage } from './types.js';
export type { ImageModelFile } from './checks/index.js';
export { IMAGE_CHECKS } from './checks/index.js';
export { DEFAULT_IMAGE_LIMITS, parsePlatform, type Platform } from './oci/index.js';
export { dockerConfigCredentials, type CredentialLookup, type Credentials } from './remote/index.js';
export { parseImageReference, type ImageReference } from '../../knowledge/index.js';

/** The model scanner's answer for one file (the model-scanning engine's contract, narrowed). */
export interface ModelVerdict {
  format: string;
  verdict: 'safe' | 'suspicious' | 'malicious' | 'invalid' | 'unsupported';
  findings: NonNullable<ImageModelFile['findings']>;
}

/**
 * The seam to the model scanner (src/scan/model), passed in so this engine never reaches for it.
 * Small files come as bytes; large ones as a temporary local copy (`localFile`), never in memory.
 */
export type ModelScanner = (file: { path: string; bytes?: Uint8Array; localFile?: string }) => Promise<ModelVerdict>;

/** The scanner of model files found in images, loaded only when asked: it brings in every model format. */
export async function loadModelScanner(): Promise<ModelScanner> {
  return (await import('./modelScanner.js')).modelEngineScanner;
}

export interface ScanImageOptions {
  platform?: Platform;
  database?: OsvDatabase;
  modelScanner?: ModelScanner;
  /** Model files up to this size are scanned in memory; larger ones from a temporary copy on disk, one at a time. */
  maxModelBytes?: number;
  /** Bounds on reading the image (DEFAULT_IMAGE_LIMITS for what is not given). */
  limits?: Partial<Pick<ReadImageOptions, 'maxInflatedBytes' | 'maxEntries' | 'maxContentBytes'>>;
  /** Leave out affected matches that have no fixed version (Trivy's --ignore-unfixed). */
  ignoreUnfixed?: boolean;
  /** The scan time to record (the engine never reads the clock itself). */
  now?: Date;
  /** How to pull when the input is a registry reference rather than a local path. */
  remote?: Omit<PullOptions, 'platform'>;
  /** Where pulled layouts and spooled model files go (default the system's temp directory); the CLI passes a directory it removes on SIGINT/SIGTERM. */
  tempDir?: string;
}

export interface ImageSummary {
  input: string;
  format?: 'oci-layout' | 'docker-archive';
  repoTags: string[];
  manifestDigest?: string;
  configDigest?: string;
  os?: string;
  architecture?: string;
  distro?: Distro;
  user: string;
  exposedPorts: string[];
  /** Environment variables; values of secret-looking ones are redacted. */
  env: string[];
  entrypoint: string[];
  cmd: string[];
  labels: Record<string, string>;
  /** The base image, from the OCI annotation labels `org.opencontainers.image.base.name` / `.digest`. */
  baseImage?: string;
  layers: LayerSummary[];
  files: number;
  /** When the scan ran (RFC 3339), when the caller gave a clock. */
  scannedAt?: string;
}

export interface ImageScan {
  image: ImageSummary;
  packages: ImagePackage[];
  vulnerabilities: VulnerabilityMatch[];
  models: ImageModelFile[];
  findings: Finding[];
  errors: PalisadeError[];
}

function redact(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq < 0) return entry;
  const name = entry.slice(0, eq);
  const value = entry.slice(eq + 1);
  return tokenFormatIn(value) || (value !== '' && isSecretName(name)) ? `${name}=<redacted>` : entry;
}

function baseImageOf(labels: Record<string, string>): { baseImage?: string } {
  const name = labels['org.opencontainers.image.base.name'];
  const digest = labels['org.opencontainers.image.base.digest'];
  if (!name) return {};
  return { baseImage: digest && !name.includes('@') ? `${name}@${digest}` : name };
}

function summarize(read: ImageRead, distro: Distro | undefined): ImageSummary {
  const resolved = read.resolved;
  const config = resolved?.config;
  const settings = config?.config;
  return {
    input: read.input,
    ...(resolved ? { format: resolved.format } : {}),
    repoTags: resolved?.repoTags ?? [],
    ...(resolved?.manifestDigest ? { manifestDigest: resolved.manifestDigest } : {}),
    ...(resolved?.configDigest ? { configDigest: resolved.configDigest } : {}),
    ...(config?.os ? { os: config.os } : {}),
    ...(config?.architecture ? { architecture: config.architecture } : {}),
    ...(distro ? { distro } : {}),
    user: settings?.User ?? '',
    exposedPorts: Object.keys(settings?.ExposedPorts ?? {}).sort(),
    env: (settings?.Env ?? []).map(redact),
    entrypoint: settings?.Entrypoint ?? [],
    cmd: settings?.Cmd ?? [],
    labels: settings?.Labels ?? {},
    ...baseImageOf(settings?.Labels ?? {}),
    layers: read.layers,
    files: read.entries,
  };
}

function toFinding(check: ImageCheck, report: ImageCheckReport): Finding {
  return {
    checkId: check.meta.id,
    severity: report.severity ?? check.meta.severity,
    title: check.meta.title,
    message: formatMessage(check.meta, report.messageId, report.data),
    ...(report.path !== undefined ? { path: report.path } : {}),
    remediation: check.meta.remediation,
    frameworks: check.meta.frameworks,
  };
}

/**
 * Scan one image: read it, inventory its packages, match them against the OSV database when one
 * is given, scan its model files with the given model scanner, and run the image checks. Pure
 * apart from reading the image; never throws for bad input.
 */
export async function scanImage(input: string, options: ScanImageOptions = {}): Promise<ImageScan> {
  const reference = (await isLocalPath(input)) || looksLikeFile(input) ? undefined : parseImageReference(input);
  if (!reference) return scanLocalImage(input, input, options);
  // A registry reference: pull into a private layout, scan it like any local image, remove it.
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'palisade-pull-'));
  try {
    const pulled = await pullToLayout(reference, dir, { ...options.remote, ...(options.platform ? { platform: options.platform } : {}) });
    if (pulled.errors.length > 0) return { image: emptySummary(input), packages: [], vulnerabilities: [], models: [], findings: [], errors: pulled.errors };
    return await scanLocalImage(dir, input, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A missing "./x", "/x" or "x.tar" is a mistyped file, not an image to pull from Docker Hub. */
function looksLikeFile(input: string): boolean {
  return /^[./~]/.test(input) || /\.(tar|tar\.gz|tgz|oci)$/i.test(input);
}

async function isLocalPath(input: string): Promise<boolean> {
  try {
    await stat(input);
    return true;
  } catch {
    return false;
  }
}

function emptySummary(input: string): ImageSummary {
  return { input, repoTags: [], user: '', exposedPorts: [], env: [], entrypoint: [], cmd: [], labels: {}, layers: [], files: 0 };
}

async function scanLocalImage(path: string, input: string, options: ScanImageOptions): Promise<ImageScan> {
  const spoolDir = options.modelScanner ? await mkdtemp(join(options.tempDir ?? tmpdir(), 'palisade-models-')) : undefined;
  try {
    return await scanRead(path, input, options, spoolDir);
  } finally {
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  }
}

/** The scans of one file, by the model extension of the names it was judged under. */
type ScansByExtension = Map<string, ModelVerdict | { failed: string }>;

const VERDICT_ORDER = ['safe', 'unsupported', 'invalid', 'suspicious', 'malicious'] as const;

/**
 * The scans of one file: one per model extension its names carry, since a loader picks its
 * reader by the name it is given (a blob linked as both model.safetensors and model.bin is read
 * both ways). Errors of the scanner are kept per extension.
 */
function scanFile(scanner: ModelScanner): NonNullable<ReadImageOptions['scan']> {
  return async ({ names, bytes, localFile }) => {
    const scans: ScansByExtension = new Map();
    for (const name of names) {
      const extension = modelExtension(name) ?? '';
      if (scans.has(extension)) continue;
      try {
        scans.set(extension, await scanner({ path: name, ...(bytes ? { bytes } : { localFile: localFile as string }) }));
      } catch (cause) {
        // A scanner bug must not hide the rest of the image; the file is reported as unscanned.
        scans.set(extension, { failed: `the model scanner failed: ${(cause as Error).message}` });
      }
    }
    return scans;
  };
}

/** The verdict a name gets: the scan of its own extension, or the worst of all for a name without one (a blob). */
function verdictFor(path: string, scans: ScansByExtension): ModelVerdict | { failed: string } | undefined {
  const own = scans.get(modelExtension(path) ?? '');
  if (own) return own;
  // A failed scan knows nothing, so it outranks every verdict.
  const rank = (scan: ModelVerdict | { failed: string }): number => ('failed' in scan ? VERDICT_ORDER.length : VERDICT_ORDER.indexOf(scan.verdict));
  let worst: ModelVerdict | { failed: string } | undefined;
  for (const scan of scans.values()) if (worst === undefined || rank(scan) > rank(worst)) worst = scan;
  return worst;
}

async function scanRead(path: string, input: string, options: ScanImageOptions, spoolDir: string | undefined): Promise<ImageScan> {
  const read = await readImage(path, {
    ...(options.platform ? { platform: options.platform } : {}),
    ...(spoolDir ? { spoolDir } : {}),
    ...(options.modelScanner ? { scan: scanFile(options.modelScanner) } : {}),
    inMemoryBytes: options.maxModelBytes ?? DEFAULT_IMAGE_LIMITS.inMemoryBytes,
    ...(options.limits ?? {}),
    wanted: (file) => {
      if (isInventoryPath(file)) return 'content';
      if (modelExtension(file) === undefined) return undefined;
      return options.modelScanner ? 'scan' : 'hash';
    },
  });
  const inventoryFiles = read.files.filter((f) => f.content !== undefined && isInventoryPath(f.path)).flatMap((f) => inventoryTexts(f.path, f.content as Buffer).map((text) => ({ path: f.path, text, layer: f.layer })));
  const { distro, packages } = inventory(inventoryFiles);
  const matches = options.database ? matchPackages(packages, options.database) : [];
  const vulnerabilities = options.ignoreUnfixed ? matches.filter((v) => v.status !== 'affected' || v.fixedIn.length > 0) : matches;
  const models: ImageModelFile[] = [];
  for (const file of read.files) {
    const scans = file.scanned as ScansByExtension | undefined;
    if (modelExtension(file.path) === undefined && !scans) continue;
    const model: ImageModelFile = { path: file.path, ...(file.target !== undefined ? { target: file.target } : {}), layer: file.layer, size: file.size, sha256: file.sha256 };
    const verdict = scans ? verdictFor(file.path, scans) : undefined;
    if (verdict && 'failed' in verdict) model.notScanned = verdict.failed;
    else if (verdict) {
      model.format = verdict.format;
      model.verdict = verdict.verdict;
      model.findings = verdict.findings;
    } else model.notScanned = 'no model scanner';
    models.push(model);
  }
  const errors = [...read.errors];
  // A link a loader would open as a model that leads nowhere, in circles or above the root: said, never followed outside.
  for (const link of read.links) {
    if (modelExtension(link.path) === undefined) continue;
    errors.push(imageError('IMAGE_LINK', `${link.path} -> ${link.target}: ${LINK_PROBLEMS[link.problem]}`, input, 'warning'));
  }
  const image = { ...summarize(read, distro), input };
  if (options.now) image.scannedAt = options.now.toISOString().replace(/\.\d+Z$/, 'Z');
  const name = image.repoTags[0] ?? input;
  const context = { name, config: read.resolved?.config ?? {}, ...(distro ? { distro } : {}), packages, vulnerabilities, models };
  const findings = read.resolved ? IMAGE_CHECKS.flatMap((check) => check.check(context).map((report) => toFinding(check, report))) : [];
  return { image, packages, vulnerabilities, models, findings, errors };
}

const LINK_PROBLEMS: Record<LinkProblem['problem'], string> = {
  loop: 'the link loops (more than 40 links in one lookup): not followed',
  dangling: 'the link leads to nothing in the image',
  'escapes-root': 'the link climbs above the image root; resolved as the container would (.. at / stays at /), never outside the image',
  'hardlink-target-missing': 'the hard link names a file the layers do not hold before it',
  'hardlink-to-directory': 'the hard link names a directory, which link(2) refuses',
};

/** Decoded inventory texts are cut below this many bytes: a status file past V8's string limit (512 MiB) must still read. */
export const INVENTORY_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * The text of an inventory file, in pieces cut at blank lines (deb822 and apk databases are
 * paragraphs separated by one), so a 600 MB dpkg status file is decoded piece by piece instead of
 * into one string V8 cannot make. Other files are one piece.
 */
export function inventoryTexts(path: string, content: Buffer, chunkBytes = INVENTORY_CHUNK_BYTES): string[] {
  if (content.length <= chunkBytes) return [content.toString('utf8')];
  const pieces: string[] = [];
  let start = 0;
  while (start < content.length) {
    let end = Math.min(content.length, start + chunkBytes);
    if (end < content.length) {
      const blank = content.lastIndexOf('\n\n', end);
      if (blank > start) end = blank + 2;
      // a paragraph longer than a piece is cut at a line end: it stays a separate, partial paragraph
      else {
        const line = content.lastIndexOf('\n', end);
        if (line > start) end = line + 1;
      }
    }
    pieces.push(content.subarray(start, end).toString('utf8'));
    start = end;
  }
  return pieces;
}
