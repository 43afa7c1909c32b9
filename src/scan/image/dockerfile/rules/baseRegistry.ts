import { globMatches } from '../../../../core/exemptions.js';
import { parseImageReference } from '../../../../knowledge/index.js';
import { builtStages, judgedInstructions, resolveStage, stageReferences } from '../model.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { externalBases } from './baseImage.js';

/**
 * Images the build pulls from outside the allow-list: FROM bases, and images named by
 * `COPY --from=<image>` and `RUN --mount=…,from=<image>` (BuildKit pulls those too). The allow-list
 * is IMAGE_REGISTRY_NOT_ALLOWED's `allowedRegistries` in .palisade.yaml, one list for pods and
 * builds. hadolint DL3026.
 */
export const baseRegistry: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Build pulls an image from a registry outside the allow-list',
    description:
      'A FROM, COPY --from or RUN --mount from= names an image from a registry that is not in the allow-list (`checks.IMAGE_REGISTRY_NOT_ALLOWED.params.allowedRegistries` in .palisade.yaml: registries or registry/path prefixes, globs allowed; Docker Hub names are docker.io). With no allow-list the rule reports nothing.',
    remediation: 'Mirror the image into an allowed registry and build from there, or add the registry to allowedRegistries after review.',
    frameworks: { 'nist-800-53': ['CM-7', 'SR-3'], 'mitre-atlas': ['AML.T0010'] },
    messages: { notAllowed: '{keyword} pulls "{image}" from {registry}, which is not in allowedRegistries' },
  },
  check(dockerfile, options = {}) {
    const prefixes = (options.allowedRegistries ?? []).map((r) => r.replace(/\/+$/, ''));
    if (prefixes.length === 0) return [];
    const allowed = (registry: string, repository: string): boolean => {
      const full = `${registry}/${repository}`;
      return prefixes.some((p) => p === registry || full === p || full.startsWith(p + '/') || globMatches(p, registry) || globMatches(p, full));
    };
    const reports: RuleReport[] = [];
    for (const { stage, reference } of externalBases(dockerfile)) {
      if (!allowed(reference.registry, reference.repository)) reports.push({ messageId: 'notAllowed', data: { keyword: 'FROM', image: stage.image, registry: reference.registry }, instruction: stage.from, argsIndex: stage.imageStart });
    }
    if (builtStages(dockerfile).length === 0) return reports;
    for (const scoped of judgedInstructions(dockerfile)) {
      for (const image of stageReferences(scoped, dockerfile.escape)) {
        if (resolveStage(dockerfile.stages, image, scoped.stage) !== undefined || image.toLowerCase() === 'scratch') continue;
        const reference = parseImageReference(image);
        if (!reference || allowed(reference.registry, reference.repository)) continue;
        const flag = scoped.instruction.flags.find((f) => f.value?.includes(image)) ?? scoped.instruction.flags[0];
        reports.push({ messageId: 'notAllowed', data: { keyword: scoped.instruction.keyword, image, registry: reference.registry }, instruction: scoped.instruction, ...(flag ? { argsIndex: flag.start } : {}) });
      }
    }
    return reports;
  },
};
