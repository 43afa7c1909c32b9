import { dirname, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { PalisadeError } from '../core/errors.js';
import type { ImagesConfig } from '../core/config.js';
import type { Location } from '../core/types.js';
import type { ImageReference } from '../scan/image/index.js';
import type { Authority } from './bundle.js';
import { parseDuration } from './gate.js';
import { compileMatcher } from './identity.js';
import type { AttestationRequirement, ImagePolicy } from './image.js';
import { kmsScheme, parsePublicKey, type PublicKeySpec } from './keys.js';
import { imageReference } from './registry.js';
import type { IdentityMatcher } from './types.js';
import { isPlainObject } from '../core/object.js';

/** One policy, from `.palisade.yaml` or a ClusterImagePolicy, ready to evaluate. */
export interface NamedPolicy {
  name: string;
  /** Where it was written: `file:line:column`. */
  location?: Location;
  globs: string[];
  mode: 'enforce' | 'warn';
  policy: ImagePolicy;
  /** policy-controller `static` authorities: pass or fail without looking at signatures. */
  staticAction?: { action: 'pass' | 'fail'; message?: string };
  /** Parts palisade cannot evaluate (cue/rego bodies, secretRef and KMS keys, other signature repositories); never ignored: a policy with any fails as `unsupported`. */
  unsupported: string[];
}

/**
 * policy-controller's glob (sigstore/policy-controller `pkg/apis/glob/glob.go`): `*` is any run of
 * characters but `/`, `**` any run at all, the whole name must match, and a bare `*` or `*\/*`
 * means Docker Hub. Anything but `[a-zA-Z0-9-_:/*.]` is an invalid glob.
 */
export function compileGlob(glob: string): RegExp | undefined {
  let g = glob === '*/*' ? 'index.docker.io/*/*' : glob === '*' ? 'index.docker.io/library/*' : glob;
  if (!/^[a-zA-Z0-9\-_:/*.]+$/.test(g)) return undefined;
  g = g.replaceAll('.', '\\.').replaceAll('**', '#').replaceAll('*', '[^/]*').replaceAll('#', '.*');
  return new RegExp(`^${g}$`);
}

/** The name go-containerregistry gives a reference (`index.docker.io/library/x:latest`, `…@sha256:…`). */
export function qualifiedName(ref: ImageReference): string {
  const registry = ref.registry === 'docker.io' ? 'index.docker.io' : ref.registry;
  return `${registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? 'latest'}`}`;
}

export function globMatches(glob: string, image: string): boolean {
  const re = compileGlob(glob);
  if (!re) return false;
  let ref: ImageReference;
  try {
    ref = imageReference(image);
  } catch {
    return false;
  }
  const name = qualifiedName(ref);
  // policy-controller also tries the name as written (a deprecated fallback it still honours).
  return re.test(name) || (name !== image && re.test(image));
}

export function policiesFor(image: string, policies: readonly NamedPolicy[]): NamedPolicy[] {
  return policies.filter((p) => p.globs.some((g) => globMatches(g, image)));
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Read sigstore policy-controller ClusterImagePolicy objects (v1alpha1, v1beta1) as they are.
 * Other kinds in the file are skipped; a malformed policy is an error with file:line:column.
 */
export function readClusterImagePolicies(file: string, text: string): { policies: NamedPolicy[]; errors: PalisadeError[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const policies: NamedPolicy[] = [];
  const errors: PalisadeError[] = [];
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const syntax = doc.errors[0];
    if (syntax) {
      errors.push(new PalisadeError('VERIFY_BAD_POLICY', `not valid YAML: ${syntax.message.split('\n')[0]}`, { errorClass: 'fatal', location: at(syntax.pos[0]) }));
      continue;
    }
    const value = record(doc.toJS());
    if (value.kind !== 'ClusterImagePolicy' || !/^policy\.sigstore\.dev\//.test(String(value.apiVersion))) continue;
    const where = (path: Array<string | number>): Location => {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return at(node.range[0]);
      }
      return at(0);
    };
    const name = str(record(value.metadata).name) ?? '(unnamed)';
    const spec = record(value.spec);
    const globs = (Array.isArray(spec.images) ? spec.images : []).map((i) => str(record(i).glob) ?? '');
    const bad = globs.findIndex((g) => !compileGlob(g));
    if (globs.length === 0 || bad >= 0) {
      errors.push(new PalisadeError('VERIFY_BAD_POLICY', `ClusterImagePolicy ${name}: ${globs.length === 0 ? 'spec.images needs at least one glob' : `invalid glob ${JSON.stringify(globs[bad])}`}`, { errorClass: 'fatal', location: where(['spec', 'images', Math.max(bad, 0)]) }));
      continue;
    }
    const unsupported: string[] = [];
    const authorities: Authority[] = [];
    const attestations: AttestationRequirement[] = [];
    let staticAction: NamedPolicy['staticAction'];
    let signatureFormat: ImagePolicy['signatureFormat'];
    try {
      (Array.isArray(spec.authorities) ? spec.authorities : []).forEach((raw, i) => {
        const a = record(raw);
        const label = str(a.name) ?? `authority-${i}`;
        const loc = where(['spec', 'authorities', i]);
        const at2 = `${file}:${loc.line}:${loc.column}`;
        if (a.static) {
          const action = record(a.static).action;
          if (action !== 'pass' && action !== 'fail') throw new PalisadeError('VERIFY_BAD_POLICY', `ClusterImagePolicy ${name}: static.action must be pass or fail`, { errorClass: 'fatal', location: loc });
          staticAction = { action, ...(str(record(a.static).message) ? { message: str(record(a.static).message) as string } : {}) };
          return;
        }
        if (Array.isArray(a.source) && a.source.some((s) => str(record(s).oci))) unsupported.push(`${label}: source.oci (signatures in another repository)`);
        if (a.signatureFormat === 'bundle' || a.signatureFormat === 'legacy') signatureFormat = a.signatureFormat;
        let authority: Authority | undefined;
        if (a.key) {
          const key = record(a.key);
          if (str(key.kms)) unsupported.push(`${label}: key.kms ${String(key.kms)} (${kmsScheme(String(key.kms)) ?? 'kms'}; export the public key into key.data)`);
          else if (key.secretRef) unsupported.push(`${label}: key.secretRef (a cluster Secret; put the PEM in key.data or .palisade.yaml images.policies[].keys)`);
          else if (str(key.data)) authority = { name: label, keys: [parsePublicKey(key.data as string, `${at2} ${label}`)] };
          else throw new PalisadeError('VERIFY_BAD_POLICY', `ClusterImagePolicy ${name}: ${label}: key needs data, secretRef or kms`, { errorClass: 'fatal', location: loc });
        } else if (a.keyless) {
          const keyless = record(a.keyless);
          const identities = (Array.isArray(keyless.identities) ? keyless.identities : []).map((raw2, j) => {
            const id = record(raw2);
            const matcher: IdentityMatcher = { ...(str(id.subject) ? { subject: id.subject as string } : {}), ...(str(id.subjectRegExp) ? { subjectRegExp: id.subjectRegExp as string } : {}), ...(str(id.issuer) ? { issuer: id.issuer as string } : {}), ...(str(id.issuerRegExp) ? { issuerRegExp: id.issuerRegExp as string } : {}) };
            const idLoc = where(['spec', 'authorities', i, 'keyless', 'identities', j]);
            return compileMatcher(matcher, `${file}:${idLoc.line}:${idLoc.column}`);
          });
          if (identities.length === 0) throw new PalisadeError('VERIFY_BAD_POLICY', `ClusterImagePolicy ${name}: ${label}: keyless needs identities (palisade does not accept any identity)`, { errorClass: 'fatal', location: loc });
          if (keyless.insecureIgnoreSCT === true) unsupported.push(`${label}: keyless.insecureIgnoreSCT`);
          authority = { name: label, identities };
        } else throw new PalisadeError('VERIFY_BAD_POLICY', `ClusterImagePolicy ${name}: ${label}: an authority needs key, keyless or static`, { errorClass: 'fatal', location: loc });
        if (!authority) return;
        authorities.push(authority);
        (Array.isArray(a.attestations) ? a.attestations : []).forEach((rawAtt) => {
          const att = record(rawAtt);
          const predicateType = str(att.predicateType);
          if (!predicateType) return;
          const attName = str(att.name) ?? predicateType;
          attestations.push({ name: attName, predicateType, authorities: [authority as Authority] });
          const body = record(att.policy);
          if (body.type !== undefined) unsupported.push(`${label}: attestation ${attName}: policy type ${String(body.type)} (cue and rego bodies are not evaluated; use images.policies[].scan for the scan gate)`);
        });
      });
    } catch (error) {
      if (error instanceof PalisadeError) {
        errors.push(error.location ? error : new PalisadeError(error.code, error.message, { errorClass: 'fatal', location: where(['spec', 'authorities']) }));
        continue;
      }
      throw error;
    }
    const body = record(spec.policy);
    if (body.type !== undefined) unsupported.push(`spec.policy type ${String(body.type)} (cue and rego bodies are not evaluated)`);
    policies.push({
      name: `ClusterImagePolicy/${name}`,
      location: where([]),
      globs,
      mode: spec.mode === 'warn' ? 'warn' : 'enforce',
      policy: { authorities, attestations, ...(signatureFormat ? { signatureFormat } : {}) },
      ...(staticAction ? { staticAction } : {}),
      unsupported,
    });
  }
  return { policies, errors };
}

/**
 * The `images.policies` of `.palisade.yaml`. Key files are read through `readText` (relative to
 * the config file), so this stays free of I/O choices.
 */
export function policiesFromConfig(images: ImagesConfig, configFile: string, readText: (path: string) => string): NamedPolicy[] {
  const base = dirname(resolve(configFile));
  return images.policies.map((p, i) => {
    const authorities: Authority[] = [];
    const keys: PublicKeySpec[] = p.keys.map((k) => {
      if (kmsScheme(k)) throw new PalisadeError('VERIFY_KMS_UNSUPPORTED', `${configFile}: images.policies[${i}].keys: ${k}: KMS references are not resolved offline; export the public key and name the PEM file`, { errorClass: 'fatal' });
      return parsePublicKey(readText(resolve(base, k)), k);
    });
    if (keys.length > 0) authorities.push({ name: `${p.name}/keys`, keys });
    if (p.keyless.length > 0) authorities.push({ name: `${p.name}/keyless`, identities: p.keyless.map((m, j) => compileMatcher(m, `${configFile}: images.policies[${i}].keyless[${j}]`)) });
    const scanGate = p.scan ? { maxAgeMs: parseDuration(p.scan.maxAge) as number, maxSeverity: p.scan.maxSeverity } : undefined;
    return {
      name: p.name,
      globs: p.images,
      mode: p.mode,
      policy: { authorities, attestations: p.attestations.map((a) => ({ name: a.name ?? a.predicateType, predicateType: a.predicateType })), signatureFormat: p.signatureFormat, ...(scanGate ? { scanGate } : {}) },
      unsupported: [],
    };
  });
}
