/**
 * Where pod specs live, per kind. This is data: when an operator ships a new CRD, add a row (or add
 * one from config, `workloads:`), never a branch in code.
 *
 * Pointers are JSON pointers into the object as written, with `*` matching every array index or map
 * key (RayCluster worker groups, PyTorchJob replica types). A `podSpec` pointer names the object
 * that holds `containers` (or, for CRDs such as KServe's model-format predictors, the object that
 * holds single container objects named in `containerObjects`). `metadata` names where the pod's
 * labels and annotations come from; by default the sibling `metadata` of a `.../spec` pod spec, or
 * the resource's own metadata.
 */
export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer';

export interface PodSpecLocation {
  podSpec: string;
  /** Absolute pointer, or relative to the pod spec when it starts with `./` (Argo's template `metadata`). */
  metadata?: string;
  /** Single container objects under the pod spec (relative pointers), e.g. `model`, `sklearn`. */
  containerObjects?: readonly string[];
  /** The name the operator gives a container object that has none (KServe: `kserve-container`). */
  containerObjectName?: string;
  /** Container objects are whole containers that need their own `image` (Argo's `container`, `script`), not model formats a runtime fills in. */
  containerObjectsNeedImage?: boolean;
  /**
   * Container lists under the pod spec (relative pointers) when they are not the core
   * `initContainers`/`containers`/`ephemeralContainers` (Argo: `sidecars`, `containerSet/containers`).
   */
  containerLists?: ReadonlyArray<{ pointer: string; kind: ContainerKind }>;
  /**
   * The operator merges what is written here onto containers and pod fields of its own (KServe's
   * workerSpec, LLMInferenceService templates, Seldon componentSpecs): a container without `image`
   * or a spec without containers is an override, not an incomplete pod.
   */
  partial?: boolean;
  /**
   * Pod-level fields the pod gets from an enclosing object when this spec does not set them (Argo:
   * the workflow spec's hostNetwork, securityContext, serviceAccountName...). `merge` lists are
   * concatenated (the template's first), the other fields are taken only when absent here.
   */
  inherit?: { from: string; fields: readonly string[]; merge?: readonly string[] };
  /** Fields (relative to the pod spec and to `inherit.from`) the operator applies at run time, which no static reading can evaluate (Argo's `podSpecPatch`). */
  notEvaluable?: readonly string[];
}

export interface WorkloadKind {
  /** API groups ('' is the core group). */
  groups: readonly string[];
  /** Groups old manifests still use that today's API servers no longer serve: read, never registered for admission. */
  legacyGroups?: readonly string[];
  kind: string;
  podSpecs: readonly PodSpecLocation[];
  /** Whole objects embedded in this one (Katib's trial template), looked up by their own kind. */
  embedded?: readonly string[];
}

const TEMPLATE = '/spec/template/spec';
const rayCluster = (prefix: string): PodSpecLocation[] => [{ podSpec: `${prefix}/headGroupSpec/template/spec` }, { podSpec: `${prefix}/workerGroupSpecs/*/template/spec` }];
const replicaSpecs = (field: string): PodSpecLocation[] => [{ podSpec: `/spec/${field}/*/template/spec` }];

/** KServe names the container it builds from a model-format object `kserve-container`. */
const KSERVE_CONTAINER = 'kserve-container';

/** KServe model-format predictors: a single container object each (the runtime supplies the image). */
export const KSERVE_PREDICTOR_FORMATS = ['model', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'lightgbm', 'pmml', 'paddle', 'huggingface', 'custom/container'] as const;
export const KSERVE_EXPLAINER_FORMATS = ['alibi', 'art', 'aix', 'custom/container'] as const;
export const KSERVE_TRANSFORMER_FORMATS = ['custom/container'] as const;

const kserveComponents = (prefix: string): PodSpecLocation[] => [
  { podSpec: `${prefix}/predictor`, metadata: '/metadata', containerObjects: KSERVE_PREDICTOR_FORMATS, containerObjectName: KSERVE_CONTAINER },
  // The worker pods of multi-node serving take the predictor's container; workerSpec overrides it.
  { podSpec: `${prefix}/predictor/workerSpec`, metadata: '/metadata', partial: true },
  { podSpec: `${prefix}/transformer`, metadata: '/metadata', containerObjects: KSERVE_TRANSFORMER_FORMATS, containerObjectName: KSERVE_CONTAINER },
  { podSpec: `${prefix}/explainer`, metadata: '/metadata', containerObjects: KSERVE_EXPLAINER_FORMATS, containerObjectName: KSERVE_CONTAINER },
];

/**
 * Argo Workflows (argoproj.io/v1alpha1 Template): a template that runs a pod has `container` or
 * `script` (one container, which Argo names `main`), or `containerSet.containers`, plus
 * `initContainers` and `sidecars`; steps/dag/suspend/resource templates run no user container and
 * match nothing. The pod takes hostNetwork, securityContext, serviceAccountName, volumes... from the
 * workflow spec where the template does not set them. Kubeflow Pipelines compiles to these kinds.
 */
