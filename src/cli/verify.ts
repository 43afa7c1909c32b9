import { Option, type Command } from 'commander';
import { SEVERITIES, type Severity } from '../core/types.js';
import { addOutputOptions, type OutputOptions } from './common.js';

/**
 * `palisade verify image|bundle|model|update-root`: Sigstore verification, offline. Exit 0
 * verified, 1 not verified (each reason printed), 2 bad input. Only update-root reaches the network
 * beyond the registry the user names.
 */
interface TrustFlags extends OutputOptions {
  key?: string[];
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
  trustedRoot?: string;
  insecureIgnoreTlog?: boolean;
  attestation?: string[];
  maxAge?: string;
  maxSeverity?: Severity;
  config?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function addTrustOptions(command: Command): Command {
  return command
    .option('--key <file>', 'PEM public key (ECDSA, Ed25519, RSA) to verify with (repeatable: any one may have signed); KMS references are refused', collect)
    .option('--certificate-identity <san>', 'keyless: the exact subject alternative name of the signing certificate')
    .option('--certificate-identity-regexp <re>', 'keyless: a regular expression the whole SAN must match')
    .option('--certificate-oidc-issuer <url>', 'keyless: the exact OIDC issuer recorded in the certificate')
    .option('--certificate-oidc-issuer-regexp <re>', 'keyless: a regular expression the whole issuer must match')
    .option('--trusted-root <file>', 'trusted_root.json (Fulcio, Rekor, CT log, TSA keys); refresh it with palisade verify update-root')
    .option('--insecure-ignore-tlog', 'accept signatures with no transparency-log entry or signed timestamp (as cosign)')
    .option('--config <file>', '.palisade.yaml whose images: section gives the trusted root and, for verify image, the policies');
}

function addGateOptions(command: Command): Command {
  return command
    .option('--attestation <type>', 'require a verified attestation: vuln, slsaprovenance1, cyclonedx, spdxjson, openvex or a predicate type URI (repeatable)', collect)
    .option('--max-age <duration>', 'with a vuln attestation: the scan must be newer than this (7d, 168h)')
    .addOption(new Option('--max-severity <severity>', 'with a vuln attestation: nothing at or above this severity once VEX is applied').choices([...SEVERITIES]));
}

type VerifyModule = typeof import('../verify/index.js');

async function loadTrust(opts: TrustFlags, verify: VerifyModule, now: Date): Promise<{ trust: import('../verify/index.js').TrustOptions; authorities: import('../verify/index.js').Authority[]; images?: import('../core/config.js').ImagesConfig; configFile?: string }> {
  const { readFile } = await import('node:fs/promises');
  const { dirname, resolve } = await import('node:path');
  const { PalisadeError } = await import('../core/errors.js');
  const { loadConfig } = await import('../core/config.js');
  const read = async (file: string, what: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (cause) {
      throw new PalisadeError('LOAD_NOT_FOUND', `cannot read ${what} ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  };
  const config = opts.config ? await loadConfig(opts.config, [], process.cwd()) : undefined;
  const images = config?.images;
  const rootFile = opts.trustedRoot ?? (images?.trustedRoot && opts.config ? resolve(dirname(opts.config), images.trustedRoot) : undefined);
  const root = rootFile ? verify.parseTrustedRoot(rootFile, await read(rootFile, 'trusted root')) : undefined;
  const authorities: import('../verify/index.js').Authority[] = [];
  const keys = [];
  for (const key of opts.key ?? []) {
    if (verify.kmsScheme(key)) throw verify.kmsRefused(key);
    keys.push(verify.parsePublicKey(await read(key, 'key'), key));
  }
  if (keys.length > 0) authorities.push({ name: 'key', keys });
  const identity = { ...(opts.certificateIdentity ? { subject: opts.certificateIdentity } : {}), ...(opts.certificateIdentityRegexp ? { subjectRegExp: opts.certificateIdentityRegexp } : {}), ...(opts.certificateOidcIssuer ? { issuer: opts.certificateOidcIssuer } : {}), ...(opts.certificateOidcIssuerRegexp ? { issuerRegExp: opts.certificateOidcIssuerRegexp } : {}) };
  if (Object.keys(identity).length > 0) {
    if (keys.length > 0) throw new PalisadeError('USAGE', 'give either --key or --certificate-identity/--certificate-oidc-issuer, not both', { errorClass: 'fatal' });
    authorities.push({ name: 'keyless', identities: [verify.compileMatcher(identity, 'command line')] });
  }
  return { trust: { ...(root ? { root } : {}), ignoreTlog: opts.insecureIgnoreTlog === true || images?.insecureIgnoreTlog === true, now }, authorities, ...(images ? { images } : {}), ...(opts.config ? { configFile: opts.config } : {}) };
}

function gateOf(opts: TrustFlags, verify: VerifyModule, PalisadeError: typeof import('../core/errors.js').PalisadeError): import('../verify/index.js').ScanGate | undefined {
  if (opts.maxAge === undefined && opts.maxSeverity === undefined) return undefined;
  const maxAgeMs = opts.maxAge === undefined ? Number.POSITIVE_INFINITY : verify.parseDuration(opts.maxAge);
  if (maxAgeMs === undefined) throw new PalisadeError('USAGE', `--max-age ${opts.maxAge}: expected a duration such as 7d, 168h or 30m`, { errorClass: 'fatal' });
  return { maxAgeMs, maxSeverity: opts.maxSeverity ?? 'critical' };
}

function line(item: import('../verify/index.js').VerifiedItem): string {
  const who = item.signer.key ? `key ${item.signer.key}` : `${item.signer.subject ?? '?'} (${item.signer.issuer ?? '?'})`;
  return `${item.statement ? `attestation ${item.statement.predicateType}` : 'signature'} by ${who}${item.signedAt ? `, signed ${item.signedAt}` : ''} [${item.layout}: ${item.source}]`;
}

/** The text face: one verdict line, then what verified and why not. */
function textOf(subject: string, verified: boolean, detail: string[], failures: Array<{ reason: string; message: string; source?: string }>, notes: string[]): string {
  const out = [verified ? `✓ ${subject}: verified` : `✗ ${subject}: not verified: ${failures[0]?.reason.replace(/-/g, ' ') ?? 'unknown'}`];
  for (const d of detail) out.push(`  ${d}`);
  for (const f of failures) out.push(`  ${f.reason}: ${f.message}${f.source ? ` [${f.source}]` : ''}`);
  for (const n of notes) out.push(`  note: ${n}`);
  return out.join('\n') + '\n';
}

export function register(program: Command, setExit: (code: number) => void): void {
  const verifyCmd = program.command('verify').description('verify cosign signatures, attestations and OpenSSF model signatures, offline');

  addGateOptions(addTrustOptions(addOutputOptions(verifyCmd.command('image').description('verify an image in a registry: signatures and attestations in both cosign layouts').argument('<ref>', 'registry/repository[:tag][@sha256:digest]'))))
    .addOption(new Option('--signature-format <format>', 'where to look: legacy .sig/.att tags, bundles among OCI referrers, or both').choices(['legacy', 'bundle', 'any']).default('any'))
    .option('--insecure-registry <host>', 'plain HTTP for this registry (localhost and 127.0.0.1 always are)', collect)
    .action(async (ref: string, opts: TrustFlags & { signatureFormat: 'legacy' | 'bundle' | 'any'; insecureRegistry?: string[] }) => {
      const verify = await import('../verify/index.js');
      const { PalisadeError } = await import('../core/errors.js');
      const { readFile } = await import('node:fs/promises');
      const { homedir } = await import('node:os');
      const { join } = await import('node:path');
      const { dockerConfigCredentials } = await import('../scan/image/index.js');
      const { makeReport, emit } = await import('./common.js');
      const now = new Date();
      const { trust, authorities, images, configFile } = await loadTrust(opts, verify, now);
      verify.imageReference(ref);
      const dockerConfig = await readFile(join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8').catch(() => '{}');
      const client = verify.httpRegistryClient({ credentials: dockerConfigCredentials(dockerConfig), insecure: opts.insecureRegistry ?? [] });
      const scanGate = gateOf(opts, verify, PalisadeError);
      let verdict: import('../verify/index.js').ImageVerdict;
      if (authorities.length > 0 || (opts.attestation ?? []).length > 0 || scanGate) {
        if (authorities.length === 0) throw new PalisadeError('USAGE', 'name who signed: --key, or --certificate-identity with --certificate-oidc-issuer', { errorClass: 'fatal' });
        const policy = { authorities, attestations: (opts.attestation ?? []).map((a) => ({ name: a, predicateType: a })), signatureFormat: opts.signatureFormat, ...(scanGate ? { scanGate } : {}) };
        const named = { name: 'command line', globs: ['**'], mode: 'enforce' as const, policy, unsupported: [] };
        verdict = await verify.evaluateImage(ref, { policies: [named], noMatch: 'deny', client, trust, clock: () => now });
      } else if (images && configFile) {
        const { loadImagePolicies } = await import('./verify-policy.js');
        const { policies } = await loadImagePolicies(images, configFile);
        verdict = await verify.evaluateImage(ref, { policies, noMatch: images.noMatch, client, trust, clock: () => now });
      } else {
        throw new PalisadeError('USAGE', 'name who signed: --key, or --certificate-identity with --certificate-oidc-issuer (or --config with an images: section)', { errorClass: 'fatal' });
      }
      const unavailable = verdict.failures.find((f) => f.reason === 'unavailable');
      if (unavailable && verdict.failures.every((f) => f.reason === 'unavailable')) throw new PalisadeError('VERIFY_REGISTRY_FAILED', unavailable.message, { errorClass: 'fatal' });
      const subject = verdict.digest ? verify.formatReference({ ...verify.imageReference(ref), digest: verdict.digest }) : ref;
      const report = makeReport([ref], verify.imageFindings(ref, verdict.failures), { verification: verdict });
      const text = textOf(subject, verdict.allowed, [...verdict.signatures, ...verdict.attestations].map(line), verdict.failures, verdict.warnings);
      setExit(await emit(report, { ...opts, failOn: 'info' }, { extraFormats: { text: () => text } }));
    });

  addGateOptions(addTrustOptions(addOutputOptions(verifyCmd.command('bundle').description('verify a Sigstore bundle on disk against a digest or an artifact').argument('<file>', 'bundle JSON (.sigstore.json)'))))
    .option('--digest <digest>', 'sha256:<hex> the bundle must be about (an in-toto subject, or the signed message digest)')
    .option('--artifact <file>', 'the signed file (message-signature bundles, as cosign verify-blob)')
    .action(async (file: string, opts: TrustFlags & { digest?: string; artifact?: string }) => {
      const verify = await import('../verify/index.js');
      const { PalisadeError } = await import('../core/errors.js');
      const { readFile } = await import('node:fs/promises');
      const { createHash } = await import('node:crypto');
      const { makeReport, emit } = await import('./common.js');
      const now = new Date();
      const { trust, authorities } = await loadTrust(opts, verify, now);
      if (authorities.length === 0) throw new PalisadeError('USAGE', 'name who signed: --key, or --certificate-identity with --certificate-oidc-issuer', { errorClass: 'fatal' });
      if (!opts.digest && !opts.artifact) throw new PalisadeError('USAGE', 'give --digest sha256:<hex> (what the bundle must be about) or --artifact <file>', { errorClass: 'fatal' });
      if (opts.digest && !/^sha256:[0-9a-f]{64}$/.test(opts.digest)) throw new PalisadeError('USAGE', `--digest ${opts.digest}: expected sha256:<64 hex digits>`, { errorClass: 'fatal' });
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (cause) {
        throw new PalisadeError('LOAD_NOT_FOUND', `cannot read ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new PalisadeError('VERIFY_BAD_BUNDLE', `${file} is not JSON: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause });
      }
      const artifact = opts.artifact ? await readFile(opts.artifact).catch((cause: Error) => {
        throw new PalisadeError('LOAD_NOT_FOUND', `cannot read ${opts.artifact}: ${cause.message}`, { errorClass: 'fatal', cause });
      }) : undefined;
      const digest = opts.digest ?? (artifact ? `sha256:${createHash('sha256').update(artifact).digest('hex')}` : undefined);
      const failures: import('../verify/index.js').VerifyFailure[] = [];
      const detail: string[] = [];
      let result: import('../verify/index.js').BundleResult = { ok: false, failure: { reason: 'untrusted', message: 'no authority' } };
      for (const authority of authorities) {
        result = verify.verifyBundle(json, authority, trust, artifact);
        if (result.ok) break;
      }
      if (!result.ok) {
        if (result.failure.reason === 'unsupported' && /artifact is needed/.test(result.failure.message)) throw new PalisadeError('USAGE', `${file} is a message-signature bundle: give the signed file with --artifact`, { errorClass: 'fatal' });
        failures.push(result.failure);
      } else if (result.messageDigest) {
        if (digest && `sha256:${result.messageDigest}` !== digest) failures.push({ reason: 'digest-mismatch', message: `the bundle signs sha256:${result.messageDigest}, not ${digest}` });
        detail.push(`message signature over sha256:${result.messageDigest} by ${result.signer.key ? `key ${result.signer.key}` : `${result.signer.subject} (${result.signer.issuer})`}`);
      } else if (result.dsse) {
        const statement = verify.parseStatement(result.dsse.payloadType, result.dsse.payload);
        if ('error' in statement) failures.push({ reason: 'unsupported', message: statement.error });
        else {
          if (digest && !verify.statementCovers(statement, digest)) failures.push({ reason: 'digest-mismatch', message: `the statement is about ${statement.subject.flatMap((s) => Object.entries(s.digest).map(([a, h]) => `${a}:${h}`)).join(', ')}, not ${digest}` });
          for (const wanted of opts.attestation ?? []) if (!verify.predicateMatches(wanted, statement.predicateType)) failures.push({ reason: 'no-attestation', message: `the predicate is ${statement.predicateType}, not ${verify.predicateTypesFor(wanted).join(' or ')}` });
          const gate = gateOf(opts, verify, PalisadeError);
          if (gate && failures.length === 0) {
            const g = verify.evaluateScanGate([statement], gate, now);
            if (g.failure) failures.push(g.failure);
          }
          detail.push(`in-toto ${statement.predicateType} by ${result.signer.key ? `key ${result.signer.key}` : `${result.signer.subject} (${result.signer.issuer})`}${result.signedAt ? `, signed ${result.signedAt.toISOString()}` : ''}`);
        }
      }
      const sorted = verify.sortFailures(failures);
      const report = makeReport([file], verify.imageFindings(file, sorted), { verification: { verified: sorted.length === 0, digest: digest ?? null, signer: result.ok ? result.signer : null, failures: sorted } });
      const out = textOf(`${file}${digest ? ` (${digest})` : ''}`, sorted.length === 0, detail, sorted, []);
      setExit(await emit(report, { ...opts, failOn: 'info' }, { extraFormats: { text: () => out } }));
    });

  addTrustOptions(addOutputOptions(verifyCmd.command('model').description('verify a model directory, or an OCI model artifact (oci://REF), against its OpenSSF model signature (model_signing bundle)').argument('<model>', 'the model directory, or oci://registry/repository[:tag][@sha256:digest]')))
    .option('--signature <file>', 'the model_signing bundle (default: <dir>/model.sig, or the artifact\'s model.sig layer)')
    .option('--ignore-paths <path>', 'a path (relative to the model) the signature leaves out (repeatable)', collect)
    .option('--insecure-registry <host>', 'plain HTTP for this registry (localhost and 127.0.0.1 always are)', collect)
    .action(async (model: string, opts: TrustFlags & { signature?: string; ignorePaths?: string[]; insecureRegistry?: string[] }) => {
      const verify = await import('../verify/index.js');
      const { PalisadeError } = await import('../core/errors.js');
      const { readFile, stat } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { makeReport, emit } = await import('./common.js');
      const now = new Date();
      const { trust, authorities } = await loadTrust(opts, verify, now);
      if (authorities.length === 0) throw new PalisadeError('USAGE', 'name who signed: --key, or --certificate-identity with --certificate-oidc-issuer', { errorClass: 'fatal' });
      const readBundle = async (signature: string): Promise<unknown> => {
        try {
          return JSON.parse(await readFile(signature, 'utf8'));
        } catch (cause) {
          throw new PalisadeError('VERIFY_BAD_BUNDLE', `cannot read the model signature ${signature}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: signature, line: 1, column: 1 }, cause });
        }
      };
      // model_signing's key and certificate methods never log to Rekor: keyed model signatures need no tlog.
      const keyedOnly = authorities.every((a) => a.keys);
      const firstTrust = { ...trust, ignoreTlog: trust.ignoreTlog === true || keyedOnly };
      const ignorePaths = opts.ignorePaths ?? [];
      let outcome: import('../verify/index.js').ModelOutcome;
      if (model.startsWith('oci://')) {
        const { homedir } = await import('node:os');
        const { dockerConfigCredentials } = await import('../scan/image/index.js');
        const ref = verify.imageReference(model.slice('oci://'.length));
        const dockerConfig = await readFile(join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8').catch(() => '{}');
        const client = verify.httpRegistryClient({ credentials: dockerConfigCredentials(dockerConfig), insecure: opts.insecureRegistry ?? [] });
        const artifact = await verify.fetchModelArtifact(client, ref, opts.signature ? await readBundle(opts.signature) : undefined);
        if ('error' in artifact) {
          const code = artifact.error === 'no-signature' || artifact.error === 'not-json' ? 'VERIFY_BAD_BUNDLE' : 'VERIFY_REGISTRY_FAILED';
          throw new PalisadeError(code, `${model}: ${artifact.message}`, { errorClass: 'fatal' });
        }
        const { layers, bundleJson: json, signatureLayerPath } = artifact;
        const options = { ignorePaths, ...(signatureLayerPath ? { signatureLayerPath } : {}) };
        outcome = verify.verifyModelLayers(layers, json, authorities[0] as import('../verify/index.js').Authority, firstTrust, options);
        for (const authority of authorities.slice(1)) if (!outcome.verified) outcome = verify.verifyModelLayers(layers, json, authority, trust, options);
      } else {
        const isDir = await stat(model).then((s) => s.isDirectory(), () => false);
        if (!isDir) throw new PalisadeError('LOAD_NOT_FOUND', `${model}: not a directory (an OCI model artifact is written oci://REF)`, { errorClass: 'fatal' });
        const signature = opts.signature ?? join(model, 'model.sig');
        const json = await readBundle(signature);
        outcome = await verify.verifyModel(model, json, authorities[0] as import('../verify/index.js').Authority, firstTrust, { signaturePath: signature, ignorePaths });
        for (const authority of authorities.slice(1)) if (!outcome.verified) outcome = await verify.verifyModel(model, json, authority, trust, { signaturePath: signature, ignorePaths });
      }
      const report = makeReport([model], verify.modelFindings(model, outcome), { verification: outcome });
      const who = outcome.signer ? (outcome.signer.key ? `key ${outcome.signer.key}` : `${outcome.signer.subject} (${outcome.signer.issuer})`) : undefined;
      const out = textOf(model, outcome.verified, [...(who ? [`signed by ${who}`] : []), `${outcome.files} file(s) checked${outcome.modelName ? ` for model ${outcome.modelName}` : ''}`], outcome.failures, []);
      setExit(await emit(report, { ...opts, failOn: 'info' }, { extraFormats: { text: () => out } }));
    });

  verifyCmd
    .command('update-root')
    .description('refresh trusted_root.json through Sigstore TUF (the only verify command that uses the network beyond your registry)')
    .option('-o, --output <file>', 'where to write the trusted root', 'trusted_root.json')
    .option('--mirror <url>', 'TUF repository', 'https://tuf-repo-cdn.sigstore.dev')
    .option('--tuf-root <file>', 'initial TUF root.json for a private Sigstore (the public-good one is built in)')
    .option('--cache <dir>', 'TUF metadata cache', '.palisade-tuf')
    .action(async (opts: { output: string; mirror: string; tufRoot?: string; cache: string }) => {
      const { getTrustedRoot } = await import('@sigstore/tuf');
      const { TrustedRoot } = await import('@sigstore/protobuf-specs');
      const { writeFile } = await import('node:fs/promises');
      const { PalisadeError } = await import('../core/errors.js');
      let root;
      try {
        root = await getTrustedRoot({ mirrorURL: opts.mirror, cachePath: opts.cache, ...(opts.tufRoot ? { rootPath: opts.tufRoot } : {}), forceInit: opts.tufRoot !== undefined });
      } catch (cause) {
        throw new PalisadeError('VERIFY_TUF_FAILED', `cannot refresh the trusted root from ${opts.mirror}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
      }
      await writeFile(opts.output, JSON.stringify(TrustedRoot.toJSON(root), null, 2) + '\n');
      process.stdout.write(`wrote ${opts.output} (${root.certificateAuthorities.length} certificate authorities, ${root.tlogs.length} transparency logs, ${root.ctlogs.length} CT logs, ${root.timestampAuthorities.length} timestamp authorities)\n`);
      setExit(0);
    });
}
