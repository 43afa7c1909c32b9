import { parseDockerfile, type Instruction, type ParsedDockerfile, type Position } from './parser.js';
import { expandWord, keyValues, splitWords, type Variables } from './words.js';

/**
 * A Dockerfile as build stages. Each instruction is paired with the variables (ARG and ENV) in
 * scope where it runs, so rules see values as BuildKit would substitute them.
 */
export interface ScopedInstruction {
  instruction: Instruction;
  variables: Variables;
  /** Index of the stage the instruction is in. */
  stage: number;
  /** The instruction an ONBUILD wraps: it runs when another build uses this image as its base. */
  onbuild?: true;
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
  /** The instructions ONBUILD wraps in this stage, read as those instructions (`onbuild` set). */
  triggers: ScopedInstruction[];
  /**
   * Stages this one needs, as BuildKit resolves them: its `FROM <stage>`, `COPY --from=<name|index>`
   * and `RUN --mount=…,from=<name|index>` (a `--from` naming no stage is an image, not a stage).
   */
  needs: number[];
}

export interface Dockerfile {
  file: string;
  parsed: ParsedDockerfile;
  escape: string;
  /** ARGs before the first FROM: usable in FROM lines. */
  globalArgs: Map<string, string>;
  stages: Stage[];
  /** `--target`: the stage name the build stops at; undefined builds the last stage. */
  target?: string;
  /** A `--target` no stage is named: BuildKit refuses the build; the rules judge the last stage. */
  targetMissing?: string;
  /** Index of the stage whose image is the build result. */
  final: number;
  /** Stages BuildKit builds for the final one (it skips the others): the final stage and everything it needs. */
  built: ReadonlySet<number>;
  /** Stages whose layers are the image: the final stage and the stages it is built FROM. */
  shipped: ReadonlySet<number>;
}

export interface ReadOptions {
  /** `docker build --target`: the stage to build (names compare case-insensitively, as in BuildKit). */
  target?: string;
}

/** Build the stage model of a Dockerfile. Pure; parse problems are in `parsed.diagnostics`. */
export function readDockerfile(file: string, text: string, options: ReadOptions = {}): Dockerfile {
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
        triggers: [],
        needs: baseStage >= 0 ? [baseStage] : [],
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
    stage.instructions.push({ instruction, variables: scope, stage: stage.index });
    if (instruction.wrapped) stage.triggers.push({ instruction: instruction.wrapped, variables: scope, stage: stage.index, onbuild: true });
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
  for (const current of stages) {
    for (const scoped of current.instructions) {
      for (const reference of stageReferences(scoped, escape)) {
        const needed = resolveStage(stages, reference, current.index);
        if (needed !== undefined && !current.needs.includes(needed)) current.needs.push(needed);
      }
    }
  }
  const wanted = options.target?.toLowerCase();
  const named = wanted === undefined ? -1 : stages.findIndex((s) => s.name === wanted);
  const final = named >= 0 ? named : stages.length - 1;
  const built = new Set<number>();
  const queue = final >= 0 ? [final] : [];
  while (queue.length > 0) {
    const index = queue.pop() as number;
    if (built.has(index)) continue;
    built.add(index);
    for (const needed of (stages[index] as Stage).needs) queue.push(needed);
  }
  const shipped = new Set<number>();
  for (let stage: Stage | undefined = stages[final]; stage && !shipped.has(stage.index); stage = stage.baseStage === undefined ? undefined : stages[stage.baseStage]) shipped.add(stage.index);
  return {
    file,
    parsed,
    escape,
    globalArgs,
    stages,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.target !== undefined && named < 0 && stages.length > 0 ? { targetMissing: options.target } : {}),
    final,
    built,
    shipped,
  };
}

/** The `--from` of COPY/ADD and the `from=` of RUN --mount, expanded (BuildKit expands both). */
export function stageReferences(scoped: ScopedInstruction, escape: string): string[] {
  const { instruction, variables } = scoped;
  const found: string[] = [];
  for (const flag of instruction.flags) {
    if (flag.value === undefined) continue;
    if (flag.name === 'from' && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) found.push(expandWord(flag.value, variables, escape).value);
    if (flag.name === 'mount' && instruction.keyword === 'RUN') {
      // --mount takes CSV key=value fields; from= names a stage or an image.
      for (const field of flag.value.split(',')) {
        const [key, value] = field.split('=', 2);
        if (key?.trim().toLowerCase() === 'from' && value) found.push(expandWord(value.trim(), variables, escape).value);
      }
    }
  }
  return found;
}

/** A stage by `AS` name (case-insensitive) or by index; undefined for an image reference. */
export function resolveStage(stages: readonly Stage[], reference: string, from: number): number | undefined {
  const lower = reference.toLowerCase();
  const byName = stages.findIndex((s) => s.name === lower);
  if (byName >= 0) return byName === from ? undefined : byName;
  if (/^[0-9]+$/.test(reference)) {
    const index = Number(reference);
    return index < stages.length && index !== from ? index : undefined;
  }
  return undefined;
}

/** The stage whose image is the build result: the `--target` stage, else the last one. */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages[dockerfile.final];
}

/** Stages BuildKit builds for the final one, in file order. */
export function builtStages(dockerfile: Dockerfile): Stage[] {
  return dockerfile.stages.filter((stage) => dockerfile.built.has(stage.index));
}

/** Stages whose layers make up the image (the final stage and its FROM chain), in file order. */
export function shippedStages(dockerfile: Dockerfile): Stage[] {
  return dockerfile.stages.filter((stage) => dockerfile.shipped.has(stage.index));
}

/**
 * The instructions of the built stages (or only the shipped ones), each ONBUILD's wrapped
 * instruction right after the ONBUILD: rules judge `ONBUILD RUN …` like a RUN (hadolint does too).
 */
export function judgedInstructions(dockerfile: Dockerfile, which: 'built' | 'shipped' = 'built'): ScopedInstruction[] {
  const stages = which === 'built' ? builtStages(dockerfile) : shippedStages(dockerfile);
  const out: ScopedInstruction[] = [];
  for (const stage of stages) {
    let t = 0;
    for (const scoped of stage.instructions) {
      out.push(scoped);
      const trigger = stage.triggers[t];
      if (trigger && scoped.instruction.wrapped === trigger.instruction) {
        out.push(trigger);
        t++;
      }
    }
  }
  return out;
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
  const last = finalUserInstruction(dockerfile);
  if (!last) return undefined;
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

/** The USER instruction the image runs with: the last one of the final stage or of the stages it is built FROM. */
export function finalUserInstruction(dockerfile: Dockerfile): ScopedInstruction | undefined {
  let stage = finalStage(dockerfile);
  const visited = new Set<number>();
  while (stage && !visited.has(stage.index)) {
    visited.add(stage.index);
    const users = stage.instructions.filter((s) => s.instruction.keyword === 'USER');
    const last = users[users.length - 1];
    if (last) return last;
    stage = stage.baseStage === undefined ? undefined : dockerfile.stages[stage.baseStage];
  }
  return undefined;
}
