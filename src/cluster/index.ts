/**
 * A live cluster as a source of resources, beside the file loader: the engines do not change.
 * Each object becomes one input whose path is its URL on the API server and whose text is the
 * object as `kubectl get -o json` prints it (4-space JSON), server-populated fields stripped; a
 * finding's location is line:column in that text, and its `path` the JSON pointer.
 */
import type { InputText } from '../core/load.js';
import type { ResourceRef } from '../core/types.js';
import { KubeClient, type ClientOptions } from './client.js';
import { ObjectIndex, foldByOwner, type FoldResult } from './fold.js';
import { resolveConnection, type ConnectionEnvironment, type ConnectionRequest } from './kubeconfig.js';
import { readCluster, type ClusterRead, type ReadOptions } from './read.js';

export { ApiError, KubeClient, type ApiStatus, type ClientOptions } from './client.js';
export { collectionPath, discover, objectPath, type ServedKind } from './discovery.js';
export { foldByOwner, ObjectIndex, templateKey, type FoldResult } from './fold.js';
export { READ_KINDS, readKinds, readRules, resourceName, type ReadKind } from './kinds.js';
export { inClusterConnection, isLoopbackHost, parseKubeconfig, resolveConnection, type ClusterConnection, type ConnectionEnvironment, type ConnectionRequest } from './kubeconfig.js';
export { originAdvice, originOf, stripServerFields, type ObjectOrigin } from './objects.js';
export { readCluster, type ClusterObject, type ClusterRead, type KindRead, type ReadOptions } from './read.js';
export { JOB_NAME, jobManifests, jobRules, jobYaml, shardOf, type JobOptions } from './job.js';
export { writePolicyReports, type WriteResult } from './writeback.js';
export { parseImageId, runningImages, type RunningImage } from './images.js';

export interface ClusterSource {
  read: ClusterRead;
  /** One input per object, in the order read. */
  inputs: InputText[];
  index: ObjectIndex;
  /** Fold findings per owner and say where each object is managed from. */
  fold: (findings: Parameters<typeof foldByOwner>[0]) => FoldResult;
  /** Made by a controller that was read too (a Deployment's ReplicaSets and Pods): its owner stands for it. */
  owned: (ref: ResourceRef) => boolean;
}

/** The object as an input the loader parses like a file. */
export function objectInputs(read: ClusterRead): InputText[] {
  return read.objects.map((o) => ({ path: o.url, text: JSON.stringify(o.object, null, 4), dockerfile: false }));
}

export function clusterSource(read: ClusterRead): ClusterSource {
  const index = new ObjectIndex(read.objects);
  const owned = (ref: ResourceRef): boolean => {
    const object = index.lookup(ref);
    return object !== undefined && index.owner(object) !== undefined;
  };
  return { read, inputs: objectInputs(read), index, fold: (findings) => foldByOwner(findings, index), owned };
}

/** Connect (kubeconfig or in-cluster), read, and turn the objects into inputs. */
export async function loadCluster(request: ConnectionRequest & ReadOptions & ClientOptions, environment: ConnectionEnvironment): Promise<ClusterSource & { client: KubeClient }> {
  const connection = resolveConnection(request, environment);
  const client = new KubeClient(connection, { ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}), userAgent: request.userAgent ?? 'palisade' });
  try {
    const read = await readCluster(client, request);
    return { ...clusterSource(read), client };
  } catch (error) {
    client.close();
    throw error;
  }
}
