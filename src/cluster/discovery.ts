import { ApiError, type KubeClient } from './client.js';
import type { ReadKind } from './kinds.js';

/** One kind the API server serves, as discovery reports it. */
export interface ServedKind {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name used in URLs and RBAC rules. */
  resource: string;
  namespaced: boolean;
  verbs: readonly string[];
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}
interface ApiResourceList {
  groupVersion: string;
  resources?: ApiResource[];
}
interface ApiGroup {
  name: string;
  versions?: Array<{ groupVersion: string; version: string }>;
  preferredVersion?: { groupVersion: string; version: string };
}

/**
 * Which of the given kinds the cluster serves: /api/v1 for the core group, /apis for the groups,
 * then the resource list of each group palisade reads (its preferred version first; other
 * versions only for kinds the preferred one lacks). Subresources (pods/status) are ignored.
 */
export async function discover(client: KubeClient, wanted: readonly ReadKind[]): Promise<Map<string, ServedKind>> {
  const served = new Map<string, ServedKind>();
  const wantedKinds = new Map<string, Set<string>>();
  for (const row of wanted) for (const group of row.groups) wantedKinds.set(group, (wantedKinds.get(group) ?? new Set()).add(row.kind));
  const addList = (group: string, version: string, list: ApiResourceList): void => {
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      const key = kindKey(group, r.kind);
      if (served.has(key) || !wantedKinds.get(group)?.has(r.kind)) continue;
      served.set(key, { group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
    }
  };
  if (wantedKinds.has('')) addList('', 'v1', await client.get<ApiResourceList>('/api/v1'));
  const groups = (await client.get<{ groups?: ApiGroup[] }>('/apis')).groups ?? [];
  const lists = groups
    .filter((g) => wantedKinds.has(g.name))
    .map(async (g) => {
      const versions = [g.preferredVersion, ...(g.versions ?? [])].filter((v): v is { groupVersion: string; version: string } => v !== undefined);
      const seen = new Set<string>();
      const results: Array<{ version: string; list: ApiResourceList }> = [];
      for (const v of versions) {
        if (seen.has(v.version)) continue;
        seen.add(v.version);
        const missing = [...(wantedKinds.get(g.name) ?? [])].some((kind) => !results.some((r) => r.list.resources?.some((res) => res.kind === kind && !res.name.includes('/'))));
        if (!missing) break;
        try {
          results.push({ version: v.version, list: await client.get<ApiResourceList>(`/apis/${v.groupVersion}`) });
        } catch (error) {
          // An aggregated API that is down (503) hides only its own kinds.
          if (error instanceof ApiError && error.status >= 500) continue;
          throw error;
        }
      }
      return { group: g.name, results };
    });
  for (const { group, results } of await Promise.all(lists)) for (const r of results) addList(group, r.version, r.list);
  return served;
}

export function kindKey(group: string, kind: string): string {
  return `${group}|${kind}`;
}

/** The URL path of a kind's collection, cluster-wide or in one namespace. */
export function collectionPath(kind: ServedKind, namespace?: string): string {
  const prefix = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return namespace !== undefined && kind.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}` : `${prefix}/${kind.resource}`;
}

/** The URL path of one object. */
export function objectPath(kind: ServedKind, name: string, namespace?: string): string {
  return `${collectionPath(kind, kind.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}
