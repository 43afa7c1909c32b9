import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PalisadeError } from '../../../core/errors.js';
import { imageError } from '../oci/errors.js';
import { digestMismatch, type Platform } from '../oci/manifest.js';
import { DEFAULT_REGISTRY, type ImageReference } from '../../../knowledge/index.js';
import { indexSchema, manifestSchema } from '../oci/schema.js';
import { basicHeader, parseChallenge, type CredentialLookup } from './auth.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set([MANIFEST_TYPES[0], MANIFEST_TYPES[2]]);

export interface PullOptions {
  platform?: Platform;
  credentials?: CredentialLookup;
  /** Plain HTTP for these registries (localhost and 127.0.0.1 always are, as Docker does). */
  insecure?: readonly string[];
  fetch?: typeof fetch;
  /** Bytes a pull may download in all (manifests and blobs); default 4 GiB. */
  maxBytes?: number;
  /** Milliseconds the whole pull may take; default 10 minutes. */
  timeoutMs?: number;
}

export const DEFAULT_PULL_LIMITS = { maxBytes: 4 * 1024 ** 3, timeoutMs: 600_000 } as const;
/** Registries must accept manifests of at least 4 MiB (distribution spec); nothing larger is read. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A refusal the pull reports as its own error (code and message), not as a transport failure. */
class PullRefusal extends Error {
  constructor(
    readonly code: 'IMAGE_REMOTE_INSECURE' | 'IMAGE_REMOTE_LIMIT' | 'IMAGE_BAD_MANIFEST',
    message: string,
  ) {
    super(message);
  }
}

function baseUrl(reference: ImageReference, insecure: readonly string[]): string {
  const host = reference.registry === DEFAULT_REGISTRY ? 'registry-1.docker.io' : reference.registry;
  const plain = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host) || insecure.includes(host);
  return `${plain ? 'http' : 'https'}://${host}`;
}

/** One registry session: remembers the token its challenge gave, per scope. */
class Session {
  private authorization: string | undefined;
  constructor(
    private readonly reference: ImageReference,
    private readonly options: PullOptions,
    private readonly base: string,
    private readonly signal: AbortSignal,
  ) {}

