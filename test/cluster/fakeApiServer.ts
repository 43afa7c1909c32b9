import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createServingPair } from '../../src/admission/x509.js';

/**
 * A stand-in for the Kubernetes API server on loopback HTTPS: discovery (/api/v1, /apis, group
 * versions), lists with limit/continue (items without apiVersion/kind for built-in types, as the
 * real server writes them), GET of one object, 401 without the token, 403 for the permissions a
 * test withholds (with the Status body the real server sends), 410 for an expired continue token,
 * and create/update of PolicyReports, recorded for the write-back tests.
 */

type Obj = Record<string, unknown>;

interface DiscoveryResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}
interface DiscoveryGroup {
  name: string;
  preferredVersion: { groupVersion: string; version: string };
  versions: Array<{ groupVersion: string; version: string }>;
  resources: Record<string, { kind: string; groupVersion: string; resources: DiscoveryResource[] }>;
}
export interface Discovery {
  core: { kind: string; groupVersion: string; resources: DiscoveryResource[] };
  groups: DiscoveryGroup[];
}

const FIXTURES = new URL('../fixtures/cluster/', import.meta.url);
export const fixtureObjects = (): Obj[] => JSON.parse(readFileSync(new URL('objects.json', FIXTURES), 'utf8')) as Obj[];
export const fixtureDiscovery = (): Discovery => JSON.parse(readFileSync(new URL('discovery.json', FIXTURES), 'utf8')) as Discovery;

