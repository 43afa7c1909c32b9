import { PalisadeError } from '../core/errors.js';
import { ApiError, type KubeClient } from './client.js';
import { collectionPath, discover, kindKey, objectPath, type ServedKind } from './discovery.js';
import { shardOf } from './job.js';
import { READ_KINDS, type ReadKind } from './kinds.js';
import { stripServerFields, type ObjectOrigin, originOf } from './objects.js';

type Obj = Record<string, unknown>;

/** One object read from the cluster, stripped of server-populated fields. */
export interface ClusterObject {
  object: Obj;
  served: ServedKind;
  /** The object's own URL: its stable location in reports. */
  url: string;
  /** Where the object is managed from (Argo CD, Flux, Helm, kubectl apply), read before stripping. */
  origin?: ObjectOrigin;
  /** The object's status as the API server reported it, kept only when asked (`keepStatus`: scan image reads the pods' imageIDs). */
  status?: Obj;
}

export interface ReadOptions {
  /** One namespace (-n); all when absent. */
  namespace?: string;
  /** This run's share of the namespaces (the in-cluster job's --shard-by namespace): index of count. */
  shard?: { index: number; count: number };
  /** Items per list page (the API server's `limit`). */
  pageSize?: number;
  /** Lists read at once. */
  concurrency?: number;
  kinds?: readonly ReadKind[];
  /** Keep each object's status beside it (it is stripped from the object either way). */
  keepStatus?: boolean;
}

export interface KindRead {
  kind: string;
  group: string;
  version: string;
  resource: string;
  objects: number;
  pages: number;
}

export interface ClusterRead {
  server: string;
  objects: ClusterObject[];
  /** A kind that could not be read is an error here; the other kinds are still returned. */
  errors: PalisadeError[];
  /** Permissions that were refused: what to grant for a complete read. */
  forbidden: Array<{ verb: string; group: string; resource: string; namespace?: string }>;
  kinds: KindRead[];
  /** Table kinds the cluster does not serve (their CRD is not installed). */
  notServed: string[];
  /** What this read covers: the namespaces read (every one unless -n or a shard), and whether it speaks for the cluster-scoped objects. */
  scope: { namespaces: string[]; cluster: boolean };
}

/**
 * Read every kind of the table that the cluster serves: paginated lists (limit/continue), all
 * namespaces or one. A list refused (403) or failing is reported and the rest is still read;
 * only a cluster that cannot be reached or authenticated against at all throws.
 */
export async function readCluster(client: KubeClient, options: ReadOptions = {}): Promise<ClusterRead> {
  const kinds = options.kinds ?? READ_KINDS;
  let served: Map<string, ServedKind>;
  try {
    served = await discover(client, kinds);
  } catch (error) {
    throw fatal(client, error, 'discovery (GET /api/v1, /apis)');
  }
  const result: ClusterRead = { server: client.server, objects: [], errors: [], forbidden: [], kinds: [], notServed: [], scope: { namespaces: [], cluster: options.namespace === undefined && (options.shard === undefined || options.shard.index === 0) } };
  const rows: Array<{ row: ReadKind; kind: ServedKind }> = [];
  for (const row of kinds) {
    const group = row.groups.find((g) => served.has(kindKey(g, row.kind)));
    if (group === undefined) {
      result.notServed.push(`${row.kind}${row.groups[0] ? `.${row.groups[0]}` : ''}`);
      continue;
    }
    const kind = served.get(kindKey(group, row.kind))!;
    if (!kind.verbs.includes('list') && !(row.kind === 'Namespace' && options.namespace !== undefined)) continue;
    rows.push({ row, kind });
  }
  // Which namespaces: -n names one; a shard lists them all first and keeps its share.
  let namespaces: string[] | undefined;
  const namespaceRow = rows.find((r) => r.kind.kind === 'Namespace' && r.kind.group === '');
  if (options.namespace !== undefined) namespaces = [options.namespace];
  else if (options.shard && namespaceRow) {
    try {
      const all = await readKind(client, namespaceRow.kind, undefined, options);
      const mine = all.objects.filter((o) => shardOf(String((o.object.metadata as { name?: string }).name), options.shard!.count) === options.shard!.index);
      namespaces = mine.map((o) => String((o.object.metadata as { name?: string }).name));
      result.objects.push(...mine);
      result.kinds.push({ ...all.read, objects: mine.length });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw fatal(client, error, `${error.method} ${error.path}`);
      // Without the namespace list a shard cannot know its share: nothing would be true.
      throw new PalisadeError('CLUSTER_UNREADABLE', `--shard-by namespace needs to list namespaces: ${(error as Error).message}`, { errorClass: 'fatal', location: { file: client.server, line: 1, column: 1 } });
    }
  }
  const jobs: Array<{ kind: ServedKind; namespace?: string }> = [];
  for (const { kind } of rows) {
    if (kind.kind === 'Namespace' && kind.group === '') {
      if (options.shard && options.namespace === undefined) continue;
      jobs.push({ kind, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) });
    } else if (kind.namespaced && namespaces !== undefined) for (const namespace of namespaces) jobs.push({ kind, namespace });
    else jobs.push({ kind });
  }
  const perJob: Array<{ objects: ClusterObject[]; read: KindRead } | undefined> = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const { kind, namespace } = jobs[index]!;
      try {
        perJob[index] = await readKind(client, kind, namespace, options);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) throw fatal(client, error, `${error.method} ${error.path}`);
        result.errors.push(kindError(client, kind, namespace, error, result));
        perJob[index] = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  const counted = new Map(result.kinds.map((k) => [`${k.group}|${k.kind}`, k]));
  for (const part of perJob) {
    if (!part) continue;
    result.objects.push(...part.objects);
    // A kind read namespace by namespace is one row: objects and pages summed.
    const known = counted.get(`${part.read.group}|${part.read.kind}`);
    if (known) {
      known.objects += part.read.objects;
      known.pages += part.read.pages;
    } else {
      const row = { ...part.read };
      counted.set(`${row.group}|${row.kind}`, row);
      result.kinds.push(row);
    }
  }
  result.scope.namespaces = namespaces ?? result.objects.filter((o) => o.object.kind === 'Namespace' && o.served.group === '').map((o) => String((o.object.metadata as { name?: string }).name));
  return result;
}

