import type { DockerfileRule } from '../rule.js';
import { isMovingTag } from '../../../../knowledge/index.js';
import { externalBases } from './baseImage.js';

/** `FROM python` or `FROM python:latest`: the base changes under you between two builds. */
export const baseImageLatest: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_BASE_LATEST',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Base image uses latest or no tag',
    description: 'A base image without a tag means :latest; latest, latest-gpu, nightly and main move: builds are not reproducible and a scan result does not last.',
    remediation: 'Name a version tag, and pin it by digest: FROM python:3.12-slim@sha256:….',
    frameworks: { 'nist-800-53': ['CM-2', 'SI-7'], cis: ['4.2'] },
    messages: {
      untagged: 'base image "{image}" has no tag, so it means :latest',
      latest: 'base image "{image}" uses the moving tag "{tag}"',
    },
  },
  check(dockerfile) {
    return externalBases(dockerfile)
      .filter(({ reference }) => reference.digest === undefined && (reference.tag === undefined || isMovingTag(reference.tag)))
      .map(({ stage, reference }) => ({
        messageId: reference.tag === undefined ? 'untagged' : 'latest',
        data: { image: stage.image, ...(reference.tag !== undefined ? { tag: reference.tag } : {}) },
        instruction: stage.from,
        argsIndex: stage.imageStart,
      }));
  },
};
