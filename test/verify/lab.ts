import { createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog } from '@sigstore/mock';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, type Signer, type Witness } from '@sigstore/sign';
import { bundleToJSON, type Bundle } from '@sigstore/bundle';
import { MODEL_SIGNING_PREDICATE } from '../../src/verify/index.js';

/**
 * The test lab: Debian's real docker-registry on loopback (images pushed with skopeo), and
 * @sigstore/mock's Fulcio CA, CT log and Rekor log served over loopback HTTP so @sigstore/sign's
 * own FulcioSigner and RekorWitness talk to them. Everything here is made per run: no fixture
 * carries a private key.
 */

export function haveTools(): string | undefined {
  for (const tool of ['docker-registry', 'skopeo']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (apt-get install docker-registry skopeo; .ci/system-packages does it in CI)`;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export const sha256hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export interface Registry {
  host: string;
  base: string;
  work: string;
  stop: () => Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const work = await mkdtemp(join(tmpdir(), 'palisade-verify-'));
  const host = `127.0.0.1:${await freePort()}`;
  await writeFile(join(work, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', join(work, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('docker-registry did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    base: `http://${host}`,
    work,
    stop: async () => {
      child.kill();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A one-layer OCI image (an empty tar) whose config names it, pushed with skopeo; returns its digest. */
export async function pushImage(registry: Registry, repository: string, tag: string): Promise<string> {
  const dir = join(registry.work, 'layouts', repository.replace(/\//g, '_'));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layer = gzipSync(Buffer.alloc(1024), { level: 9 });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name: repository } }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256hex(Buffer.alloc(1024))}`] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256hex(config)}`, size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${sha256hex(layer)}`, size: layer.length }] }));
  for (const blob of [layer, config, manifest]) await writeFile(join(dir, 'blobs', 'sha256', sha256hex(blob)), blob);
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256hex(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
  execFileSync('skopeo', ['copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false', `oci:${dir}:${tag}`, `docker://${registry.host}/${repository}:${tag}`], { stdio: 'pipe' });
  return `sha256:${sha256hex(manifest)}`;
}

export async function pushBlob(registry: Registry, repository: string, blob: Buffer): Promise<string> {
  const digest = `sha256:${sha256hex(blob)}`;
  const start = await fetch(`${registry.base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload: HTTP ${start.status}`);
  const location = new URL(start.headers.get('location') as string, registry.base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: blob });
  if (put.status !== 201) throw new Error(`blob put: HTTP ${put.status}`);
  return digest;
}

export async function putManifest(registry: Registry, repository: string, reference: string, manifest: object, mediaType = 'application/vnd.oci.image.manifest.v1+json'): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const put = await fetch(`${registry.base}/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (put.status !== 201) throw new Error(`manifest put ${reference}: HTTP ${put.status} ${await put.text()}`);
  return { digest: `sha256:${sha256hex(bytes)}`, size: bytes.length };
}

export async function manifestBytes(registry: Registry, repository: string, reference: string): Promise<Buffer> {
  const response = await fetch(`${registry.base}/v2/${repository}/manifests/${reference}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  return Buffer.from(await response.arrayBuffer());
}

const EMPTY = Buffer.from('{}');

// --- Sigstore: mock Fulcio, CT log and Rekor over loopback HTTP -------------------------------

export interface SigstoreLab {
  url: string;
  /** trusted_root.json text for the mock CA, CT log and Rekor. */
  trustedRoot: string;
  stop: () => Promise<void>;
}

const b64 = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Rekor canonicalizes a proposed dsse entry (envelope + verifiers) into hashes and signatures;
 * @sigstore/mock stores proposals verbatim, so the lab does Rekor's part before logging it.
 */
function canonicalDsse(proposed: { kind?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } }): object {
  const content = proposed.spec?.proposedContent;
  if (proposed.kind !== 'dsse' || !content) return proposed;
  const envelope = JSON.parse(content.envelope) as { payload: string; signatures: Array<{ sig: string }> };
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(content.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s, i) => ({ signature: s.sig, verifier: content.verifiers[i] ?? content.verifiers[0] })),
    },
  };
}

export async function startSigstore(clock?: Date): Promise<SigstoreLab> {
  const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ctlog = await initializeCTLog(keyPair(), clock);
  const ca = await initializeCA(keyPair(), ctlog, clock);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tlog = await initializeTLog(url, keyPair(), clock);
  const fulcio = fulcioHandler(ca);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let result: { statusCode: number; response: string | ArrayBufferView; contentType?: string };
        if (req.url === fulcio.path) result = await fulcio.fn(body);
        else if (req.url === '/api/v1/log/entries') result = { statusCode: 201, response: JSON.stringify(await tlog.log(canonicalDsse(JSON.parse(body) as never))), contentType: 'application/json' };
        else result = { statusCode: 404, response: 'not found' };
        res.writeHead(result.statusCode, { 'content-type': result.contentType ?? 'text/plain' });
        res.end(typeof result.response === 'string' ? result.response : Buffer.from(result.response.buffer));
      })();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const start = { start: '2000-01-01T00:00:00Z' };
  const trustedRoot = JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: url, hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: b64(tlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: start }, logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) } }],
    ctlogs: [{ baseUrl: url, hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: b64(ctlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: start }, logId: { keyId: b64(Buffer.from(ctlog.logID.buffer, ctlog.logID.byteOffset, ctlog.logID.byteLength)) } }],
    certificateAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: url, certChain: { certificates: [{ rawBytes: b64(Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength)) }] }, validFor: start }],
    timestampAuthorities: [],
  });
  return { url, trustedRoot, stop: () => new Promise((r) => server.close(() => r())) };
}

