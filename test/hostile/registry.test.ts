import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../src/scan/image/oci/index.js';
import { digestPath } from '../../src/scan/image/oci/manifest.js';
import { pullToLayout } from '../../src/scan/image/remote/pull.js';
import { parseImageReference } from '../../src/knowledge/index.js';

const sha = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';

/** A registry answering from a table: path → [status, body, headers]. */
function fakeRegistry(routes: Record<string, { status?: number; body: Buffer | string; headers?: Record<string, string> }>, seen: { url: string; authorization?: string }[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ url, ...(headers.authorization ? { authorization: headers.authorization } : {}) });
    const path = new URL(url).pathname;
    const route = routes[path];
    if (!route) return new Response('not found', { status: 404 });
    return new Response(typeof route.body === 'string' ? route.body : new Uint8Array(route.body), { status: route.status ?? 200, headers: route.headers ?? {} });
  }) as typeof fetch;
}

const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
const reference = parseImageReference('registry.example/ml/server:1')!;

describe('hostile registry answers', () => {
  it('turns every malformed manifest, index or blob into one clear error, never a crash (property)', async () => {
    const bad = fc.constantFrom(
      { what: 'not JSON', manifest: '{"schemaVersion": 2, "layers": [', type: MANIFEST_TYPE, code: 'IMAGE_BAD_MANIFEST' },
      { what: 'manifests as an object', manifest: JSON.stringify({ schemaVersion: 2, manifests: { a: 1 } }), type: INDEX_TYPE, code: 'IMAGE_BAD_MANIFEST' },
      { what: 'layers: [null]', manifest: JSON.stringify({ schemaVersion: 2, config: { digest: sha(config), size: config.length }, layers: [null] }), type: MANIFEST_TYPE, code: 'IMAGE_BAD_MANIFEST' },
      { what: 'layer digest escaping blobs/', manifest: JSON.stringify({ schemaVersion: 2, config: { digest: sha(config) }, layers: [{ digest: 'sha256:../../etc/passwd' }] }), type: MANIFEST_TYPE, code: 'IMAGE_BAD_MANIFEST' },
      { what: 'no config', manifest: JSON.stringify({ schemaVersion: 2, layers: [] }), type: MANIFEST_TYPE, code: 'IMAGE_BAD_MANIFEST' },
      { what: 'truncated config blob', manifest: JSON.stringify({ schemaVersion: 2, config: { digest: sha(config), size: config.length }, layers: [] }), type: MANIFEST_TYPE, code: 'IMAGE_DIGEST_MISMATCH', truncate: true },
      { what: 'token realm over plain http', manifest: JSON.stringify({ schemaVersion: 2, config: { digest: sha(config) }, layers: [] }), type: MANIFEST_TYPE, code: 'IMAGE_REMOTE_INSECURE', realm: 'http://tokens.elsewhere.example/token' },
    );
    await fc.assert(
      fc.asyncProperty(bad, fc.nat({ max: 3 }), async (c, cut) => {
        const dir = mkdtempSync(join(tmpdir(), 'palisade-pull-'));
        const seen: { url: string; authorization?: string }[] = [];
        const base = '/v2/ml/server';
        const routes: Parameters<typeof fakeRegistry>[0] = {
          [`${base}/manifests/1`]: c.realm ? { status: 401, body: '', headers: { 'www-authenticate': `Bearer realm="${c.realm}",service="r"` } } : { body: c.manifest, headers: { 'content-type': c.type } },
          [`${base}/blobs/${sha(config)}`]: { body: c.truncate ? config.subarray(0, config.length - 1 - cut) : config },
        };
        const result = await pullToLayout(reference, dir, { fetch: fakeRegistry(routes, seen), credentials: () => ({ username: 'u', password: 'secret' }) });
        expect(result.errors.map((e) => [e.code, e.errorClass])).toEqual([[c.code, 'fatal']]);
        expect(result.errors[0]!.message.length).toBeGreaterThan(10);
        // credentials never left for a plain-http realm; no partial blob is left behind
        expect(seen.filter((s) => s.authorization).map((s) => s.url)).toEqual([]);
        expect(existsSync(join(dir, 'blobs', 'sha256')) ? readdirSync(join(dir, 'blobs', 'sha256')).filter((f) => f.endsWith('.part')) : []).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('stops a pull at the byte limit and says which limit', async () => {
    const big = Buffer.alloc(10_000, 1);
    const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: sha(config) }, layers: [{ digest: sha(big), mediaType: 'application/vnd.oci.image.layer.v1.tar' }] });
    const routes = { '/v2/ml/server/manifests/1': { body: manifest, headers: { 'content-type': MANIFEST_TYPE } }, [`/v2/ml/server/blobs/${sha(config)}`]: { body: config }, [`/v2/ml/server/blobs/${sha(big)}`]: { body: big } };
    const dir = mkdtempSync(join(tmpdir(), 'palisade-pull-'));
    const result = await pullToLayout(reference, dir, { fetch: fakeRegistry(routes), maxBytes: 5_000 });
    expect(result.errors.map((e) => e.code)).toEqual(['IMAGE_REMOTE_LIMIT']);
    expect(result.errors[0]!.message).toContain('limit maxBytes');
  });

  it('stops a pull that stalls at the time limit (a blob that never ends, a manifest that never answers)', async () => {
    for (const stall of ['manifest', 'blob'] as const) {
      const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: sha(config) }, layers: [] });
      // Answers headers, then never sends the rest (or never answers at all) until the pull aborts.
      const stalling = (async (input: string | URL | Request, init?: RequestInit) => {
        const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
        const hang = (): Promise<never> => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
        if (stall === 'manifest') return hang();
        if (path.endsWith('/manifests/1')) return new Response(manifest, { headers: { 'content-type': MANIFEST_TYPE } });
        const body = new ReadableStream({ start: (controller) => void controller.enqueue(new Uint8Array(10)), pull: () => hang() });
        return new Response(body);
      }) as typeof fetch;
      const dir = mkdtempSync(join(tmpdir(), 'palisade-pull-'));
      const result = await pullToLayout(reference, dir, { fetch: stalling, timeoutMs: 100 });
      expect([stall, result.errors.map((e) => e.code)]).toEqual([stall, ['IMAGE_REMOTE_LIMIT']]);
      expect(result.errors[0]!.message).toContain('longer than 100 ms (limit timeoutMs)');
    }
  });

  it('never opens a path for a local digest that is not sha256 + 64 hex (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom('sha256:../../etc/passwd', 'sha256:/etc/passwd', 'sha256:' + 'a'.repeat(63), 'sha256:' + 'A'.repeat(64), 'md5:abc', 'sha256'), fc.string({ maxLength: 80 })), async (digest) => {
        const valid = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.test(digest);
        expect(digestPath(digest) === undefined).toBe(!valid);
        const dir = mkdtempSync(join(tmpdir(), 'palisade-layout-'));
        const { writeFileSync, mkdirSync } = await import('node:fs');
        mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
        writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
        writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MANIFEST_TYPE, digest }] }));
        const image = await readImage(dir, { wanted: () => undefined });
        if (!valid) expect(image.errors.map((e) => e.code)).toEqual(['IMAGE_BAD_MANIFEST']);
      }),
      { numRuns: 60 },
    );
  });
});
