import { joinPointer } from '../../core/pointer.js';
import type { PlanBuilder } from '../builder.js';
import { containerField, type ContainerInfo, type HardenRule, type PodContext } from '../context.js';
import { WRITABLE_DIRECTORY_ENV_VARS } from '../data/cacheEnv.js';
import { isPlainObject, type PlainObject } from '../objects.js';

const CHECK = 'readOnlyRootFilesystem';
const SHARED_MEMORY = '/dev/shm';
/** A memory-backed /dev/shm counts against the memory limit: give it a quarter of it, or this without a limit. */
const SHM_SHARE_OF_MEMORY_LIMIT = 0.25;
const SHM_DEFAULT_SIZE = '1Gi';

/**
 * readOnlyRootFilesystem: true for containers whose server is known, with an emptyDir at each path
 * the server writes (the model-server table) or a cache variable names; /dev/shm is memory-backed
 * with a sizeLimit. Containers of unknown images are left alone: nobody knows where they write.
 */
export const readOnlyRootFilesystem: HardenRule = {
  id: 'readOnlyRootFilesystem',
  description: 'sets readOnlyRootFilesystem: true with emptyDir volumes at the paths the detected server writes',
  levels: ['restricted'],
  run(ctx, b) {
    for (const container of ctx.containers) {
      if (container.list === 'ephemeralContainers') continue;
      const current = containerField(b, container, 'readOnlyRootFilesystem');
      const pointer = joinPointer(container.pointer, 'securityContext', 'readOnlyRootFilesystem');
      if (current === true) continue;
      if (current === false) {
        b.skip(pointer, CHECK, `container "${container.name}" sets readOnlyRootFilesystem: false on purpose`);
        continue;
      }
      const paths = writablePaths(container);
      if (!container.server && paths.length === 0) {
        b.skip(pointer, CHECK, `container "${container.name}": unknown image, so the paths it writes are unknown; add emptyDir mounts and readOnlyRootFilesystem by hand`);
        continue;
      }
      if (!ctx.podFields.volumes) {
        b.skip(pointer, CHECK, `container "${container.name}": this holder has no pod volumes for the writable paths`);
        continue;
      }
      const what = container.server ? `${container.server.name} writes` : 'cache variables name';
      for (const path of paths) {
        if (mounted(b, container, path)) continue;
        const name = ensureVolume(ctx, b, container, path);
        b.append(joinPointer(container.pointer, 'volumeMounts'), { name, mountPath: path }, CHECK, `${what} ${path}`);
      }
      b.set(pointer, true, CHECK, `container "${container.name}" writes only to its volumes${paths.length > 0 ? ` (${paths.join(', ')})` : ''}`);
    }
  },
};

/** The server's writable paths plus absolute directories named by cache variables, without duplicates. */
function writablePaths(container: ContainerInfo): string[] {
  const paths = [...(container.server?.writablePaths ?? [])];
  const env = Array.isArray(container.object.env) ? container.object.env : [];
  for (const entry of env) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string' || typeof entry.value !== 'string') continue;
    if (WRITABLE_DIRECTORY_ENV_VARS.includes(entry.name) && entry.value.startsWith('/')) paths.push(entry.value.replace(/\/+$/, '') || '/');
  }
  return [...new Set(paths)].filter((p) => p !== '/');
}

function mounted(b: PlanBuilder, container: ContainerInfo, path: string): boolean {
  const mounts = b.get(joinPointer(container.pointer, 'volumeMounts'));
  if (!Array.isArray(mounts)) return false;
  return mounts.some((m) => isPlainObject(m) && typeof m.mountPath === 'string' && (path === m.mountPath.replace(/\/+$/, '') || path.startsWith(m.mountPath.replace(/\/+$/, '') + '/')));
}

/** The emptyDir volume for a path: reused when the pod already has the same one, else added under a free name. */
function ensureVolume(ctx: PodContext, b: PlanBuilder, container: ContainerInfo, path: string): string {
  const wanted = emptyDirFor(container, path);
  const base = volumeName(path);
  const volumes = b.get('/volumes');
  const list = Array.isArray(volumes) ? volumes.filter(isPlainObject) : [];
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const existing = list.find((v) => v.name === name);
    if (!existing) {
      b.append('/volumes', { name, emptyDir: wanted }, CHECK, `an emptyDir for ${path}${path === SHARED_MEMORY ? ' (memory-backed, sized)' : ''}`);
      return name;
    }
    if (isPlainObject(existing.emptyDir) && sameMedium(existing.emptyDir, wanted) && ctx.podFields.volumes) return name;
  }
}

function sameMedium(a: PlainObject, b: PlainObject): boolean {
  return (a.medium ?? '') === (b.medium ?? '');
}

function emptyDirFor(container: ContainerInfo, path: string): PlainObject {
  if (path !== SHARED_MEMORY) return {};
  return { medium: 'Memory', sizeLimit: shmSize(container) };
}

/** A DNS-label volume name from a path: `/home/model-server/tmp` → `home-model-server-tmp`, `/dev/shm` → `dshm`. */
export function volumeName(path: string): string {
  if (path === SHARED_MEMORY) return 'dshm';
  const name = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 55).replace(/-+$/, '');
  return name === '' ? 'writable' : name;
}

const BINARY_UNITS: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function shmSize(container: ContainerInfo): string {
  const resources = isPlainObject(container.object.resources) ? container.object.resources : {};
  const limits = isPlainObject(resources.limits) ? resources.limits : {};
  const bytes = quantityBytes(limits.memory);
  if (bytes === undefined) return SHM_DEFAULT_SIZE;
  const mebibytes = Math.max(64, Math.floor((bytes * SHM_SHARE_OF_MEMORY_LIMIT) / 2 ** 20));
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/** A Kubernetes memory quantity in bytes (`8Gi`, `512M`, `1e9`); undefined when unreadable. */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] ?? '';
  const factor = BINARY_UNITS[unit] ?? DECIMAL_UNITS[unit];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
