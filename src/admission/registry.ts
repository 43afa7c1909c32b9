import { createHash } from 'node:crypto';
import { basicHeader, parseChallenge, type CredentialLookup } from '../scan/image/remote/auth.js';
import { DEFAULT_REGISTRY, type ImageReference } from '../knowledge/index.js';

/**
 * Tag → digest, as the distribution spec answers it: HEAD /v2/<repo>/manifests/<tag> with every
 * manifest type accepted, the digest from Docker-Content-Digest (or, when a registry omits it, the
 * sha256 of the manifest bytes from a GET). Anonymous, bearer-token and basic auth with the image
 * module's credential lookup (a docker config.json). The digest is of what the tag names: an
 * index for multi-platform images, which is what kubelet pulls by.
 */

export interface DigestResolver {
  resolve(reference: ImageReference, signal: AbortSignal): Promise<string>;
}

export interface RegistryOptions {
  credentials?: CredentialLookup;
  /** Plain HTTP for these hosts (localhost and 127.0.0.1 always, as Docker does). */
  insecure?: readonly string[];
  fetch?: typeof fetch;
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function registryResolver(options: RegistryOptions = {}): DigestResolver {
  const doFetch = options.fetch ?? fetch;
  /** Bearer tokens per registry+repository, reused until a 401 says otherwise. */
  const tokens = new Map<string, string>();

  const baseUrl = (reference: ImageReference): string => {
    const host = reference.registry === DEFAULT_REGISTRY ? 'registry-1.docker.io' : reference.registry;
    const plain = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host) || (options.insecure ?? []).includes(host);
    return `${plain ? 'http' : 'https'}://${host}`;
  };

  async function authorize(reference: ImageReference, response: Response, signal: AbortSignal): Promise<string | undefined> {
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    const credentials = options.credentials?.(reference.registry);
    if (challenge?.scheme === 'basic' && credentials) return basicHeader(credentials);
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return undefined;
    const tokenUrl = new URL(challenge.params.realm);
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${reference.repository}:pull`);
    const tokenResponse = await doFetch(tokenUrl, { headers: credentials ? { authorization: basicHeader(credentials) } : {}, signal });
    if (!tokenResponse.ok) throw new RegistryError(`${reference.registry}: token request failed with HTTP ${tokenResponse.status}`);
    const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }

  async function request(reference: ImageReference, method: 'HEAD' | 'GET', signal: AbortSignal): Promise<Response> {
    const url = `${baseUrl(reference)}/v2/${reference.repository}/manifests/${reference.tag ?? 'latest'}`;
    const key = `${reference.registry}/${reference.repository}`;
    const send = (authorization?: string): Promise<Response> => doFetch(url, { method, headers: { accept: ACCEPT, ...(authorization ? { authorization } : {}) }, redirect: 'follow', signal });
    let response = await send(tokens.get(key));
    if (response.status === 401) {
      await response.body?.cancel();
      const authorization = await authorize(reference, response, signal);
      if (!authorization) throw new RegistryError(`${reference.registry}: unauthorized (HTTP 401) and no usable challenge or credentials`);
      tokens.set(key, authorization);
      response = await send(authorization);
    }
    return response;
  }

  return {
    async resolve(reference, signal) {
      const name = `${reference.registry}/${reference.repository}:${reference.tag ?? 'latest'}`;
      const head = await request(reference, 'HEAD', signal);
      await head.body?.cancel();
      const header = head.headers.get('docker-content-digest');
      if (head.ok && header && DIGEST.test(header)) return header;
      if (!head.ok && head.status !== 405) throw new RegistryError(`${name}: HTTP ${head.status} from the registry`);
      const get = await request(reference, 'GET', signal);
      if (!get.ok) throw new RegistryError(`${name}: HTTP ${get.status} from the registry`);
      const bytes = Buffer.from(await get.arrayBuffer());
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const claimed = get.headers.get('docker-content-digest');
      if (claimed && claimed !== digest) throw new RegistryError(`${name}: Docker-Content-Digest ${claimed} does not match the manifest bytes (${digest})`);
      return digest;
    },
  };
}
