import type { DockerfileRule } from '../rule.js';
import { externalBases } from './baseImage.js';

/** `FROM python` or `FROM python:latest`: the base changes under you between two builds. */
export const baseImageLatest: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_BASE_LATEST',
    severity: 'medium',
    title: 'Base image uses latest or no tag',
    description: 'A base image without a tag means :latest, which moves: builds are not reproducible and a scan result does not last.',
    remediation: 'Name a version tag, and pin it by digest: FROM python:3.12-slim@sha256:….',
    frameworks: { 'nist-800-53': ['CM-2', 'SI-7'], cis: ['4.2'] },
    messages: {
      untagged: 'base image "{image}" has no tag, so it means :latest',
      latest: 'base image "{image}" uses the moving tag "latest"',
    },
  },
  check(dockerfile) {
    return externalBases(dockerfile)
      .filter(({ reference }) => reference.digest === undefined && (reference.tag === undefined || reference.tag === 'latest'))
      .map(({ stage, reference }) => ({
        messageId: reference.tag === undefined ? 'untagged' : 'latest',
        data: { image: stage.image },
        instruction: stage.from,
        argsIndex: stage.imageStart,
      }));
  },
};
