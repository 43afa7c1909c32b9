import { z } from 'zod';
import { envValue, flagValue, modelUriFields, wordPath } from '../context.js';
import { HF_COMMIT, HF_MODEL_ENV, HF_MODEL_FLAGS, HF_REPO_ID, HF_REVISION_ENV, HF_REVISION_FLAGS } from '../../knowledge/index.js';
import type { CheckReport, ContainerView, ResourceCheck } from '../types.js';

export const hfModelUnpinned: ResourceCheck<Record<string, never>> = {
  scope: 'resource',
  meta: {
    id: 'HF_MODEL_UNPINNED',
    family: 'audit',
    severity: 'medium',
    title: 'Hugging Face model is pulled without a pinned commit',
    description:
      'A Hub repository id (`meta-llama/Llama-3.1-8B-Instruct`, `hf://org/model`) resolves to whatever the `main` branch holds when the pod starts: a compromised or simply updated repository changes the weights (and, with TRUST_REMOTE_CODE, the code) you serve, with no change to your manifest. Reported for `hf://` storage URIs without `:<commit>`, and for LLM servers given a repository id by flag (`--model`, `--model-id`, `vllm serve <id>`) or env (MODEL_ID) without a revision; a revision that is a branch or tag rather than a 40-character commit is reported too.',
    remediation: 'Pin the model to a commit: --revision <40-char sha> (REVISION for TGI), or hf://org/model:<sha> in storageUri; better, mirror it into your own storage after scanning it.',
    frameworks: { 'nist-800-53': ['SI-7', 'CM-2'], 'mitre-atlas': ['AML.T0010'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      unpinned: 'model {model} is pulled without a pinned revision',
      notACommit: 'model {model} is pinned to revision "{revision}", a branch or tag that can move; use a commit hash',
    },
  },
  create() {
    return (context) => {
      const out: CheckReport[] = [];
      for (const { text, pointer } of modelUriFields(context)) {
        const match = /^hf:\/\/([^:\s]+)(?::(\S+))?$/.exec(text.trim());
        const report = match ? judge(match[1]!, match[2], pointer) : undefined;
        if (report) out.push(report);
      }
      for (const pod of context.pods) for (const c of pod.containers) out.push(...fromCommandLine(c));
      return out;
    };
  },
};

function judge(model: string, revision: string | undefined, path: string): CheckReport | undefined {
  if (revision === undefined || revision === '') return { messageId: 'unpinned', data: { model }, path };
  if (!HF_COMMIT.test(revision)) return { messageId: 'notACommit', data: { model, revision }, path };
  return undefined;
}

/** Only servers that load from the Hub by id: LLM servers and KServe's Hugging Face runtime. */
function fromCommandLine(c: ContainerView): CheckReport[] {
  if (c.server?.role !== 'llm' && c.server?.id !== 'kserve-python') return [];
  let model: string | undefined;
  let path = c.ref.path;
  for (const flag of HF_MODEL_FLAGS) {
    const value = flagValue(c.commandLine, flag);
    if (value) {
      model = value;
      path = wordPath(c, flag);
      break;
    }
  }
  if (!model) {
    const serve = c.commandLine.join(' ').split(/\s+/);
    const at = serve.indexOf('serve');
    if (at >= 0 && serve[at - 1]?.endsWith('vllm') && serve[at + 1] && !serve[at + 1]!.startsWith('-')) {
      model = serve[at + 1]!;
      path = wordPath(c, model);
    }
  }
  if (!model) {
    for (const name of HF_MODEL_ENV) {
      const env = envValue(c, name);
      if (env) {
        model = env.value;
        path = env.path;
        break;
      }
    }
  }
  if (!model || !HF_REPO_ID.test(model)) return [];
  const revision = HF_REVISION_FLAGS.map((f) => flagValue(c.commandLine, f)).find((v) => v !== undefined) ?? HF_REVISION_ENV.map((n) => envValue(c, n)?.value).find((v) => v !== undefined);
  const report = judge(model, revision, path);
  return report ? [report] : [];
}
