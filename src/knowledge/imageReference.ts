/**
 * An image reference as the distribution spec and Docker write them (opencontainers/distribution-spec
 * spec.md "Pulling manifests": name and tag grammar; distribution/reference regexp.go; Docker's
 * normalisation of Docker Hub names, docker/cli and distribution/reference normalize.go):
 * `[registry[:port]/]repository[:tag][@algorithm:digest]`. Docker Hub names get their implied
 * `docker.io` registry and `library/` namespace.
 */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';

export function parseImageReference(text: string): ImageReference | undefined {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  if (digest !== undefined && !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/.test(digest)) return undefined;
  const name = at >= 0 ? text.slice(0, at) : text;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  if (path === '') return undefined;
  const firstSlash = path.indexOf('/');
  const first = firstSlash >= 0 ? path.slice(0, firstSlash) : '';
  // The first component is a registry when it looks like a host: a dot, a port, or localhost.
  const hasRegistry = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : DEFAULT_REGISTRY;
  let repository = hasRegistry ? path.slice(firstSlash + 1) : path;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) return undefined;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * Tags that publishers move on every release: `latest` and its variants (`latest-gpu`, `latest-py3`,
 * what ML images ship), and the channel names `nightly`, `edge`, `main`, `master`, `dev`. A data
 * table because registries invent new ones.
 */
export const MOVING_TAGS = ['latest', 'nightly', 'edge', 'main', 'master', 'dev'] as const;

/** True when the tag names a channel rather than a release: `latest`, `latest-gpu`, `nightly-cuda12`. */
export function isMovingTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  return MOVING_TAGS.some((moving) => lower === moving || lower.startsWith(`${moving}-`) || lower.startsWith(`${moving}_`));
}

/** The image without tag or digest, lower-cased: `nvcr.io/nvidia/tritonserver:24.01-py3` → `nvcr.io/nvidia/tritonserver`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@', 1)[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
}
