import type { FrameworkMap, Severity } from '../../../core/types.js';
import type { Dockerfile } from './model.js';
import type { Instruction, Position } from './parser.js';

/** One Dockerfile rule: its metadata in one place, and a pure check. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  /** Ends with a period. */
  remediation: string;
  frameworks?: FrameworkMap;
  /** messageId → template with {placeholders}. */
  messages: Record<string, string>;
}

export interface RuleReport {
  messageId: string;
  data?: Record<string, string | number>;
  instruction: Instruction;
  /** Index in `instruction.args` of what the report is about; the keyword when absent. */
  argsIndex?: number;
  /** An exact position when it is not in `args` (a line of a heredoc body). */
  position?: Position;
}

export interface DockerfileRule {
  meta: RuleMeta;
  check(dockerfile: Dockerfile): RuleReport[];
}

/** Fill `{name}` placeholders of a message template. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
