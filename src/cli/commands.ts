/** The command table: names and one-line descriptions, with their modules loaded on demand. */
export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<unknown>;
}

/**
 * The one description of each command: `palisade --help` lists it without loading the command, and
 * the command's own help shows the same words (each register() takes it from here).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'audit', description: 'audit manifests: Pod Security Standards, ML-aware posture checks, Dockerfile rules and the network lint', load: () => import('./audit.js') },
  { name: 'pss', description: 'evaluate Pod Security Standards on every pod spec, exactly as the API server does', load: () => import('./pss.js') },
  { name: 'checks', description: 'list and explain the checks', load: () => import('./checks.js') },
  { name: 'netpol', description: 'NetworkPolicy / AdminNetworkPolicy reachability: matrix, explain, verify intents, lint, diff, generate policies', load: () => import('./netpol/index.js') },
  { name: 'harden', description: 'make workloads pass a Pod Security level and still start: a comment-preserving edit, shown as a diff', load: () => import('./harden.js') },
  { name: 'scan', description: 'scan artifacts before they are served: model files, container images, Dockerfiles, other scanners\' reports', load: () => import('./scan.js') },
  { name: 'db', description: 'the local vulnerability database: build it from OSV\'s published exports (db update --from)', load: () => import('./db.js') },
  { name: 'rbac', description: 'RBAC as the API server authorizes it: who-can, can, explain, attack paths, least privilege', load: () => import('./rbac.js') },
  { name: 'audit-log', description: 'detect attacks on ML serving in Kubernetes audit logs (Falco k8s audit rules + ML rules), offline or as an audit webhook', load: () => import('./auditlog.js') },
  { name: 'install', description: 'print the manifests that run the admission webhook in a cluster', load: () => import('./install.js') },
  { name: 'serve', description: 'run the admission webhook: Pod Security as PSA, checks as policy, image pinning', load: () => import('./serve.js') },
  { name: 'export', description: 'export palisade\'s rules for the engine a cluster runs: ValidatingAdmissionPolicy, Kyverno, Gatekeeper (CEL)', load: () => import('./export.js') },
  { name: 'verify', description: 'verify cosign signatures, attestations and OpenSSF model signatures, offline', load: () => import('./verify.js') },
];

export function describe(name: string): string {
  return COMMANDS.find((c) => c.name === name)?.description ?? '';
}
