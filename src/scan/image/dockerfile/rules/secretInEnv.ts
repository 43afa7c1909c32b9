import { judgedInstructions } from '../model.js';
import { isSecretName, tokenFormatIn } from '../../../../knowledge/index.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { expandWord, keyValues } from '../words.js';

/** ENV and ARG values are kept in the image config and its history: anyone who pulls it reads them. */
export const secretInEnv: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_SECRET_IN_ENV',
    family: 'dockerfile',
    severity: 'high',
    title: 'Secret in ENV or ARG',
    description: 'Values of ENV and ARG are stored in the image (config and history); a token set there is published with the image.',
    remediation: 'Pass secrets at build time with RUN --mount=type=secret and at run time from a Kubernetes Secret.',
    frameworks: { 'nist-800-53': ['IA-5', 'SC-28'], cis: ['4.10'], 'mitre-atlas': ['AML.T0055'] },
    messages: {
      secretName: '{keyword} {name} looks like a secret and is stored in the image',
      tokenValue: '{keyword} {name} holds a {format}',
    },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    const scopes = [
      ...dockerfile.parsed.instructions.filter((i) => i.keyword === 'ARG' && dockerfile.stages[0] && i.line < dockerfile.stages[0].from.line).map((instruction) => ({ instruction, variables: new Map<string, string>(), stage: undefined as number | undefined })),
      ...judgedInstructions(dockerfile),
    ];
    for (const { instruction, variables, stage } of scopes) {
      if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
      for (const pair of keyValues(instruction.rest, dockerfile.escape, instruction.keyword === 'ENV')) {
        const value = pair.rawValue === undefined ? '' : expandWord(pair.rawValue, variables, dockerfile.escape).value;
        const format = tokenFormatIn(value);
        const at = { instruction, argsIndex: instruction.restStart + pair.start };
        if (format) reports.push({ messageId: 'tokenValue', data: { keyword: instruction.keyword, name: pair.key, format: format.name }, ...at });
        // An ARG without a default holds a build-arg value: still recorded in the image history.
        // A name alone matters where the history is the image's: the shipped stages (and global ARGs).
        else if (isSecretName(pair.key) && (stage === undefined || dockerfile.shipped.has(stage))) reports.push({ messageId: 'secretName', data: { keyword: instruction.keyword, name: pair.key }, ...at });
      }
    }
    return reports;
  },
};
