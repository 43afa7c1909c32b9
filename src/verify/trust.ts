import { TrustedRoot } from '@sigstore/protobuf-specs';
import { PalisadeError } from '../core/errors.js';

export type { TrustedRoot } from '@sigstore/protobuf-specs';

/** Media types of trusted_root.json that @sigstore/verify 3.x reads (sigstore/protobuf-specs). */
const ROOT_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v0\.\d+)?\+json(;version=0\.\d+)?$/;

/**
 * A `trusted_root.json` (as `cosign trusted-root create`, sigstore's TUF repository and
 * `palisade verify update-root` write it). Errors name the file; nothing is fetched.
 */
export function parseTrustedRoot(file: string, text: string): TrustedRoot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PalisadeError('VERIFY_BAD_TRUSTED_ROOT', `${file} is not JSON: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause });
  }
  const record = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (!record || typeof record.mediaType !== 'string' || !ROOT_MEDIA_TYPE.test(record.mediaType)) {
    throw new PalisadeError('VERIFY_BAD_TRUSTED_ROOT', `${file}: not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json;version=0.1 expected)`, { errorClass: 'fatal', location: { file, line: 1, column: 1 } });
  }
  try {
    return TrustedRoot.fromJSON(record);
  } catch (cause) {
    throw new PalisadeError('VERIFY_BAD_TRUSTED_ROOT', `${file}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause });
  }
}

/** A root that trusts nothing: keyed verification with --insecure-ignore-tlog needs no authority. */
export function emptyTrustedRoot(): TrustedRoot {
  return TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
}
