import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { flagValue } from '../context.js';
import type { PodCheck } from '../types.js';

export const llmApiWithoutKey: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'LLM_API_WITHOUT_KEY',
    family: 'audit',
    severity: 'medium',
    title: 'OpenAI-compatible LLM server runs without an API key',
    description:
      'vLLM and SGLang serve an OpenAI-compatible API that answers anyone unless started with `--api-key` (or VLLM_API_KEY). Every request burns GPU time (cost harvesting) and reaches whatever the model can reach through tools. Judged for servers the model-server table knows an API-key switch for; an env var set from a Secret counts.',
    remediation: 'Start the server with --api-key from a Secret (e.g. env VLLM_API_KEY with valueFrom.secretKeyRef), or put an authenticating gateway in front and restrict the pod with a NetworkPolicy.',
    frameworks: { 'nist-800-53': ['IA-2', 'AC-3'], 'mitre-atlas': ['AML.T0040', 'AML.T0034'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { noKey: '{server} container "{container}" serves its API without {flag}' },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const auth = c.server?.role === 'llm' ? c.server.apiKey : undefined;
        if (!c.server || !auth) return [];
        if (auth.flags.some((f) => flagValue(c.commandLine, f) !== undefined) || c.env.some((e) => auth.env.includes(e.name))) return [];
        const field = Array.isArray(c.ref.object.args) ? 'args' : Array.isArray(c.ref.object.command) ? 'command' : undefined;
        return [{ messageId: 'noKey', data: { server: c.server.name, container: c.ref.name, flag: auth.flags[0]! }, path: field ? joinPointer(c.ref.path, field) : c.ref.path }];
      });
  },
};
