import { isPickleModel, modelExtension } from '../../../../knowledge/index.js';
import type { DockerfileRule } from '../rule.js';
import { contextSources } from './copySources.js';

/** Model weights baked into the image; pickle formats run code when the server loads them. */
export const modelFileCopied: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_MODEL_IN_IMAGE',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Model weights copied into the image',
    description: 'Model files copied from the build context are loaded by the server; pickle-based formats (.pt, .pkl, .bin…) execute code on load and must be scanned.',
    remediation: 'Scan the files with palisade scan model, prefer safetensors, or load weights from a model store with a pinned digest.',
    frameworks: { 'mitre-atlas': ['AML.T0018', 'AML.T0011'], 'nist-800-53': ['SI-7'] },
    messages: {
      pickle: '{keyword} "{source}" bakes a pickle-based model ({extension}) into the image: it runs code when loaded',
      data: '{keyword} "{source}" bakes model weights ({extension}) into the image',
    },
  },
  check(dockerfile) {
    return contextSources(dockerfile).flatMap((source) => {
      const extension = modelExtension(source.value);
      if (!extension) return [];
      const keyword = source.scoped.instruction.keyword;
      return [{ messageId: isPickleModel(source.value) ? 'pickle' : 'data', data: { keyword, source: source.value, extension }, instruction: source.scoped.instruction, argsIndex: source.argsIndex }];
    });
  },
};
