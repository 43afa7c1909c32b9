/**
 * Host paths and mount paths that hold credentials or control the node. Training and notebook pods
 * copied from tutorials mount these to "just make docker/aws/ssh work".
 * Sources: Kubernetes docs, "Volumes: hostPath" (the warning about exposing privileged system
 * credentials and the container runtime socket); the kubelet's --root-dir default /var/lib/kubelet;
 * kubeadm's /etc/kubernetes; the clients' default credential paths: AWS CLI (~/.aws, "Configuration
 * and credential file settings", AWS_SHARED_CREDENTIALS_FILE), Google Cloud SDK (~/.config/gcloud)
 * and Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS), Azure CLI (~/.azure) and
 * azure-identity's EnvironmentCredential (AZURE_CLIENT_CERTIFICATE_PATH), OpenSSH (~/.ssh),
 * kubectl (~/.kube/config), Docker (~/.docker/config.json).
 */
export interface CredentialPath {
  /** Matched against the hostPath path, or a container's mountPath. */
  pattern: RegExp;
  what: string;
}

/** hostPath targets that hand over the node: container runtime sockets and credential stores. */
export const SENSITIVE_HOST_PATHS: readonly CredentialPath[] = [
  { pattern: /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|podman\/podman)\.sock$/, what: 'the container runtime socket' },
  { pattern: /^\/(var\/)?run\/(docker|containerd|crio)\/?$/, what: 'the container runtime directory' },
  { pattern: /^\/var\/lib\/kubelet(\/(pods|pki|kubeconfig)(\/|$)|$)/, what: 'the kubelet\'s state (pod secrets and tokens)' },
  // kubeadm's credentials (kubeadm "Implementation details": admin.conf, kubelet.conf, super-admin.conf,
  // controller-manager.conf, scheduler.conf, bootstrap-kubelet.conf; pki/; manifests/ for static pods)
  // and EKS's kubelet/ directory, or the whole directory. Not its other subdirectories: Node Feature
  // Discovery's /etc/kubernetes/node-feature-discovery (features.d hooks) holds no credential.
  { pattern: /^\/etc\/kubernetes(\/(pki|manifests|kubelet)(\/|$)|\/[^/]*\.conf$|$)/, what: 'the node\'s Kubernetes credentials' },
  { pattern: /^\/(root|home\/[^/]+)\/\.(ssh|aws|kube|docker|config\/gcloud|azure)(\/|$)/, what: 'a user\'s credential directory' },
  { pattern: /^\/?$/, what: 'the node\'s root filesystem' },
];

/** Mount paths inside a container where cloud and SSH credentials are read from. */
export const CREDENTIAL_MOUNT_PATHS: readonly CredentialPath[] = [
  { pattern: /\/\.aws(\/|$)/, what: 'AWS credentials' },
  { pattern: /\/\.config\/gcloud(\/|$)/, what: 'Google Cloud credentials' },
  { pattern: /\/\.azure(\/|$)/, what: 'Azure credentials' },
  { pattern: /\/\.ssh(\/|$)/, what: 'SSH keys' },
  { pattern: /\/\.kube(\/|$)/, what: 'a kubeconfig' },
  { pattern: /\/\.docker(\/|$)/, what: 'registry credentials' },
];

/** Env vars that point a client at a long-lived key file. */
export const CREDENTIAL_FILE_ENV: ReadonlySet<string> = new Set(['GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SHARED_CREDENTIALS_FILE', 'AZURE_CLIENT_CERTIFICATE_PATH']);
