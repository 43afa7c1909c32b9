import { createHash } from 'node:crypto';
import type { Finding, ResourceRef } from '../core/types.js';

/**
 * Fingerprints that survive edits which move a finding: built from the check, the object (the
 * resource, or the file and message when there is none: input errors, Dockerfile lines) and, for
 * one occurrence, the JSON pointer into the object. Never a line or column, so a comment added
 * above a finding does not make it new.
 */

/** What a finding is about, without where it is in the file. */
function subject(finding: Pick<Finding, 'resource' | 'location' | 'message'>): string[] {
  return finding.resource ? refParts(finding.resource) : [finding.location?.file ?? '', finding.message];
}

function refParts(resource: ResourceRef): string[] {
  return [resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name];
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** One occurrence: check, object and pointer (the SARIF fingerprint of palisade 0.1, `palisadeFinding/v1`). */
export function occurrenceFingerprint(finding: Pick<Finding, 'checkId' | 'resource' | 'location' | 'message'>, path: string | undefined): string {
  return hash([finding.checkId, ...subject(finding), path ?? '']);
}

/** A finding as reported (grouped over its occurrences): check and object. SARIF `partialFingerprints`. */
export function findingFingerprint(finding: Pick<Finding, 'checkId' | 'resource' | 'location' | 'message'>): string {
  return hash([finding.checkId, ...subject(finding)]);
}

/** The occurrence fingerprints of a finding: one per occurrence, or its own when it was not grouped. */
export function occurrenceFingerprints(finding: Finding): string[] {
  const occurrences = finding.occurrences ?? [{ path: finding.path, message: finding.message }];
  // Without a resource the subject includes the message, which differs per occurrence.
  return occurrences.map((o) => occurrenceFingerprint(finding.resource ? finding : { ...finding, message: o.message }, o.path));
}
