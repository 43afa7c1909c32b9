import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../context.js';
import { CREDENTIAL_FILE_ENV, CREDENTIAL_MOUNT_PATHS, SENSITIVE_HOST_PATHS } from '../../knowledge/index.js';
import type { CheckReport, PodCheck } from '../types.js';

export const credentialMount: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'CREDENTIAL_MOUNT',
    family: 'audit',
    severity: 'high',
    title: 'Pod mounts node control sockets, cloud credentials or SSH keys',
    description:
      'Training jobs and notebooks copied from tutorials mount the Docker or containerd socket (root on the node), the node\'s kubelet or Kubernetes credentials, or long-lived cloud keys and SSH keys (`~/.aws`, `~/.config/gcloud`, `~/.ssh`, GOOGLE_APPLICATION_CREDENTIALS). Code from a model repository or a notebook cell then holds those credentials. Workload identity (IRSA, GKE Workload Identity, Azure Workload Identity) gives short-lived, scoped credentials instead.',
    remediation: 'Remove the mount; build images outside the cluster (or with a rootless builder) and give the pod cloud access through workload identity instead of key files.',
    frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-atlas': ['AML.T0055'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      hostPath: 'volume "{volume}" mounts {hostPath} from the node: {what}',
      credentialMount: 'container "{container}" mounts volume "{volume}" at {mountPath}, where {what} are read from',
      credentialFileEnv: 'container "{container}" points {name} at a key file ({file})',
    },
  },
  create() {
    return (context) => {
      const out: CheckReport[] = [];
      for (const [name, { volume, path }] of context.volumes) {
        if (!isObject(volume.hostPath) || typeof volume.hostPath.path !== 'string') continue;
        const hostPath = volume.hostPath.path.replace(/\/+$/, '') || '/';
        const hit = SENSITIVE_HOST_PATHS.find((p) => p.pattern.test(hostPath));
        if (hit) out.push({ messageId: 'hostPath', data: { volume: name, hostPath: volume.hostPath.path, what: hit.what }, path: joinPointer(path, 'hostPath', 'path') });
      }
      for (const c of context.containers) {
        const mounts = Array.isArray(c.ref.object.volumeMounts) ? c.ref.object.volumeMounts : [];
        mounts.forEach((mount, i) => {
          if (!isObject(mount) || typeof mount.mountPath !== 'string') return;
          const hit = CREDENTIAL_MOUNT_PATHS.find((p) => p.pattern.test(mount.mountPath as string));
          if (hit) out.push({ messageId: 'credentialMount', data: { container: c.ref.name, volume: String(mount.name), mountPath: mount.mountPath, what: hit.what }, path: joinPointer(c.ref.path, 'volumeMounts', i, 'mountPath') });
        });
        for (const entry of c.env) {
          if (CREDENTIAL_FILE_ENV.has(entry.name) && entry.value) out.push({ messageId: 'credentialFileEnv', data: { container: c.ref.name, name: entry.name, file: entry.value }, path: joinPointer(entry.path, 'value') });
        }
      }
      return out;
    };
  },
};
