/** Extended resources that are accelerators (device plugins of NVIDIA, AMD, Intel, Google, AWS). */
export const ACCELERATOR_RESOURCES: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'google.com/tpu', 'aws.amazon.com/neuron', 'aws.amazon.com/neuroncore'];

