import { z } from 'zod';
import { isObject } from '../context.js';
import type { ClusterCheck, ClusterReport } from '../types.js';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export const namespacePsaNotEnforced: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'NAMESPACE_PSA_NOT_ENFORCED',
    family: 'audit',
    severity: 'medium',
    title: 'Namespace does not enforce a Pod Security Standard',
    description:
      'Without a `pod-security.kubernetes.io/enforce` label, Pod Security Admission admits any pod into the namespace (unless the cluster sets a default), so the findings palisade reports here are not stopped at the door. Reported for every Namespace object in the input; palisade still evaluates such namespaces at restricted:latest.',
    remediation: 'Label the namespace pod-security.kubernetes.io/enforce: restricted (or baseline) with a pinned enforce-version, and add warn: restricted at latest to see what the next version changes.',
    frameworks: { 'nist-800-53': ['CM-6', 'AC-6'], cis: ['5.2.1'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { missing: 'namespace "{namespace}" has no {label} label, so Pod Security Admission admits every pod' },
  },
  create() {
    return (inventory) => {
      const out: ClusterReport[] = [];
      for (const namespace of inventory.namespaces) {
        const metadata = isObject(namespace.object.metadata) ? namespace.object.metadata : {};
        const labels = isObject(metadata.labels) ? metadata.labels : undefined;
        if (labels?.[ENFORCE_LABEL] !== undefined) continue;
        out.push({ target: namespace, messageId: 'missing', data: { namespace: namespace.ref.name, label: ENFORCE_LABEL }, path: labels ? '/metadata/labels' : '/metadata' });
      }
      return out;
    };
  },
};
