import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isMovingTag } from '../../knowledge/index.js';
import { containerImage } from '../image.js';
import type { PodCheck } from '../types.js';

/**
 * The policy the API server fills in when none is written (Kubernetes docs, "Images: Default image
 * pull policy"): Always for `:latest` or no tag, IfNotPresent otherwise (digests included).
 */
export function defaultPullPolicy(tag: string | undefined): 'Always' | 'IfNotPresent' {
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export const imagePullPolicyStale: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'IMAGE_PULL_POLICY_STALE',
    family: 'audit',
    severity: 'low',
    title: 'Moving image tag is not pulled again (imagePullPolicy is not Always)',
    description:
      'With a moving tag (`latest`, `nightly`, `main`, `latest-gpu`, or no tag) and `imagePullPolicy: IfNotPresent` or `Never`, each node keeps the image it pulled first: replicas on different nodes run different code, and a fixed image does not reach nodes that have the old one. The policy judged is the one written, else the API server\'s default (Always for `:latest` and no tag, IfNotPresent for every other tag, so `nightly` without a policy is reported). Images pinned by digest and images with a version tag are not judged here (IMAGE_NOT_PINNED_BY_DIGEST and IMAGE_TAG_MUTABLE report those). After kube-score `container-image-pull-policy`.',
    remediation: 'Pin the image by version tag or digest; while it uses a moving tag, set imagePullPolicy: Always.',
    frameworks: { 'nist-800-53': ['CM-2', 'SI-7'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      written: 'container "{container}" uses the moving tag "{tag}" with imagePullPolicy {policy}: each node keeps the version it pulled first',
      defaulted: 'container "{container}" uses the moving tag "{tag}" without imagePullPolicy, which defaults to IfNotPresent for this tag: each node keeps the version it pulled first',
    },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const image = containerImage(c);
        if (!image || image.reference.digest) return [];
        const tag = image.reference.tag;
        if (tag !== undefined && !isMovingTag(tag)) return [];
        const written = c.ref.object.imagePullPolicy;
        // A value that is not a word is invalid, not a policy; null is unset.
        if (written !== undefined && written !== null && typeof written !== 'string') return [];
        const tagText = tag ?? 'latest';
        if (typeof written === 'string') {
          if (written === 'Always') return [];
          return [{ messageId: 'written', data: { container: c.ref.name, tag: tagText, policy: written }, path: joinPointer(c.ref.path, 'imagePullPolicy') }];
        }
        if (defaultPullPolicy(tag) === 'Always') return [];
        return [{ messageId: 'defaulted', data: { container: c.ref.name, tag: tagText }, path: image.path }];
      });
  },
};
