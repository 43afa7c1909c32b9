import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const unterminatedHeredoc: RuleMeta = {
  id: 'DOCKERFILE_UNTERMINATED_HEREDOC',
  family: 'dockerfile',
  severity: 'high',
  title: 'Dockerfile heredoc is not terminated',
  description: 'A heredoc (`RUN <<EOF`) never reaches its terminator line, so the rest of the file is swallowed into it and BuildKit refuses the file.',
  remediation: 'Add the terminator line (the heredoc word alone on a line) where the heredoc ends.',
  frameworks: {},
  messages: { unterminated: 'heredoc "{name}" is not terminated' },
};
