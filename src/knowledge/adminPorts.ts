/**
 * Ports that control a model server, a cluster or a workspace rather than serve predictions: never
 * for the public. One list for every engine: the posture checks and the network lint read the rows
 * of the server they detected (`adminPortsOf`); the image and Dockerfile checks, which only see a
 * port number, read the rows that are safe to judge by number alone (`portAlone`).
 *
 * Sources (documented defaults):
 * - TorchServe: docs/configuration.md and docs/grpc_api.md (pytorch/serve): inference 8080,
 *   management 8081, metrics 8082, gRPC inference 7070, gRPC management 7071. 7070 serves
 *   predictions, so it is not an admin port (an older table of palisade said otherwise).
 * - Ray / KubeRay: ray-operator/controllers/ray/utils/constant.go: GCS 6379, dashboard 8265, client 10001.
 *   All three run on the head node only (Ray docs, cluster/key-concepts "Head node": the GCS, the
 *   dashboard and the client server are singleton processes of the head; KubeRay's head Service
 *   carries them, its workers run `ray start --address=<head>:6379` without them): `headOnly`.
 * - MLServer: docs (seldonio/mlserver) and the modelmesh runtime: HTTP 8080, gRPC 8081, metrics 8082.
 * - Jupyter Server: 8888 (jupyter_server ServerApp.port); Kubeflow notebook images.
 * - code-server: coder/code-server docs: 8080 (bind-addr), 8443 in the linuxserver and Kubeflow images.
 * - MLflow: `mlflow server --port` default 5000 (mlflow docs, tracking server).
 * - TensorBoard: `tensorboard --port` default 6006 (tensorflow/tensorboard README).
 * - SSH: 22 (IANA service name registry).
 * See also ../shared/research/ml-manifests.md, "Model-server ports".
 *
 * `portAlone` is false where the number is also a serving default of a common server (8080 serves
 * TGI, KServe, MLServer and TorchServe inference; 5000 is Flask's and Seldon v1's default; 8443 is
 * any HTTPS service): an image exposing it says nothing by itself.
 */
export interface AdminPortRow {
  port: number;
  /** The server id of the model-server table, or a tool that has no row there. */
  server: string;
  /** What answers there, named within its server, for messages about a detected server: "dashboard and job submission API". */
  api: string;
  /** The same, named on its own, for messages that only know the port: "Ray dashboard and job API". */
  service: string;
  /** Why it must not be reachable, for messages. */
  why: string;
  /** Safe to report when only the port number is known (an image's EXPOSE). */
  portAlone: boolean;
  /** Served by the head node of a distributed server only (a Ray worker does not listen there). */
  headOnly?: true;
}

/** TorchServe's management API: registers models from URLs and runs their handlers (ShellTorch). */
export const TORCHSERVE_MANAGEMENT: AdminPortRow = { port: 8081, server: 'torchserve', service: 'TorchServe management API', api: 'management API', why: 'registers models from any URL (CVE-2023-43654)', portAlone: true };

export const ADMIN_PORTS: readonly AdminPortRow[] = [
  { port: 8265, server: 'ray', service: 'Ray dashboard and job API', api: 'dashboard and job submission API', why: 'submits jobs that run arbitrary code (ShadowRay, CVE-2023-48022)', portAlone: true, headOnly: true },
  { port: 6379, server: 'ray', service: 'Ray GCS / Redis', api: 'GCS', why: 'cluster control plane', portAlone: true, headOnly: true },
  { port: 10001, server: 'ray', service: 'Ray client server', api: 'Ray client server', why: 'runs arbitrary code on the cluster', portAlone: true, headOnly: true },
  TORCHSERVE_MANAGEMENT,
  { port: 8082, server: 'torchserve', service: 'TorchServe metrics API', api: 'metrics API', why: 'exposes internal metrics', portAlone: true },
  { port: 7071, server: 'torchserve', service: 'TorchServe gRPC management API', api: 'gRPC management API', why: 'registers models from any URL', portAlone: true },
  { port: 8082, server: 'mlserver', service: 'MLServer metrics endpoint', api: 'metrics endpoint', why: 'exposes internal metrics', portAlone: true },
  { port: 8888, server: 'jupyter', service: 'Jupyter server', api: 'notebook server (runs code)', why: 'runs arbitrary code', portAlone: true },
  { port: 8080, server: 'code-server', service: 'code-server IDE', api: 'IDE (runs code)', why: 'runs arbitrary code', portAlone: false },
  { port: 8443, server: 'code-server', service: 'code-server IDE', api: 'IDE (runs code)', why: 'runs arbitrary code', portAlone: false },
  { port: 5000, server: 'mlflow', service: 'MLflow tracking server', api: 'tracking server and model registry', why: 'registers and serves models without authentication by default', portAlone: false },
  { port: 6006, server: 'tensorboard', service: 'TensorBoard', api: 'TensorBoard', why: 'reads logs and files of the run', portAlone: true },
  { port: 22, server: 'ssh', service: 'SSH', api: 'SSH', why: 'interactive shell into the model server', portAlone: true },
];

/** The admin ports of one server of the model-server table, in table order. */
export function adminPortsOf(server: string, worker = false): Array<{ port: number; api: string }> {
  return ADMIN_PORTS.filter((row) => row.server === server && !(worker && row.headOnly)).map(({ port, api }) => ({ port, api }));
}

/** The rows an exposed port number alone is judged by: one per port, the first of the table. */
export const PORT_ALONE_ADMIN_PORTS: readonly AdminPortRow[] = ADMIN_PORTS.filter((row, i) => row.portAlone && ADMIN_PORTS.findIndex((other) => other.portAlone && other.port === row.port) === i);
