import { adminPortsOf } from './adminPorts.js';
import { imageName } from './imageReference.js';

/**
 * What palisade knows about model servers, notebooks and ML platforms: how to recognise them, which
 * ports serve inference and which administer the server, how they authenticate, and which paths
 * must stay writable under readOnlyRootFilesystem (shared with `harden`). Sources:
 * ../shared/research/ml-manifests.md, sections "Model-server ports" and "Writable paths needed at
 * run time", which cite each server's upstream: pytorch/serve docker/Dockerfile and
 * docs/configuration.md; Triton's docs; tensorflow/serving examples; kserve pkg/constants; the
 * mlserver modelmesh runtime; kuberay ray-operator/controllers/ray/utils/constant.go; vLLM, SGLang,
 * TGI and Ollama images and docs; Jupyter docker-stacks; coder/code-server; MLflow's tracking server.
 * This changes with the world: add a row, never a branch.
 */
export type ServerRole = 'inference' | 'llm' | 'distributed' | 'workspace' | 'tracking';

export interface AdminPort {
  port: number;
  /** What answers there, for messages: "dashboard and job submission API". */
  api: string;
}

export interface ModelServer {
  id: string;
  name: string;
  role: ServerRole;
  /** Matched against the image reference without tag or digest. */
  images: readonly RegExp[];
  /** Tags of those images that ship something else (Triton's `-sdk` tags hold the client tools). */
  notTags?: readonly RegExp[];
  /** Matched against `command` + `args` joined by spaces, when no image matched. */
  commands: readonly RegExp[];
  /** Ports that serve predictions. */
  servingPorts: readonly number[];
  /** Ports that control the server or the cluster: never for the public (rows of ADMIN_PORTS naming this server). */
  adminPorts: readonly AdminPort[];
  /** How the server turns on authentication, when it has any. */
  apiKey?: { flags: readonly string[]; env: readonly string[] };
  /** Must stay writable (emptyDir or PVC) when the root filesystem is read-only. */
  writablePaths: readonly string[];
}

