import type { RuleMeta } from '../rule.js';
import { badDirective } from './badDirective.js';
import { emptyContinuation } from './emptyContinuation.js';
import { missingArguments } from './missingArguments.js';
import { noFrom } from './noFrom.js';
import { targetNotFound } from './targetNotFound.js';
import { unknownInstruction } from './unknownInstruction.js';
import { unterminatedHeredoc } from './unterminatedHeredoc.js';

/**
 * The parse diagnostics of the Dockerfile reader, as rules: `scan dockerfile` reports them as input
 * errors (severe → high, the empty continuation → info), and `checks list` documents them.
 */
export const DOCKERFILE_DIAGNOSTICS: readonly RuleMeta[] = [badDirective, emptyContinuation, missingArguments, noFrom, targetNotFound, unknownInstruction, unterminatedHeredoc];
