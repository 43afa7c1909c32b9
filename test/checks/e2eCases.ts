/**
 * One CLI case per posture check: YAML a user would pipe into `palisade audit -`, and the config
 * (when the check needs params to fire). The meta-test requires an entry for every check id.
 */
export interface E2eCase {
  yaml: string;
  config?: string;
  /** Extra flags, e.g. --level privileged for checks that PSS covers at stricter levels. */
  args?: string[];
}

const pod = (spec: string, metadata = 'name: p, namespace: ml'): string => `apiVersion: v1
kind: Pod
metadata: {${metadata}}
spec:
${spec}`;

const deployment = (labels: string, container: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ml}
spec:
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers:
      - ${container}
`;

export const E2E_CASES: Record<string, E2eCase> = {
  CONTAINER_PORT_SENSITIVE: { yaml: pod('  containers: [{name: a, image: "linuxserver/openssh-server:9.7", ports: [{containerPort: 22}]}]\n') },
  CREDENTIAL_MOUNT: { yaml: pod('  containers: [{name: a, image: docker:27}]\n  volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}]\n') },
  DEFAULT_SERVICE_ACCOUNT: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n') },
  DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT: { yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: ml}\n' },
  EPHEMERAL_STORAGE_UNBOUNDED: { yaml: pod('  containers: [{name: a, image: "vllm/vllm-openai:v0.6.3", resources: {requests: {ephemeral-storage: 50Gi}}}]\n') },
  EXEMPTION_INVALID: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n', 'name: p, annotations: {palisade.dev/exempt: HOST_PORT}') },
  EXPOSED_ADMIN_PORT: { yaml: `${deployment('app: ray', '{name: head, image: "rayproject/ray:2.9.0", command: [ray, start, --head]}')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ml}\nspec: {type: LoadBalancer, selector: {app: ray}, ports: [{port: 8265}]}\n` },
  EXPOSED_MODEL_SERVER: { yaml: `${deployment('app: llm', '{name: vllm, image: "vllm/vllm-openai:v0.6.3"}')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ml}\nspec: {type: NodePort, selector: {app: llm}, ports: [{port: 8000}]}\n` },
  GPU_ACCESS_UNCONTROLLED: { yaml: pod('  containers: [{name: a, image: "nvcr.io/nvidia/pytorch:24.01-py3", env: [{name: NVIDIA_VISIBLE_DEVICES, value: all}]}]\n') },
  GPU_NAMESPACE_WITHOUT_QUOTA: { yaml: pod('  containers: [{name: a, image: "nvcr.io/nvidia/pytorch:24.01-py3", resources: {limits: {nvidia.com/gpu: 1}}}]\n') },
  HF_MODEL_UNPINNED: { yaml: pod('  containers: [{name: a, image: "vllm/vllm-openai:v0.6.3", args: [--model, meta-llama/Llama-3.1-8B-Instruct]}]\n') },
  HOST_PATH_VOLUME: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n  volumes: [{name: m, hostPath: {path: /models}}]\n'), args: ['--level', 'privileged'] },
  HOST_PORT: { yaml: pod('  containers: [{name: a, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 80}]}]\n'), args: ['--level', 'privileged'] },
  IMAGE_NOT_PINNED_BY_DIGEST: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n') },
  IMAGE_PULL_POLICY_STALE: { yaml: pod('  containers: [{name: a, image: "nginx:latest", imagePullPolicy: IfNotPresent}]\n') },
  IMAGE_REGISTRY_NOT_ALLOWED: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n'), config: 'checks:\n  IMAGE_REGISTRY_NOT_ALLOWED:\n    params: {allowedRegistries: [registry.example.com]}\n' },
  IMAGE_TAG_MUTABLE: { yaml: pod('  containers: [{name: a, image: nginx}]\n') },
  INGRESS_WITHOUT_TLS: { yaml: `${deployment('app: tgi', '{name: tgi, image: "ghcr.io/huggingface/text-generation-inference:2.4.0"}')}---\napiVersion: v1\nkind: Service\nmetadata: {name: tgi, namespace: ml}\nspec: {selector: {app: tgi}, ports: [{port: 80}]}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: ml}\nspec: {defaultBackend: {service: {name: tgi, port: {number: 80}}}}\n` },
  JUPYTER_WITHOUT_AUTH: { yaml: pod(`  containers: [{name: a, image: "jupyter/base-notebook:2024-01-01", args: ["--ServerApp.token="]}]\n`) },
  LLM_API_WITHOUT_KEY: { yaml: pod('  containers: [{name: a, image: "vllm/vllm-openai:v0.6.3"}]\n') },
  MEMORY_EMPTYDIR_UNBOUNDED: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n  volumes: [{name: dshm, emptyDir: {medium: Memory}}]\n') },
  MLFLOW_WITHOUT_AUTH: { yaml: pod('  containers: [{name: a, image: "ghcr.io/mlflow/mlflow:v2.14.1", command: [mlflow, server, --host, 0.0.0.0]}]\n') },
  MODEL_URI_PLAIN_HTTP: { yaml: 'apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: i, namespace: ml}\nspec: {predictor: {sklearn: {storageUri: "http://models/iris"}}}\n' },
  NAMESPACE_PSA_NOT_ENFORCED: { yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n' },
  NAMESPACE_WITHOUT_DEFAULT_DENY: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n') },
  PROBES_MISSING: { yaml: deployment('app: a', '{name: a, image: "nginx:1.27", ports: [{containerPort: 80}]}') },
  RAY_DASHBOARD_UNAUTHENTICATED: { yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r, namespace: ml}\nspec:\n  headGroupSpec:\n    rayStartParams: {dashboard-host: 0.0.0.0}\n    template: {spec: {containers: [{name: head, image: "rayproject/ray:2.9.0"}]}}\n' },
  RAY_NETWORK_POLICY_BLOCKS_DNS: { yaml: 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r, namespace: ml}\nspec:\n  networkPolicy: {mode: DenyAll}\n  headGroupSpec:\n    rayStartParams: {dashboard-host: 127.0.0.1}\n    template: {spec: {containers: [{name: head, image: "rayproject/ray:2.9.0"}]}}\n' },
  READ_ONLY_ROOT_FILESYSTEM: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n') },
  RESOURCE_LIMITS_MISSING: { yaml: pod('  containers: [{name: a, image: nginx:1.27}]\n') },
  RESOURCE_REQUESTS_MISSING: { yaml: pod('  containers: [{name: a, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]\n') },
  SECRET_COMMITTED: { yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ml}\ndata: {DB_PASSWORD: abc123}\n' },
  SECRET_LITERAL: { yaml: pod('  containers: [{name: a, image: nginx:1.27, env: [{name: OPENAI_API_KEY, value: sk-proj-abcdefghijklmnopqrstuvwx}]}]\n') },
  SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED: { yaml: pod('  serviceAccountName: model-server\n  containers: [{name: a, image: nginx:1.27}]\n') },
  SERVICE_EXTERNALLY_EXPOSED: { yaml: `${deployment('app: redis', '{name: redis, image: "redis:7.2"}')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ml}\nspec: {type: NodePort, selector: {app: redis}, ports: [{port: 6379}]}\n` },
  TORCHSERVE_MANAGEMENT_OPEN: { yaml: pod('  containers: [{name: a, image: "pytorch/torchserve:0.12.0-cpu", args: [--disable-token-auth]}]\n') },
  TRITON_MODEL_CONTROL_OPEN: { yaml: pod('  containers: [{name: a, image: "nvcr.io/nvidia/tritonserver:24.01-py3", args: [tritonserver, --model-control-mode=explicit]}]\n') },
  TRUST_REMOTE_CODE: { yaml: pod('  containers: [{name: a, image: "vllm/vllm-openai:v0.6.3", args: [--trust-remote-code]}]\n') },
};
