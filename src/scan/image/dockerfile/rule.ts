import type { MessageData, Rule } from '../../../core/rule.js';
import type { Dockerfile } from './model.js';
import type { Instruction, Position } from './parser.js';

/** A Dockerfile rule's metadata: the one `Rule` shape of every family (core/rule.ts). */
export interface RuleMeta extends Rule {
  family: 'dockerfile';
}

export interface RuleReport {
  messageId: string;
  data?: MessageData;
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