// --- Signers ----------------------------------------------------------------------------------

export interface KeyPair {
  privateKey: KeyObject;
  publicPem: string;
}

export function ecKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** A cosign-style key signer (ECDSA P-256, SHA-256) in @sigstore/sign's Signer shape. */
export function keySigner(key: KeyPair): Signer {
  return { sign: async (data) => ({ signature: cryptoSign('sha256', data, key.privateKey), key: { $case: 'publicKey', publicKey: key.publicPem } }) };
}

/** @sigstore/sign's FulcioSigner against the mock, with an (unsigned) OIDC token for this identity. */
export function keylessSigner(lab: SigstoreLab, subject: string, issuer: string): Signer {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: subject, iss: issuer, aud: 'sigstore' })}.`;
  return new FulcioSigner({ fulcioBaseURL: lab.url, identityProvider: { getToken: async () => token }, retry: 0 });
}

export function rekor(lab: SigstoreLab, entryType?: 'dsse'): Witness[] {
  return [new RekorWitness({ rekorBaseURL: lab.url, retry: 0, ...(entryType ? { entryType } : {}) })];
}

export async function signMessage(data: Buffer, signer: Signer, witnesses: Witness[]): Promise<Bundle> {
  return new MessageSignatureBundleBuilder({ signer, witnesses }).create({ data });
}

export async function signDsse(statement: object, signer: Signer, witnesses: Witness[]): Promise<Bundle> {
  return new DSSEBundleBuilder({ signer, witnesses }).create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
}

export function simpleSigningPayload(repository: string, digest: string): Buffer {
  return Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': repository }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }));
}

export function statement(subjects: Array<{ name: string; digest: string }>, predicateType: string, predicate: unknown, version: 'v0.1' | 'v1' = 'v1'): object {
  return { _type: `https://in-toto.io/Statement/${version}`, subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.digest.replace(/^sha256:/, '') } })), predicateType, predicate };
}

// --- Attaching, in both layouts ---------------------------------------------------------------

export type BundleJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function toJson(bundle: Bundle): BundleJson {
  return bundleToJSON(bundle) as BundleJson;
}

function derToPem(derB64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${derB64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** cosign's layer annotations from a bundle: signature, certificate, and the Rekor bundle (SET). */
export function legacyAnnotations(bundle: BundleJson, signature?: string): Record<string, string> {
  const material = bundle.verificationMaterial;
  const cert: string | undefined = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates?.[0]?.rawBytes;
  const entry = material.tlogEntries?.[0];
  return {
    ...(signature ? { 'dev.cosignproject.cosign/signature': signature } : {}),
    ...(cert ? { 'dev.sigstore.cosign/certificate': derToPem(cert) } : {}),
    ...(entry
      ? {
          'dev.sigstore.cosign/bundle': JSON.stringify({
            SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
            Payload: { body: entry.canonicalizedBody, integratedTime: Number(entry.integratedTime), logIndex: Number(entry.logIndex), logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex') },
          }),
        }
      : {}),
  };
}

async function configDescriptor(registry: Registry, repository: string, mediaType: string): Promise<object> {
  return { mediaType, digest: await pushBlob(registry, repository, EMPTY), size: EMPTY.length };
}

/** `sha256-<hex>.sig`: one simple-signing layer per signature. */
export async function attachLegacySignature(registry: Registry, repository: string, imageDigest: string, payload: Buffer, annotations: Record<string, string>): Promise<void> {
  const layerDigest = await pushBlob(registry, repository, payload);
  await putManifest(registry, repository, `${imageDigest.replace(':', '-')}.sig`, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: await configDescriptor(registry, repository, 'application/vnd.oci.image.config.v1+json'),
    layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: layerDigest, size: payload.length, annotations }],
  });
}

/** `sha256-<hex>.att`: one DSSE envelope layer per attestation. */
export async function attachLegacyAttestations(registry: Registry, repository: string, imageDigest: string, bundles: BundleJson[]): Promise<void> {
  const layers = [];
  for (const bundle of bundles) {
    const envelope = Buffer.from(JSON.stringify({ payloadType: bundle.dsseEnvelope.payloadType, payload: bundle.dsseEnvelope.payload, signatures: bundle.dsseEnvelope.signatures }));
    const predicateType = (JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as { predicateType: string }).predicateType;
    layers.push({ mediaType: 'application/vnd.dsse.envelope.v1+json', digest: await pushBlob(registry, repository, envelope), size: envelope.length, annotations: { ...legacyAnnotations(bundle), predicateType } });
  }
  await putManifest(registry, repository, `${imageDigest.replace(':', '-')}.att`, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: await configDescriptor(registry, repository, 'application/vnd.oci.image.config.v1+json'),
    layers,
  });
}

