import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ImageVerifier } from '../admission/index.js';
import type { ImagesConfig } from '../core/config.js';
import { PalisadeError } from '../core/errors.js';
import type { CredentialLookup } from '../scan/image/index.js';
import type { NamedPolicy, TrustedRoot } from '../verify/index.js';

/**
 * The file-reading half of the `images:` section, shared by `palisade verify image --config` and
 * `palisade serve`: key files, trusted_root.json and ClusterImagePolicy files, all relative to the
 * config file. The engines get the parsed material.
 */
export async function loadImagePolicies(images: ImagesConfig, configFile: string): Promise<{ policies: NamedPolicy[]; root?: TrustedRoot }> {
  const verify = await import('../verify/index.js');
  const base = dirname(resolve(configFile));
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      throw new PalisadeError('LOAD_NOT_FOUND', `${configFile}: cannot read ${what} ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  };
  const policies = verify.policiesFromConfig(images, configFile, (path) => read(path, 'key'));
  for (const file of images.clusterImagePolicies) {
    const path = resolve(base, file);
    const out = verify.readClusterImagePolicies(file, read(path, 'ClusterImagePolicy file'));
    if (out.errors[0]) throw out.errors[0];
    policies.push(...out.policies);
  }
  const rootPath = images.trustedRoot ? resolve(base, images.trustedRoot) : undefined;
  return { policies, ...(rootPath ? { root: verify.parseTrustedRoot(images.trustedRoot as string, read(rootPath, 'trusted root')) } : {}) };
}

/** `palisade serve`'s Sigstore image verifier, when `images:` names any policy; undefined otherwise. */
export async function sigstoreVerifierFor(images: ImagesConfig | undefined, configFile: string, registry: { credentials?: CredentialLookup; insecure?: readonly string[] } = {}): Promise<ImageVerifier | undefined> {
  if (!images || (images.policies.length === 0 && images.clusterImagePolicies.length === 0)) return undefined;
  const verify = await import('../verify/index.js');
  const { policies, root } = await loadImagePolicies(images, configFile);
  const { sigstoreAdmissionVerifier } = await import('../admission/sigstore/index.js');
  return sigstoreAdmissionVerifier({
    policies,
    noMatch: images.noMatch,
    trust: { ...(root ? { root } : {}), ignoreTlog: images.insecureIgnoreTlog },
    clientFor: (signal) => verify.httpRegistryClient({ ...(registry.credentials ? { credentials: registry.credentials } : {}), ...(registry.insecure ? { insecure: registry.insecure } : {}), signal }),
  });
}
