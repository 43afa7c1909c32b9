import { defineRbacRule, permissionHit, probe, clusterOrPrivileged, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'update', 'patch'], apiGroup: 'serving.kserve.io', resources: ['inferenceservices', 'servingruntimes', 'clusterservingruntimes', 'inferencegraphs', 'llminferenceservices'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'kubeflow.org', resources: ['notebooks', 'pytorchjobs', 'tfjobs', 'mpijobs', 'xgboostjobs', 'paddlejobs', 'jaxjobs', 'experiments'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'trainer.kubeflow.org', resources: ['trainjobs', 'trainingruntimes', 'clustertrainingruntimes'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'ray.io', resources: ['rayclusters', 'rayjobs', 'rayservices'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'kaito.sh', resources: ['workspaces'] },
];

export const mlWorkloads = defineRbacRule({
  id: 'RBAC_WRITE_ML_WORKLOADS',
  severity: 'high',
  title: 'Subject can create or change ML workloads (InferenceService, RayCluster, Notebook, training jobs)',
  description: 'R08. create, update or patch on KServe, KubeRay, Kubeflow (notebooks, training jobs, Katib experiments), Kubeflow Trainer or Kaito resources: their operators create pods from a template, image and serviceAccountName the subject chooses, so this is pod creation under the operator\'s name. A ClusterServingRuntime picks the serving image of every matching InferenceService in the cluster.',
  remediation: 'Let data scientists submit through a namespace whose service accounts hold nothing, with Pod Security restricted; keep ClusterServingRuntime writes for the platform team.',
  frameworks: { 'nist-800-53': ['AC-6', 'CM-5'], 'mitre-attack': ['T1610'], 'mitre-atlas': ['AML.T0011'] },
  messages: { can: '{who} can create or change ML workloads ({kinds}) {scope} via {via}: their operators create pods as told' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { kinds: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, ((m) => clusterOrPrivileged(m, 'critical', 'high'))(m))];
    }),
});
