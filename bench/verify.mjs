// Benchmark of `palisade verify` (issue 24): DSSE bundle verifications per second on one core.
//  1. The real public-good cosign bundle (Fulcio certificate, Rekor dsse entry with inclusion proof
//     and checkpoint, SCT) against its trusted root, through palisade's verifyBundle (bundle parse,
//     certificate chain, SCT, tlog promise and proof, signature, identity policy, statement parse),
//     against a baseline measured in the same run: @sigstore/verify's Verifier called directly on
//     the same bundle (research admission.md §3.4 recipe C), the floor any JS verifier pays.
//  2. A key-signed DSSE vuln attestation (no tlog), against node:crypto's bare ECDSA verify of the
//     same DSSE pre-authentication encoding.
//   npm run build && node bench/verify.mjs
// Prints one JSON line per figure: {bench, size, ms, baselineMs, ratio, perSecond, ...}.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { parsePublicKey, parseStatement, parseTrustedRoot, verifyBundle } from '../dist/verify/index.js';

const SIGSTORE = new URL('../../shared/fixtures/admission/sigstore/', import.meta.url);
const text = (path) => readFileSync(new URL(path, SIGSTORE), 'utf8');
const N = Number(process.env.PALISADE_BENCH_VERIFY_N ?? 300);

function time(fn, n) {
  for (let i = 0; i < Math.min(20, n); i++) fn(); // warm up (JIT, verifier caches)
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function line(bench, n, ms, baselineMs, extra = {}) {
  console.log(JSON.stringify({ bench, size: n, ms: Math.round(ms), baselineMs: Math.round(baselineMs), ratio: Number((ms / baselineMs).toFixed(2)), perSecond: Math.round((n * 1000) / ms), baselinePerSecond: Math.round((n * 1000) / baselineMs), goalPerSecond: 100, ...extra }));
}

// 1. keyless, public-good, with Rekor proof.
const bundleText = text('cosign-oci-attestation.sigstore.json');
const rootText = text('trusted_root_public_good.json');
const root = parseTrustedRoot('trusted_root_public_good.json', rootText);
const authority = { name: 'cody', identities: [{ subject: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' }] };
const now = new Date();
const ours = () => {
  const result = verifyBundle(JSON.parse(bundleText), authority, { root, now });
  if (!result.ok) throw new Error(result.failure.message);
  parseStatement(result.dsse.payloadType, result.dsse.payload);
};
const baselineVerifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(rootText))));
const baseline = () => baselineVerifier.verify(toSignedEntity(bundleFromJSON(JSON.parse(bundleText))), { subjectAlternativeName: 'cody@soyland.com', extensions: { issuer: 'https://github.com/login/oauth' } });
const baseMs = time(baseline, N);
const oursMs = time(ours, N);
line('verify-dsse-keyless-bundle', N, oursMs, baseMs, { baseline: '@sigstore/verify Verifier.verify on the same bundle' });

// 2. keyed DSSE attestation, no tlog.
const keyedText = text('generated/vuln-attestation-clean.sigstore.json');
const pem = text('generated/test-key.pub.pem');
const keyAuthority = { name: 'key', keys: [parsePublicKey(pem, 'test-key.pub.pem')] };
const keyed = () => {
  const result = verifyBundle(JSON.parse(keyedText), keyAuthority, { now, ignoreTlog: true });
  if (!result.ok) throw new Error(result.failure.message);
  parseStatement(result.dsse.payloadType, result.dsse.payload);
};
const envelope = JSON.parse(keyedText).dsseEnvelope;
const payload = Buffer.from(envelope.payload, 'base64');
const pae = Buffer.concat([Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${payload.length} `), payload]);
const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
const key = createPublicKey(pem);
const bare = () => {
  if (!nodeVerify('sha256', pae, key, sig)) throw new Error('bad signature');
};
const bareMs = time(bare, N);
const keyedMs = time(keyed, N);
line('verify-dsse-keyed-bundle', N, keyedMs, bareMs, { baseline: 'node:crypto ECDSA P-256 verify of the DSSE PAE alone', bundleBytes: keyedText.length });
