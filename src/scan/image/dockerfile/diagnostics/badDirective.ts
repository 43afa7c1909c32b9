import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const badDirective: RuleMeta = {
  id: 'DOCKERFILE_BAD_DIRECTIVE',
  family: 'dockerfile',
  severity: 'high',
  title: 'Dockerfile parser directive is invalid',
  description: 'A parser directive at the top of the Dockerfile (`# syntax=`, `# escape=`, `# check=`) is given twice or has a value BuildKit refuses, such as an escape character other than \\ or a backtick. BuildKit stops at it, so the image does not build as written.',
  remediation: 'Keep each parser directive once, at the top, with a valid value (escape is \\ or `).',
  frameworks: {},
  messages: { twice: 'parser directive "{name}" given twice', escape: 'invalid escape character "{escape}"; expected \\ or `' },
};
