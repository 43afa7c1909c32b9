import { isMovingTag } from '../../knowledge/index.js';
import { z } from 'zod';
import { containerImage } from '../image.js';
import type { PodCheck } from '../types.js';

export const imageNotPinnedByDigest: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'IMAGE_NOT_PINNED_BY_DIGEST',
    family: 'audit',
    severity: 'low',
    title: 'Image is pinned by tag, not by digest',
    description:
      'Tags can be moved to another image; a digest cannot. Pinning model-server images by digest makes what runs exactly what was scanned and signed. Images that use a moving tag (`latest`, `latest-gpu`, `nightly`…) or no tag are reported by IMAGE_TAG_MUTABLE instead, so one field gets one finding.',
    remediation: 'Reference the image by digest (name:tag@sha256:…); tools such as crane digest or docker buildx imagetools inspect print it.',
    frameworks: { 'nist-800-53': ['SI-7', 'SR-3'], 'mitre-atlas': ['AML.T0010'], cis: ['5.5.1'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { tagOnly: 'container "{container}" uses image "{image}" by tag only' },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const image = containerImage(c);
        if (!image || image.reference.digest || image.reference.tag === undefined || isMovingTag(image.reference.tag)) return [];
        return [{ messageId: 'tagOnly', data: { container: c.ref.name, image: image.text }, path: image.path }];
      });
  },
};
