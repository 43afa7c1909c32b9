import { stringify } from 'yaml';
import { readRules } from './kinds.js';

/**
 * `palisade install --print --job`: palisade as a CronJob that audits its own cluster and writes
 * wgpolicyk8s.io PolicyReports back. Read-only RBAC derived from the reader's own table
 * (READ_KINDS), plus create and patch on the two report kinds: the only write it makes. With
 * `--shard-by namespace` the Job is Indexed: each of N pods audits the namespaces whose name
 * hashes to its completion index, so Kubernetes scales the work out.
 */
export interface JobOptions {
  namespace: string;
  image: string;
  /** Cron schedule (default every six hours, off the hour). */
  schedule: string;
  /** Pods per run; 1 is one pod for the whole cluster. */
  shards: number;
  shardBy?: 'namespace';
}

export const JOB_NAME = 'palisade-audit';
const LABELS = { 'app.kubernetes.io/name': 'palisade', 'app.kubernetes.io/component': 'cluster-audit' };

/** The ClusterRole's rules: get/list/watch on what is read, create/patch on the reports. */
export function jobRules(): Array<Record<string, unknown>> {
  return [...readRules(), { apiGroups: ['wgpolicyk8s.io'], resources: ['clusterpolicyreports', 'policyreports'], verbs: ['create', 'patch'] }];
}

export function jobManifests(options: JobOptions): Array<Record<string, unknown>> {
  const ns = options.namespace;
  const meta = (name: string): Record<string, unknown> => ({ name, namespace: ns, labels: LABELS });
  const sharded = options.shards > 1;
  const args = ['audit', '--cluster', '--write-policy-reports', '--fail-on', 'none', '--quiet', ...(sharded ? ['--shard-by', options.shardBy ?? 'namespace', '--shards', String(options.shards)] : [])];
  const objects: Array<Record<string, unknown>> = [];
  objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  });
  objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(JOB_NAME), automountServiceAccountToken: false });
  objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: JOB_NAME, labels: LABELS }, rules: jobRules() });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: JOB_NAME, labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: JOB_NAME },
    subjects: [{ kind: 'ServiceAccount', name: JOB_NAME, namespace: ns }],
  });
  const podSpec = {
    serviceAccountName: JOB_NAME,
    automountServiceAccountToken: false,
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'audit',
        image: options.image,
        imagePullPolicy: 'IfNotPresent',
        // Sharded: each pod of the Indexed Job reads its index from JOB_COMPLETION_INDEX, which the Job controller sets.
        args,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [
          { name: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [
      {
        // The API token, mounted by hand so it is there on purpose (this pod reads the API) and nowhere else.
        name: 'api-token',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
    ],
  };
  objects.push({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(JOB_NAME),
    spec: {
      schedule: options.schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: LABELS },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          ttlSecondsAfterFinished: 86400,
          ...(sharded ? { completionMode: 'Indexed', completions: options.shards, parallelism: options.shards } : {}),
          template: { metadata: { labels: LABELS }, spec: podSpec },
        },
      },
    },
  });
  // Deny by default (the same object `install --print` writes for the webhook), then open what the job needs.
  objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns, labels: { 'app.kubernetes.io/name': 'palisade' } }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  // No ingress at all; egress to DNS and to the API server (HTTPS) only.
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(JOB_NAME),
    spec: {
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress', 'Egress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      ],
    },
  });
  return objects;
}

export function jobYaml(options: JobOptions): string {
  return jobManifests(options)
    .map((object) => stringify(object, { lineWidth: 0 }))
    .join('---\n');
}

/** The shard a namespace belongs to: FNV-1a of its name, mod the shard count (stable across runs and releases). */
export function shardOf(namespace: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < namespace.length; i++) {
    hash ^= namespace.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
