// A minimal loopback HTTPS Kubernetes API for the cluster bench: discovery of the core and apps
// groups, paginated lists (limit/continue), items without apiVersion/kind as the real server writes them.
import { createServer } from 'node:https';

export async function startApi(objects, { token, cert, key }) {
  const core = ['pods/Pod', 'namespaces/Namespace!', 'services/Service', 'serviceaccounts/ServiceAccount', 'resourcequotas/ResourceQuota', 'limitranges/LimitRange', 'podtemplates/PodTemplate', 'replicationcontrollers/ReplicationController'];
  const apps = ['deployments/Deployment', 'replicasets/ReplicaSet', 'statefulsets/StatefulSet', 'daemonsets/DaemonSet'];
  const list = (gv, entries) => ({ kind: 'APIResourceList', groupVersion: gv, resources: entries.map((e) => ({ name: e.split('/')[0], kind: e.split('/')[1].replace('!', ''), namespaced: !e.endsWith('!'), verbs: ['get', 'list', 'watch'] })) });
  const byResource = new Map();
  for (const o of objects) {
    const entry = [...core, ...apps].find((e) => e.split('/')[1].replace('!', '') === o.kind);
    const resource = entry.split('/')[0];
    if (!byResource.has(resource)) byResource.set(resource, []);
    byResource.get(resource).push(o);
  }
  const server = createServer({ cert, key }, (req, res) => {
    const send = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { kind: 'Status', code: 401 });
    const url = new URL(req.url, 'https://x');
    if (url.pathname === '/api/v1') return send(200, list('v1', core));
    if (url.pathname === '/apis') return send(200, { kind: 'APIGroupList', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
    if (url.pathname === '/apis/apps/v1') return send(200, list('apps/v1', apps));
    const m = /^\/(?:api\/v1|apis\/apps\/v1)\/([a-z]+)$/.exec(url.pathname);
    if (!m) return send(404, { kind: 'Status', code: 404 });
    const all = byResource.get(m[1]) ?? [];
    const limit = Number(url.searchParams.get('limit') ?? all.length);
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = all.slice(start, start + limit).map(({ apiVersion: _a, kind: _k, ...item }) => item);
    const next = start + page.length;
    return send(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next < all.length ? { continue: String(next) } : {}) }, items: page });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}
