/**
 * Signs that a container talks to host devices, so its privileged settings are probably needed
 * (GPU/TPU/accelerator access, driver installers). Harden then reports a blocker instead of removing
 * them. This changes with the hardware: add a row, never a branch.
 */

/** Extended resources that mean an accelerator is attached (prefix match on the resource name). */
export const ACCELERATOR_RESOURCE_PREFIXES: readonly string[] = [
  'nvidia.com/',
  'amd.com/gpu',
  'google.com/tpu',
  'aws.amazon.com/neuron',
  'habana.ai/',
  'gpu.intel.com/',
  'xilinx.com/',
];

/** Environment variables that hand devices to the container runtime. */
export const DEVICE_ENV_VARS: readonly string[] = ['NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES', 'TPU_VISIBLE_CHIPS', 'NEURON_RT_VISIBLE_CORES'];

/** Images that install drivers or monitor devices on the node (matched on the image name). */
export const DEVICE_IMAGES: readonly RegExp[] = [/nvidia\/(driver|k8s-device-plugin|dcgm|gpu-operator)/, /cos-nvidia-installer/, /nccl-plugin/, /tpu-device-plugin/, /neuron-device-plugin/];

/** Mount paths under which a container reaches host devices. */
export const DEVICE_MOUNT_PREFIXES: readonly string[] = ['/dev', '/usr/local/nvidia', '/run/nvidia'];
