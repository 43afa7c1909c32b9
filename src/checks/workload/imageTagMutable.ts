import { z } from 'zod';
import { isMovingTag } from '../../knowledge/index.js';
import { containerImage } from '../image.js';
import type { PodCheck } from '../types.js';

export const imageTagMutable: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'IMAGE_TAG_MUTABLE',
    family: 'audit',
    severity: 'medium',
    title: 'Image uses the latest tag or no tag',
    description:
      'An image without a tag means `:latest`, and `:latest` (like `latest-gpu`, `nightly`, `main`) changes under you: two replicas of the same model server can run different code, a rollback does not roll back, and a compromised upstream push reaches production on the next pod restart. Images pinned by digest pass; templated images (`${IMAGE}`) are not judged.',
    remediation: 'Use an explicit version tag, or better a digest (image@sha256:…).',
    frameworks: { 'nist-800-53': ['CM-2', 'SI-7'], 'mitre-atlas': ['AML.T0010'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      latest: 'container "{container}" uses image "{image}" with the moving tag "{tag}"',
      missingTag: 'container "{container}" uses image "{image}" without a tag, which means latest',
    },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const image = containerImage(c);
        if (!image || image.reference.digest) return [];
        const data = { container: c.ref.name, image: image.text };
        if (image.reference.tag === undefined) return [{ messageId: 'missingTag', data, path: image.path }];
        if (isMovingTag(image.reference.tag)) return [{ messageId: 'latest', data: { ...data, tag: image.reference.tag }, path: image.path }];
        return [];
      });
  },
};
