import { z } from 'zod';
import { globMatches } from '../../core/exemptions.js';
import { containerImage } from '../image.js';
import type { PodCheck } from '../types.js';

const Params = z.strictObject({
  /** `registry` or `registry/path` prefixes, globs allowed (`*.dkr.ecr.*.amazonaws.com`). Empty: every registry is allowed. */
  allowedRegistries: z.array(z.string().min(1)).default([]),
});

export const imageRegistryNotAllowed: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'IMAGE_REGISTRY_NOT_ALLOWED',
    family: 'audit',
    severity: 'high',
    title: 'Image comes from a registry outside the allow-list',
    description:
      'Model servers pulled from arbitrary registries bypass the scanning and signing your own registry enforces. Set `checks.IMAGE_REGISTRY_NOT_ALLOWED.params.allowedRegistries` in .palisade.yaml to the registries (or registry/path prefixes) you trust; Docker Hub images count as `docker.io/library/…` and `docker.io/<org>/…`. With no allow-list configured the check reports nothing.',
    remediation: 'Mirror the image into an allowed registry and reference it from there.',
    frameworks: { 'nist-800-53': ['CM-7', 'SR-3'], 'mitre-atlas': ['AML.T0010'], cis: ['5.5.1'] },
    params: Params,
    defaultParams: { allowedRegistries: [] },
    messages: { notAllowed: 'container "{container}" pulls "{image}" from {registry}, which is not in allowedRegistries' },
  },
  create({ allowedRegistries }) {
    const prefixes = allowedRegistries.map((r) => r.replace(/\/+$/, ''));
    const allowed = (full: string, registry: string): boolean => prefixes.some((p) => full === p || full.startsWith(p + '/') || globMatches(p, registry) || globMatches(p, full));
    return (context) => {
      if (prefixes.length === 0) return [];
      return context.containers.flatMap((c) => {
        const image = containerImage(c);
        if (!image) return [];
        const { registry, repository } = image.reference;
        if (allowed(`${registry}/${repository}`, registry)) return [];
        return [{ messageId: 'notAllowed', data: { container: c.ref.name, image: image.text, registry }, path: image.path }];
      });
    };
  },
};
