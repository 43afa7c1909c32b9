/**
 * What the ML audit rules know about the world, as tables the bundled lists and macros are
 * generated from (add a row, never a branch). An audit event names its target pod, not the pod's
 * image, so ML workloads are recognised by the names their operators give pods and by the server
 * names of checks/data/modelServers.ts; users append to the generated lists in their own rule
 * files (`- list: palisade_ml_namespaces / override: {items: append}`).
 */
import { MODEL_SERVERS } from '../../knowledge/index.js';

/**
 * Pod-name markers operators put in the pods they create. KServe: `<isvc>-predictor-…`,
 * `-transformer-`, `-explainer-` (kserve/kserve pkg/constants: PredictorServiceName etc.); KubeRay:
 * head pods `<cluster>-head-<hash>` (ray-project/kuberay ray-operator/controllers/ray/utils
 * PodName); Seldon Core v1: `<deployment>-<predictor>-0-<model>-…` carries no fixed marker.
 */
export const ML_POD_NAME_MARKERS: readonly string[] = ['-predictor-', '-transformer-', '-explainer-', '-head-'];

/** Server ids (ray, triton, vllm, jupyter, mlflow…) as dash-separated words of a pod name. */
export const ML_POD_NAME_WORDS: readonly string[] = [...new Set([...MODEL_SERVERS.map((s) => s.id.split('-')[0] as string), 'notebook', 'kserve', 'seldon', 'kuberay'])].sort();

/** Namespaces where ML platforms run their controllers and, by default, their workloads. */
export const ML_NAMESPACES: readonly string[] = ['kserve', 'kubeflow', 'ray-system', 'kuberay-system', 'seldon-system', 'seldon-mesh', 'knative-serving', 'mlflow', 'kubeflow-user-example-com'];

/**
 * Admin ports of the model-server table that run code or change models, leaving out ports that
 * other software uses as often (8080/8443 web servers, 6379 Redis) and read-only metrics.
 */
const SHARED_PORTS = new Set([8080, 8443, 6379]);
export const ML_ADMIN_PORTS: readonly number[] = [
  ...new Set(
    MODEL_SERVERS.flatMap((s) => s.adminPorts)
      .filter((p) => !SHARED_PORTS.has(p.port) && !/metrics/i.test(p.api))
      .map((p) => p.port),
  ),
].sort((a, b) => a - b);

/** Custom resources whose spec chooses the image or the model a server runs. */
export const ML_SERVING_RESOURCES: readonly string[] = ['inferenceservices', 'servingruntimes', 'clusterservingruntimes', 'inferencegraphs', 'trainedmodels', 'rayservices', 'rayclusters', 'seldondeployments', 'notebooks'];

/** Fields of those specs that name an image or a model location (KServe storageUri/storage, containers' image). */
export const ML_SPEC_KEYS: readonly string[] = ['image', 'storageUri', 'storageUris', 'storage', 'modelUri'];

/**
 * Secret-name words of model-storage credentials: KServe's `storage-config` and the S3/GCS/Azure
 * secrets its service accounts carry (kserve docs "Deploy InferenceService with a saved model on
 * S3"), Hugging Face tokens (`hf-token`, KServe's huggingface runtime examples), model registries.
 */
export const MODEL_STORAGE_SECRET_WORDS: readonly string[] = ['storage-config', 's3', 'gcs', 'minio', 'azure', 'hf', 'huggingface', 'hf-token', 'model', 'models', 'mlflow', 'wandb', 'registry'];

/**
 * Service accounts of ML operators (namespace:name) whose tokens run the whole platform:
 * KServe's controller manager, KubeRay's operator, Kubeflow's training operator, notebook
 * controller and pipelines, Seldon's manager (from each project's install manifests).
 */
export const ML_OPERATOR_SERVICE_ACCOUNTS: readonly string[] = [
  'kserve:kserve-controller-manager',
  'kserve:kserve-localmodel-controller-manager',
  'ray-system:kuberay-operator',
  'kuberay-system:kuberay-operator',
  'default:kuberay-operator',
  'kubeflow:training-operator',
  'kubeflow:kubeflow-trainer-controller-manager',
  'kubeflow:notebook-controller-service-account',
  'kubeflow:ml-pipeline',
  'kubeflow:pipeline-runner',
  'kubeflow:profiles-controller-service-account',
  'kubeflow:katib-controller',
  'seldon-system:seldon-manager',
];

/**
 * Cluster roles that grant a cluster (or a namespace) outright: Kubernetes' user-facing roles and
 * the controller roles that can mint tokens, bind roles or run pods anywhere
 * (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
 */
export const POWERFUL_CLUSTER_ROLES: readonly string[] = [
  'cluster-admin',
  'admin',
  'edit',
  'system:controller:clusterrole-aggregation-controller',
  'system:controller:namespace-controller',
  'system:controller:generic-garbage-collector',
  'system:controller:daemon-set-controller',
  'system:controller:replicaset-controller',
  'system:controller:job-controller',
  'system:kube-controller-manager',
  'system:node',
];

/** Groups that stand for everyone: a binding to them opens the role to the world or the cluster. */
export const EVERYONE_GROUPS: readonly string[] = ['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:serviceaccounts'];
