// A tiny in-memory OCI distribution server on loopback for benches: manifests by tag or digest,
// blobs by digest, 404 for everything else (the referrers API included, as in distribution 2.8).
// Benches that need a registry without Debian's docker-registry use it; tests use the real one.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function startFakeRegistry() {
  const manifests = new Map(); // `${repo}@${reference}` -> { bytes, mediaType }
  const blobs = new Map(); // digest -> bytes
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(req.url ?? '');
    if (req.url === '/v2/' || req.url === '/v2') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const found = match && (match[2] === 'manifests' ? manifests.get(`${match[1]}@${match[3]}`) : blobs.has(match[3]) ? { bytes: blobs.get(match[3]), mediaType: 'application/octet-stream' } : undefined);
    if (!found) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"not found"}]}');
    res.writeHead(200, { 'content-type': found.mediaType, 'content-length': found.bytes.length, 'docker-content-digest': sha256(found.bytes) });
    res.end(req.method === 'HEAD' ? undefined : found.bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${server.address().port}`;
  return {
    host,
    get requests() {
      return requests;
    },
    blob(bytes) {
      const digest = sha256(bytes);
      blobs.set(digest, bytes);
      return { digest, size: bytes.length };
    },
    /** Store a manifest under its digest (and a tag, if given); returns its digest. */
    manifest(repo, manifest, tag) {
      const bytes = Buffer.from(JSON.stringify(manifest));
      const entry = { bytes, mediaType: manifest.mediaType };
      const digest = sha256(bytes);
      manifests.set(`${repo}@${digest}`, entry);
      if (tag) manifests.set(`${repo}@${tag}`, entry);
      return digest;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
