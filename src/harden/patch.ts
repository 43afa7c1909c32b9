import { escapeToken, pointerTokens } from '../core/pointer.js';
import { clone, getAt, isPlainObject, setAt, type PlainObject } from './objects.js';
import { NO_IMAGE_USERS, planResource } from './plan.js';
import { DEFAULT_HARDEN_OPTIONS, type HardenOptions, type ImageUserLookup, type PodSpecPlan } from './types.js';

/** One RFC 6902 operation; harden only ever adds or replaces. */
export interface PatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

/**
 * The changes as a JSON Patch against `object`. Each change becomes one operation at its deepest
 * existing parent (a missing `securityContext` is added whole), appends use `/-`, and operations
 * are ordered so that each applies to the result of the ones before.
 */
export function toJsonPatch(object: PlainObject, changes: ReadonlyArray<{ pointer: string; value: unknown }>): PatchOperation[] {
  const working = clone(object);
  const operations: PatchOperation[] = [];
  for (const change of changes) {
    const tokens = pointerTokens(change.pointer);
    let parent: unknown = working;
    let depth = 0;
    while (depth < tokens.length - 1) {
      const next = child(parent, tokens[depth]!);
      if (!isPlainObject(next) && !Array.isArray(next)) break;
      parent = next;
      depth++;
    }
    const key = tokens[depth]!;
    const path = '/' + tokens.slice(0, depth + 1).map(escapeToken).join('/');
    const exists = Array.isArray(parent) ? Number(key) < parent.length : Object.prototype.hasOwnProperty.call(parent, key);
    setAt(working, change.pointer, clone(change.value));
    const value = clone(getAt(working, path));
    if (Array.isArray(parent) && !exists) operations.push({ op: 'add', path: path.slice(0, path.lastIndexOf('/')) + '/-', value });
    else operations.push({ op: exists ? 'replace' : 'add', path, value });
  }
  return operations;
}

function child(parent: unknown, token: string): unknown {
  if (Array.isArray(parent)) return parent[Number(token)];
  if (isPlainObject(parent) && Object.prototype.hasOwnProperty.call(parent, token)) return parent[token];
  return undefined;
}

export interface PodPatch {
  patch: PatchOperation[];
  plans: PodSpecPlan[];
}

/** Harden an object (a Pod from an AdmissionReview, or any workload) and return the JSON Patch: for the mutating webhook. */
export function hardenObjectPatch(object: PlainObject, options: HardenOptions = DEFAULT_HARDEN_OPTIONS, imageUsers: ImageUserLookup = NO_IMAGE_USERS): PodPatch {
  const plans = planResource(object, options, imageUsers);
  return { patch: toJsonPatch(object, plans.flatMap((p) => p.changes)), plans };
}
