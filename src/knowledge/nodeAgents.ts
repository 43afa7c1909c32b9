import { imageName } from './imageReference.js';

/**
 * Node agents that grant accelerators: the device plugins, drivers, container toolkits, feature
 * discovery and GPU telemetry that run as DaemonSets on GPU nodes. They reach `/dev/nvidia*`, run
 * privileged and set NVIDIA_VISIBLE_DEVICES=all because they are what hands GPUs to other pods; a
 * check about GPU access that bypasses the device plugin does not apply to the device plugin.
 *
 * Recognised by image only: the last components of the repository (so a mirror such as
 * `registry.example.com/mirror/k8s-device-plugin` counts, as the GPU operator's `repository:` value
 * lets users move every image). Not by pod labels: any workload can copy a label, and the
 * admission export (export/posture.ts) sees images, not labels.
 */
export interface NodeAgent {
  id: string;
  /** Repository suffixes, lower case, matched on whole path components. */
  images: readonly string[];
  source: string;
}

export const GPU_NODE_AGENTS: readonly NodeAgent[] = [
  {
    id: 'nvidia-device-plugin',
    images: ['nvidia/k8s-device-plugin', 'k8s-device-plugin', 'nvidia-gpu-device-plugin'],
    source:
      'NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml (nvcr.io/nvidia/k8s-device-plugin, label name: nvidia-device-plugin-ds); NVIDIA/gpu-operator assets/state-device-plugin (app: nvidia-device-plugin-daemonset); GoogleCloudPlatform/container-engine-accelerators cmd/nvidia_gpu (gke-release/nvidia-gpu-device-plugin)',
  },
  {
    id: 'nvidia-gpu-feature-discovery',
    images: ['nvidia/gpu-feature-discovery', 'gpu-feature-discovery'],
    source: 'NVIDIA/gpu-feature-discovery deployments/static (nvcr.io/nvidia/gpu-feature-discovery; since v0.15 shipped in the k8s-device-plugin image); NVIDIA/gpu-operator assets/state-gpu-feature-discovery (app: gpu-feature-discovery)',
  },
  {
    id: 'nvidia-driver',
    images: ['nvidia/driver', 'cloud-native/k8s-driver-manager', 'k8s-driver-manager', 'cos-nvidia-installer', 'ubuntu-nvidia-driver-installer'],
    source: 'NVIDIA/gpu-operator deployments/gpu-operator/values.yaml driver (nvcr.io/nvidia/driver, driver.manager k8s-driver-manager) and assets/state-driver (app: nvidia-driver-daemonset); GoogleCloudPlatform/container-engine-accelerators nvidia-driver-installer/cos/daemonset-preloaded.yaml (cos-nvidia-installer, name: nvidia-driver-installer)',
  },
  {
    id: 'nvidia-container-toolkit',
    images: ['k8s/container-toolkit', 'container-toolkit'],
    source: 'NVIDIA/gpu-operator values.yaml toolkit (nvcr.io/nvidia/k8s/container-toolkit) and assets/state-container-toolkit (app: nvidia-container-toolkit-daemonset)',
  },
  {
    id: 'nvidia-dcgm',
    images: ['k8s/dcgm-exporter', 'dcgm-exporter', 'cloud-native/dcgm'],
    source: 'NVIDIA/dcgm-exporter dcgm-exporter.yaml and deployment/values.yaml (nvcr.io/nvidia/k8s/dcgm-exporter, app.kubernetes.io/name: dcgm-exporter); NVIDIA/gpu-operator values.yaml dcgm (nvcr.io/nvidia/cloud-native/dcgm), assets/state-dcgm-exporter (app: nvidia-dcgm-exporter)',
  },
  {
    id: 'nvidia-operator-validator',
    images: ['cloud-native/gpu-operator-validator', 'gpu-operator-validator'],
    source: 'NVIDIA/gpu-operator values.yaml validator (nvcr.io/nvidia/cloud-native/gpu-operator-validator) and assets/state-operator-validation (app: nvidia-operator-validator)',
  },
  {
    id: 'nvidia-mig-manager',
    images: ['cloud-native/k8s-mig-manager', 'k8s-mig-manager'],
    source: 'NVIDIA/gpu-operator values.yaml migManager (nvcr.io/nvidia/cloud-native/k8s-mig-manager) and assets/state-mig-manager (app: nvidia-mig-manager)',
  },
  {
    id: 'amd-gpu-device-plugin',
    images: ['rocm/k8s-device-plugin'],
    source: 'ROCm/k8s-device-plugin k8s-ds-amdgpu-dp.yaml (rocm/k8s-device-plugin, name: amdgpu-dp-ds)',
  },
  {
    id: 'intel-gpu-plugin',
    images: ['intel/intel-gpu-plugin', 'intel-gpu-plugin'],
    source: 'intel/intel-device-plugins-for-kubernetes deployments/gpu_plugin/base/intel-gpu-plugin.yaml (intel/intel-gpu-plugin, app: intel-gpu-plugin)',
  },
  {
    id: 'neuron-device-plugin',
    images: ['neuron/neuron-device-plugin', 'neuron-device-plugin'],
    source: 'aws-neuron/aws-neuron-sdk src/k8/k8s-neuron-device-plugin.yml (public.ecr.aws/neuron/neuron-device-plugin, name: neuron-device-plugin-ds)',
  },
];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Image names (lower case, no tag or digest) of node agents: a repository ending in one of the suffixes. */
export const NODE_AGENT_IMAGE = new RegExp(`(^|/)(${GPU_NODE_AGENTS.flatMap((a) => a.images).map(escape).join('|')})$`);

/** The node agent an image runs, by its repository's last components (any registry or mirror prefix). */
export function nodeAgentOfImage(image: string): NodeAgent | undefined {
  const name = imageName(image);
  if (!NODE_AGENT_IMAGE.test(name)) return undefined;
  return GPU_NODE_AGENTS.find((agent) => agent.images.some((suffix) => name === suffix || name.endsWith(`/${suffix}`)));
}
