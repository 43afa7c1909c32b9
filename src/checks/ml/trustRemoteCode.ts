import { z } from 'zod';
import { wordPath } from '../context.js';
import type { CheckReport, PodCheck } from '../types.js';

/** `--trust-remote-code`, `--trust_remote_code` (bare or =true), `trust_remote_code=True` inside a script. */
const FLAG = /(^|\s)--trust[-_]remote[-_]code(=(true|1)|(?=\s|$))/i;
const PYTHON = /trust_remote_code\s*=\s*True\b/;
const ENV_NAMES = new Set(['TRUST_REMOTE_CODE', 'HF_TRUST_REMOTE_CODE', 'VLLM_TRUST_REMOTE_CODE']);

export const trustRemoteCode: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'TRUST_REMOTE_CODE',
    family: 'audit',
    severity: 'high',
    title: 'Model server runs Python code from the model repository',
    description:
      '`--trust-remote-code` (vLLM, TGI, SGLang, KServe\'s Hugging Face server) and `trust_remote_code=True` (transformers) execute the `*.py` files shipped with a model on load. Whoever can push to that model repository, or swap it in transit, runs code in your serving pod with its credentials. Pin the model by commit (HF_MODEL_UNPINNED) and review its code, or use a model supported natively.',
    remediation: 'Remove --trust-remote-code; if the model truly needs it, vendor the reviewed code into your image and pin the model revision to a commit.',
    frameworks: { 'nist-800-53': ['SI-7', 'CM-7'], 'mitre-atlas': ['AML.T0010', 'AML.T0011'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      flag: 'container "{container}" passes {setting}, so code from the model repository runs at load',
      env: 'container "{container}" sets {setting}=true, so code from the model repository runs at load',
    },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const out: CheckReport[] = [];
        const words = c.commandLine.join('\n');
        const flag = FLAG.exec(words.replace(/\n/g, ' '));
        if (flag) out.push({ messageId: 'flag', data: { container: c.ref.name, setting: flag[0].trim() }, path: wordPath(c, /--trust[-_]remote[-_]code/i) });
        else if (PYTHON.test(words)) out.push({ messageId: 'flag', data: { container: c.ref.name, setting: 'trust_remote_code=True' }, path: wordPath(c, PYTHON) });
        for (const entry of c.env) {
          if (ENV_NAMES.has(entry.name) && /^(true|1|yes)$/i.test(entry.value ?? '')) out.push({ messageId: 'env', data: { container: c.ref.name, setting: entry.name }, path: entry.path });
        }
        return out;
      });
  },
};
