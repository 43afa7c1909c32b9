import type { MessageData, Rule } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
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
  /** A lower severity than the rule's when the evidence is weaker (an unknown base image's user). */
  severity?: Severity;
}

/** What a scan is told from outside the file: the build target and the user's settings. */
export interface ScanOptions {
  /** `docker build --target`: the stage that is the image. */
  target?: string;
  /** Registries (or registry/path prefixes, globs allowed) base images may come from; empty or absent allows all. */
  allowedRegistries?: readonly string[];
}

export interface DockerfileRule {
  meta: RuleMeta;
  check(dockerfile: Dockerfile, options?: ScanOptions): RuleReport[];
}
