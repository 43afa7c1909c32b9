/**
 * hadolint rules palisade maps to, with the palisade rule that answers each and why. Only security
 * and hardening rules are mapped; style rules (DL3000 WORKDIR, DL3059 consecutive RUN…) are not.
 * Rules not mapped on purpose, with why:
 * - DL3008 (pin apt versions): Debian and Ubuntu archives drop superseded versions, so an apt pin
 *   breaks the next build instead of making it reproducible; pin the base image by digest instead
 *   (DOCKERFILE_BASE_NO_DIGEST).
 * - DL3057 (HEALTHCHECK missing): hadolint asks it of every image; palisade asks it of images that
 *   run a server (DOCKERFILE_NO_HEALTHCHECK), and in Kubernetes probes do the job.
 * - DL3019/DL3032/DL3036/DL3040/DL3042/DL3060 (package caches): image size, not security.
 */
export interface Mapping {
  palisade: string;
  reason: string;
}

export const HADOLINT_MAPPING: Record<string, Mapping> = {
  DL3002: { palisade: 'DOCKERFILE_ROOT_USER', reason: 'last USER of the final stage is root' },
  DL3004: { palisade: 'DOCKERFILE_SUDO', reason: 'sudo in a RUN: the build already runs as root or should not become it' },
  DL3006: { palisade: 'DOCKERFILE_BASE_LATEST', reason: 'an untagged base means :latest' },
  DL3007: { palisade: 'DOCKERFILE_BASE_LATEST', reason: 'a :latest base moves between builds' },
  DL3009: { palisade: 'DOCKERFILE_APT_NO_CLEANUP', reason: 'apt lists left in a layer of the image' },
  DL3013: { palisade: 'DOCKERFILE_PIP_UNPINNED', reason: 'pip installs without a version' },
  DL3015: { palisade: 'DOCKERFILE_APT_RECOMMENDS', reason: 'recommended packages add attack surface' },
  DL3016: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'npm installs without a version' },
  DL3018: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'apk add without a version' },
  DL3026: { palisade: 'DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED', reason: 'base image from a registry outside the allow-list' },
  DL3028: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'gem install without a version' },
  DL3033: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'yum install without a version' },
  DL3037: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'zypper install without a version' },
  DL3041: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'dnf install without a version' },
  DL3062: { palisade: 'DOCKERFILE_PACKAGE_UNPINNED', reason: 'go install without a version' },
  DL3064: { palisade: 'DOCKERFILE_SECRET_IN_ENV', reason: 'a secret in ARG or ENV is kept in the image history' },
  DL3066: { palisade: 'DOCKERFILE_USER_NOT_NUMERIC', reason: 'a user name: the kubelet cannot verify runAsNonRoot' },
};
