import { judgedInstructions } from '../model.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { atCommand, runs } from './runs.js';

const TRUST_REMOTE_CODE = /--trust[-_]remote[-_]code(?:[= ](?:true|1))?\b|trust_remote_code\s*=\s*True\b/;
const TRUST_REMOTE_CODE_ENV = /^(?:HF_)?TRUST_REMOTE_CODE$/i;

/** trust_remote_code runs the Python that comes with a Hugging Face model repository. */
export const trustRemoteCode: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_TRUST_REMOTE_CODE',
    family: 'dockerfile',
    severity: 'high',
    title: 'Model loaded with trust_remote_code',
    description: 'trust_remote_code makes transformers/vLLM import and run Python files from the model repository; whoever controls the repository runs code in your server.',
    remediation: 'Drop --trust-remote-code; use a model supported natively, or vendor and review its code at a pinned revision.',
    frameworks: { 'mitre-atlas': ['AML.T0011', 'AML.T0010'], 'nist-800-53': ['SI-7'] },
    messages: { flag: '{keyword} runs a model with trust_remote_code enabled' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const run of runs(dockerfile)) {
      const command = run.script.commands.find((c) => TRUST_REMOTE_CODE.test(c.words.join(' ')));
      if (command) reports.push(atCommand(run, command, 'flag', { keyword: 'RUN' }));
    }
    for (const { instruction } of judgedInstructions(dockerfile)) {
      const isCommand = instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT';
      const text = instruction.json ? instruction.json.join(' ') : instruction.rest;
      const envFlag = instruction.keyword === 'ENV' && instruction.rest.split(/\s+/).some((w, i, all) => {
        const [name, value] = w.includes('=') ? w.split('=', 2) : [w, all[i + 1]];
        return TRUST_REMOTE_CODE_ENV.test(name ?? '') && /^["']?(true|1)["']?$/i.test(value ?? '');
      });
      if ((isCommand && TRUST_REMOTE_CODE.test(text)) || envFlag) {
        reports.push({ messageId: 'flag', data: { keyword: instruction.keyword }, instruction, argsIndex: instruction.restStart });
      }
    }
    return reports;
  },
};
