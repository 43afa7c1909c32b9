import { ADMISSION_VERSIONS, type AdmissionRequest, type AdmissionResponse, type AdmissionReview, type AdmissionVersion } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * Reading an AdmissionReview body and writing the answer. A body that is not a review we can
 * answer is a 400 with a reason (the API server treats it as a call error and applies the
 * webhook's failurePolicy); it never reaches the decision code.
 */

export class BadReview extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadReview';
  }
}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

function gvk(value: unknown, field: string): { group: string; version: string; kind: string } {
  if (!isPlainObject(value) || typeof value.version !== 'string' || typeof value.kind !== 'string' || (value.group !== undefined && typeof value.group !== 'string')) {
    throw new BadReview(`request.${field} must be {group, version, kind}`);
  }
  return { group: (value.group as string | undefined) ?? '', version: value.version, kind: value.kind };
}

function gvr(value: unknown, field: string): { group: string; version: string; resource: string } {
  if (!isPlainObject(value) || typeof value.version !== 'string' || typeof value.resource !== 'string' || (value.group !== undefined && typeof value.group !== 'string')) {
    throw new BadReview(`request.${field} must be {group, version, resource}`);
  }
  return { group: (value.group as string | undefined) ?? '', version: value.version, resource: value.resource };
}

/** Parse and check a request body; throws BadReview with the reason. */
export function parseReview(body: string): { version: AdmissionVersion; request: AdmissionRequest } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new BadReview(`body is not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) throw new BadReview('body must be a JSON object (an AdmissionReview)');
  if (value.kind !== 'AdmissionReview') throw new BadReview(`kind must be AdmissionReview, got ${JSON.stringify(value.kind ?? null)}`);
  const version = ADMISSION_VERSIONS.find((v) => v === value.apiVersion);
  if (!version) throw new BadReview(`apiVersion must be one of ${ADMISSION_VERSIONS.join(', ')}, got ${JSON.stringify(value.apiVersion ?? null)}`);
  const raw = value.request;
  if (!isPlainObject(raw)) throw new BadReview('request is missing');
  if (typeof raw.uid !== 'string' || raw.uid === '') throw new BadReview('request.uid is missing');
  if (typeof raw.operation !== 'string' || !OPERATIONS.has(raw.operation)) throw new BadReview('request.operation must be CREATE, UPDATE, DELETE or CONNECT');
  for (const field of ['object', 'oldObject'] as const) {
    if (raw[field] !== undefined && raw[field] !== null && !isPlainObject(raw[field])) throw new BadReview(`request.${field} must be an object or null`);
  }
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') throw new BadReview(`request.${field} must be a string`);
  }
  const request: AdmissionRequest = {
    ...(raw as unknown as AdmissionRequest),
    kind: gvk(raw.kind, 'kind'),
    resource: gvr(raw.resource, 'resource'),
    userInfo: isPlainObject(raw.userInfo) ? (raw.userInfo as AdmissionRequest['userInfo']) : {},
  };
  return { version, request };
}

/** The answer, in the version the request came in, with the request's uid. */
export function reviewResponse(version: AdmissionVersion, response: AdmissionResponse): AdmissionReview {
  return { apiVersion: version, kind: 'AdmissionReview', response };
}

/**
 * reviewResponse as JSON text, from the response's JSON without its uid (`{"allowed":…}`): the
 * same text JSON.stringify(reviewResponse(version, {uid, ...response})) gives, without
 * serializing a cached answer again for every request.
 */
export function reviewResponseJson(version: AdmissionVersion, uid: string, responseJson: string): string {
  const rest = responseJson.slice(1);
  return `{"apiVersion":${JSON.stringify(version)},"kind":"AdmissionReview","response":{"uid":${JSON.stringify(uid)}${rest === '}' ? '' : ','}${rest}}`;
}
