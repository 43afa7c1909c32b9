import { defineRbacRule } from '../analysis.js';

/**
 * R31: annotations that tie a ServiceAccount to a cloud identity (EKS IRSA, GKE Workload Identity,
 * Azure Workload Identity). Its token is then also cloud credentials: model buckets, registries.
 * Sources: AWS EKS "IAM roles for service accounts", GKE "Workload Identity Federation", Azure
 * Workload Identity docs.
 */
const CLOUD_ANNOTATIONS: ReadonlyArray<{ key: string; cloud: string }> = [
  { key: 'eks.amazonaws.com/role-arn', cloud: 'AWS IAM role' },
  { key: 'iam.gke.io/gcp-service-account', cloud: 'Google service account' },
  { key: 'azure.workload.identity/client-id', cloud: 'Azure managed identity' },
];

export const cloudIdentity = defineRbacRule({
  id: 'RBAC_CLOUD_IDENTITY',
  severity: 'low',
  title: 'Service account carries a cloud identity',
  description: 'R31. The ServiceAccount is annotated with an AWS IAM role, a Google service account or an Azure identity: whoever gets its token (by creating pods in its namespace, minting a token, exec into its pods) also gets those cloud credentials, typically the model bucket. Read with the findings that reach the account.',
  remediation: 'Scope the cloud identity to the buckets and registries the workload reads, and keep the namespace free of subjects that can create pods or tokens.',
  frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1078.004'] },
  messages: { cloud: 'ServiceAccount {namespace}/{name} is tied to the {cloud} {value}' },
  detect: (context) =>
    context.model.input.serviceAccounts.flatMap((sa) =>
      CLOUD_ANNOTATIONS.filter((a) => sa.annotations[a.key]).map((a) => ({
        subject: { kind: 'ServiceAccount' as const, namespace: sa.namespace, name: sa.name },
        resource: sa.ref,
        ...(sa.location ? { location: sa.location } : {}),
        messageId: 'cloud',
        data: { namespace: sa.namespace, name: sa.name, cloud: a.cloud, value: sa.annotations[a.key]! },
        pods: context.podsOf({ kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name }),
      })),
    ),
});
