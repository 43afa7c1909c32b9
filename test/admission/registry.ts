import { createServer, type Server } from 'node:http';

/**
 * A loopback stand-in for a registry's manifest endpoint, with Docker Hub's bearer-token dance:
 * HEAD/GET /v2/<repo>/manifests/<tag> answers 401 + WWW-Authenticate until a token is presented.
 */
export interface FakeRegistry {
  port: number;
  requests: string[];
  /** Route any registry host to this server (what the resolver's fetch option is for). */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export async function startRegistry(digests: Record<string, string>, options: { delayMs?: number; omitDigestHeader?: boolean } = {}): Promise<FakeRegistry> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: `t-${url.searchParams.get('scope')}` }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    const key = match ? `${match[1]}:${match[2]}` : '';
    if (req.headers.authorization !== `Bearer t-repository:${match?.[1]}:pull`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="fake"` });
      res.end();
      return;
    }
    setTimeout(() => {
      const digest = digests[key];
      if (!digest) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', ...(options.omitDigestHeader ? {} : { 'docker-content-digest': digest }) });
      res.end(req.method === 'GET' ? '{}' : undefined);
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const routed: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    url.protocol = 'http:';
    url.host = `127.0.0.1:${port}`;
    return fetch(url, init);
  };
  return { port, requests, fetch: routed, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
