import type { ImageReference } from './imageReference.js';

/**
 * The user a base image runs as when the Dockerfile built on it sets no USER: the `User` of the
 * base's image config. One row per image family, with where that fact comes from; a base no row
 * names is unknown, never assumed root. Rows are tried in order: the first match wins, so a
 * narrower row (distroless `:nonroot`) comes before the broader one (any other distroless tag).
 */
export interface BaseImageUserRow {
  /** `registry/repository` after normalisation (`python` → `docker.io/library/python`). */
  name: RegExp;
  /** When present, the tag must match too; a reference with only a digest matches no such row. */
  tag?: RegExp;
  /** Rows that apply to every tag but these (Chainguard's `-dev` variants are a different build). */
  notTag?: RegExp;
  user: string;
  uid: number;
  source: string;
}

export const BASE_IMAGE_USERS: readonly BaseImageUserRow[] = [
  {
    name: /^gcr\.io\/distroless\//,
    tag: /(^|-)nonroot(-|$)/,
    user: 'nonroot',
    uid: 65532,
    source: 'GoogleContainerTools/distroless README.md, "nonroot" images: the :nonroot and :debug-nonroot tags run as uid 65532',
  },
  {
    name: /^gcr\.io\/distroless\//,
    tag: /^(latest|debug)(-[a-z0-9]+)?$|^[0-9]/,
    user: 'root',
    uid: 0,
    source: 'GoogleContainerTools/distroless README.md: the tags without "nonroot" run as root (uid 0)',
  },
  {
    name: /^cgr\.dev\/chainguard\/(?!wolfi-base$|chainguard-base$)/,
    notTag: /-dev$/,
    user: 'nonroot',
    uid: 65532,
    source: 'Chainguard Academy, "How to port a sample application to Chainguard Containers": the distroless images run as the nonroot user (65532); the -dev variants and wolfi-base/chainguard-base are left out',
  },
  {
    name: /^docker\.io\/rayproject\/ray(-ml)?$/,
    user: 'ray',
    uid: 1000,
    source: 'ray-project/ray docker/base-deps/Dockerfile: ARG RAY_UID=1000 and USER $RAY_UID, inherited by ray and ray-ml',
  },
  {
    name: /^(docker\.io|quay\.io)\/jupyter\//,
    user: 'jovyan',
    uid: 1000,
    source: 'jupyter/docker-stacks images/docker-stacks-foundation/Dockerfile: NB_UID=1000 and USER ${NB_UID}, inherited by every stack image',
  },
  {
    name: /^(docker\.io\/nvidia\/cuda|nvcr\.io\/nvidia\/)/,
    user: 'root',
    uid: 0,
    source: 'NVIDIA CUDA images (gitlab.com/nvidia/container-images/cuda Dockerfiles) and NGC framework containers (PyTorch, TensorFlow, Triton Inference Server: its build.py creates triton-server but sets no USER) run as root',
  },
  {
    name: /^docker\.io\/(pytorch\/pytorch|tensorflow\/serving|tensorflow\/tensorflow|vllm\/vllm-openai)$/,
    user: 'root',
    uid: 0,
    source: 'their Dockerfiles (pytorch/pytorch Dockerfile, tensorflow/serving tensorflow_serving/tools/docker/Dockerfile, vllm-project/vllm docker/Dockerfile) set no USER: root',
  },
  {
    name: /^docker\.io\/library\/(python|debian|ubuntu|alpine|busybox|node|golang|rust|eclipse-temurin|openjdk|fedora|centos|rockylinux|almalinux|amazonlinux|nginx|httpd|redis|buildpack-deps)$/,
    user: 'root',
    uid: 0,
    source: 'docker-library official images (github.com/docker-library/*): their Dockerfiles set no USER (node creates a "node" user but does not switch to it)',
  },
  {
    name: /^registry\.access\.redhat\.com\/ubi[0-9]+(\/ubi)?(-minimal|-micro|-init)?$/,
    user: 'root',
    uid: 0,
    source: 'Red Hat Universal Base Images (catalog.redhat.com): the ubi, ubi-minimal, ubi-micro and ubi-init base images run as root; the language images (ubi9/python-311…) run as 1001 and are not in this row',
  },
];

export interface BaseImageUser {
  user: string;
  uid: number;
  root: boolean;
  source: string;
}

/** The user of a base image, or undefined when no row knows the image. `scratch` has no config: root. */
export function baseImageUser(reference: ImageReference | 'scratch'): BaseImageUser | undefined {
  if (reference === 'scratch') return { user: 'root', uid: 0, root: true, source: 'the Dockerfile reference (FROM scratch): an empty image with no config, so the process runs as uid 0' };
  const name = `${reference.registry}/${reference.repository}`;
  // No tag and no digest means :latest (Docker's normalisation).
  const tag = reference.tag ?? (reference.digest === undefined ? 'latest' : undefined);
  for (const row of BASE_IMAGE_USERS) {
    if (!row.name.test(name)) continue;
    if (row.tag && (tag === undefined || !row.tag.test(tag))) continue;
    if (row.notTag && tag !== undefined && row.notTag.test(tag)) continue;
    if (row.notTag && tag === undefined) continue;
    return { user: row.user, uid: row.uid, root: row.uid === 0, source: row.source };
  }
  return undefined;
}
