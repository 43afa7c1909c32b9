import type { DockerfileRule } from '../rule.js';
import { contextSources } from './copySources.js';

const WHOLE_CONTEXT: ReadonlySet<string> = new Set(['.', './', '*', './*']);

/** `COPY . .` ships the whole build context: .git, .env files, notebooks, checkpoints. */
export const copyWholeContext: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_COPY_CONTEXT',
    family: 'dockerfile',
    severity: 'medium',
    title: 'Whole build context copied into the image',
    description: 'COPY . copies everything in the build context: credentials (.env, .git), notebooks and model checkpoints end up in the image unless .dockerignore excludes them.',
    remediation: 'Copy only what the server needs (COPY app/ /app/, COPY requirements.txt .) and keep a .dockerignore.',
    frameworks: { 'nist-800-53': ['CM-7', 'SC-28'], 'mitre-atlas': ['AML.T0035'] },
    messages: { whole: '{keyword} "{source}" copies the whole build context' },
  },
  check(dockerfile) {
    return contextSources(dockerfile)
      .filter((source) => WHOLE_CONTEXT.has(source.value))
      .map((source) => ({ messageId: 'whole', data: { keyword: source.scoped.instruction.keyword, source: source.value }, instruction: source.scoped.instruction, argsIndex: source.argsIndex }));
  },
};
