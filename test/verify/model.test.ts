import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey, verifyModel, type Authority } from '../../src/verify/index.js';
import { palisade } from '../helpers/cli.js';
import { ecKeyPair, keySigner, manifestStatement, signDsse, toJson, type BundleJson, type KeyPair } from './lab.js';

/**
 * OpenSSF model signing: bundles made here the way model_signing does (in-toto v1, predicate
 * https://model_signing/signature/v1.0, resources sorted, subject = sha256 over their digests).
 */
const FILES: Record<string, string> = { 'config.json': '{"model_type":"bert"}', 'model.safetensors': 'weights'.repeat(100), 'tokenizer/vocab.txt': 'a\nb\nc\n' };
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let work: string;
let key: KeyPair;
let authority: Authority;
const now = new Date();

async function modelDir(name: string, files = FILES): Promise<string> {
  const dir = join(work, name);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  return dir;
}

async function sign(statementObject: object): Promise<BundleJson> {
  return toJson(await signDsse(statementObject, keySigner(key), []));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'palisade-model-'));
  key = ecKeyPair();
  authority = { name: 'key', keys: [parsePublicKey(key.publicPem, 'model.pub')] };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('verify model', () => {
  it('verifies a directory that matches its manifest, leaving out the signature and .git', async () => {
    const dir = await modelDir('ok');
    const bundle = await sign(manifestStatement(FILES));
    await writeFile(join(dir, 'model.sig'), JSON.stringify(bundle));
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main');
    const outcome = await verifyModel(dir, bundle, authority, { now, ignoreTlog: true }, { signaturePath: join(dir, 'model.sig') });
    expect(outcome).toEqual({ verified: true, signer: { key: 'model.pub' }, modelName: 'bert', files: 3, failures: [], mismatched: [], missing: [], added: [] });
  });

  it('names every changed, missing and added file', async () => {
    const dir = await modelDir('changed');
    const bundle = await sign(manifestStatement(FILES));
    await writeFile(join(dir, 'model.safetensors'), 'weights'.repeat(99) + 'evil!!!');
    await unlink(join(dir, 'tokenizer/vocab.txt'));
    await writeFile(join(dir, 'extra.pkl'), 'cos\nsystem\n');
    const outcome = await verifyModel(dir, bundle, authority, { now, ignoreTlog: true });
    expect([outcome.verified, outcome.mismatched, outcome.missing, outcome.added]).toEqual([false, ['model.safetensors'], ['tokenizer/vocab.txt'], ['extra.pkl']]);
    expect(outcome.failures.map((f) => f.reason)).toEqual(['digest-mismatch', 'digest-mismatch', 'digest-mismatch']);
  });

  it('catches a manifest whose resources do not hash to the signed subject', async () => {
    const dir = await modelDir('inconsistent');
    const statement = manifestStatement(FILES) as { predicate: { resources: Array<{ digest: string }> } };
    statement.predicate.resources[0]!.digest = sha('other');
    const outcome = await verifyModel(dir, await sign(statement), authority, { now, ignoreTlog: true });
    expect(outcome.failures.map((f) => f.reason)).toEqual(['tampered']);
  });

  it('catches a flipped byte in the signed payload, and another key', async () => {
    const dir = await modelDir('tampered');
    const bundle = await sign(manifestStatement(FILES));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    payload[30] = (payload[30] as number) ^ 1;
    bundle.dsseEnvelope.payload = payload.toString('base64');
    expect((await verifyModel(dir, bundle, authority, { now, ignoreTlog: true })).verified).toBe(false);
    const other: Authority = { name: 'other', keys: [parsePublicKey(ecKeyPair().publicPem, 'other.pub')] };
    const good = await sign(manifestStatement(FILES));
    expect((await verifyModel(dir, good, other, { now, ignoreTlog: true })).failures.map((f) => f.reason)).toEqual(['untrusted']);
  });

  it('verifies the shards serialization', async () => {
    const dir = await modelDir('shards');
    const bundle = await sign(manifestStatement(FILES, { method: 'shards', hash_type: 'sha256', shard_size: 64, allow_symlinks: false }, 64));
    expect((await verifyModel(dir, bundle, authority, { now, ignoreTlog: true })).verified).toBe(true);
    await writeFile(join(dir, 'config.json'), '{"model_type":"gpt2"}');
    expect((await verifyModel(dir, bundle, authority, { now, ignoreTlog: true })).mismatched).toEqual(['config.json']);
  });

  it('the CLI: exit 0 verified, 1 with the files named, 2 without a signature', async () => {
    const dir = await modelDir('cli');
    await writeFile(join(dir, 'model.sig'), JSON.stringify(await sign(manifestStatement(FILES))));
    const keyFile = join(work, 'model.pub');
    await writeFile(keyFile, key.publicPem);
    const ok = palisade(['verify', 'model', dir, '--key', keyFile]);
    expect([ok.status, ok.stdout]).toEqual([0, `✓ ${dir}: verified\n  signed by key ${keyFile}\n  3 file(s) checked for model bert\n`]);
    await writeFile(join(dir, 'config.json'), '{}');
    const bad = palisade(['verify', 'model', dir, '--key', keyFile]);
    expect([bad.status, bad.stdout.split('\n')[0]]).toEqual([1, `✗ ${dir}: not verified: digest mismatch`]);
    expect(bad.stdout).toContain('1 file(s) differ from the signed manifest: config.json');
    const badJson = palisade(['verify', 'model', dir, '--key', keyFile, '--format', 'json']);
    expect([badJson.status, (JSON.parse(badJson.stdout) as { findings: Array<{ checkId: string }> }).findings.map((f) => f.checkId)]).toEqual([1, ['MODEL_SIGNATURE_INVALID']]);
    const none = palisade(['verify', 'model', join(work, 'ok'), '--key', keyFile, '--signature', join(work, 'nope.sig')]);
    expect(none.status).toBe(2);
  });
});