  async get(url: string, accept?: string): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const signal = this.signal;
    const headers = (): Record<string, string> => ({ ...(accept ? { accept } : {}), ...(this.authorization ? { authorization: this.authorization } : {}) });
    let response = await doFetch(url, { headers: headers(), redirect: 'follow', signal });
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    const credentials = this.options.credentials?.(this.reference.registry);
    if (challenge?.scheme === 'basic' && credentials) this.authorization = basicHeader(credentials);
    else if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      let tokenUrl: URL;
      try {
        tokenUrl = new URL(challenge.params.realm);
      } catch {
        throw new PullRefusal('IMAGE_REMOTE_INSECURE', `the registry's token realm ${JSON.stringify(challenge.params.realm)} is not a URL`);
      }
      // The realm is chosen by the registry's answer: credentials go there only over TLS, unless
      // the registry itself is plain http (localhost, --insecure), where TLS was never had.
      const registryPlain = new URL(this.base).protocol === 'http:';
      if (tokenUrl.protocol !== 'https:' && !(tokenUrl.protocol === 'http:' && registryPlain)) {
        throw new PullRefusal('IMAGE_REMOTE_INSECURE', `refused: the registry sends credentials to the token realm ${tokenUrl.origin} over ${tokenUrl.protocol.replace(':', '')}; only https realms are used for an https registry`);
      }
      if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
      tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${this.reference.repository}:pull`);
      const tokenResponse = await doFetch(tokenUrl, { headers: credentials ? { authorization: basicHeader(credentials) } : {}, signal });
      if (!tokenResponse.ok) return tokenResponse;
      let body: { token?: unknown; access_token?: unknown };
      try {
        body = (await tokenResponse.json()) as typeof body;
      } catch {
        throw new PullRefusal('IMAGE_BAD_MANIFEST', `the token realm ${tokenUrl.origin} answered with something that is not JSON`);
      }
      const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : undefined;
      if (!token) return response;
      this.authorization = `Bearer ${token}`;
    } else return response;
    response = await doFetch(url, { headers: headers(), redirect: 'follow', signal });
    return response;
  }
}

/**
 * Pull an image through the OCI distribution API into an OCI layout directory, verifying every
 * digest on the way, so the image reader treats a pulled image exactly like a local one.
 * Anonymous, bearer-token and basic auth; multi-platform indexes resolved to `platform`.
 */
export async function pullToLayout(reference: ImageReference, dir: string, options: PullOptions = {}): Promise<{ errors: PalisadeError[]; manifestDigest?: string }> {
  const errors: PalisadeError[] = [];
  const name = `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
  const maxBytes = options.maxBytes ?? DEFAULT_PULL_LIMITS.maxBytes;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PULL_LIMITS.timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new PullRefusal('IMAGE_REMOTE_LIMIT', `${name}: the pull took longer than ${timeoutMs} ms (limit timeoutMs)`)), timeoutMs);
  timer.unref?.();
  const base = baseUrl(reference, options.insecure ?? []);
  const session = new Session(reference, options, base, controller.signal);
  try {
    return await pull(dir, name, `${base}/v2/${reference.repository}`, reference.digest ?? reference.tag ?? 'latest', options.platform, session, maxBytes, controller.signal, errors);
  } catch (cause) {
    const refusal = cause instanceof PullRefusal ? cause : controller.signal.reason instanceof PullRefusal ? controller.signal.reason : undefined;
    if (refusal) errors.push(imageError(refusal.code, refusal.message, name, 'fatal'));
    else errors.push(imageError('IMAGE_REMOTE_FAILED', `${name}: ${(cause as Error).message}`, name, 'fatal', cause));
    return { errors };
  } finally {
    clearTimeout(timer);
  }
}

