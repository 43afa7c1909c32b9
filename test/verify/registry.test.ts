import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRegistryClient, parsePublicKey, parseTrustedRoot, verifyImage, type Authority, type ImagePolicy, type TrustOptions, type VerifyOutcome } from '../../src/verify/index.js';
import {
  attachBundles,
  attachLegacyAttestations,
  attachLegacySignature,
  ecKeyPair,
  haveTools,
  keylessSigner,
  keySigner,
  legacyAnnotations,
  manifestBytes,
  pushImage,
  rekor,
  signDsse,
  signMessage,
  simpleSigningPayload,
  startRegistry,
  startSigstore,
  statement,
  toJson,
  type BundleJson,
  type KeyPair,
  type Registry,
  type SigstoreLab,
} from './lab.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { palisade } from '../helpers/cli.js';
import { registryResolver } from '../../src/admission/registry.js';
import { podRequest, review, send, startWebhook } from '../admission/harness.js';
import { httpRegistryClient as clientWith } from '../../src/verify/index.js';
import { sigstoreAdmissionVerifier } from '../../src/admission/sigstore/index.js';
import { clone, flipBase64 } from './fixtures.js';

/**
 * End to end against Debian's docker-registry on loopback: images pushed by skopeo, signatures
 * and attestations made here with @sigstore/sign (keyed) and @sigstore/mock's Fulcio and Rekor
 * (keyless), attached in both cosign layouts, then verified by reference.
 */
const missing = haveTools();
if (missing) console.warn(`skipping the registry verification tests: ${missing}`);

const CI = 'https://github.com/acme/ml-serving/.github/workflows/release.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';
const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';

let registry: Registry;
let lab: SigstoreLab;
let key: KeyPair;
let trust: TrustOptions;
const now = new Date();
const digests = new Map<string, string>();

const keyed = (): Authority => ({ name: 'release-key', keys: [parsePublicKey(key.publicPem, 'cosign.pub')] });
const ci: Authority = { name: 'ci', identities: [{ subject: CI, issuer: GITHUB }] };
const ref = (repo: string): string => `${registry.host}/${repo}:1`;
const verify = (repo: string, policy: ImagePolicy, options: Partial<TrustOptions> = {}): Promise<VerifyOutcome> => verifyImage(ref(repo), policy, { client: httpRegistryClient(), trust: { ...trust, ...options } });
const reasons = (o: VerifyOutcome): string[] => o.failures.map((f) => f.reason);

function trivyReport(critical: number): object {
  const vulns = Array.from({ length: critical }, (_, i) => ({ VulnerabilityID: `CVE-2026-000${i + 1}`, PkgName: 'openssl', InstalledVersion: '3.0.1', FixedVersion: '3.0.9', Severity: 'CRITICAL', PkgIdentifier: { PURL: 'pkg:apk/alpine/openssl@3.0.1' } }));
  return { SchemaVersion: 2, ArtifactName: 'model-server', ArtifactType: 'container_image', Results: [{ Target: 'alpine', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [...vulns, { VulnerabilityID: 'CVE-2026-1000', PkgName: 'zlib', InstalledVersion: '1.2', FixedVersion: '1.3', Severity: 'MEDIUM' }] }] };
}

