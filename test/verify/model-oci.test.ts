import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerIsRawFile, parsePublicKey, verifyModelLayers, type ArtifactLayer, type Authority } from '../../src/verify/index.js';
import { palisade } from '../helpers/cli.js';
import { ecKeyPair, haveTools, keySigner, manifestStatement, pushBlob, putManifest, sha256hex, signDsse, startRegistry, toJson, type BundleJson, type KeyPair, type Registry } from './lab.js';

/**
 * OpenSSF model signatures checked against OCI model artifacts without pulling the weights: a
 * ModelPack artifact (and files pushed the ORAS way) in Debian's docker-registry on loopback,
 * verified by `palisade verify model oci://REF`, and the layer rules on their own.
 */
const missing = haveTools();
if (missing) console.warn(`skipping the OCI model artifact tests: ${missing}`);

const FILES: Record<string, string> = { 'config.json': '{"model_type":"bert"}', 'model.safetensors': 'weights'.repeat(100), 'tokenizer/vocab.txt': 'a\nb\nc\n' };
const RAW = 'application/vnd.cncf.model.weight.v1.raw';
const PATH = 'org.cncf.model.filepath';

let registry: Registry;
let key: KeyPair;
let authority: Authority;
let keyFile: string;
const now = new Date();

const sign = async (files: Record<string, string> = FILES): Promise<BundleJson> => toJson(await signDsse(manifestStatement(files), keySigner(key), []));
const digestOf = (content: string): string => `sha256:${sha256hex(content)}`;
const layer = (path: string, content: string, mediaType = RAW, annotations: Record<string, string> = { [PATH]: path }): ArtifactLayer => ({ mediaType, digest: digestOf(content), size: Buffer.byteLength(content), annotations });

/** Push a ModelPack artifact whose layers hold `files` as they are, plus model.sig when given. */
async function pushModel(repo: string, files: Record<string, string>, signature?: BundleJson): Promise<void> {
  const layers = [];
  const all = { ...files, ...(signature ? { 'model.sig': JSON.stringify(signature) } : {}) };
  for (const [path, content] of Object.entries(all)) {
    await pushBlob(registry, repo, Buffer.from(content));
    layers.push(layer(path, content, path === 'model.sig' ? 'application/vnd.dev.sigstore.bundle.v0.3+json' : RAW));
  }
  const config = Buffer.from(JSON.stringify({ descriptor: { name: 'bert' }, modelfs: { type: 'layers', diffIds: layers.map((l) => l.digest) } }));
  await pushBlob(registry, repo, config);
  await putManifest(registry, repo, '1', { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.cncf.model.manifest.v1+json', config: { mediaType: 'application/vnd.cncf.model.config.v1+json', digest: `sha256:${sha256hex(config)}`, size: config.length }, layers });
}

beforeAll(async () => {
  key = ecKeyPair();
  authority = { name: 'key', keys: [parsePublicKey(key.publicPem, 'model.pub')] };
  if (missing) return;
  registry = await startRegistry();
  keyFile = join(registry.work, 'model.pub');
  await writeFile(keyFile, key.publicPem);
}, 60_000);

afterAll(async () => {
  await registry?.stop();
});

describe('verifyModelLayers: the signed files against the artifact manifest', () => {
  it('raw layers whose digests are the signed files verify; the signature layer is left out', async () => {
    const bundle = await sign();
    const layers = [...Object.entries(FILES).map(([p, c]) => layer(p, c)), layer('model.sig', JSON.stringify(bundle), 'application/vnd.dev.sigstore.bundle.v0.3+json')];
    expect(verifyModelLayers(layers, bundle, authority, { now, ignoreTlog: true }, { signatureLayerPath: 'model.sig' })).toEqual({ verified: true, signer: { key: 'model.pub' }, modelName: 'bert', files: 3, failures: [], mismatched: [], missing: [], added: [] });
  });

  it('a swapped, a dropped and an added layer are each named', async () => {
    const bundle = await sign();
    const layers = [layer('config.json', FILES['config.json'] as string), layer('model.safetensors', 'weights'.repeat(99) + 'evil!!!'), layer('extra.pkl', 'cos\nsystem\n')];
    const outcome = verifyModelLayers(layers, bundle, authority, { now, ignoreTlog: true });
    expect([outcome.verified, outcome.mismatched, outcome.missing, outcome.added]).toEqual([false, ['model.safetensors'], ['tokenizer/vocab.txt'], ['extra.pkl']]);
  });

  it('archives, unnamed layers, other digests and duplicate paths are never passed', async () => {
    const bundle = await sign();
    const files = Object.entries(FILES).map(([p, c]) => layer(p, c));
    const cases: Array<[ArtifactLayer[], string]> = [
      [[...files.slice(0, 2), layer('tokenizer/vocab.txt', 'x', 'application/vnd.cncf.model.weight.v1.tar')], 'layer tokenizer/vocab.txt is an archive (application/vnd.cncf.model.weight.v1.tar); its files cannot be checked without unpacking it'],
      [[...files, { mediaType: RAW, digest: digestOf('z') }], `layer 3 (${digestOf('z')}) names no file path (org.cncf.model.filepath, org.cnai.model.filepath, org.opencontainers.image.title)`],
      [[...files.slice(0, 2), { ...layer('tokenizer/vocab.txt', 'a\nb\nc\n'), digest: `sha512:${'0'.repeat(128)}` }], `layer tokenizer/vocab.txt has digest sha512:${'0'.repeat(128)}; the signature's files are sha256`],
      [[...files, layer('config.json', FILES['config.json'] as string)], 'two layers unpack to config.json'],
    ];
    for (const [layers, message] of cases) {
      const outcome = verifyModelLayers(layers, bundle, authority, { now, ignoreTlog: true });
      expect(outcome.verified, message).toBe(false);
      expect(outcome.failures.map((f) => f.message)).toContain(message);
    }
  });

  it('a shards signature needs the bytes: unsupported, not verified', async () => {
    const bundle = toJson(await signDsse(manifestStatement(FILES, { method: 'shards', hash_type: 'sha256', shard_size: 100, allow_symlinks: false, ignore_paths: [] }, 100), keySigner(key), []));
    const outcome = verifyModelLayers(Object.entries(FILES).map(([p, c]) => layer(p, c)), bundle, authority, { now, ignoreTlog: true });
    expect(outcome.verified).toBe(false);
    expect(outcome.failures[0]).toEqual({ reason: 'unsupported', message: 'a shards model signature needs the file bytes; verify the pulled model directory instead' });
  });

  it('which layers hold a file as it is: ModelPack by media type, ORAS unless marked for unpacking', () => {
    const title = (t: string, extra: Record<string, string> = {}) => ({ 'org.opencontainers.image.title': t, ...extra });
    expect(
      [
        { mediaType: RAW, digest: 'x' },
        { mediaType: 'application/vnd.cncf.model.weight.v1.tar', digest: 'x' },
        { mediaType: 'application/vnd.cnai.model.weight.v1.tar+gzip', digest: 'x' },
        { mediaType: 'application/vnd.cncf.model.weight.config.v1.raw', digest: 'x' },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: 'x', annotations: title('model.bin') },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'x', annotations: title('weights', { 'io.deis.oras.content.unpack': 'true' }) },
        { mediaType: 'application/octet-stream', digest: 'x' },
      ].map(layerIsRawFile),
    ).toEqual([true, false, false, true, true, false, true]);
  });
});

