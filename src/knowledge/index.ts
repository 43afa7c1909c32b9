/**
 * World knowledge as cited tables (DESIGN.md): what model servers listen on, run and write to, admin
 * ports, secret patterns, accelerators, image references, operator labels, credential paths, model
 * files and sources. Every engine reads it; none owns it. Each table names its sources beside the
 * data; the world changes, so add a row, never a branch.
 */
export { ACCELERATOR_RESOURCES } from './accelerators.js';
export { ADMIN_PORTS, adminPortsOf, PORT_ALONE_ADMIN_PORTS, TORCHSERVE_MANAGEMENT, type AdminPortRow } from './adminPorts.js';
export { BASE_IMAGE_USERS, baseImageUser, type BaseImageUser, type BaseImageUserRow } from './baseImageUsers.js';
export { BUILD_TOOL_PACKAGES, INSTALL_VERBS, PACKAGE_MANAGERS } from './buildTools.js';
export { CLOUD_METADATA_ADDRESSES } from './cloudMetadata.js';
export { MESH_FIELDS, type FieldTree } from './meshFields.js';
export { CREDENTIAL_FILE_ENV, CREDENTIAL_MOUNT_PATHS, SENSITIVE_HOST_PATHS, type CredentialPath } from './credentialPaths.js';
export { DEFAULT_REGISTRY, imageName, isMovingTag, MOVING_TAGS, parseImageReference, type ImageReference } from './imageReference.js';
export { DATA_MODEL_EXTENSIONS, isPickleModel, MODEL_HOSTS, modelExtension, PICKLE_MODEL_EXTENSIONS } from './modelFiles.js';
export { detectServer, KSERVE_FORMAT_SERVERS, MODEL_SERVERS, modelServer, serverInPlace, type AdminPort, type ModelServer, type ServerRole } from './modelServers.js';
export { HF_COMMIT, HF_MODEL_ENV, HF_MODEL_FLAGS, HF_REPO_ID, HF_REVISION_ENV, HF_REVISION_FLAGS, isModelUriField, MODEL_URI_KEYS, MODEL_URI_PARENT_KEYS, MODEL_URI_SEARCH_KEYS } from './modelSources.js';
export { kuberayIsolation, OPERATOR_POD_RULES, operatorPodLabels, operatorPodRule, type OperatorPodRule } from './operators.js';
export { KUBERAY_CLUSTER_SPECS, KUBERAY_NETWORK_POLICY_MODES, kuberayNetworkPolicies, kuberayNetworkPolicyConfig, type KubeRayNetworkPolicy } from './kuberayNetworkPolicies.js';
export { GPU_NODE_AGENTS, NODE_AGENT_IMAGE, nodeAgentOfImage, type NodeAgent } from './nodeAgents.js';
export {
  BUILD_NOT_SECRET_WORDS,
  BUILD_SECRET_NAME_PAIRS,
  BUILD_SECRET_NAME_WORDS,
  CREDENTIAL_URL,
  ENTROPY_BITS_PER_CHAR,
  ENTROPY_MIN_LENGTH,
  EXAMPLE_SECRET_PATTERNS,
  isSecretName,
  KEY_ID_PAIRS,
  KNOWN_SECRET_NAMES,
  NOT_PASSWORD_NAME_WORDS,
  NOT_PASSWORD_VALUES,
  NOT_SECRET_WORDS,
  PASSWORD_NAME_WORDS,
  PLACEHOLDER_PATTERNS,
  SECRET_FLAGS,
  SECRET_NAME_PAIRS,
  SECRET_NAME_WORDS,
  TOKEN_FORMATS,
  tokenFormatIn,
  URL_PASSWORD_PLACEHOLDERS,
  type TokenFormat,
} from './secrets.js';
