import type { ClusterObject } from './read.js';

/**
 * The images a cluster runs, from its Pods, one entry per image: `scan image --cluster` scans each
 * once however many pods run it. The kubelet reports in each container status the `imageID` the
 * runtime resolved (core/v1 ContainerStatus): `repo@sha256:…` for an image pulled from a registry
 * (containerd, CRI-O), with a `docker-pullable://` prefix under dockershim, or a bare local image id
 * (`sha256:…`, `docker://sha256:…`) when the runtime knows no registry digest. A registry digest is
 * what runs, whatever tag the spec names, so it is both the key and what is pulled; a local id still
 * tells identical images apart but cannot be pulled, so the spec's image is scanned; a container
 * without a status yet (pending) is keyed by its spec image.
 */

export interface RunningImage {
  /** What to scan: `repo@sha256:…` when the runtime reported a registry digest, else the spec's image. */
  reference: string;
  /** The digest that identifies the image (registry digest, or the runtime's local image id), when reported. */
  digest?: string;
  /** The image strings of the specs that run it (tags as written). */
  specImages: string[];
  /** Every container that runs it. */
  containers: Array<{ namespace: string; pod: string; container: string }>;
}

type Obj = Record<string, unknown>;

const STATUS_LISTS: ReadonlyArray<[string, string]> = [
  ['initContainers', 'initContainerStatuses'],
  ['containers', 'containerStatuses'],
  ['ephemeralContainers', 'ephemeralContainerStatuses'],
];

const REGISTRY_DIGEST = /^(.+)@(sha256:[a-f0-9]{64})$/;
const LOCAL_ID = /^(sha256:[a-f0-9]{64})$/;

/** `imageID` as the kubelet reports it → the registry reference (when there is one) and the digest. */
export function parseImageId(imageId: string): { reference?: string; digest: string } | undefined {
  const bare = imageId.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const pulled = REGISTRY_DIGEST.exec(bare);
  if (pulled) return { reference: `${pulled[1]!}@${pulled[2]!}`, digest: pulled[2]! };
  const local = LOCAL_ID.exec(bare);
  return local ? { digest: local[1]! } : undefined;
}

const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The distinct images of the Pods read, in the order first seen. */
export function runningImages(objects: readonly ClusterObject[]): RunningImage[] {
  const byKey = new Map<string, RunningImage>();
  for (const { object, status } of objects) {
    if (object.kind !== 'Pod' || object.apiVersion !== 'v1') continue;
    const metadata = isObject(object.metadata) ? object.metadata : {};
    const spec = isObject(object.spec) ? object.spec : {};
    for (const [listField, statusField] of STATUS_LISTS) {
      const list = Array.isArray(spec[listField]) ? (spec[listField] as unknown[]) : [];
      const statuses = status && Array.isArray(status[statusField]) ? (status[statusField] as unknown[]).filter(isObject) : [];
      for (const container of list) {
        if (!isObject(container) || typeof container.image !== 'string' || container.image.trim() === '') continue;
        const name = typeof container.name === 'string' ? container.name : '';
        const reported = statuses.find((s) => s.name === name);
        const id = reported && typeof reported.imageID === 'string' ? parseImageId(reported.imageID) : undefined;
        const key = id?.digest ?? `image:${container.image}`;
        let entry = byKey.get(key);
        if (!entry) {
          entry = { reference: id?.reference ?? container.image, ...(id ? { digest: id.digest } : {}), specImages: [], containers: [] };
          byKey.set(key, entry);
        }
        if (!entry.specImages.includes(container.image)) entry.specImages.push(container.image);
        entry.containers.push({ namespace: typeof metadata.namespace === 'string' ? metadata.namespace : '', pod: typeof metadata.name === 'string' ? metadata.name : '', container: name });
      }
    }
  }
  return [...byKey.values()];
}
