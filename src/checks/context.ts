import { joinPointer } from '../core/pointer.js';
import type { ResourceRef } from '../core/types.js';
import { podFieldPointer, type PodSpecRef } from '../workloads/index.js';
import { detectServer, isModelUriField, KSERVE_FORMAT_SERVERS, MODEL_URI_SEARCH_KEYS, modelServer, serverInPlace, type ModelServer } from '../knowledge/index.js';
import { parseContainerImage } from './image.js';
import { mergeSecurityContext } from './securityContext.js';
import type { ContainerView, PodContext, ResourceContext } from './types.js';
import { isPlainObject } from '../core/object.js';

type PlainObject = Readonly<Record<string, unknown>>;

/** `command` and `args` as one list of words (numbers and booleans as written). */
export function commandLine(container: PlainObject): string[] {
  const words: string[] = [];
  for (const field of ['command', 'args']) {
    const list = container[field];
    if (Array.isArray(list)) for (const word of list) if (word !== null && typeof word !== 'object') words.push(String(word));
  }
  return words;
}

/** Everything a pod-spec check needs, resolved once per pod spec. */
export function podContext(ref: ResourceRef, object: PlainObject, pod: PodSpecRef): PodContext {
  const securityContextPath = podFieldPointer(pod, 'securityContext');
  const containers: ContainerView[] = pod.containers.map((container) => {
    const words = commandLine(container.object);
    const image = typeof container.object.image === 'string' ? container.object.image : undefined;
    const server = serverInPlace(detectServer(image, words.join(' ')), pod.podSpecPath, words.join(' ')) ?? kserveFormatServer(container.path, container.object);
    const env: Array<{ name: string; value?: string; path: string }> = [];
    const list = container.object.env;
    if (Array.isArray(list)) {
      list.forEach((entry, i) => {
        if (!isPlainObject(entry) || typeof entry.name !== 'string') return;
        const value = entry.value;
        env.push({ name: entry.name, ...(value !== undefined && value !== null && typeof value !== 'object' ? { value: String(value) } : {}), path: joinPointer(container.path, 'env', i) });
      });
    }
    const parsedImage = parseContainerImage(container.object, container.path);
    return { ref: container, securityContext: mergeSecurityContext(pod.spec.securityContext, securityContextPath, container.object, container.path), ...(server ? { server } : {}), commandLine: words, env, ...(parsedImage ? { image: parsedImage } : {}) };
  });
  const volumes = new Map<string, { volume: PlainObject; path: string }>();
  const volumeList = pod.spec.volumes;
  if (Array.isArray(volumeList)) {
    volumeList.forEach((volume, i) => {
      if (isPlainObject(volume) && typeof volume.name === 'string') volumes.set(volume.name, { volume, path: podFieldPointer(pod, 'volumes', i) });
    });
  }
  return { resource: { ref, object }, pod, containers, volumes, spec: pod.spec };
}

/**
 * The value of a command-line flag: `--flag=value`, `--flag value`, or `--flag` alone (→ "").
 * Also finds flags inside a shell string (`sh -c "vllm serve … --api-key x"`). Undefined when absent.
 */
export function flagValue(words: readonly string[], flag: string): string | undefined {
  const tokens = tokensOf(words);
  for (let i = 0; i < tokens.length; i++) {
    // Shell strings quote their words: "--model-control-mode=explicit".
    const token = unquote(tokens[i]!);
    if (token === flag) {
      const next = tokens[i + 1];
      return next !== undefined && !next.startsWith('-') ? unquote(next) : '';
    }
    if (token.startsWith(flag + '=')) return unquote(token.slice(flag.length + 1));
  }
  return undefined;
}

/** Index of the `command`/`args` entry that contains `needle`, as a pointer; the container when not found. */
export function wordPath(container: ContainerView, needle: string | RegExp): string {
  for (const field of ['command', 'args']) {
    const list = container.ref.object[field];
    if (!Array.isArray(list)) continue;
    const index = list.findIndex((w) => typeof w === 'string' && (typeof needle === 'string' ? w.includes(needle) : needle.test(w)));
    if (index >= 0) return joinPointer(container.ref.path, field, index);
  }
  return container.ref.path;
}

/** Words split on whitespace too (shell strings), once per command line: checks ask for many flags. */
const tokenCache = new WeakMap<readonly string[], readonly string[]>();
function tokensOf(words: readonly string[]): readonly string[] {
  // Many containers have no command line: nothing to split or remember.
  if (words.length === 0) return words;
  let tokens = tokenCache.get(words);
  if (!tokens) {
    tokens = words.flatMap((w) => (/\s/.test(w) ? w.split(/\s+/).filter(Boolean) : [w]));
    tokenCache.set(words, tokens);
  }
  return tokens;
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

/** Env var value by name (literal values only). */
export function envValue(container: ContainerView, name: string): { value: string; path: string } | undefined {
  const entry = container.env.find((e) => e.name === name);
  return entry && entry.value !== undefined ? { value: entry.value, path: entry.path } : undefined;
}

/** The runtime a KServe model-format container gets: by its key (`pytorch`) or `modelFormat.name`. */
export function kserveFormatServer(path: string, container: PlainObject): ModelServer | undefined {
  const key = path.slice(path.lastIndexOf('/') + 1);
  const format = key === 'model' && isPlainObject(container.modelFormat) && typeof container.modelFormat.name === 'string' ? container.modelFormat.name.toLowerCase() : key;
  const id = Object.prototype.hasOwnProperty.call(KSERVE_FORMAT_SERVERS, format) ? KSERVE_FORMAT_SERVERS[format] : undefined;
  return id === undefined ? undefined : modelServer(id);
}

/**
 * Strings in a plain object stored under one of `keys` (directly, or as items of a list under it),
 * with the key of the enclosing object. The pointer is only built for a match: this runs over every
 * resource, and most of a manifest is not what we look for.
 */
export function findStringsUnder(value: unknown, keys: ReadonlySet<string>): Array<{ key: string; parentKey: string; text: string; pointer: string }> {
  const found: Array<{ key: string; parentKey: string; text: string; pointer: string }> = [];
  const path: Array<string | number> = [];
  const visit = (node: unknown, key: string, parentKey: string): void => {
    if (typeof node === 'string') {
      if (keys.has(key)) found.push({ key, parentKey, text: node, pointer: joinPointer('', ...path) });
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        visit(node[i], key, parentKey);
        path.pop();
      }
    } else if (isPlainObject(node)) {
      for (const k of Object.keys(node)) {
        path.push(k);
        visit(node[k], k, key);
        path.pop();
      }
    }
  };
  visit(value, '', '');
  return found;
}

export interface ModelUriField {
  key: string;
  parentKey: string;
  text: string;
  pointer: string;
}

/**
 * The model-URI fields of a resource (isModelUriField over findStringsUnder): one walk of the
 * object per check run, shared by every check that reads them (MODEL_URI_PLAIN_HTTP and
 * HF_MODEL_UNPINNED), remembered with the run's context object. The list is shared: read it only.
 */
const modelUriMemo = new WeakMap<ResourceContext, readonly ModelUriField[]>();
export function modelUriFields(context: ResourceContext): readonly ModelUriField[] {
  let fields = modelUriMemo.get(context);
  if (fields === undefined) {
    fields = findStringsUnder(context.object, MODEL_URI_SEARCH_KEYS).filter((f) => isModelUriField(f.key, f.parentKey));
    modelUriMemo.set(context, fields);
  }
  return fields;
}