const SERVER_ROWS: ReadonlyArray<Omit<ModelServer, 'adminPorts'>> = [
  {
    id: 'ray',
    name: 'Ray',
    role: 'distributed',
    images: [/(^|\/)rayproject\/ray(-ml|-llm)?$/, /(^|\/)anyscale\/ray/],
    commands: [/\bray start\b/],
    servingPorts: [8000],
    writablePaths: ['/tmp/ray', '/dev/shm'],
  },
  {
    id: 'torchserve',
    name: 'TorchServe',
    role: 'inference',
    images: [/(^|\/)pytorch\/torchserve(-[a-z-]+)?$/],
    commands: [/\btorchserve\b/],
    servingPorts: [8080, 7070],
    writablePaths: ['/home/model-server/tmp', '/home/model-server/logs', '/home/model-server/model-store'],
  },
  {
    id: 'triton',
    name: 'Triton Inference Server',
    role: 'inference',
    images: [/(^|\/)nvidia\/tritonserver$/, /(^|\/)tritonserver$/],
    notTags: [/-sdk$/],
    commands: [/\btritonserver\b/],
    // 8002 serves read-only Prometheus metrics, not an admin port; model control rides on 8000 (TRITON_MODEL_CONTROL_OPEN).
    servingPorts: [8000, 8001],
    writablePaths: ['/tmp', '/dev/shm'],
  },
  {
    id: 'tfserving',
    name: 'TensorFlow Serving',
    role: 'inference',
    images: [/(^|\/)tensorflow\/serving$/],
    commands: [/\btensorflow_model_server\b/],
    servingPorts: [8500, 8501],
    writablePaths: ['/tmp'],
  },
  {
    id: 'vllm',
    name: 'vLLM',
    role: 'llm',
    images: [/(^|\/)vllm\/vllm-openai$/, /(^|\/)vllm-openai$/, /(^|\/)llm-d\/llm-d(-(cuda|rocm|xpu|cpu|dev))?$/],
    commands: [/\bvllm serve\b/, /\bvllm\.entrypoints\b/],
    servingPorts: [8000],
    apiKey: { flags: ['--api-key'], env: ['VLLM_API_KEY'] },
    writablePaths: ['/.cache', '/root/.cache', '/tmp', '/dev/shm'],
  },
  {
    id: 'sglang',
    name: 'SGLang',
    role: 'llm',
    images: [/(^|\/)lmsysorg\/sglang$/],
    commands: [/\bsglang\.launch_server\b/],
    servingPorts: [30000],
    apiKey: { flags: ['--api-key'], env: [] },
    writablePaths: ['/root/.cache', '/tmp', '/dev/shm'],
  },
  {
    id: 'tgi',
    name: 'Text Generation Inference',
    role: 'llm',
    images: [/text-generation-inference/],
    commands: [/\btext-generation-launcher\b/],
    servingPorts: [80, 8080],
    writablePaths: ['/data', '/tmp', '/dev/shm'],
  },
  {
    id: 'kserve-python',
    name: 'KServe Python runtime',
    role: 'inference',
    images: [/(^|\/)kserve\/(sklearnserver|xgbserver|lgbserver|pmmlserver|paddleserver|huggingfaceserver)$/],
    commands: [/\b-m (sklearnserver|xgbserver|lgbserver|pmmlserver|paddleserver|huggingfaceserver)\b/],
    servingPorts: [8080, 8081],
    writablePaths: ['/tmp'],
  },
  {
    id: 'mlserver',
    name: 'MLServer',
    role: 'inference',
    images: [/(^|\/)seldonio\/mlserver$/],
    commands: [/\bmlserver start\b/],
    servingPorts: [8080, 8081],
    writablePaths: ['/tmp'],
  },
  {
    id: 'ollama',
    name: 'Ollama',
    role: 'llm',
    images: [/(^|\/)ollama\/ollama$/],
    commands: [/\bollama serve\b/],
    servingPorts: [11434],
    writablePaths: ['/root/.ollama'],
  },
  {
    id: 'jupyter',
    name: 'Jupyter',
    role: 'workspace',
    images: [/(^|\/)jupyter\/[a-z-]*notebook$/, /(^|\/)quay\.io\/jupyter\//, /(^|\/)kubeflownotebookswg\/jupyter/, /(^|\/)jupyterhub\/singleuser$/],
    commands: [/\bjupyter(-lab|-notebook| lab| notebook| server)\b/, /\bstart-notebook\.(sh|py)\b/],
    servingPorts: [],
    writablePaths: ['/home/jovyan', '/tmp'],
  },
  {
    id: 'code-server',
    name: 'code-server',
    role: 'workspace',
    images: [/(^|\/)codercom\/code-server$/, /(^|\/)kubeflownotebookswg\/codeserver/],
    commands: [/\bcode-server\b/],
    servingPorts: [],
    writablePaths: ['/home/coder', '/tmp'],
  },
  {
    id: 'mlflow',
    name: 'MLflow',
    role: 'tracking',
    images: [/(^|\/)mlflow\/mlflow$/, /(^|\/)bitnami\/mlflow$/],
    commands: [/\bmlflow (server|ui)\b/],
    servingPorts: [],
    apiKey: { flags: ['--app-name'], env: ['MLFLOW_AUTH_CONFIG_PATH'] },
    writablePaths: ['/tmp', '/mlruns'],
  },
];

/** The table, with each server's admin ports from the one admin-port table (adminPorts.ts). */
export const MODEL_SERVERS: readonly ModelServer[] = SERVER_ROWS.map((row) => ({ ...row, adminPorts: adminPortsOf(row.id) }));

/**
 * A worker of a distributed server (a Ray worker node): the same server without the head's admin
 * ports. Never detected by itself: `serverInPlace` turns a detected `ray` into it where the
 * container is a worker. Not in MODEL_SERVERS, so no image or command ever matches it.
 */
const WORKERS: readonly ModelServer[] = MODEL_SERVERS.filter((s) => s.role === 'distributed').map((s) => ({ ...s, id: `${s.id}-worker`, name: `${s.name} worker`, images: [], commands: [], adminPorts: adminPortsOf(s.id, true) }));

const BY_ID = new Map([...MODEL_SERVERS, ...WORKERS].map((s) => [s.id, s]));

/**
 * The server a container runs, given where it runs: a Ray container in a KubeRay worker group, or
 * one that runs `ray start` without `--head`, is a Ray worker (no dashboard, GCS or client server).
 */
export function serverInPlace(server: ModelServer | undefined, podSpecPath: string, commandLine: string): ModelServer | undefined {
  if (!server || server.role !== 'distributed') return server;
  const worker = podSpecPath.includes('/workerGroupSpecs/') || (/\bray start\b/.test(commandLine) && !/(^|\s)--head\b/.test(commandLine));
  return worker ? (BY_ID.get(`${server.id}-worker`) ?? server) : server;
}

export function modelServer(id: string): ModelServer | undefined {
  return BY_ID.get(id);
}

/** Which server a container runs: its image first, its command line second. */
const byImageCache = new Map<string, ModelServer | null>();

export function detectServer(image: string | undefined, commandLine: string): ModelServer | undefined {
  if (image) {
    // Images repeat across a repository of manifests; the table is tried once per image.
    let byImage = byImageCache.get(image);
    if (byImage === undefined) {
      const name = imageName(image);
      const tag = image.split('@', 1)[0]!.slice(name.length + 1);
      byImage = MODEL_SERVERS.find((s) => s.images.some((p) => p.test(name)) && !s.notTags?.some((p) => p.test(tag))) ?? null;
      // A copied key: the image string is a slice of its file's text and would keep all of it alive.
      if (byImageCache.size < 10_000) byImageCache.set(structuredClone(image), byImage);
    }
    if (byImage) return byImage;
  }
  if (commandLine === '') return undefined;
  return MODEL_SERVERS.find((s) => s.commands.some((p) => p.test(commandLine)));
}

/**
 * KServe model-format predictors name their runtime instead of an image: `spec.predictor.pytorch`
 * runs TorchServe, `spec.predictor.model` with `modelFormat.name: triton` runs Triton, and so on.
 */
export const KSERVE_FORMAT_SERVERS: Readonly<Record<string, string>> = {
  pytorch: 'torchserve',
  triton: 'triton',
  tensorrt: 'triton',
  onnx: 'triton',
  tensorflow: 'tfserving',
  sklearn: 'kserve-python',
  xgboost: 'kserve-python',
  lightgbm: 'kserve-python',
  pmml: 'kserve-python',
  paddle: 'kserve-python',
  huggingface: 'kserve-python',
};