function vulnPredicate(finishedDaysAgo: number, critical: number): object {
  const finished = new Date(now.getTime() - finishedDaysAgo * 86_400_000).toISOString();
  return { invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' }, scanner: { uri: 'pkg:github/aquasecurity/trivy@v0.58.0', version: '0.58.0', db: { uri: '', version: '' }, result: trivyReport(critical) }, metadata: { scanStartedOn: finished, scanFinishedOn: finished } };
}

async function image(repo: string): Promise<string> {
  const digest = await pushImage(registry, repo, '1');
  digests.set(repo, digest);
  return digest;
}

/** A keyless legacy signature with a Rekor entry, as `cosign sign` (v2) writes it. */
async function legacyKeyless(repo: string, digest: string, subject = CI, issuer = GITHUB, sigstore = lab, logged = true): Promise<void> {
  const payload = simpleSigningPayload(`${registry.host}/${repo}`, digest);
  const bundle = toJson(await signMessage(payload, keylessSigner(sigstore, subject, issuer), logged ? rekor(sigstore) : []));
  await attachLegacySignature(registry, repo, digest, payload, legacyAnnotations(bundle, bundle.messageSignature.signature));
}

beforeAll(async () => {
  if (missing) return;
  [registry, lab] = await Promise.all([startRegistry(), startSigstore()]);
  key = ecKeyPair();
  trust = { root: parseTrustedRoot('mock-root.json', lab.trustedRoot), now };
}, 60_000);

afterAll(async () => {
  await Promise.all([registry?.stop(), lab?.stop()]);
});

describe.skipIf(missing !== undefined)('verify image against a real registry', () => {
  it('legacy layout, keyed, logged in Rekor: verified; another key is refused', async () => {
    const digest = await image('legacy/keyed');
    const payload = simpleSigningPayload(`${registry.host}/legacy/keyed`, digest);
    const bundle = toJson(await signMessage(payload, keySigner(key), rekor(lab)));
    await attachLegacySignature(registry, 'legacy/keyed', digest, payload, legacyAnnotations(bundle, bundle.messageSignature.signature));
    const ok = await verify('legacy/keyed', { authorities: [keyed()] });
    expect(ok.failures).toEqual([]);
    expect(ok.verified).toBe(true);
    expect(ok.digest).toBe(digest);
    expect(ok.signatures.map((s) => [s.layout, s.signer.key])).toEqual([['legacy', 'cosign.pub']]);
    const other = await verify('legacy/keyed', { authorities: [{ name: 'other', keys: [parsePublicKey(ecKeyPair().publicPem, 'other.pub')] }] });
    expect([other.verified, reasons(other)]).toEqual([false, ['untrusted']]);
  });

  it('legacy layout, keyless: verified by identity; a wrong identity or issuer is refused', async () => {
    const digest = await image('legacy/keyless');
    await legacyKeyless('legacy/keyless', digest);
    const ok = await verify('legacy/keyless', { authorities: [ci] });
    expect(ok.verified).toBe(true);
    expect(ok.signatures[0]?.signer).toEqual({ subject: CI, issuer: GITHUB });
    const wrongSubject = await verify('legacy/keyless', { authorities: [{ name: 'x', identities: [{ subject: CI.replace('main', 'dev'), issuer: GITHUB }] }] });
    expect(reasons(wrongSubject)).toEqual(['wrong-identity']);
    const wrongIssuer = await verify('legacy/keyless', { authorities: [{ name: 'x', identities: [{ subject: CI, issuer: 'https://accounts.google.com' }] }] });
    expect(reasons(wrongIssuer)).toEqual(['wrong-identity']);
    expect(wrongIssuer.failures[0]?.message).toContain(`signed by ${CI} from ${GITHUB}`);
  });

  it('bundle layout (cosign v3): a keyless DSSE signature and a keyed message signature, found through the referrers tag', async () => {
    const digest = await image('bundle/keyless');
    const signature = toJson(await signDsse(statement([{ name: `${registry.host}/bundle/keyless`, digest }], 'https://sigstore.dev/cosign/sign/v1', {}), keylessSigner(lab, CI, GITHUB), rekor(lab, 'dsse')));
    await attachBundles(registry, 'bundle/keyless', digest, [signature]);
    const ok = await verify('bundle/keyless', { authorities: [ci] });
    expect([ok.verified, reasons(ok)]).toEqual([true, []]);
    expect(ok.signatures.map((s) => s.layout)).toEqual(['bundle']);
    expect((await verify('bundle/keyless', { authorities: [ci], signatureFormat: 'legacy' })).failures.map((f) => f.reason)).toEqual(['no-signature']);

    const digest2 = await image('bundle/keyed');
    const manifest = await manifestBytes(registry, 'bundle/keyed', digest2);
    const message = toJson(await signMessage(manifest, keySigner(key), rekor(lab)));
    await attachBundles(registry, 'bundle/keyed', digest2, [message]);
    const keyedOk = await verify('bundle/keyed', { authorities: [keyed()] });
    expect([keyedOk.verified, reasons(keyedOk)]).toEqual([true, []]);
  });

  it('an unsigned image: no signature', async () => {
    const digest = await image('plain/unsigned');
    const outcome = await verify('plain/unsigned', { authorities: [ci] });
    expect(outcome.verified).toBe(false);
    expect(outcome.failures).toEqual([{ reason: 'no-signature', message: `no signature for ${digest} (looked at the sha256-${digest.slice(7)}.sig tag and OCI referrers)` }]);
  });

  it("another image's signature, copied over: digest mismatch", async () => {
    const source = digests.get('legacy/keyless') as string;
    const digest = await image('plain/copied');
    const sig = await (await fetch(`${registry.base}/v2/legacy/keyless/manifests/${source.replace(':', '-')}.sig`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json() as { layers: Array<{ digest: string; annotations: Record<string, string> }> };
    const payload = Buffer.from(await (await fetch(`${registry.base}/v2/legacy/keyless/blobs/${sig.layers[0]?.digest}`)).arrayBuffer());
    await attachLegacySignature(registry, 'plain/copied', digest, payload, sig.layers[0]?.annotations as Record<string, string>);
    const outcome = await verify('plain/copied', { authorities: [ci] });
    expect(reasons(outcome)).toEqual(['digest-mismatch']);
    expect(outcome.failures[0]?.message).toBe(`the signature is for ${source}, not ${digest} (another image's signature)`);
  });

  it('catches a flipped byte in the payload, the signature, the certificate, the Rekor promise and the inclusion proof', async () => {
    const cases: Array<[string, (payload: Buffer, annotations: Record<string, string>) => void]> = [
      ['payload', (payload) => void (payload[40] = (payload[40] as number) ^ 1)],
      ['signature', (_p, a) => void (a['dev.cosignproject.cosign/signature'] = flipBase64(a['dev.cosignproject.cosign/signature'] as string, 10))],
      ['certificate', (_p, a) => {
        const pem = a['dev.sigstore.cosign/certificate'] as string;
        const der = pem.replace(/-----[A-Z ]+-----|\s/g, '');
        a['dev.sigstore.cosign/certificate'] = `-----BEGIN CERTIFICATE-----\n${flipBase64(der, 200)}\n-----END CERTIFICATE-----\n`;
      }],
      ['rekor promise', (_p, a) => {
        const b = JSON.parse(a['dev.sigstore.cosign/bundle'] as string) as { SignedEntryTimestamp: string };
        b.SignedEntryTimestamp = flipBase64(b.SignedEntryTimestamp, 12);
        a['dev.sigstore.cosign/bundle'] = JSON.stringify(b);
      }],
    ];
    for (const [i, [what, mutate]] of cases.entries()) {
      const repo = `tamper/legacy-${i}`;
      const digest = await image(repo);
      const payload = simpleSigningPayload(`${registry.host}/${repo}`, digest);
      const bundle = toJson(await signMessage(payload, keylessSigner(lab, CI, GITHUB), rekor(lab)));
      const annotations = legacyAnnotations(bundle, bundle.messageSignature.signature);
      mutate(payload, annotations);
      await attachLegacySignature(registry, repo, digest, payload, annotations);
      const outcome = await verify(repo, { authorities: [ci] });
      expect([what, outcome.verified]).toEqual([what, false]);
      expect([what, reasons(outcome)]).toEqual([what, what === 'certificate' ? [expect.stringMatching(/^(tampered|untrusted)$/)] : ['tampered']]);
    }
    // The bundle layout carries the inclusion proof and its signed checkpoint.
    const proofCases: Array<[string, (proof: BundleJson) => void]> = [
      ['proof root hash', (proof) => void (proof.rootHash = flipBase64(proof.rootHash, 0))],
      ['checkpoint signature', (proof) => void (proof.checkpoint.envelope = proof.checkpoint.envelope.replace(/ (\S+)\n$/, (_m: string, sig: string) => ` ${flipBase64(sig, 20)}\n`))],
      ['proof path', (proof) => {
        proof.treeSize = '2';
        proof.hashes = [Buffer.alloc(32, 7).toString('base64')];
      }],
    ];
    for (const [i, [what, mutate]] of proofCases.entries()) {
      const repo = `tamper/proof-${i}`;
      const digest = await image(repo);
      const signed: BundleJson = toJson(await signDsse(statement([{ name: 'x', digest }], 'https://sigstore.dev/cosign/sign/v1', {}), keylessSigner(lab, CI, GITHUB), rekor(lab, 'dsse')));
      const broken = clone(signed);
      mutate(broken.verificationMaterial.tlogEntries[0].inclusionProof);
      await attachBundles(registry, repo, digest, [broken]);
      expect([what, reasons(await verify(repo, { authorities: [ci] }))]).toEqual([what, ['tampered']]);
    }
  });

  it('an expired certificate without a timestamp is refused; with a Rekor entry from its lifetime it holds', async () => {
    // Fulcio certificates live 10 minutes: an hour later, only a timestamp from their lifetime keeps them valid.
    const later = new Date(now.getTime() + 3_600_000);
    const digest = await image('expired/unlogged');
    await legacyKeyless('expired/unlogged', digest, CI, GITHUB, lab, false);
    const outcome = await verify('expired/unlogged', { authorities: [ci] }, { now: later });
    expect(reasons(outcome)).toEqual(['expired']);
    expect(outcome.failures[0]?.message).toMatch(/^the signing certificate expired at .* and no transparency-log entry or signed timestamp shows it was used before$/);
    expect(reasons(await verify('expired/unlogged', { authorities: [ci] }, { now: new Date() }))).toEqual(['no-tlog']);
    const digest2 = await image('expired/logged');
    await legacyKeyless('expired/logged', digest2, CI, GITHUB, lab, true);
    expect(reasons(await verify('expired/logged', { authorities: [ci] }, { now: later }))).toEqual([]);
  });

  it('keyed without a transparency log: refused unless the tlog is ignored', async () => {
    const digest = await image('legacy/keyed-offline');
    const payload = simpleSigningPayload(`${registry.host}/legacy/keyed-offline`, digest);
    const bundle = toJson(await signMessage(payload, keySigner(key), []));
    await attachLegacySignature(registry, 'legacy/keyed-offline', digest, payload, legacyAnnotations(bundle, bundle.messageSignature.signature));
    expect(reasons(await verify('legacy/keyed-offline', { authorities: [keyed()] }))).toEqual(['no-tlog']);
    expect((await verify('legacy/keyed-offline', { authorities: [keyed()] }, { ignoreTlog: true })).verified).toBe(true);
  });

  describe('attestations and the scan gate', () => {
    const gate = { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' as const };
    async function signedImage(repo: string): Promise<string> {
      const digest = await image(repo);
      await legacyKeyless(repo, digest);
      return digest;
    }
    const vuln = async (subject: string, daysAgo: number, critical: number): Promise<BundleJson> => toJson(await signDsse(statement([{ name: 'img', digest: subject }], VULN, vulnPredicate(daysAgo, critical), 'v0.1'), keylessSigner(lab, CI, GITHUB), rekor(lab, 'dsse')));

    it('a fresh clean scan (legacy .att) passes', async () => {
      const digest = await signedImage('att/clean');
      await attachLegacyAttestations(registry, 'att/clean', digest, [await vuln(digest, 1, 0)]);
      const outcome = await verify('att/clean', { authorities: [ci], scanGate: gate });
      expect([outcome.verified, reasons(outcome)]).toEqual([true, []]);
      expect(outcome.attestations.map((a) => [a.layout, a.statement?.predicateType])).toEqual([['legacy', VULN]]);
    });

    it('a stale scan fails; CRITICALs fail until a signed OpenVEX says not_affected', async () => {
      const stale = await signedImage('att/stale');
      await attachLegacyAttestations(registry, 'att/stale', stale, [await vuln(stale, 30, 0)]);
      const staleOutcome = await verify('att/stale', { authorities: [ci], scanGate: gate });
      expect(reasons(staleOutcome)).toEqual(['stale-scan']);
      expect(staleOutcome.failures[0]?.message).toMatch(/^the newest scan finished at .*, 30\.0 days ago; at most 7\.0 days allowed$/);

      const critical = await signedImage('att/critical');
      await attachLegacyAttestations(registry, 'att/critical', critical, [await vuln(critical, 1, 2)]);
      const vulnerable = await verify('att/critical', { authorities: [ci], scanGate: gate });
      expect(reasons(vulnerable)).toEqual(['vulnerable']);
      expect(vulnerable.failures[0]?.message).toMatch(/reports 2 critical at or above high after VEX$/);

      const vex = { '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://acme.example/vex/1', author: 'acme', timestamp: now.toISOString(), version: 1, statements: ['CVE-2026-0001', 'CVE-2026-0002'].map((id) => ({ vulnerability: { name: id }, products: [{ '@id': 'pkg:apk/alpine/openssl@3.0.1' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' })) };
      const signedVex = toJson(await signDsse(statement([{ name: 'img', digest: critical }], 'https://openvex.dev/ns/v0.2.0', vex), keylessSigner(lab, CI, GITHUB), rekor(lab, 'dsse')));
      await attachBundles(registry, 'att/critical', critical, [signedVex]);
      const cleared = await verify('att/critical', { authorities: [ci], scanGate: gate, attestations: [{ name: 'openvex', predicateType: 'openvex' }] });
      expect([cleared.verified, reasons(cleared)]).toEqual([true, []]);
    });

    it('an attestation for another digest does not count', async () => {
      const digest = await signedImage('att/other');
      const elsewhere = digests.get('att/clean') as string;
      await attachLegacyAttestations(registry, 'att/other', digest, [await vuln(elsewhere, 1, 0)]);
      const outcome = await verify('att/other', { authorities: [ci], scanGate: gate });
      expect(reasons(outcome)).toEqual(['digest-mismatch', 'no-attestation']);
      expect(outcome.failures[0]?.message).toBe(`the vuln attestation is for ${elsewhere}, not ${digest}`);
    });

    it('an attestation signed by someone else does not count', async () => {
      const digest = await signedImage('att/stranger');
      const foreign = toJson(await signDsse(statement([{ name: 'img', digest }], VULN, vulnPredicate(1, 0)), keylessSigner(lab, 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main', GITHUB), rekor(lab, 'dsse')));
      await attachBundles(registry, 'att/stranger', digest, [foreign]);
      const outcome = await verify('att/stranger', { authorities: [ci], scanGate: gate });
      expect(reasons(outcome)).toEqual(['wrong-identity', 'no-attestation']);
    });
  });

  it('the CLI, as a user types it: exit 0 verified, 1 with the reason, 2 for bad input', async () => {
    const keyFile = join(registry.work, 'cosign.pub');
    const rootFile = join(registry.work, 'trusted_root.json');
    writeFileSync(keyFile, key.publicPem);
    writeFileSync(rootFile, lab.trustedRoot);
    const ok = palisade(['verify', 'image', ref('legacy/keyed'), '--key', keyFile, '--trusted-root', rootFile]);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout.split('\n')[0]).toBe(`✓ ${registry.host}/legacy/keyed:1@${digests.get('legacy/keyed')}: verified`);
    const unsigned = palisade(['verify', 'image', ref('plain/unsigned'), '--certificate-identity', CI, '--certificate-oidc-issuer', GITHUB, '--trusted-root', rootFile]);
    expect(unsigned.status).toBe(1);
    expect(unsigned.stdout.split('\n')[0]).toBe(`✗ ${registry.host}/plain/unsigned:1@${digests.get('plain/unsigned')}: not verified: no signature`);
    const stale = palisade(['verify', 'image', ref('att/stale'), '--certificate-identity', CI, '--certificate-oidc-issuer', GITHUB, '--trusted-root', rootFile, '--attestation', 'vuln', '--max-age', '7d', '--max-severity', 'high', '--format', 'json']);
    expect(stale.status).toBe(1);
    const report = JSON.parse(stale.stdout) as { findings: Array<{ checkId: string }>; verification: { allowed: boolean } };
    expect([report.verification.allowed, report.findings.map((f) => f.checkId)]).toEqual([false, ['IMAGE_SCAN_STALE']]);
    // Each way of failing, as the JSON report's findings (the rule a reason becomes: IMAGE_RULE_OF).
    const unreadable = await image('att/unreadable');
    await legacyKeyless('att/unreadable', unreadable);
    const garbled = toJson(await signDsse(statement([{ name: 'img', digest: unreadable }], VULN, { scanner: { uri: 'pkg:github/aquasecurity/trivy@v0.58.0', result: { NotATrivyReport: true } }, metadata: { scanFinishedOn: now.toISOString() } }), keylessSigner(lab, CI, GITHUB), rekor(lab, 'dsse')));
    await attachLegacyAttestations(registry, 'att/unreadable', unreadable, [garbled]);
    const keyless = ['--certificate-identity', CI, '--certificate-oidc-issuer', GITHUB, '--trusted-root', rootFile, '--format', 'json'];
    const scanGate = ['--attestation', 'vuln', '--max-age', '7d', '--max-severity', 'high'];
    const idsOf = (args: string[]): [number | null, string[]] => {
      const run = palisade(['verify', 'image', ...args]);
      return [run.status, (JSON.parse(run.stdout) as { findings: Array<{ checkId: string }> }).findings.map((f) => f.checkId)];
    };
    expect(idsOf([ref('plain/unsigned'), ...keyless])).toEqual([1, ['IMAGE_SIGNATURE_MISSING']]);
    expect(idsOf([ref('plain/copied'), ...keyless])).toEqual([1, ['IMAGE_SIGNATURE_INVALID']]);
    expect(idsOf([ref('legacy/keyless'), '--certificate-identity', CI.replace('main', 'dev'), '--certificate-oidc-issuer', GITHUB, '--trusted-root', rootFile, '--format', 'json'])).toEqual([1, ['IMAGE_SIGNER_UNTRUSTED']]);
    expect(idsOf([ref('att/critical'), ...keyless, ...scanGate])).toEqual([1, ['IMAGE_VULNERABILITY_ATTESTED']]);
    expect(idsOf([ref('att/other'), ...keyless, ...scanGate])).toEqual([1, ['IMAGE_SIGNATURE_INVALID', 'IMAGE_ATTESTATION_MISSING']]);
    expect(idsOf([ref('att/unreadable'), ...keyless, ...scanGate])).toEqual([1, ['IMAGE_POLICY_UNSUPPORTED']]);
    const bad = palisade(['verify', 'image', 'Not//A Ref', '--key', keyFile]);
    expect([bad.status, bad.stderr.trim()]).toEqual([2, 'palisade: Not//A Ref: not an image reference ([registry/]repository[:tag][@sha256:digest])']);
    const kms = palisade(['verify', 'image', ref('legacy/keyed'), '--key', 'awskms:///alias/release']);
    expect(kms.status).toBe(2);
    expect(kms.stderr).toContain('awskms:// key references are resolved by a key service');
    // Ten CLI runs: well under a minute on an idle machine, past it on a loaded one.
  }, 240_000);

  it('palisade serve calls the verifier: each distinct image once, denied with the reason, cached by digest', async () => {
    const fetches: string[] = [];
    const counting: typeof fetch = (input, init) => {
      fetches.push(String(input));
      return fetch(input, init);
    };
    const verifier = sigstoreAdmissionVerifier({
      policies: [{ name: 'release', globs: [`${registry.host}/**`], mode: 'enforce', policy: { authorities: [keyed()] }, unsupported: [] }],
      noMatch: 'allow',
      trust: { root: trust.root! },
      clientFor: (signal) => clientWith({ signal, fetch: counting }),
    });
    const webhook = await startWebhook({ engine: { resolver: registryResolver(), verifiers: [verifier] } });
    try {
      const signed = ref('legacy/keyed');
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: signed }, { name: 'b', image: signed }, { name: 'c', image: ref('plain/unsigned') }] } };
      const reply = await send(webhook.port, 'POST', '/validate', review(podRequest('v1', 'default', pod)), webhook.certs.caPem);
      const response = (JSON.parse(reply.body) as { response: { allowed: boolean; status?: { message?: string } } }).response;
      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain(`${ref('plain/unsigned')}: no signature: no signature for ${digests.get('plain/unsigned')}`);
      expect(response.status?.message).not.toContain(`${signed}:`);
      const first = fetches.length;
      expect(fetches.filter((u) => u.includes(`${digests.get('legacy/keyed')!.replace(':', '-')}.sig`)).length).toBe(1);
      const okPod = { ...pod, spec: { containers: [{ name: 'a', image: signed }] } };
      const again = await send(webhook.port, 'POST', '/validate', review(podRequest('v2', 'default', okPod)), webhook.certs.caPem);
      expect((JSON.parse(again.body) as { response: { allowed: boolean } }).response.allowed).toBe(true);
      expect(fetches.length).toBe(first); // the verdict for that digest came from the cache
    } finally {
      await webhook.close();
    }
  });
});
