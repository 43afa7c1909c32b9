import { createPublicKey, type KeyObject } from 'node:crypto';
import { PalisadeError } from '../core/errors.js';

/** A verification key the user gave: cosign's ECDSA, Ed25519 or RSA public key in PEM. */
export interface PublicKeySpec {
  /** How the key is named in results: the file name, or the policy's authority name. */
  name: string;
  key: KeyObject;
  /** The Sigstore PublicKeyDetails the key implies (for bundles carrying a public-key hint). */
  details: 'PKIX_ECDSA_P256_SHA_256' | 'PKIX_ECDSA_P384_SHA_384' | 'PKIX_ECDSA_P521_SHA_512' | 'PKIX_ED25519' | 'PKIX_RSA_PKCS1V15_2048_SHA256';
  /** The digest cosign pairs with the key type (none for Ed25519). */
  hash?: 'sha256' | 'sha384' | 'sha512';
}

/**
 * Key references cosign resolves through a provider (sigstore/sigstore `pkg/signature/kms`,
 * cosign `pkg/cosign/keys.go`). palisade never calls a KMS: export the public key and pass it.
 */
const KMS_SCHEMES = ['gcpkms', 'awskms', 'azurekms', 'hashivault', 'k8s', 'pkcs11', 'env'] as const;

export function kmsScheme(reference: string): string | undefined {
  const match = /^([a-z0-9]+):\/\//.exec(reference);
  return match && (KMS_SCHEMES as readonly string[]).includes(match[1] as string) ? (match[1] as string) : undefined;
}

export function kmsRefused(reference: string): PalisadeError {
  const scheme = kmsScheme(reference) ?? 'kms';
  return new PalisadeError(
    'VERIFY_KMS_UNSUPPORTED',
    `${reference}: ${scheme}:// key references are resolved by a key service, and palisade verifies offline; export the public key (cosign public-key --key ${reference} > key.pub) and pass the PEM file`,
    { errorClass: 'fatal' },
  );
}

/** Parse a PEM public key (SPKI; an X.509 certificate's key is accepted too). Throws VERIFY_BAD_KEY. */
export function parsePublicKey(pem: string, name: string): PublicKeySpec {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    throw new PalisadeError('VERIFY_BAD_KEY', `${name}: not a PEM public key: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: name, line: 1, column: 1 }, cause });
  }
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { name, key, details: 'PKIX_ECDSA_P256_SHA_256', hash: 'sha256' };
    if (curve === 'secp384r1') return { name, key, details: 'PKIX_ECDSA_P384_SHA_384', hash: 'sha384' };
    if (curve === 'secp521r1') return { name, key, details: 'PKIX_ECDSA_P521_SHA_512', hash: 'sha512' };
    throw new PalisadeError('VERIFY_BAD_KEY', `${name}: ECDSA curve ${curve ?? 'unknown'} is not one cosign signs with (P-256, P-384, P-521)`, { errorClass: 'fatal', location: { file: name, line: 1, column: 1 } });
  }
  if (type === 'ed25519') return { name, key, details: 'PKIX_ED25519' };
  if (type === 'rsa') return { name, key, details: 'PKIX_RSA_PKCS1V15_2048_SHA256', hash: 'sha256' };
  throw new PalisadeError('VERIFY_BAD_KEY', `${name}: ${type ?? 'unknown'} keys are not supported (ECDSA, Ed25519 or RSA)`, { errorClass: 'fatal', location: { file: name, line: 1, column: 1 } });
}
