/**
 * Sigstore verification, offline: cosign signatures and attestations in both layouts (legacy
 * `.sig`/`.att` tags and bundles among OCI referrers), Sigstore bundles on disk, and OpenSSF model
 * signatures over a directory. Trust material (keys, trusted_root.json), the clock and the
 * registry client come in as arguments; nothing here reads files, the environment or TUF.
 */
export { verifyBundle, reasonOf, type Authority, type BundleResult, type BundleVerified, type TrustOptions } from './bundle.js';
export { evaluateScanGate, parseDuration, type GateResult, type ScanGate } from './gate.js';
export { compileMatcher, identityMatches } from './identity.js';
export { BUNDLE_MEDIA_TYPES, COSIGN_SIGN_PREDICATE, sortFailures, verifyImage, type AttestationRequirement, type ImagePolicy, type VerifyImageOptions } from './image.js';
export { kmsRefused, kmsScheme, parsePublicKey, type PublicKeySpec } from './keys.js';
export { ANNOTATION, DSSE_LAYER_MEDIA_TYPE, SIMPLE_SIGNING_MEDIA_TYPE, simpleSigningDigest, verifyLegacyLayer, type LegacyLayer } from './legacy.js';
export { DEFAULT_IGNORED, MODEL_SIGNING_PREDICATE, layerIsRawFile, layerPath as modelLayerPath, fetchModelArtifact, verifyModel, verifyModelLayers, type ArtifactLayer, type ModelArtifact, type ModelOutcome, type VerifyModelOptions } from './model.js';
export { compileGlob, globMatches, policiesFor, policiesFromConfig, qualifiedName, readClusterImagePolicies, type NamedPolicy } from './policy.js';
export { formatReference, httpRegistryClient, imageReference, MANIFEST_ACCEPT, type Descriptor, type FetchedManifest, type HttpClientOptions, type RegistryClient } from './registry.js';
export { parseStatement, predicateMatches, predicateTypesFor, statementCovers, PREDICATE_TYPES } from './statement.js';
export { emptyTrustedRoot, parseTrustedRoot, type TrustedRoot } from './trust.js';
export { evaluateImage, ImageVerifier, type ImageVerdict, type ImageVerifierOptions } from './verifier.js';
export { imageFindings, modelFindings } from './findings.js';
export { IMAGE_RULE_OF, VERIFY_RULES } from './rules/index.js';
export { VERIFY_REASONS, type IdentityMatcher, type InTotoStatement, type SignerInfo, type VerifiedItem, type VerifyFailure, type VerifyOutcome, type VerifyReason } from './types.js';
