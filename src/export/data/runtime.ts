/**
 * Runtime knowledge for `palisade export falco`, keyed by the server ids of
 * src/knowledge/modelServers.ts. Process names are what Falco's proc.name shows (the executable's
 * or the script's base name) for each image's documented entrypoint and worker processes; model
 * directories are the defaults the servers' docs load from. Users tune the generated lists
 * (`- list: palisade_<workload>_processes / override: {items: append}`), so a missing name costs
 * an alert, never a silent gap. Add a row, never a branch.
 */
export interface ServerRuntime {
  /** proc.name values of the server's own processes. */
  processes: readonly string[];
  /** Directories the server loads model files from by default. */
  modelDirs: readonly string[];
}

/** Interpreters and init processes every Python/JVM server image starts through. */
export const COMMON_PROCESSES: readonly string[] = ['tini', 'dumb-init', 'python', 'python3'];

export const SERVER_RUNTIME: Readonly<Record<string, ServerRuntime>> = {
  ray: { processes: ['ray', 'raylet', 'gcs_server', 'dashboard', 'log_monitor', 'monitor', 'runtime_env_agent'], modelDirs: [] },
  torchserve: { processes: ['torchserve', 'java', 'model-server'], modelDirs: ['/home/model-server/model-store'] },
  triton: { processes: ['tritonserver', 'triton_python_backend_stub'], modelDirs: ['/models'] },
  tfserving: { processes: ['tensorflow_model_server', 'tf_serving_entrypoint.sh'], modelDirs: ['/models'] },
  vllm: { processes: ['vllm'], modelDirs: ['/root/.cache/huggingface'] },
  sglang: { processes: ['sglang'], modelDirs: ['/root/.cache/huggingface'] },
  tgi: { processes: ['text-generation-launcher', 'text-generation-router', 'text-generation-server'], modelDirs: ['/data'] },
  'kserve-python': { processes: [], modelDirs: ['/mnt/models'] },
  mlserver: { processes: ['mlserver'], modelDirs: ['/mnt/models'] },
  ollama: { processes: ['ollama', 'ollama_llama_server'], modelDirs: ['/root/.ollama/models'] },
  jupyter: { processes: ['jupyter', 'jupyter-lab', 'jupyter-notebook', 'jupyter-server', 'start-notebook.sh', 'start.sh'], modelDirs: [] },
  'code-server': { processes: ['code-server', 'node'], modelDirs: [] },
  mlflow: { processes: ['mlflow', 'gunicorn', 'uvicorn'], modelDirs: [] },
};

/** KServe mounts the storage initializer's download here (kserve pkg/constants DefaultModelLocalMountPath). */
export const KSERVE_MODEL_DIR = '/mnt/models';

/** Interactive shells (Falco's shell_binaries list, trimmed to shells). */
export const SHELLS: readonly string[] = ['ash', 'bash', 'csh', 'dash', 'fish', 'ksh', 'sh', 'tcsh', 'zsh'];

/** Package managers that install code at run time (Falco's package_mgmt_binaries plus Python's). */
export const PACKAGE_MANAGERS: readonly string[] = ['apk', 'apt', 'apt-get', 'conda', 'dnf', 'dpkg', 'gem', 'mamba', 'micromamba', 'npm', 'pip', 'pip3', 'pipx', 'poetry', 'rpm', 'uv', 'yum', 'zypper'];

/** Cloud credential files and token paths (AWS, GCP, Azure CLIs and workload identity). */
export const CLOUD_CREDENTIAL_GLOBS: readonly string[] = ['*/.aws/credentials', '*/.aws/config', '*/.config/gcloud/*', '*/.azure/*', '*/.docker/config.json', '*/.kube/config'];
/** Projected tokens of cloud workload identity (EKS IRSA, Azure Workload Identity), read by prefix. */
export const CLOUD_TOKEN_DIRS: readonly string[] = ['/var/run/secrets/eks.amazonaws.com/serviceaccount', '/var/run/secrets/azure/tokens'];

/** Pod labels operators put on the pods of a workload kind, whose value is the workload's name. */
export const OPERATOR_POD_LABELS: Readonly<Record<string, string>> = {
  InferenceService: 'serving.kserve.io/inferenceservice',
  RayCluster: 'ray.io/cluster',
  RayService: 'ray.io/cluster',
  Notebook: 'notebook-name',
  SeldonDeployment: 'seldon-deployment-id',
};

/** Networks a pod- or namespace-selector peer stands for, unknown at export time: the RFC 1918 and ULA ranges (tune to the cluster's pod and service CIDRs). */
export const CLUSTER_NETWORKS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'];
