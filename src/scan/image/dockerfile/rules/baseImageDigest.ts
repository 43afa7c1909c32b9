import type { DockerfileRule } from '../rule.js';
import { externalBases } from './baseImage.js';

/** A tag can be re-pushed; only a digest names the bytes that were scanned and signed. */
export const baseImageDigest: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_BASE_NO_DIGEST',
    family: 'dockerfile',
    severity: 'low',
    title: 'Base image not pinned by digest',
    description: 'FROM without @sha256: pulls whatever the tag points to today; a re-pushed tag silently changes the image.',
    remediation: 'Append the digest of the tested base: FROM image:tag@sha256:<digest>, and let a bot update it.',
    frameworks: { 'nist-800-53': ['SI-7', 'SR-11'] },
    messages: { noDigest: 'base image "{image}" is not pinned by digest' },
  },
  check(dockerfile) {
    return externalBases(dockerfile)
      .filter(({ reference }) => reference.digest === undefined)
      .map(({ stage }) => ({ messageId: 'noDigest', data: { image: stage.image }, instruction: stage.from, argsIndex: stage.imageStart }));
  },
};
