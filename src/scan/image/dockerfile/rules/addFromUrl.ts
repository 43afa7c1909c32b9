import { expandIn, judgedInstructions } from '../model.js';
import type { DockerfileRule, RuleReport } from '../rule.js';
import { splitWords } from '../words.js';

/** ADD of a URL fetches unverified bytes into the image, unless --checksum pins them. */
export const addFromUrl: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_ADD_URL',
    family: 'dockerfile',
    severity: 'medium',
    title: 'ADD downloads from a URL without a checksum',
    description: 'ADD <url> puts whatever the server returns into the image, unchecked; a compromised host or a moved release changes the build.',
    remediation: 'Use ADD --checksum=sha256:<digest> <url>, or download in RUN and verify with sha256sum -c.',
    frameworks: { 'nist-800-53': ['SI-7'], 'mitre-atlas': ['AML.T0010'] },
    messages: { url: 'ADD fetches "{url}" without --checksum' },
  },
  check(dockerfile) {
    const reports: RuleReport[] = [];
    for (const scoped of judgedInstructions(dockerfile)) {
      const instruction = scoped.instruction;
      if (instruction.keyword !== 'ADD' || instruction.flags.some((f) => f.name === 'checksum')) continue;
      const sources = instruction.json ? instruction.json.slice(0, -1).map((raw) => ({ raw, start: 0 })) : splitWords(instruction.rest, dockerfile.escape).slice(0, -1);
      for (const source of sources) {
        const value = expandIn(dockerfile, scoped, source.raw);
        if (/^(https?|ftp):\/\//i.test(value) || /^git@|\.git(#|$)/.test(value)) {
          reports.push({ messageId: 'url', data: { url: value }, instruction, argsIndex: instruction.restStart + source.start });
        }
      }
    }
    return reports;
  },
};
