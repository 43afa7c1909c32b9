import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PalisadeError } from '../../../core/errors.js';
import { imageError } from '../oci/errors.js';
import { digestMismatch, type Platform } from '../oci/manifest.js';
import { DEFAULT_REGISTRY, type ImageReference } from '../../../knowledge/index.js';
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
  ) {}

  async get(url: string, accept?: string): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const headers = (): Record<string, string> => ({ ...(accept ? { accept } : {}), ...(this.authorization ? { authorization: this.authorization } : {}) });
    let response = await doFetch(url, { headers: headers(), redirect: 'follow' });
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    const credentials = this.options.credentials?.(this.reference.registry);
    if (challenge?.scheme === 'basic' && credentials) this.authorization = basicHeader(credentials);
    else if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      const tokenUrl = new URL(challenge.params.realm);
      if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
      tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${this.reference.repository}:pull`);
      const tokenResponse = await doFetch(tokenUrl, { headers: credentials ? { authorization: basicHeader(credentials) } : {} });
      if (!tokenResponse.ok) return tokenResponse;
      const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (!token) return response;
      this.authorization = `Bearer ${token}`;
    } else return response;
    response = await doFetch(url, { headers: headers(), redirect: 'follow' });
    return response;
  }
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/**
 * Pull an image through the OCI distribution API into an OCI layout directory, verifying every
 * digest on the way, so the image reader treats a pulled image exactly like a local one.
 * Anonymous, bearer-token and basic auth; multi-platform indexes resolved to `platform`.
 */
export async function pullToLayout(reference: ImageReference, dir: string, options: PullOptions = {}): Promise<{ errors: PalisadeError[]; manifestDigest?: string }> {
  const errors: PalisadeError[] = [];
  const name = `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
  const fail = (message: string, cause?: unknown): { errors: PalisadeError[] } => {
    errors.push(imageError('IMAGE_REMOTE_FAILED', message, name, 'fatal', cause));
    return { errors };
  };
  const session = new Session(reference, options);
  const base = `${baseUrl(reference, options.insecure ?? [])}/v2/${reference.repository}`;
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });

  const fetchManifest = async (ref: string): Promise<{ bytes: Buffer; mediaType: string; digest: string } | undefined> => {
    let response: Response;
    try {
      response = await session.get(`${base}/manifests/${ref}`, MANIFEST_TYPES.join(', '));
    } catch (cause) {
      fail(`cannot reach the registry for ${name}: ${(cause as Error).message}`, cause);
      return undefined;
    }
    if (!response.ok) {
      fail(`${name}: manifest ${ref}: HTTP ${response.status}`);
      return undefined;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = ref.startsWith('sha256:') ? ref : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const mismatch = digestMismatch(bytes, digest);
    if (mismatch) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `${name}: manifest has digest ${mismatch}, expected ${digest}`, name, 'fatal'));
      return undefined;
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() || ((JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '');
    return { bytes, mediaType, digest };
  };

  let manifest = await fetchManifest(reference.digest ?? reference.tag ?? 'latest');
  if (!manifest) return { errors };
  if (INDEX_TYPES.has(manifest.mediaType)) {
    const index = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: Descriptor[] };
    const wanted = options.platform ?? { os: 'linux', architecture: 'amd64' };
    const images = (index.manifests ?? []).filter((d) => d.platform?.os !== 'unknown');
    const chosen = images.find((d) => d.platform?.os === wanted.os && d.platform.architecture === wanted.architecture && (wanted.variant === undefined || d.platform.variant === wanted.variant)) ?? (options.platform ? undefined : images[0]);
    if (!chosen) return fail(`${name}: no manifest for platform ${wanted.os}/${wanted.architecture}`);
    await writeFile(join(dir, 'blobs', 'sha256', manifest.digest.slice(7)), manifest.bytes);
    manifest = await fetchManifest(chosen.digest);
    if (!manifest) return { errors };
  }
  await writeFile(join(dir, 'blobs', 'sha256', manifest.digest.slice(7)), manifest.bytes);
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[] };
  if (!parsed.config || !Array.isArray(parsed.layers)) return fail(`${name}: manifest ${manifest.digest} has no config or layers`);
  for (const blob of [parsed.config, ...parsed.layers]) {
    if (!/^sha256:[0-9a-f]{64}$/.test(blob.digest)) return fail(`${name}: unsupported blob digest ${blob.digest}`);
    const response = await session.get(`${base}/blobs/${blob.digest}`);
    if (!response.ok || !response.body) return fail(`${name}: blob ${blob.digest}: HTTP ${response.status}`);
    const hash = createHash('sha256');
    const target = join(dir, 'blobs', 'sha256', blob.digest.slice(7));
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), tap, createWriteStream(target + '.part'));
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== blob.digest) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `${name}: blob ${blob.digest} downloaded as ${actual}`, name, 'fatal'));
      return { errors };
    }
    await rename(target + '.part', target);
  }
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const descriptor = { mediaType: manifest.mediaType || MANIFEST_TYPES[1], digest: manifest.digest, size: manifest.bytes.length, annotations: { 'org.opencontainers.image.ref.name': name } };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }));
  return { errors, manifestDigest: manifest.digest };
}
