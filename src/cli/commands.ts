/** The command table: names and one-line descriptions, with their modules loaded on demand. */
export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<unknown>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'audit', description: 'audit manifests: Pod Security Standards plus ML-aware checks', load: () => import('./audit.js') },
  { name: 'pss', description: 'evaluate Pod Security Standards exactly as the API server does', load: () => import('./pss.js') },
  { name: 'checks', description: 'list and explain the checks', load: () => import('./checks.js') },
  { name: 'netpol', description: 'NetworkPolicy reachability: matrix, explain, verify intents, generate policies', load: () => import('./netpol.js') },
  { name: 'harden', description: 'make workloads pass Pod Security Standards and still start: a comment-preserving edit', load: () => import('./harden.js') },
  { name: 'rbac', description: 'RBAC as the API server authorizes it: who-can, can, explain, attack paths, least privilege', load: () => import('./rbac.js') },
  { name: 'audit-log', description: 'detect attacks on ML serving in Kubernetes audit logs (Falco k8s audit rules + ML rules), offline or as an audit webhook', load: () => import('./auditlog.js') },
  { name: 'scan', description: 'scan artifacts: model files (pickle, PyTorch, NumPy, safetensors, GGUF, Keras, ONNX, TensorFlow)', load: () => import('./scan.js') },
  { name: 'serve', description: 'run the admission webhook: Pod Security as PSA, checks as policy, image pinning', load: () => import('./serve.js') },
];