/**
 * cosign v3's layout: each bundle in its own manifest whose subject is the image, found through
 * the referrers API, or (distribution 2.8 has none) the referrers tag `sha256-<hex>` index.
 */
export async function attachBundles(registry: Registry, repository: string, imageDigest: string, bundles: BundleJson[], options: { referrersTag?: boolean } = {}): Promise<void> {
  const image = await manifestBytes(registry, repository, imageDigest);
  const manifests = [];
  for (const bundle of bundles) {
    const bytes = Buffer.from(JSON.stringify(bundle));
    const referrer = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: await configDescriptor(registry, repository, 'application/vnd.oci.empty.v1+json'),
      layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: await pushBlob(registry, repository, bytes), size: bytes.length }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: imageDigest, size: image.length },
    };
    const put = await putManifest(registry, repository, `sha256:${sha256hex(Buffer.from(JSON.stringify(referrer)))}`, referrer);
    manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: put.digest, size: put.size, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });
  }
  if (options.referrersTag === false) return;
  await putManifest(registry, repository, imageDigest.replace(':', '-'), { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, 'application/vnd.oci.image.index.v1+json');
}

/**
 * An OCI 1.1 registry in front of docker-registry (distribution 2.8, which has no referrers API):
 * every request is passed through, and, as the distribution spec asks of a registry that
 * supports referrers, a manifest pushed with a `subject` is indexed and answered with an
 * `OCI-Subject` header, and `GET /v2/<name>/referrers/<digest>` returns an image index of the
 * manifests that name it (with `artifactType` filtering and `OCI-Filters-Applied`).
 */
export async function startReferrersFront(backend: Registry): Promise<Registry & { failReferrers: (status: number | undefined) => void }> {
  const index = new Map<string, Array<Record<string, unknown>>>();
  let failWith: number | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://front');
        const referrers = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
        if (req.method === 'GET' && referrers) {
          if (failWith !== undefined) {
            res.writeHead(failWith).end();
            return;
          }
          const wanted = url.searchParams.get('artifactType');
          const all = index.get(`${referrers[1]}@${referrers[2]}`) ?? [];
          const manifests = wanted === null ? all : all.filter((d) => d.artifactType === wanted);
          res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', ...(wanted === null ? {} : { 'oci-filters-applied': 'artifactType' }) });
          res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const upstream = await fetch(`${backend.base}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}), redirect: 'manual' });
        const out: Record<string, string> = {};
        upstream.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
        });
        const manifestPut = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(url.pathname);
        if (req.method === 'PUT' && manifestPut && upstream.status === 201) {
          const manifest = JSON.parse(body.toString('utf8')) as { mediaType?: string; artifactType?: string; config?: { mediaType?: string }; subject?: { digest?: string }; annotations?: Record<string, string> };
          if (manifest.subject?.digest) {
            const key = `${manifestPut[1]}@${manifest.subject.digest}`;
            const list = index.get(key) ?? [];
            list.push({ mediaType: manifest.mediaType, digest: `sha256:${sha256hex(body)}`, size: body.length, artifactType: manifest.artifactType ?? manifest.config?.mediaType, ...(manifest.annotations ? { annotations: manifest.annotations } : {}) });
            index.set(key, list);
            out['oci-subject'] = manifest.subject.digest;
          }
        }
        res.writeHead(upstream.status, out);
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })().catch((error: unknown) => {
        res.writeHead(502).end(String(error));
      });
    });
  });
  const host = `127.0.0.1:${await freePort()}`;
  await new Promise<void>((r) => server.listen(Number(host.split(':')[1]), '127.0.0.1', () => r()));
  return {
    host,
    base: `http://${host}`,
    work: backend.work,
    failReferrers: (status) => {
      failWith = status;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A model_signing statement over `files` (name → content) as the tool writes it: in-toto v1,
 * predicate https://model_signing/signature/v1.0, resources sorted by name, and the subject the
 * sha256 over their digests in order.
 */
export function manifestStatement(files: Record<string, string>, serialization: Record<string, unknown> = { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['model.sig', '.git'] }, shardSize?: number): object {
  const resources: Array<{ name: string; algorithm: string; digest: string }> = [];
  for (const [name, content] of Object.entries(files)) {
    const bytes = Buffer.from(content);
    if (shardSize === undefined) resources.push({ name, algorithm: 'sha256', digest: sha256hex(bytes) });
    else for (let start = 0; start < bytes.length; start += shardSize) resources.push({ name: `${name}:${start}:${Math.min(bytes.length, start + shardSize)}`, algorithm: 'sha256', digest: sha256hex(bytes.subarray(start, start + shardSize)) });
  }
  resources.sort((a, b) => (a.name < b.name ? -1 : 1));
  const root = createHash('sha256');
  for (const r of resources) root.update(Buffer.from(r.digest, 'hex'));
  return { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'bert', digest: { sha256: root.digest('hex') } }], predicateType: MODEL_SIGNING_PREDICATE, predicate: { serialization, resources } };
}
