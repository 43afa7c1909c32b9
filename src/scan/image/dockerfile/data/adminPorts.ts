/**
 * Ports of ML serving and training tools that give control, not just inference: exposing them from
 * an image invites anyone who can reach the pod to load models, run jobs or code. Add entries as
 * tools appear; the rule reads only this table.
 */
export interface AdminPort {
  port: number;
  service: string;
  why: string;
}

export const ADMIN_PORTS: readonly AdminPort[] = [
  { port: 8081, service: 'TorchServe management API', why: 'registers models from any URL (CVE-2023-43654)' },
  { port: 8082, service: 'TorchServe metrics API', why: 'exposes internal metrics' },
  { port: 7070, service: 'TorchServe gRPC inference/management', why: 'includes management calls' },
  { port: 7071, service: 'TorchServe gRPC management API', why: 'registers models from any URL' },
  { port: 8265, service: 'Ray dashboard and job API', why: 'submits jobs that run arbitrary code (ShadowRay, CVE-2023-48022)' },
  { port: 10001, service: 'Ray client server', why: 'runs arbitrary code on the cluster' },
  { port: 6379, service: 'Ray GCS / Redis', why: 'cluster control plane' },
  { port: 8888, service: 'Jupyter server', why: 'runs arbitrary code' },
  { port: 6006, service: 'TensorBoard', why: 'reads logs and files of the run' },
  { port: 22, service: 'SSH', why: 'interactive shell into the model server' },
];
