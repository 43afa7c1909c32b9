/**
 * Extended resources that are accelerators. Sources: the device plugins that advertise them —
 * NVIDIA/k8s-device-plugin (nvidia.com/gpu), ROCm/k8s-device-plugin (amd.com/gpu),
 * intel/intel-device-plugins-for-kubernetes (gpu.intel.com/i915), GKE "Deploy TPU workloads"
 * (google.com/tpu), aws-neuron Neuron device plugin (aws.amazon.com/neuron, aws.amazon.com/neuroncore).
 */
export const ACCELERATOR_RESOURCES: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'google.com/tpu', 'aws.amazon.com/neuron', 'aws.amazon.com/neuroncore'];

