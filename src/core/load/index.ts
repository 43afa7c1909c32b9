/**
 * Reading manifests, by concern: the file walk (walk.ts), stdin (stdin.ts), the JSON fast path
 * (jsonFastPath.ts), YAML documents (yamlDocuments.ts), List expansion (lists.ts) and the
 * Resource that carries an object with its positions (resource.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PalisadeError } from '../errors.js';
import { readStdin } from './stdin.js';
import type { InputText, LoadOptions, LoadResult } from './types.js';
import { expandPath, isDockerfileName } from './walk.js';
import { addManifestText } from './yamlDocuments.js';

export { Resource, resourceRef, type ResourceNode, type SourceFile } from './resource.js';
export type { DockerfileInput, InputText, LoadOptions, LoadResult } from './types.js';
export { KUBERNETES_YAML_OPTIONS } from './yamlOptions.js';
export { isDockerfileName } from './walk.js';
export { parseJsonDocuments, type JsonDocuments } from './jsonFastPath.js';
export { documentSpan, spanLocator, type DocumentSpan } from './relocate.js';
export { DEFAULT_MAX_DEPTH, jsonTooDeepAt } from './limits.js';

/** Load every manifest and Dockerfile under the given paths. Never throws for bad input. */
export async function load(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { inputs: [...paths], resources: [], dockerfiles: [], errors: [], skipped: 0, files: 0 };
  for await (const part of loadFiles(paths, options)) {
    result.resources.push(...part.resources);
    result.dockerfiles.push(...part.dockerfiles);
    result.errors.push(...part.errors);
    result.skipped += part.skipped;
    result.files += part.files;
  }
  return result;
}

/**
 * Read the inputs one file at a time, without parsing: lets a caller look at the texts first
 * (e.g. for namespace labels) and then parse and drop them file by file, to keep memory flat.
 * Unreadable paths come back as errors.
 */
export async function* readInputs(paths: readonly string[], options: LoadOptions = {}): AsyncGenerator<InputText | PalisadeError> {
  for (const path of paths) {
    if (path === '-') {
      yield { path: '-', text: await (options.stdin ?? readStdin)(), dockerfile: false };
      continue;
    }
    let files: string[];
    try {
      const expanded = await expandPath(path);
      files = expanded.files;
      yield* expanded.notes;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'LOAD_NOT_FOUND' : 'LOAD_READ_FAILED';
      yield new PalisadeError(code, code === 'LOAD_NOT_FOUND' ? `no such file or directory: ${path}` : `cannot read ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: path, line: 1, column: 1 }, cause });
      continue;
    }
    for (const file of files) {
      try {
        yield { path: file, text: await readFile(file, 'utf8'), dockerfile: isDockerfileName(basename(file)) };
      } catch (cause) {
        yield new PalisadeError('LOAD_READ_FAILED', `cannot read ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause });
      }
    }
  }
}

/** Parse one input as a LoadResult of its own (a Dockerfile is collected, not parsed). */
export function parseInput(input: InputText | PalisadeError, options: LoadOptions = {}): LoadResult {
  if (input instanceof PalisadeError) return { inputs: [], resources: [], dockerfiles: [], errors: [input], skipped: 0, files: 0 };
  if (input.dockerfile) return { inputs: [input.path], resources: [], dockerfiles: [{ path: input.path, text: input.text }], errors: [], skipped: 0, files: 1 };
  return loadText(input.path, input.text, options);
}

/** Load file by file: each yielded result holds one file's resources, Dockerfile or errors. */
export async function* loadFiles(paths: readonly string[], options: LoadOptions = {}): AsyncGenerator<LoadResult> {
  for await (const input of readInputs(paths, options)) yield parseInput(input, options);
}

/** Parse manifest text (YAML or JSON, many documents) into resources and errors. Pure. */
export function loadText(path: string, text: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { inputs: [path], resources: [], dockerfiles: [], errors: [], skipped: 0, files: 1 };
  addManifestText(result, path, text, options);
  return result;
}