const ARGO_WORKFLOW_POD_FIELDS = ['hostNetwork', 'securityContext', 'serviceAccountName', 'automountServiceAccountToken', 'hostAliases', 'dnsPolicy', 'dnsConfig', 'nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets', 'priorityClassName', 'schedulerName'] as const;
const argoTemplates = (workflowSpec: string): PodSpecLocation[] => [
  {
    podSpec: `${workflowSpec}/templates/*`,
    metadata: './metadata',
    containerObjects: ['container', 'script'],
    containerObjectName: 'main',
    containerObjectsNeedImage: true,
    containerLists: [
      { pointer: 'initContainers', kind: 'initContainer' },
      { pointer: 'containerSet/containers', kind: 'container' },
      { pointer: 'sidecars', kind: 'container' },
    ],
    inherit: { from: workflowSpec, fields: ARGO_WORKFLOW_POD_FIELDS, merge: ['volumes'] },
    notEvaluable: ['podSpecPatch'],
  },
];

const KUBEFLOW = ['kubeflow.org'];
const KSERVE = ['serving.kserve.io', 'serving.kubeflow.org'];
const TRAINER = ['trainer.kubeflow.org', 'kubeflow.org'];

export const BUILTIN_WORKLOADS: readonly WorkloadKind[] = [
  // Kubernetes
  { groups: [''], kind: 'Pod', podSpecs: [{ podSpec: '/spec' }] },
  { groups: [''], kind: 'PodTemplate', podSpecs: [{ podSpec: '/template/spec' }] },
  { groups: [''], kind: 'ReplicationController', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['apps', 'extensions'], kind: 'Deployment', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['apps', 'extensions'], kind: 'ReplicaSet', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['apps'], kind: 'StatefulSet', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['apps', 'extensions'], kind: 'DaemonSet', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['batch'], kind: 'Job', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['batch'], kind: 'CronJob', podSpecs: [{ podSpec: '/spec/jobTemplate/spec/template/spec' }] },
  // OpenShift (apps.openshift.io/v1; OpenShift 3 manifests write the legacy group-less `v1`).
  { groups: ['apps.openshift.io'], legacyGroups: [''], kind: 'DeploymentConfig', podSpecs: [{ podSpec: TEMPLATE }] },
  // Argo Rollouts and Argo Workflows
  { groups: ['argoproj.io'], kind: 'Rollout', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['argoproj.io'], kind: 'Workflow', podSpecs: argoTemplates('/spec') },
  { groups: ['argoproj.io'], kind: 'WorkflowTemplate', podSpecs: argoTemplates('/spec') },
  { groups: ['argoproj.io'], kind: 'ClusterWorkflowTemplate', podSpecs: argoTemplates('/spec') },
  { groups: ['argoproj.io'], kind: 'CronWorkflow', podSpecs: argoTemplates('/spec/workflowSpec') },
  // KServe
  { groups: KSERVE, kind: 'InferenceService', podSpecs: [...kserveComponents('/spec'), ...kserveComponents('/spec/default'), ...kserveComponents('/spec/canary')] },
  { groups: KSERVE, kind: 'ServingRuntime', podSpecs: [{ podSpec: '/spec', metadata: '/metadata' }] },
  { groups: KSERVE, kind: 'ClusterServingRuntime', podSpecs: [{ podSpec: '/spec', metadata: '/metadata' }] },
  ...['LLMInferenceService', 'LLMInferenceServiceConfig'].map((kind) => ({
    groups: KSERVE,
    kind,
    // corev1.PodSpec fields the controller merges onto the config's (baseRefs): overrides, so partial.
    podSpecs: ['/spec/template', '/spec/worker', '/spec/prefill/template', '/spec/prefill/worker', '/spec/router/scheduler/template', '/spec/router/scheduler/tokenizer/template'].map((podSpec) => ({ podSpec, metadata: '/metadata', partial: true })),
  })),
  { groups: KSERVE, kind: 'InferenceGraph', podSpecs: [] },
  { groups: KSERVE, kind: 'TrainedModel', podSpecs: [] },
  // Seldon Core v1
  // componentSpecs may only override the containers of prepackaged servers (no image): partial.
  { groups: ['machinelearning.seldon.io'], kind: 'SeldonDeployment', podSpecs: [{ podSpec: '/spec/predictors/*/componentSpecs/*/spec', partial: true }, { podSpec: '/spec/predictors/*/explainer', metadata: '/metadata', containerObjects: ['containerSpec'] }] },
  // KubeRay
  { groups: ['ray.io'], kind: 'RayCluster', podSpecs: rayCluster('/spec') },
  { groups: ['ray.io'], kind: 'RayService', podSpecs: rayCluster('/spec/rayClusterConfig') },
  { groups: ['ray.io'], kind: 'RayJob', podSpecs: [...rayCluster('/spec/rayClusterSpec'), { podSpec: '/spec/submitterPodTemplate/spec' }] },
  { groups: ['ray.io'], kind: 'RayCronJob', podSpecs: [...rayCluster('/spec/jobTemplate/rayClusterSpec'), { podSpec: '/spec/jobTemplate/submitterPodTemplate/spec' }] },
  // Kubeflow training v1 and MPI operator
  { groups: KUBEFLOW, kind: 'PyTorchJob', podSpecs: replicaSpecs('pytorchReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'TFJob', podSpecs: replicaSpecs('tfReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'MPIJob', podSpecs: replicaSpecs('mpiReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'XGBoostJob', podSpecs: replicaSpecs('xgbReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'PaddleJob', podSpecs: replicaSpecs('paddleReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'JAXJob', podSpecs: replicaSpecs('jaxReplicaSpecs') },
  { groups: KUBEFLOW, kind: 'MXJob', podSpecs: replicaSpecs('mxReplicaSpecs') },
  // Kubeflow Trainer v2: TrainJob's trainer is container-like; runtimes embed a JobSet template.
  { groups: TRAINER, kind: 'TrainJob', podSpecs: [{ podSpec: '/spec', metadata: '/metadata', containerObjects: ['trainer'], containerObjectName: 'node' }] },
  { groups: TRAINER, kind: 'TrainingRuntime', podSpecs: [{ podSpec: '/spec/template/spec/replicatedJobs/*/template/spec/template/spec' }] },
  { groups: TRAINER, kind: 'ClusterTrainingRuntime', podSpecs: [{ podSpec: '/spec/template/spec/replicatedJobs/*/template/spec/template/spec' }] },
  // Katib: the trial template is a whole Job/TFJob/PyTorchJob/MPIJob/TrainJob object.
  { groups: KUBEFLOW, kind: 'Experiment', podSpecs: [], embedded: ['/spec/trialTemplate/trialSpec'] },
  { groups: KUBEFLOW, kind: 'Notebook', podSpecs: [{ podSpec: TEMPLATE }] },
  // Batch and multi-host serving
  { groups: ['jobset.x-k8s.io'], kind: 'JobSet', podSpecs: [{ podSpec: '/spec/replicatedJobs/*/template/spec/template/spec' }] },
  { groups: ['leaderworkerset.x-k8s.io'], kind: 'LeaderWorkerSet', podSpecs: [{ podSpec: '/spec/leaderWorkerTemplate/leaderTemplate/spec' }, { podSpec: '/spec/leaderWorkerTemplate/workerTemplate/spec' }] },
  { groups: ['batch.volcano.sh'], kind: 'Job', podSpecs: [{ podSpec: '/spec/tasks/*/template/spec' }] },
  // Kaito keeps Workspace fields at the top level (no spec); tuning has no pod template (api/v1beta1/workspace_types.go).
  { groups: ['kaito.sh'], kind: 'Workspace', podSpecs: [{ podSpec: '/inference/template/spec' }] },
  { groups: ['kaito.sh'], kind: 'InferenceSet', podSpecs: [{ podSpec: '/spec/template/inference/template/spec' }] },
  // Knative Serving
  { groups: ['serving.knative.dev'], kind: 'Service', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['serving.knative.dev'], kind: 'Configuration', podSpecs: [{ podSpec: TEMPLATE }] },
  { groups: ['serving.knative.dev'], kind: 'Revision', podSpecs: [{ podSpec: '/spec' }] },
  // vLLM production stack, agent sandboxes
  // VLLMRuntime/VLLMRouter/CacheServer carry an image spec and resources, no pod template in the
  // v1alpha1 CRD (operator/api/v1alpha1/*_types.go): the operator builds the pods. The project's own
  // gateway-inference-extension sample still writes a `podTemplate` of overrides (containers without
  // image), so it is judged when present, as overrides.
  { groups: ['production-stack.vllm.ai'], kind: 'VLLMRuntime', podSpecs: [{ podSpec: '/spec/podTemplate/spec', partial: true }] },
  { groups: ['production-stack.vllm.ai'], kind: 'VLLMRouter', podSpecs: [] },
  { groups: ['production-stack.vllm.ai'], kind: 'CacheServer', podSpecs: [] },
  { groups: ['extensions.agents.x-k8s.io', 'agents.x-k8s.io'], kind: 'SandboxTemplate', podSpecs: [{ podSpec: '/spec/podTemplate/spec' }] },
  { groups: ['agents.x-k8s.io'], kind: 'Sandbox', podSpecs: [{ podSpec: '/spec/podTemplate/spec' }] },
];
