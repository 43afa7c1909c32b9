import type { InTotoStatement } from './types.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPES = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];

/**
 * Predicate types palisade names and reads (the short names are cosign's `--type` words).
 * Sources: cosign `pkg/cosign/attestation` and `specs/COSIGN_VULN_ATTESTATION_SPEC.md`, SLSA
 * provenance v1 (slsa.dev/provenance/v1), CycloneDX and SPDX attestation types (cosign's
 * `options/predicate.go`), OpenVEX (openvex.dev/ns), cosign v3 image signatures in DSSE.
 */
export const PREDICATE_TYPES: Readonly<Record<string, readonly string[]>> = {
  vuln: ['https://cosign.sigstore.dev/attestation/vuln/v1'],
  slsaprovenance1: ['https://slsa.dev/provenance/v1'],
  slsaprovenance: ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'],
  cyclonedx: ['https://cyclonedx.org/bom', 'https://cyclonedx.org/schema'],
  spdxjson: ['https://spdx.dev/Document'],
  spdx: ['https://spdx.dev/Document'],
  openvex: ['https://openvex.dev/ns', 'https://openvex.dev/ns/v0.2.0'],
  custom: ['https://cosign.sigstore.dev/attestation/v1'],
  sign: ['https://sigstore.dev/cosign/sign/v1'],
};

/** `vuln` → its URIs; a URI stands for itself. CycloneDX/SPDX/OpenVEX versions match by prefix. */
export function predicateTypesFor(name: string): readonly string[] {
  return PREDICATE_TYPES[name.toLowerCase()] ?? [name];
}

export function predicateMatches(wanted: string, actual: string): boolean {
  return predicateTypesFor(wanted).some((uri) => actual === uri || (/cyclonedx\.org|spdx\.dev|openvex\.dev/.test(uri) && actual.startsWith(uri)));
}

/** Parse an in-toto Statement (v0.1 or v1) from a DSSE payload; undefined when it is not one. */
export function parseStatement(payloadType: string, payload: Buffer): InTotoStatement | { error: string } {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return { error: `payload type ${payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}` };
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { error: `the in-toto statement is not JSON: ${(error as Error).message}` };
  }
  const record = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  if (!record || typeof record._type !== 'string' || !STATEMENT_TYPES.includes(record._type)) return { error: `not an in-toto Statement (_type ${JSON.stringify(record?._type)})` };
  if (!Array.isArray(record.subject) || typeof record.predicateType !== 'string') return { error: 'the in-toto statement has no subject list or predicateType' };
  const subject: InTotoStatement['subject'] = [];
  for (const entry of record.subject as unknown[]) {
    const s = entry as { name?: unknown; digest?: unknown } | null;
    if (!s || typeof s.digest !== 'object' || s.digest === null) continue;
    const digest: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.digest as Record<string, unknown>)) if (typeof v === 'string') digest[k] = v.toLowerCase();
    subject.push({ ...(typeof s.name === 'string' ? { name: s.name } : {}), digest });
  }
  return { type: record._type, subject, predicateType: record.predicateType, predicate: record.predicate };
}

/** The statement is about this digest (`sha256:<hex>`): cosign's "subject MUST match the image". */
export function statementCovers(statement: InTotoStatement, digest: string): boolean {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return statement.subject.some((s) => s.digest[algorithm] === hex?.toLowerCase());
}

export function subjectDigests(statement: InTotoStatement): string[] {
  return statement.subject.flatMap((s) => Object.entries(s.digest).map(([a, h]) => `${a}:${h}`));
}
