import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/shared.js';

/** The shared Sigstore fixtures (shared/fixtures/admission/sigstore, PROVENANCE.md there). */
export const SIGSTORE = join(SHARED, 'fixtures/admission/sigstore');
export const POLICY_CONTROLLER = join(SHARED, 'fixtures/admission/policy-controller');

export function fixtureText(path: string): string {
  return readFileSync(join(SIGSTORE, path), 'utf8');
}

export function fixtureJson(path: string): Record<string, unknown> {
  return JSON.parse(fixtureText(path)) as Record<string, unknown>;
}

/** A deep copy with one base64 field's decoded byte at `index` flipped. */
export function flipBase64(value: string, index = -1): string {
  const bytes = Buffer.from(value, 'base64');
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = (bytes[i] as number) ^ 0x01;
  return bytes.toString('base64');
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
