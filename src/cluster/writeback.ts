import { ApiError, type KubeClient } from './client.js';

type Obj = Record<string, unknown>;

/**
 * Write PolicyReports and ClusterPolicyReports back to the cluster (the in-cluster job's only
 * write): create, and when the report exists, a JSON merge patch (RFC 7386) that replaces its
 * summary and results. Neither needs a prior GET, so the ClusterRole grants create and patch on
 * the two report kinds and nothing else.
 */
export interface WriteResult {
  written: Array<{ kind: string; namespace?: string; name: string; action: 'created' | 'patched' }>;
  errors: Array<{ kind: string; namespace?: string; name: string; message: string }>;
}

const GROUP_VERSION = 'wgpolicyk8s.io/v1alpha2';

export async function writePolicyReports(client: KubeClient, documents: readonly Obj[]): Promise<WriteResult> {
  const result: WriteResult = { written: [], errors: [] };
  for (const document of documents) {
    const kind = String(document.kind);
    const metadata = (document.metadata ?? {}) as { name?: string; namespace?: string };
    const name = metadata.name ?? 'palisade';
    const namespace = metadata.namespace;
    const id = { kind, name, ...(namespace ? { namespace } : {}) };
    const collection = kind === 'PolicyReport' ? `/apis/${GROUP_VERSION}/namespaces/${encodeURIComponent(namespace ?? 'default')}/policyreports` : `/apis/${GROUP_VERSION}/clusterpolicyreports`;
    try {
      await client.request('POST', collection, document);
      result.written.push({ ...id, action: 'created' });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) {
        result.errors.push({ ...id, message: (error as Error).message });
        continue;
      }
      try {
        // A merge patch replaces arrays whole: the old results go, the new ones stay.
        await client.request('PATCH', `${collection}/${encodeURIComponent(name)}`, { metadata: { labels: (document.metadata as Obj | undefined)?.labels ?? {} }, summary: document.summary, results: document.results }, 'application/merge-patch+json');
        result.written.push({ ...id, action: 'patched' });
      } catch (patchError) {
        result.errors.push({ ...id, message: (patchError as Error).message });
      }
    }
  }
  return result;
}
