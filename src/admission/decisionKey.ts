import { isPlainObject } from '../core/object.js';
import type { AdmissionRequest } from './types.js';

/**
 * The text a decision-cache key hashes: what a /validate answer depends on, as JSON. That is the
 * request without its uid, dryRun and options, the objects without what the API server fills in
 * per object and no check reads (uid, timestamps, resourceVersion, generation, managedFields, and
 * a name generated from generateName unless a config exemption matches names), the namespace's
 * labels and the day (exemption expiry). Two requests share a key only when this text is equal.
 *
 * Written as one JSON.stringify of shallow copies with those fields left out: writing it field by
 * field instead (one JSON.stringify per field, no copies) measured slower on the bench pod.
 */

/** Object metadata the API server sets per object and no check or PSS rule reads. */
const VOLATILE_METADATA = ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'managedFields', 'selfLink'] as const;

export function decisionKeyText(request: AdmissionRequest, labelsJson: string, today: string, nameMatters: boolean): string {
  // dryRun only matters to image verifiers, whose answers are not cached.
  const { uid: _uid, dryRun: _dryRun, options: _options, object, oldObject, name, ...rest } = request;
  const generated = !nameMatters && generatedName(object);
  return JSON.stringify([today, labelsJson, rest, generated ? '' : (name ?? ''), stable(object, generated), stable(oldObject, generated)]);
}

/** A name the API server generated from generateName (every replica of a ReplicaSet has its own). */
export function generatedName(object: Record<string, unknown> | null | undefined): boolean {
  const metadata = object?.metadata;
  if (!isPlainObject(metadata)) return false;
  const { name, generateName } = metadata;
  return typeof generateName === 'string' && generateName !== '' && (name === undefined || (typeof name === 'string' && name.startsWith(generateName)));
}

/** The object without its volatile metadata (and generated name). */
function stable(object: Record<string, unknown> | null | undefined, dropName: boolean): unknown {
  if (!object || !isPlainObject(object.metadata)) return object ?? null;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of VOLATILE_METADATA) delete metadata[field];
  if (dropName) delete metadata.name;
  return { ...object, metadata };
}
