import { imageName } from '../knowledge/index.js';
import type { ContainerInfo, PodContext } from './context.js';
import { ACCELERATOR_RESOURCE_PREFIXES, DEVICE_ENV_VARS, DEVICE_IMAGES, DEVICE_MOUNT_PREFIXES } from './data/deviceAccess.js';
import { isPlainObject } from './objects.js';

/**
 * Why a container probably needs its privileges: it uses host devices. undefined when nothing in
 * the pod says so, which is when harden may drop privileged settings on its own.
 */
export function hostDeviceEvidence(ctx: PodContext, container: ContainerInfo): string | undefined {
  const c = container.object;
  const resources = isPlainObject(c.resources) ? c.resources : {};
  for (const part of ['limits', 'requests'] as const) {
    const quantities = resources[part];
    if (!isPlainObject(quantities)) continue;
    const accelerator = Object.keys(quantities).find((name) => ACCELERATOR_RESOURCE_PREFIXES.some((prefix) => name.startsWith(prefix)));
    if (accelerator) return `requests the accelerator ${accelerator}`;
  }
  const env = Array.isArray(c.env) ? c.env : [];
  const deviceEnv = env.find((e) => isPlainObject(e) && typeof e.name === 'string' && DEVICE_ENV_VARS.includes(e.name));
  if (isPlainObject(deviceEnv)) return `sets ${String(deviceEnv.name)}`;
  if (typeof c.image === 'string' && DEVICE_IMAGES.some((p) => p.test(imageName(c.image as string)))) return `runs the device image ${c.image}`;
  const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
  const deviceMount = mounts.find((m) => isPlainObject(m) && typeof m.mountPath === 'string' && DEVICE_MOUNT_PREFIXES.some((p) => m.mountPath === p || (m.mountPath as string).startsWith(p + '/')));
  if (isPlainObject(deviceMount)) return `mounts ${String(deviceMount.mountPath)}`;
  const volumes = Array.isArray(ctx.spec.volumes) ? ctx.spec.volumes : [];
  const deviceVolume = volumes.find((v) => isPlainObject(v) && isPlainObject(v.hostPath) && typeof v.hostPath.path === 'string' && DEVICE_MOUNT_PREFIXES.some((p) => (v.hostPath as { path: string }).path.startsWith(p)));
  if (isPlainObject(deviceVolume)) return `the pod mounts the host path ${String((deviceVolume.hostPath as { path: string }).path)}`;
  return undefined;
}
