import { parseDockerfile, type Instruction, type ParsedDockerfile, type Position } from './parser.js';
import { expandWord, keyValues, splitWords, type Variables } from './words.js';

/**
 * A Dockerfile as build stages. Each instruction is paired with the variables (ARG and ENV) in
 * scope where it runs, so rules see values as BuildKit would substitute them.
 */
export interface ScopedInstruction {
  instruction: Instruction;
  variables: Variables;
}

export interface Stage {
  index: number;
  /** The `AS` name, lower-cased as BuildKit compares it. */
  name?: string;
  from: Instruction;
  /** The base image after substitution (`${BASE}:1.0` → `python:1.0`). */
  image: string;
  /** Index of the image word in `from.args`. */
  imageStart: number;
  /** Variables used by the image that were not set (an unresolved base). */
  imageUnset: string[];
  /** The earlier stage this one builds on, when `FROM <stage name>`. */
  baseStage?: number;
  /** Instructions after FROM, with their variables. */
  instructions: ScopedInstruction[];
}

export interface Dockerfile {
  file: string;
  parsed: ParsedDockerfile;
  escape: string;
  /** ARGs before the first FROM: usable in FROM lines. */
  globalArgs: Map<string, string>;
  stages: Stage[];
}

/** Build the stage model of a Dockerfile. Pure; parse problems are in `parsed.diagnostics`. */
export function readDockerfile(file: string, text: string): Dockerfile {
  const parsed = parseDockerfile(text);
  const escape = parsed.escape;
  const globalArgs = new Map<string, string>();
  const globalDeclared = new Set<string>();
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  let scope = new Map<string, string>();
  // ENV set in a stage is inherited by stages built FROM it.
  const stageEnv: Array<Map<string, string>> = [];
  let env = new Map<string, string>();

  for (const instruction of parsed.instructions) {
    if (instruction.keyword === 'FROM') {
      const words = splitWords(instruction.rest, escape);
      const imageWord = words[0];
      const expansion = expandWord(imageWord?.raw ?? '', globalArgs, escape);
      const asIndex = words.findIndex((w, i) => i > 0 && w.raw.toLowerCase() === 'as');
      const name = asIndex > 0 ? words[asIndex + 1]?.raw.toLowerCase() : undefined;
      const baseStage = stages.findIndex((s) => s.name !== undefined && s.name === expansion.value.toLowerCase());
      env = new Map(baseStage >= 0 ? stageEnv[baseStage] : []);
      scope = new Map(env);
      stage = {
        index: stages.length,
        ...(name ? { name } : {}),
        from: instruction,
        image: expansion.value,
        imageStart: instruction.restStart + (imageWord?.start ?? 0),
        imageUnset: expansion.unset,
        ...(baseStage >= 0 ? { baseStage } : {}),
        instructions: [],
      };
      stages.push(stage);
      stageEnv.push(env);
      continue;
    }
    if (!stage) {
      if (instruction.keyword === 'ARG') {
        for (const pair of keyValues(instruction.rest, escape, false)) {
          globalDeclared.add(pair.key);
          if (pair.rawValue !== undefined) globalArgs.set(pair.key, expandWord(pair.rawValue, globalArgs, escape).value);
        }
      }
      continue;
    }
    stage.instructions.push({ instruction, variables: scope });
    if (instruction.keyword === 'ARG') {
      scope = new Map(scope);
      for (const pair of keyValues(instruction.rest, escape, false)) {
        if (env.has(pair.key)) continue; // ENV wins over ARG of the same name
        if (pair.rawValue !== undefined) scope.set(pair.key, expandWord(pair.rawValue, scope, escape).value);
        else if (globalDeclared.has(pair.key) && globalArgs.has(pair.key)) scope.set(pair.key, globalArgs.get(pair.key) as string);
      }
    } else if (instruction.keyword === 'ENV') {
      const pairs = keyValues(instruction.rest, escape, true);
      // All pairs of one ENV see the variables as they were before it (Dockerfile reference).
      const before = scope;
      scope = new Map(scope);
      for (const pair of pairs) {
        const value = expandWord(pair.rawValue ?? '', before, escape).value;
        scope.set(pair.key, value);
        env.set(pair.key, value);
      }
    }
  }
  return { file, parsed, escape, globalArgs, stages };
}

/** The stage whose image is the build result: the last one. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages[dockerfile.stages.length - 1];
}

/** Expand a word with the variables in scope at an instruction. */
export function expandIn(dockerfile: Dockerfile, scoped: ScopedInstruction, raw: string): string {
  return expandWord(raw, scoped.variables, dockerfile.escape).value;
}

export interface FinalUser {
  /** The user as written after substitution: a name or a numeric uid. */
  user: string;
  group?: string;
  /** Numeric uid when the user is a number (`USER 1001`), for runAsUser. */
  uid?: number;
  gid?: number;
  /** root by name or uid 0. */
  root: boolean;
  /** Where the USER instruction is. */
  file: string;
  position: Position;
}

/**
 * The user the image runs as: the last USER of the final stage, following `FROM <stage>` back
 * through earlier stages (USER is part of the image config they pass on). undefined when no stage
 * in the chain sets USER: the base image's user applies, which is root unless the base says otherwise.
 */
export function finalUser(dockerfile: Dockerfile): FinalUser | undefined {
  let stage = finalStage(dockerfile);
  const visited = new Set<number>();
  while (stage && !visited.has(stage.index)) {
    visited.add(stage.index);
    const users = stage.instructions.filter((s) => s.instruction.keyword === 'USER');
    const last = users[users.length - 1];
    if (last) {
      const value = expandIn(dockerfile, last, last.instruction.rest.trim());
      const [user = '', group] = value.split(':', 2);
      const uid = /^[0-9]+$/.test(user) ? Number(user) : undefined;
      const gid = group !== undefined && /^[0-9]+$/.test(group) ? Number(group) : undefined;
      return {
        user,
        ...(group !== undefined ? { group } : {}),
        ...(uid !== undefined ? { uid } : {}),
        ...(gid !== undefined ? { gid } : {}),
        root: user === 'root' || uid === 0,
        file: dockerfile.file,
        position: last.instruction.positionAt(-1),
      };
    }
    stage = stage.baseStage === undefined ? undefined : dockerfile.stages[stage.baseStage];
  }
  return undefined;
}