async function readKind(client: KubeClient, kind: ServedKind, namespace: string | undefined, options: ReadOptions): Promise<{ objects: ClusterObject[]; read: KindRead }> {
  const read: KindRead = { kind: kind.kind, group: kind.group, version: kind.version, resource: kind.resource, objects: 0, pages: 0 };
  const objects: ClusterObject[] = [];
  const apiVersion = kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
  const add = (item: Obj): void => {
    // Built-in lists omit apiVersion/kind on items; custom resources carry them.
    const object = item.apiVersion === apiVersion && item.kind === kind.kind ? item : { apiVersion, kind: kind.kind, ...item };
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const origin = originOf(object);
    const status = options.keepStatus && object.status !== null && typeof object.status === 'object' ? { status: object.status as Obj } : {};
    objects.push({ object: stripServerFields(object), served: kind, url: client.server + objectPath(kind, metadata.name ?? '', metadata.namespace), ...(origin ? { origin } : {}), ...status });
  };
  // With -n, the namespace itself is read with a GET (its PSA labels decide the level).
  if (kind.kind === 'Namespace' && kind.group === '' && namespace !== undefined) {
    add(await client.get(objectPath(kind, namespace)));
    read.objects = 1;
    read.pages = 1;
    return { objects, read };
  }
  const base = collectionPath(kind, namespace);
  const limit = options.pageSize ?? 500;
  let token: string | undefined;
  let restarted = false;
  for (;;) {
    const query = `?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    let page: { items?: Obj[]; metadata?: { continue?: string } };
    try {
      page = await client.get(base + query);
    } catch (error) {
      // 410 Gone: the continue token outlived etcd's compaction. The Status carries an
      // inconsistent-continue token when the server allows one; else the list starts over, once.
      if (error instanceof ApiError && error.status === 410 && token !== undefined) {
        const inconsistent = error.body?.metadata?.continue;
        if (inconsistent) {
          token = inconsistent;
          continue;
        }
        if (!restarted) {
          restarted = true;
          token = undefined;
          objects.length = 0;
          read.pages = 0;
          continue;
        }
      }
      throw error;
    }
    read.pages++;
    for (const item of page.items ?? []) add(item);
    token = page.metadata?.continue || undefined;
    if (!token) break;
  }
  read.objects = objects.length;
  return { objects, read };
}

function kindError(client: KubeClient, kind: ServedKind, namespace: string | undefined, error: unknown, result: ClusterRead): PalisadeError {
  const scope = namespace !== undefined && kind.namespaced ? `in namespace "${namespace}"` : 'at the cluster scope';
  const label = kind.group === '' ? kind.resource : `${kind.resource}.${kind.group}`;
  const location = { file: client.server + collectionPath(kind, namespace), line: 1, column: 1 };
  const verb = kind.kind === 'Namespace' && namespace !== undefined ? 'get' : 'list';
  if (error instanceof ApiError && error.status === 403) {
    result.forbidden.push({ verb, group: kind.group, resource: kind.resource, ...(namespace !== undefined && kind.namespaced ? { namespace } : {}) });
    return new PalisadeError(
      'CLUSTER_FORBIDDEN',
      `cannot ${verb} ${label} ${scope}: missing permission (verb "${verb}", group "${kind.group}", resource "${kind.resource}"); ${kind.kind} objects are not audited${error.body?.message ? ` (API server: ${error.body.message})` : ''}`,
      { errorClass: 'severe', location },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PalisadeError('CLUSTER_READ_FAILED', `cannot ${verb} ${label} ${scope}: ${message}; ${kind.kind} objects are not audited`, { errorClass: 'severe', location, cause: error });
}

function fatal(client: KubeClient, error: unknown, what: string): PalisadeError {
  const location = { file: client.server, line: 1, column: 1 };
  if (error instanceof ApiError && error.status === 401) return new PalisadeError('CLUSTER_UNAUTHORIZED', `the API server at ${client.server} refused the credentials of ${client.connection.origin} (HTTP 401 on ${what}): the token or certificate is wrong or expired`, { errorClass: 'fatal', location });
  if (error instanceof ApiError) return new PalisadeError('CLUSTER_UNREADABLE', `cannot read the cluster at ${client.server}: ${error.message}`, { errorClass: 'fatal', location });
  const message = error instanceof Error ? error.message : String(error);
  return new PalisadeError('CLUSTER_UNREACHABLE', `cannot reach the API server at ${client.server} (${client.connection.origin}): ${message}`, { errorClass: 'fatal', location, cause: error });
}