describe.skipIf(missing !== undefined)('palisade verify model oci://REF against a real registry', () => {
  it('exit 0 for a signed ModelPack artifact (signature read from its model.sig layer), 1 when a layer was swapped', async () => {
    await pushModel('models/bert', FILES, await sign());
    const ok = palisade(['verify', 'model', `oci://${registry.host}/models/bert:1`, '--key', keyFile]);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toBe(`✓ oci://${registry.host}/models/bert:1: verified\n  signed by key ${keyFile}\n  3 file(s) checked for model bert\n`);

    await pushModel('models/swapped', { ...FILES, 'model.safetensors': 'weights'.repeat(99) + 'evil!!!' }, await sign());
    const bad = palisade(['verify', 'model', `oci://${registry.host}/models/swapped:1`, '--key', keyFile]);
    expect(bad.status).toBe(1);
    expect(bad.stdout.split('\n').slice(0, 3)).toEqual([`✗ oci://${registry.host}/models/swapped:1: not verified: digest mismatch`, `  signed by key ${keyFile}`, '  3 file(s) checked for model bert']);
    expect(bad.stdout).toContain('1 file(s) differ from the signed manifest: model.safetensors');
  });

  it('a signature given on the command line; exit 2 when the artifact has none, or the reference is wrong', async () => {
    await pushModel('models/unsigned-layer', FILES);
    const sigFile = join(registry.work, 'bert.sig');
    await writeFile(sigFile, JSON.stringify(await sign()));
    const ok = palisade(['verify', 'model', `oci://${registry.host}/models/unsigned-layer:1`, '--key', keyFile, '--signature', sigFile]);
    expect(ok.status).toBe(0);
    const none = palisade(['verify', 'model', `oci://${registry.host}/models/unsigned-layer:1`, '--key', keyFile]);
    expect([none.status, none.stderr.trim()]).toEqual([2, `palisade: oci://${registry.host}/models/unsigned-layer:1: the artifact has no model.sig layer; give --signature`]);
    const gone = palisade(['verify', 'model', `oci://${registry.host}/models/nothing:1`, '--key', keyFile]);
    expect(gone.status).toBe(2);
  });
});
