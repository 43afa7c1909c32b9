import { PalisadeError } from '../../../core/errors.js';
import type { Finding, Location } from '../../../core/types.js';
import { readDockerfile, type Dockerfile } from './model.js';
import { formatMessage } from '../../../core/rule.js';
import type { DockerfileRule, RuleReport, ScanOptions } from './rule.js';
import { targetNotFound } from './diagnostics/targetNotFound.js';
import { DOCKERFILE_RULES } from './rules/index.js';

export { finalStage, finalUser, readDockerfile, type Dockerfile, type FinalUser, type Stage } from './model.js';
export { parseDockerfile, type Instruction, type ParsedDockerfile } from './parser.js';
export { DOCKERFILE_RULES } from './rules/index.js';
export type { DockerfileRule, RuleMeta, RuleReport } from './rule.js';

export type { ScanOptions } from './rule.js';

export interface DockerfileScan {
  dockerfile: Dockerfile;
  findings: Finding[];
  /** Parse problems, with positions. The rules still ran on what parsed. */
  errors: PalisadeError[];
}

/** Parse one Dockerfile and run every rule on it. Pure. */
export function scanDockerfile(file: string, text: string, rules: readonly DockerfileRule[] = DOCKERFILE_RULES, options: ScanOptions = {}): DockerfileScan {
  const dockerfile = readDockerfile(file, text, options.target === undefined ? {} : { target: options.target });
  const errors = dockerfile.parsed.diagnostics.map(
    (d) => new PalisadeError(d.code, d.message, { location: { file, line: d.line, column: d.column }, errorClass: d.code === 'DOCKERFILE_EMPTY_CONTINUATION' ? 'warning' : 'severe' }),
  );
  if (dockerfile.targetMissing !== undefined) {
    errors.push(new PalisadeError('DOCKERFILE_TARGET_NOT_FOUND', formatMessage(targetNotFound, 'missing', { target: dockerfile.targetMissing }), { location: { file, line: 1, column: 1 }, errorClass: 'severe' }));
  }
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const report of rule.check(dockerfile, options)) findings.push(toFinding(rule, report, file));
  }
  findings.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0) || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
  return { dockerfile, findings, errors };
}

function toFinding(rule: DockerfileRule, report: RuleReport, file: string): Finding {
  const position = report.position ?? report.instruction.positionAt(report.argsIndex ?? -1);
  const location: Location = { file, line: position.line, column: position.column };
  return {
    checkId: rule.meta.id,
    severity: report.severity ?? rule.meta.severity,
    title: rule.meta.title,
    message: formatMessage(rule.meta, report.messageId, report.data),
    location,
    remediation: rule.meta.remediation,
    frameworks: rule.meta.frameworks,
  };
}
export { readDockerfiles, type DockerfileText } from './files.js';
