import { isPlainObject } from '../core/object.js';
import type { AdmissionRequest } from './types.js';

/**
 * The text a decision-cache key hashes: what a /validate answer depends on, as JSON. That is the
 * request without its uid, dryRun and options, the objects without what the API server fills in
 * per object and no check reads (uid, timestamps, resourceVersion, generation, managedFields, and
 * a name generated from generateName unless a config exemption matches names), the namespace's
 * labels and the day (exemption expiry). Two requests share a key only when this text is equal.
 *
 * The text is JSON.stringify([today, labelsJson, request's rest, name, object, oldObject]) with the
 * fields left out, written field by field instead of from copies of the request and the objects
 * with those fields deleted: the same text, without the copies (a cached answer's main cost after
 * the JSON itself).
 */

/** Request fields that change per request and no decision reads (dryRun only matters to verifiers, whose answers are not cached). */
const UNKEYED_REQUEST_FIELDS: ReadonlySet<string> = new Set(['uid', 'dryRun', 'options', 'object', 'oldObject', 'name']);

/** Object metadata the API server sets per object and no check or PSS rule reads. */
const VOLATILE_METADATA: ReadonlySet<string> = new Set(['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'managedFields', 'selfLink']);
const VOLATILE_METADATA_AND_NAME: ReadonlySet<string> = new Set([...VOLATILE_METADATA, 'name']);

export function decisionKeyText(request: AdmissionRequest, labelsJson: string, today: string, nameMatters: boolean): string {
  const object = request.object;
  const generated = !nameMatters && generatedName(object);
  const name = generated ? '' : (request.name ?? '');
  return `[${JSON.stringify(today)},${JSON.stringify(labelsJson)},${jsonWithout(request as unknown as Record<string, unknown>, UNKEYED_REQUEST_FIELDS)},${JSON.stringify(name)},${stableJson(object, generated)},${stableJson(request.oldObject, generated)}]`;
}

/** A name the API server generated from generateName (every replica of a ReplicaSet has its own). */
export function generatedName(object: Record<string, unknown> | null | undefined): boolean {
  const metadata = object?.metadata;
  if (!isPlainObject(metadata)) return false;
  const { name, generateName } = metadata;
  return typeof generateName === 'string' && generateName !== '' && (name === undefined || (typeof name === 'string' && name.startsWith(generateName)));
}

/** JSON of the object without its volatile metadata (and generated name). */
function stableJson(object: Record<string, unknown> | null | undefined, dropName: boolean): string {
  if (!object || !isPlainObject(object.metadata)) return JSON.stringify(object ?? null);
  const metadata = jsonWithout(object.metadata, dropName ? VOLATILE_METADATA_AND_NAME : VOLATILE_METADATA);
  return jsonWithout(object, undefined, metadata);
}

/**
 * JSON.stringify(object) without the keys in `skip`, and with `metadataJson` as the text of its
 * `metadata` when given: key by key, as JSON.stringify writes a plain object (own enumerable keys
 * in order; a value JSON cannot hold, such as undefined, leaves its key out).
 */
function jsonWithout(object: Record<string, unknown>, skip: ReadonlySet<string> | undefined, metadataJson?: string): string {
  let text = '{';
  for (const key of Object.keys(object)) {
    if (skip?.has(key)) continue;
    const value = metadataJson !== undefined && key === 'metadata' ? metadataJson : JSON.stringify(object[key]);
    if (value === undefined) continue;
    text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${value}`;
  }
  return text + '}';
}