async function pull(dir: string, name: string, base: string, ref: string, platform: Platform | undefined, session: Session, maxBytes: number, signal: AbortSignal, errors: PalisadeError[]): Promise<{ errors: PalisadeError[]; manifestDigest?: string }> {
  let downloaded = 0;
  const count = (bytes: number): void => {
    downloaded += bytes;
    if (downloaded > maxBytes) throw new PullRefusal('IMAGE_REMOTE_LIMIT', `${name}: the image is larger than ${maxBytes} bytes (limit maxBytes)`);
  };
  const fail = (message: string, cause?: unknown): { errors: PalisadeError[] } => {
    errors.push(imageError('IMAGE_REMOTE_FAILED', message, name, 'fatal', cause));
    return { errors };
  };
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });

  const fetchManifest = async (ref: string): Promise<{ bytes: Buffer; mediaType: string; digest: string; json: unknown } | undefined> => {
    let response: Response;
    try {
      response = await session.get(`${base}/manifests/${ref}`, MANIFEST_TYPES.join(', '));
    } catch (cause) {
      if (cause instanceof PullRefusal || signal.aborted) throw cause;
      fail(`cannot reach the registry for ${name}: ${(cause as Error).message}`, cause);
      return undefined;
    }
    if (!response.ok) {
      fail(`${name}: manifest ${ref}: HTTP ${response.status}`);
      return undefined;
    }
    const bytes = await readCapped(response, Math.min(MAX_MANIFEST_BYTES, maxBytes - downloaded), `${name}: manifest ${ref}`);
    count(bytes.length);
    const digest = ref.startsWith('sha256:') ? ref : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const mismatch = digestMismatch(bytes, digest);
    if (mismatch) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `${name}: manifest has digest ${mismatch}, expected ${digest}`, name, 'fatal'));
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (cause) {
      errors.push(imageError('IMAGE_BAD_MANIFEST', `${name}: manifest ${digest} is not JSON (${(cause as Error).message})`, name, 'fatal'));
      return undefined;
    }
    const declared = json !== null && typeof json === 'object' && typeof (json as { mediaType?: unknown }).mediaType === 'string' ? (json as { mediaType: string }).mediaType : '';
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() || declared;
    return { bytes, mediaType, digest, json };
  };
  const shaped = <T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, what: string): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    errors.push(imageError('IMAGE_BAD_MANIFEST', `${name}: ${what} is not valid: ${issue ? `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}` : 'bad shape'}`, name, 'fatal'));
    return undefined;
  };

  let manifest = await fetchManifest(ref);
  if (!manifest) return { errors };
  if (INDEX_TYPES.has(manifest.mediaType)) {
    const index = shaped(indexSchema, manifest.json, `image index ${manifest.digest}`);
    if (!index) return { errors };
    const wanted = platform ?? { os: 'linux', architecture: 'amd64' };
    const images = index.manifests.filter((d) => d.platform?.os !== 'unknown');
    const chosen = images.find((d) => d.platform?.os === wanted.os && d.platform.architecture === wanted.architecture && (wanted.variant === undefined || d.platform.variant === wanted.variant)) ?? (platform ? undefined : images[0]);
    if (!chosen) return fail(`${name}: no manifest for platform ${wanted.os}/${wanted.architecture}`);
    await writeFile(join(dir, 'blobs', 'sha256', manifest.digest.slice(7)), manifest.bytes);
    manifest = await fetchManifest(chosen.digest);
    if (!manifest) return { errors };
  }
  const parsed = shaped(manifestSchema, manifest.json, `manifest ${manifest.digest}`);
  if (!parsed) return { errors };
  await writeFile(join(dir, 'blobs', 'sha256', manifest.digest.slice(7)), manifest.bytes);
  for (const blob of [parsed.config, ...parsed.layers]) {
    if (!/^sha256:[0-9a-f]{64}$/.test(blob.digest)) return fail(`${name}: unsupported blob digest ${blob.digest}`);
    const response = await session.get(`${base}/blobs/${blob.digest}`);
    if (!response.ok || !response.body) return fail(`${name}: blob ${blob.digest}: HTTP ${response.status}`);
    const hash = createHash('sha256');
    const target = join(dir, 'blobs', 'sha256', blob.digest.slice(7));
    let received = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        try {
          count(chunk.length);
        } catch (error) {
          callback(error as Error);
          return;
        }
        received += chunk.length;
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), tap, createWriteStream(target + '.part'));
    } catch (cause) {
      await unlink(target + '.part').catch(() => undefined);
      if (cause instanceof PullRefusal || signal.aborted) throw signal.reason instanceof PullRefusal ? signal.reason : cause;
      return fail(`${name}: blob ${blob.digest} broke off after ${received} bytes: ${(cause as Error).message}`, cause);
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== blob.digest) {
      await unlink(target + '.part').catch(() => undefined);
      const truncated = blob.size !== undefined && received < blob.size ? ` (truncated: ${received} of ${blob.size} bytes)` : '';
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `${name}: blob ${blob.digest} downloaded as ${actual}${truncated}`, name, 'fatal'));
      return { errors };
    }
    await rename(target + '.part', target);
  }
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const descriptor = { mediaType: manifest.mediaType || MANIFEST_TYPES[1], digest: manifest.digest, size: manifest.bytes.length, annotations: { 'org.opencontainers.image.ref.name': name } };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }));
  return { errors, manifestDigest: manifest.digest };
}

/** A response body, refused once it passes `limit` bytes (Content-Length first, then as it streams). */
async function readCapped(response: Response, limit: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new PullRefusal('IMAGE_REMOTE_LIMIT', `${what} is ${declared} bytes, more than the ${limit} allowed`);
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > limit) throw new PullRefusal('IMAGE_REMOTE_LIMIT', `${what} is more than the ${limit} bytes allowed`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
