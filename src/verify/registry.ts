import { createHash } from 'node:crypto';
import { PalisadeError } from '../core/errors.js';
import { parseImageReference, type CredentialLookup, type ImageReference } from '../scan/image/index.js';

/**
 * The little of the OCI distribution API that verification reads: manifests by tag or digest,
 * blobs by digest (checked), and the referrers of a digest (OCI 1.1 API, else the referrers tag
 * schema). Everything it returns is digest-checked, so a registry can withhold but not forge.
 */
export interface RegistryClient {
  /** `null` when the registry answers 404. */
  manifest(repo: ImageReference, reference: string): Promise<FetchedManifest | null>;
  blob(repo: ImageReference, digest: string, maxBytes?: number): Promise<Buffer>;
  /** Descriptors of artifacts whose subject is `digest`; `null` when there is neither API nor tag. */
  referrers(repo: ImageReference, digest: string): Promise<Descriptor[] | null>;
}

export interface Descriptor {
  mediaType?: string;
  artifactType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  json: { mediaType?: string; artifactType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[]; subject?: Descriptor; annotations?: Record<string, string> };
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const MAX_MANIFEST = 4 << 20;
const DEFAULT_MAX_BLOB = 32 << 20;

export interface HttpClientOptions {
  credentials?: CredentialLookup;
  /** Plain HTTP for these registries (localhost, 127.0.0.1 and [::1] always are, as Docker does). */
  insecure?: readonly string[];
  fetch?: typeof fetch;
  /** Aborts every request (the webhook's deadline). */
  signal?: AbortSignal;
}

export function registryError(message: string, cause?: unknown): PalisadeError {
  return new PalisadeError('VERIFY_REGISTRY_FAILED', message, { errorClass: 'fatal', ...(cause ? { cause } : {}) });
}

function parseChallenge(header: string | null): { realm?: string; service?: string; scope?: string; scheme: string } | undefined {
  const match = header ? /^\s*(\w+)\s*(.*)$/.exec(header) : null;
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of (match[2] as string).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[(part[1] as string).toLowerCase()] = part[2] as string;
  return { scheme: (match[1] as string).toLowerCase(), ...params };
}

/** An HTTP registry client with anonymous, bearer-token and basic auth; one token per repository. */
export function httpRegistryClient(options: HttpClientOptions = {}): RegistryClient {
  const doFetch = options.fetch ?? fetch;
  const tokens = new Map<string, string>();
  const base = (repo: ImageReference): string => {
    const host = repo.registry === 'docker.io' ? 'registry-1.docker.io' : repo.registry;
    const plain = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host) || (options.insecure ?? []).includes(host);
    return `${plain ? 'http' : 'https'}://${host}/v2/${repo.repository}`;
  };
  const get = async (repo: ImageReference, path: string, accept?: string): Promise<Response> => {
    const key = `${repo.registry}/${repo.repository}`;
    const headers = (): Record<string, string> => ({ ...(accept ? { accept } : {}), ...(tokens.has(key) ? { authorization: tokens.get(key) as string } : {}) });
    const url = `${base(repo)}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers: headers(), ...(options.signal ? { signal: options.signal } : {}) });
      if (response.status !== 401) return response;
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      const credentials = options.credentials?.(repo.registry);
      const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
      if (challenge?.scheme === 'basic' && basic) tokens.set(key, basic);
      else if (challenge?.scheme === 'bearer' && challenge.realm) {
        const tokenUrl = new URL(challenge.realm);
        if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
        tokenUrl.searchParams.set('scope', challenge.scope ?? `repository:${repo.repository}:pull`);
        const tokenResponse = await doFetch(tokenUrl, { headers: basic ? { authorization: basic } : {}, ...(options.signal ? { signal: options.signal } : {}) });
        if (!tokenResponse.ok) return response;
        const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
        const token = body.token ?? body.access_token;
        if (!token) return response;
        tokens.set(key, `Bearer ${token}`);
      } else return response;
      return await doFetch(url, { headers: headers(), ...(options.signal ? { signal: options.signal } : {}) });
    } catch (cause) {
      throw registryError(`${repo.registry}: ${(cause as Error).name === 'AbortError' ? 'deadline reached' : `cannot reach the registry: ${(cause as Error).message}`}`, cause);
    }
  };
  const readLimited = async (response: Response, max: number, what: string): Promise<Buffer> => {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > max) throw registryError(`${what} is ${declared} bytes, over the ${max}-byte limit`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > max) throw registryError(`${what} is over the ${max}-byte limit`);
    return bytes;
  };
  const client: RegistryClient = {
    async manifest(repo, reference) {
      const response = await get(repo, `/manifests/${reference}`, MANIFEST_ACCEPT);
      if (response.status === 404) return null;
      if (!response.ok) throw registryError(`${repo.registry}/${repo.repository}: manifest ${reference}: HTTP ${response.status}`);
      const bytes = await readLimited(response, MAX_MANIFEST, `manifest ${reference}`);
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (reference.startsWith('sha256:') && reference !== digest) throw registryError(`${repo.registry}/${repo.repository}: manifest ${reference} arrived with digest ${digest}`);
      let json: FetchedManifest['json'];
      try {
        json = JSON.parse(bytes.toString('utf8')) as FetchedManifest['json'];
      } catch (cause) {
        throw registryError(`${repo.registry}/${repo.repository}: manifest ${reference} is not JSON`, cause);
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() || json.mediaType || '';
      return { digest, mediaType, bytes, json };
    },
    async blob(repo, digest, maxBytes = DEFAULT_MAX_BLOB) {
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw registryError(`unsupported blob digest ${digest}`);
      const response = await get(repo, `/blobs/${digest}`);
      if (!response.ok) throw registryError(`${repo.registry}/${repo.repository}: blob ${digest}: HTTP ${response.status}`);
      // Returned as is: the caller compares the digest, so a tampered blob is reported, not hidden.
      return readLimited(response, maxBytes, `blob ${digest}`);
    },
    async referrers(repo, digest) {
      const response = await get(repo, `/referrers/${digest}`, 'application/vnd.oci.image.index.v1+json');
      if (response.ok) {
        const bytes = await readLimited(response, MAX_MANIFEST, `referrers of ${digest}`);
        try {
          const index = JSON.parse(bytes.toString('utf8')) as { manifests?: Descriptor[] };
          if (Array.isArray(index.manifests)) return index.manifests;
        } catch {
          // not an index: fall back to the tag schema below
        }
      } else if (response.status !== 404 && response.status !== 405 && response.status !== 400) {
        throw registryError(`${repo.registry}/${repo.repository}: referrers of ${digest}: HTTP ${response.status}`);
      }
      // OCI 1.1 referrers tag schema: an index tagged <alg>-<hex>.
      const fallback = await client.manifest(repo, digest.replace(':', '-'));
      if (!fallback || !Array.isArray(fallback.json.manifests)) return null;
      return fallback.json.manifests;
    },
  };
  return client;
}

/** Parse `REF` as the CLI and policies write it; bad references are input errors. */
export function imageReference(text: string): ImageReference {
  const ref = parseImageReference(text);
  if (!ref) throw new PalisadeError('VERIFY_BAD_REFERENCE', `${text}: not an image reference ([registry/]repository[:tag][@sha256:digest])`, { errorClass: 'fatal' });
  if (ref.digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(ref.digest)) throw new PalisadeError('VERIFY_BAD_REFERENCE', `${text}: only sha256 digests are verifiable`, { errorClass: 'fatal' });
  return ref;
}

export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