export interface Permission {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

export interface FakeApiOptions {
  objects?: Obj[];
  discovery?: Discovery;
  token?: string;
  /** Refused permissions: a list or get matching one answers 403. */
  forbid?: Permission[];
  /** The first continue token presented answers 410 Gone (with an inconsistent token when true). */
  expireContinue?: false | 'restart' | 'inconsistent';
  /** Upper bound the server puts on `limit` (the real one honours the client's). */
  maxPageSize?: number;
  /** RBAC in one function: a request it does not allow answers 403 (discovery is always allowed). */
  allow?: (verb: string, group: string, resource: string, namespace?: string) => boolean;
  /** The CRD's schema: a written object it rejects answers 422 Invalid, with the returned message. */
  validateWrites?: (object: Obj) => string | undefined;
}

export interface FakeApi {
  url: string;
  caPem: string;
  token: string;
  /** "METHOD path?query" of every request, in order. */
  requests: string[];
  /** Objects created or updated through the API (PolicyReports), by "kind ns/name". */
  written: Map<string, Obj>;
  /** Write requests in order: "POST /apis/…" with the object's kind/ns/name. */
  writes: string[];
  kubeconfig(options?: { context?: string; token?: string }): string;
  close(): Promise<void>;
}

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy']);

export async function startFakeApiServer(options: FakeApiOptions = {}): Promise<FakeApi> {
  const objects = options.objects ?? fixtureObjects();
  const discovery = options.discovery ?? fixtureDiscovery();
  const token = options.token ?? 'palisade-test-token';
  const forbid = options.forbid ?? [];
  let expire = options.expireContinue ?? false;
  const requests: string[] = [];
  const written = new Map<string, Obj>();
  const writes: string[] = [];
  let rv = 90000;

  // group/version/resource → kind info
  const kinds = new Map<string, { group: string; version: string; resource: DiscoveryResource }>();
  for (const r of discovery.core.resources) kinds.set(`|v1|${r.name}`, { group: '', version: 'v1', resource: r });
  for (const g of discovery.groups) for (const [version, list] of Object.entries(g.resources)) for (const r of list.resources) kinds.set(`${g.name}|${version}|${r.name}`, { group: g.name, version, resource: r });

  const groupOf = (o: Obj): string => {
    const apiVersion = String(o.apiVersion);
    return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  };
  const metaOf = (o: Obj): { name?: string; namespace?: string } => (o.metadata ?? {}) as { name?: string; namespace?: string };

  const { ca, serving } = createServingPair(['localhost'], 2, ['127.0.0.1']);
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const status = (res: ServerResponse, code: number, reason: string, message: string, details: Obj = {}, metadata: Obj = {}): void =>
    send(res, code, { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, details, code });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'https://fake');
    const path = url.pathname;
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }] });
    if (path === '/api/v1') return send(res, 200, discovery.core);
    if (path === '/apis') return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: discovery.groups.map(({ name, versions, preferredVersion }) => ({ name, versions, preferredVersion })) });
    const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (groupVersion) {
      const list = discovery.groups.find((g) => g.name === groupVersion[1])?.resources[groupVersion[2]!];
      return list ? send(res, 200, list) : status(res, 404, 'NotFound', 'the server could not find the requested resource');
    }
    // /api/v1[/namespaces/NS]/RESOURCE[/NAME] or /apis/G/V[/namespaces/NS]/RESOURCE[/NAME]
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const namespace = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
    const resource = m[5]!;
    const name = m[6] === undefined ? undefined : decodeURIComponent(m[6]);
    const info = kinds.get(`${group}|${version}|${resource}`);
    if (!info) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const kind = info.resource.kind;
    const verb = req.method === 'GET' ? (name === undefined ? 'list' : 'get') : req.method === 'POST' ? 'create' : req.method === 'PUT' ? 'update' : req.method === 'PATCH' ? 'patch' : 'delete';
    const refused = forbid.find((p) => p.verb === verb && p.group === group && p.resource === resource && (p.namespace === undefined || p.namespace === namespace)) ?? (options.allow && !options.allow(verb, group, resource, namespace) ? true : undefined);
    if (refused) {
      const scope = namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return status(res, 403, 'Forbidden', `${resource}${group ? `.${group}` : ''}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:palisade:palisade-audit" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`, { ...(name ? { name } : {}), ...(group ? { group } : {}), kind: resource });
    }
    const apiVersion = group === '' ? version : `${group}/${version}`;
    const matches = (o: Obj): boolean => o.kind === kind && groupOf(o) === group && (namespace === undefined || metaOf(o).namespace === namespace);

    if (req.method === 'GET' && name === undefined) {
      const all = [...objects.filter(matches), ...[...written.values()].filter(matches)];
      const limit = Math.min(Number(url.searchParams.get('limit') ?? all.length) || all.length, options.maxPageSize ?? Infinity);
      const cont = url.searchParams.get('continue');
      if (cont !== null && expire) {
        const mode = expire;
        expire = false;
        const start = Number(Buffer.from(cont, 'base64url').toString().split(':')[1]);
        return status(res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.', {}, mode === 'inconsistent' ? { continue: Buffer.from(`${resource}:${start}:inconsistent`).toString('base64url') } : {});
      }
      const start = cont === null ? 0 : Number(Buffer.from(cont, 'base64url').toString().split(':')[1]);
      const page = all.slice(start, start + limit);
      const rest = all.length - start - page.length;
      // Built-in lists carry apiVersion/kind on the list only; custom resources keep them on items.
      const items = BUILT_IN_GROUPS.has(group) ? page.map(({ apiVersion: _a, kind: _k, ...item }) => item) : page;
      return send(res, 200, { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: String(rv), ...(rest > 0 ? { continue: Buffer.from(`${resource}:${start + page.length}`).toString('base64url'), remainingItemCount: rest } : {}) }, items });
    }
    if (req.method === 'GET') {
      const found = [...objects, ...written.values()].find((o) => matches(o) && metaOf(o).name === name);
      return found ? send(res, 200, found) : status(res, 404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });
    }
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj;
      const bodyName = req.method === 'PATCH' ? name : metaOf(body).name;
      const key = `${kind} ${namespace ?? ''}/${bodyName}`;
      writes.push(`${req.method} ${path} ${key}`);
      if (req.method === 'POST' && written.has(key)) return status(res, 409, 'AlreadyExists', `${resource}.${group} "${bodyName}" already exists`, { name: bodyName, group, kind: resource });
      if (req.method !== 'POST' && !written.has(key)) return status(res, 404, 'NotFound', `${resource}.${group} "${bodyName}" not found`, { name: bodyName, group, kind: resource });
      if (req.method === 'PATCH' && req.headers['content-type'] !== 'application/merge-patch+json') return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      // RFC 7386: objects merge key by key, anything else (arrays included) replaces.
      const merge = (target: unknown, patch: unknown): unknown => {
        if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
        const out: Obj = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
        for (const [k, v] of Object.entries(patch as Obj)) {
          if (v === null) delete out[k];
          else out[k] = merge(out[k], v);
        }
        return out;
      };
      const next = req.method === 'PATCH' ? (merge(written.get(key), body) as Obj) : body;
      const stored = { ...next, metadata: { ...(next.metadata as Obj), ...(namespace ? { namespace } : {}), resourceVersion: String(++rv), uid: (written.get(key)?.metadata as Obj | undefined)?.uid ?? `written-${written.size}` } };
      const invalid = options.validateWrites?.(stored);
      if (invalid) return status(res, 422, 'Invalid', `${kind}.${group} "${bodyName}" is invalid: ${invalid}`, { name: bodyName, group, kind });
      written.set(key, stored);
      return send(res, req.method === 'POST' ? 201 : 200, stored);
    }
    return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported here`);
  };

  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => status(res, 500, 'InternalError', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    caPem: ca.certPem,
    token,
    requests,
    written,
    writes,
    kubeconfig: ({ context = 'fake', token: userToken = token } = {}) => `apiVersion: v1
kind: Config
current-context: ${context}
contexts:
- name: ${context}
  context: {cluster: loop, user: auditor, namespace: ml-serving}
clusters:
- name: loop
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}
users:
- name: auditor
  user: {token: ${userToken}}
`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
