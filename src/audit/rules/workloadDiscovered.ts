import { defineRule } from '../../core/rule.js';

/** `palisade audit`: a pod spec found by its shape in a kind the workloads table does not list. */
export const workloadDiscovered = defineRule({
  id: 'WORKLOAD_DISCOVERED',
  family: 'audit',
  severity: 'info',
  title: 'Pod spec found in a kind palisade does not know',
  description: 'A resource of a kind missing from the workloads table holds `containers: [{name, image}]`. palisade found it by its shape and checked it; adding the kind to `workloads:` in `.palisade.yaml` makes the location explicit.',
  remediation: 'Add a workloads: entry with the apiVersion, kind and pod spec pointer to .palisade.yaml.',
  frameworks: {},
  messages: { discovered: '{kind} ({apiVersion}) holds a pod spec at {path}; it was found by its shape. Add the kind to workloads: in .palisade.yaml to make this explicit.' },
});
