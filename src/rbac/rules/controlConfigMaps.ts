import { defineRbacRule, describeGrant, permissionHit, probe } from '../analysis.js';

/**
 * R23. ConfigMaps that steer the cluster or every model server: EKS `aws-auth` (maps IAM roles to
 * groups, system:masters included), CoreDNS `coredns`, KServe `inferenceservice-config` (the
 * storage-initializer image and credential settings of every predictor). Sources: AWS EKS docs
 * "aws-auth ConfigMap", rbac-police eks_modify_aws_auth, Kubescape C-0037, kserve/kserve
 * config/configmap/inferenceservice.yaml.
 */
const CONTROL_CONFIGMAPS: ReadonlyArray<{ namespace: string; name: string; severity: 'critical' | 'high'; what: string }> = [
  { namespace: 'kube-system', name: 'aws-auth', severity: 'critical', what: 'EKS identity mapping: whoever edits it maps an IAM role to system:masters' },
  { namespace: 'kube-system', name: 'coredns', severity: 'high', what: 'cluster DNS: redirect any Service name' },
  { namespace: 'kserve', name: 'inferenceservice-config', severity: 'high', what: 'KServe settings: the storage-initializer image runs in every predictor pod' },
];

export const controlConfigMaps = defineRbacRule({
  id: 'RBAC_CONTROL_CONFIGMAPS',
  severity: 'high',
  title: 'Subject can change a ConfigMap that controls the cluster or every model server',
  description:
    'R23. update or patch on `aws-auth` or `coredns` in kube-system, or KServe\'s `inferenceservice-config`: cluster-admin on EKS, DNS poisoning, or code in every predictor pod. A rule for all ConfigMaps of the namespace counts, and so does one that names the ConfigMap in resourceNames.',
  remediation: 'Keep these ConfigMaps for the platform pipeline; give other subjects resourceNames for the ConfigMaps they own.',
  frameworks: { 'nist-800-53': ['CM-5', 'AC-6'], 'mitre-attack': ['T1098'], kubescape: ['C-0037'] },
  messages: { can: "{who} can modify the '{configmap}' ConfigMap in {namespace} ({what}) via {via}" },
  detect: (context) =>
    context.subjects.flatMap((subject) =>
      CONTROL_CONFIGMAPS.flatMap((cm) => {
        const m = probe(context.grantsOf(subject), { verbs: ['update', 'patch'], apiGroup: '', resources: ['configmaps'], names: [cm.name], namespaces: [cm.namespace] });
        if (m.length === 0) return [];
        const hit = permissionHit(context, subject, m, 'can', { configmap: cm.name, namespace: cm.namespace, what: cm.what }, cm.severity);
        return [{ ...hit, data: { ...hit.data, via: [...new Set(m.map((x) => describeGrant(x.grant)))].join('; ') } }];
      }),
    ),
});
