/**
 * The admission webhook: AdmissionReview in, a decision out, with Pod Security as PSA enforces it,
 * palisade's checks as policy and image verification. `palisade serve` starts the server and
 * `palisade install` prints the manifests that run it; everything else comes in as arguments.
 */
export { admissionSettings, checksConfig, globalCheckMode, type AdmissionConfig, type AdmissionSettings } from './config.js';
export { AdmissionEngine, type Decision, type DecisionLog, type EngineOptions, type NamespaceLookup } from './engine.js';
export { DEFAULT_IMAGE, installManifests, installYaml, type InstallOptions } from './install.js';
export { inClusterConnection, kubeconfigConnection, NamespaceWatcher, StaticNamespaces, type KubeConnection, type WatcherOptions } from './kube.js';
export { registryResolver, RegistryError, type DigestResolver, type RegistryOptions } from './registry.js';
export { AdmissionServer, DEFAULT_MAX_BODY, type ServerOptions, type TlsFiles } from './server.js';
// The Sigstore verifier is ./sigstore/index.ts, imported on demand (serve, when `images:` names a
// policy): re-exported here, it would load @sigstore and the verify engine into every webhook.
export { buildVerifiers, VERIFIER_FACTORIES, type VerifierFactory, type VerifierFactoryInput } from './verifiers.js';
export type { ImageToVerify, ImageVerdict, ImageVerifier, VerifyContext } from './types.js';
