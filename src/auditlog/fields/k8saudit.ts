/**
 * The fields of the k8saudit plugin (falcosecurity/plugins plugins/k8saudit/pkg/k8saudit/fields.go at
 * 0b3cbd8d, k8saudit 0.18; Apache-2.0) and of the json plugin (plugins/json/pkg/json/json.go, json 0.7),
 * which together make the `k8s_audit` event source of Falco. Descriptions are upstream's.
 */
import type { FieldInfo } from './types.js';

const k = (name: string, desc: string, list = false, arg?: FieldInfo['arg']): FieldInfo => ({ name, type: 'string', list, ...(arg ? { arg } : {}), desc, source: 'k8s_audit', provider: 'k8saudit' });
const KEY = { required: true, kind: 'key' } as const;
const INDEX = { required: false, kind: 'index' } as const;

export const K8SAUDIT_FIELDS: readonly FieldInfo[] = [
  k('ka.auditid', 'The unique id of the audit event'),
  k('ka.stage', 'Stage of the request (e.g. RequestReceived, ResponseComplete, etc.)'),
  k('ka.auth.decision', 'The authorization decision'),
  k('ka.auth.reason', 'The authorization reason'),
  k('ka.auth.openshift.decision', 'The authentication decision of the openshfit apiserver extention. Only available on openshift clusters'),
  k('ka.validations.admission.policy.failure', 'The validation failure reason from a Validation Admission Policy'),
  k('ka.security.pod.violations', 'The violation reason for pod security policy '),
  k('ka.auth.openshift.username', 'The user name performing the openshift authentication operation. Only available on openshift clusters'),
  k('ka.user.name', 'The user name performing the request'),
  k('ka.user.groups', 'The groups to which the user belongs', true),
  k('ka.impuser.name', 'The impersonated user name'),
  k('ka.verb', 'The action being performed'),
  k('ka.uri', 'The request URI as sent from client to server'),
  k('ka.uri.param', 'The value of a given query parameter in the uri (e.g. when uri=/foo?key=val, ka.uri.param[key] is val).', false, KEY),
  k('ka.target.name', 'The target object name'),
  k('ka.target.namespace', 'The target object namespace'),
  k('ka.target.resource', 'The target object resource'),
  k('ka.target.subresource', 'The target object subresource'),
  k('ka.target.pod.name', 'The target pod name'),
  k('ka.req.binding.subjects', 'When the request object refers to a cluster role binding, the subject (e.g. account/users) being linked by the binding', true),
  k('ka.req.binding.subjects.user_names', 'When the request object refers to a cluster role binding, the subject user names being linked by the binding', true),
  k('ka.req.binding.subjects.serviceaccount_names', 'When the request object refers to a cluster role binding, the subject service account names being linked by the binding', true),
  k('ka.req.binding.subjects.serviceaccount_ns_names', 'When the request object refers to a cluster role binding, the subject serviceaccount namespaced names being linked by the binding, e.g. a list containing: mynamespace:myserviceaccount', true),
  k('ka.req.binding.subjects.group_names', 'When the request object refers to a cluster role binding, the subject group names being linked by the binding', true),
  k('ka.req.binding.role', 'When the request object refers to a cluster role binding, the role being linked by the binding'),
  k('ka.req.binding.subject.has_name', 'Deprecated, always returns "N/A". Only provided for backwards compatibility', false, KEY),
  k('ka.req.configmap.name', 'If the request object refers to a configmap, the configmap name'),
  k('ka.req.configmap.obj', 'If the request object refers to a configmap, the entire configmap object'),
  k('ka.req.pod.containers.args', 'When the request object refers to a pod, the container\'s args.', true, INDEX),
  k('ka.req.pod.containers.command', 'When the request object refers to a pod, the container\'s command.', true, INDEX),
  k('ka.req.pod.containers.name', 'When the request object refers to a pod, the container\'s names.', true, INDEX),
  k('ka.req.pod.containers.image', 'When the request object refers to a pod, the container\'s images.', true, INDEX),
  k('ka.req.container.image', 'Deprecated by ka.req.pod.containers.image. Returns the image of the first container only'),
  k('ka.req.pod.containers.image.repository', 'The same as req.container.image, but only the repository part (e.g. falcosecurity/falco).', true, INDEX),
  k('ka.req.container.image.repository', 'Deprecated by ka.req.pod.containers.image.repository. Returns the repository of the first container only'),
  k('ka.req.pod.host_ipc', 'When the request object refers to a pod, the value of the hostIPC flag.'),
  k('ka.req.pod.host_network', 'When the request object refers to a pod, the value of the hostNetwork flag.'),
  k('ka.req.container.host_network', 'Deprecated alias for ka.req.pod.host_network'),
  k('ka.req.pod.host_pid', 'When the request object refers to a pod, the value of the hostPID flag.'),
  k('ka.req.pod.containers.host_port', 'When the request object refers to a pod, all container\'s hostPort values.', true, INDEX),
  k('ka.req.pod.containers.privileged', 'When the request object refers to a pod, the value of the privileged flag for all containers.', true, INDEX),
  k('ka.req.container.privileged', 'Deprecated by ka.req.pod.containers.privileged. Returns true if any container has privileged=true'),
  k('ka.req.pod.containers.allow_privilege_escalation', 'When the request object refers to a pod, the value of the allowPrivilegeEscalation flag for all containers', true, INDEX),
  k('ka.req.pod.containers.read_only_fs', 'When the request object refers to a pod, the value of the readOnlyRootFilesystem flag for all containers', true, INDEX),
  k('ka.req.pod.run_as_user', 'When the request object refers to a pod, the runAsUser uid specified in the security context for the pod. See ....containers.run_as_user for the runAsUser for individual containers'),
  k('ka.req.pod.containers.run_as_user', 'When the request object refers to a pod, the runAsUser uid for all containers', true, INDEX),
  k('ka.req.pod.containers.eff_run_as_user', 'When the request object refers to a pod, the initial uid that will be used for all containers. This combines information from both the pod and container security contexts and uses 0 if no uid is specified', true, INDEX),
  k('ka.req.pod.run_as_group', 'When the request object refers to a pod, the runAsGroup gid specified in the security context for the pod. See ....containers.run_as_group for the runAsGroup for individual containers'),
  k('ka.req.pod.containers.run_as_group', 'When the request object refers to a pod, the runAsGroup gid for all containers', true, INDEX),
  k('ka.req.pod.containers.eff_run_as_group', 'When the request object refers to a pod, the initial gid that will be used for all containers. This combines information from both the pod and container security contexts and uses 0 if no gid is specified', true, INDEX),
  k('ka.req.pod.containers.proc_mount', 'When the request object refers to a pod, the procMount types for all containers', true, INDEX),
  k('ka.req.role.rules', 'When the request object refers to a role/cluster role, the rules associated with the role', true),
  k('ka.req.role.rules.apiGroups', 'When the request object refers to a role/cluster role, the api groups associated with the role\'s rules', true, INDEX),
  k('ka.req.role.rules.nonResourceURLs', 'When the request object refers to a role/cluster role, the non resource urls associated with the role\'s rules', true, INDEX),
  k('ka.req.role.rules.verbs', 'When the request object refers to a role/cluster role, the verbs associated with the role\'s rules', true, INDEX),
  k('ka.req.role.rules.resources', 'When the request object refers to a role/cluster role, the resources associated with the role\'s rules', true, INDEX),
  k('ka.req.pod.fs_group', 'When the request object refers to a pod, the fsGroup gid specified by the security context.'),
  k('ka.req.pod.supplemental_groups', 'When the request object refers to a pod, the supplementalGroup gids specified by the security context.', true),
  k('ka.req.pod.containers.add_capabilities', 'When the request object refers to a pod, all capabilities to add when running the container.', true, INDEX),
  k('ka.req.service.type', 'When the request object refers to a service, the service type'),
  k('ka.req.service.ports', 'When the request object refers to a service, the service\'s ports', true, INDEX),
  k('ka.req.pod.volumes.hostpath', 'When the request object refers to a pod, all hostPath paths specified for all volumes', true, INDEX),
  k('ka.req.volume.hostpath', 'Deprecated by ka.req.pod.volumes.hostpath. Return true if the provided (host) path prefix is used by any volume', false, KEY),
  k('ka.req.pod.volumes.flexvolume_driver', 'When the request object refers to a pod, all flexvolume drivers specified for all volumes', true, INDEX),
  k('ka.req.pod.volumes.volume_type', 'When the request object refers to a pod, all volume types for all volumes', true, INDEX),
  k('ka.resp.name', 'The response object name'),
  k('ka.response.code', 'The response code'),
  k('ka.response.reason', 'The response reason (usually present only for failures)'),
  k('ka.useragent', 'The useragent of the client who made the request to the apiserver'),
  k('ka.sourceips', 'The IP addresses of the client who made the request to the apiserver', true, INDEX),
  k('ka.cluster.name', 'The name of the k8s cluster'),
  k('ka.req.pod.initContainers.name', 'When the request object refers to a pod, the init containers names.', true, INDEX),
  k('ka.req.pod.initContainers.image', 'When the request object refers to a pod, the init containers images.', true, INDEX),
  k('ka.req.pod.initContainers.image.repository', 'When the request object refers to a pod, the init containers image repositories (the image without tag or digest, e.g. falcosecurity/falco).', true, INDEX),
  k('ka.req.pod.initContainers.command', 'When the request object refers to a pod, the init containers commands.', true, INDEX),
  k('ka.req.pod.initContainers.args', 'When the request object refers to a pod, the init containers args.', true, INDEX),
  k('ka.req.pod.initContainers.privileged', 'When the request object refers to a pod, the init containers privileged flags.', true, INDEX),
  k('ka.req.pod.initContainers.allow_privilege_escalation', 'When the request object refers to a pod, the init containers allowPrivilegeEscalation flags.', true, INDEX),
  k('ka.req.pod.initContainers.read_only_fs', 'When the request object refers to a pod, the init containers readOnlyRootFilesystem flags.', true, INDEX),
  k('ka.req.pod.initContainers.run_as_user', 'When the request object refers to a pod, the init containers runAsUser uids.', true, INDEX),
  k('ka.req.pod.initContainers.eff_run_as_user', 'When the request object refers to a pod, the init containers effective uids (pod securityContext, overridden per container; 0 if unset).', true, INDEX),
  k('ka.req.pod.initContainers.run_as_group', 'When the request object refers to a pod, the init containers runAsGroup gids.', true, INDEX),
  k('ka.req.pod.initContainers.eff_run_as_group', 'When the request object refers to a pod, the init containers effective gids (pod securityContext, overridden per container; 0 if unset).', true, INDEX),
  k('ka.req.pod.initContainers.proc_mount', 'When the request object refers to a pod, the init containers procMount types.', true, INDEX),
  k('ka.req.pod.initContainers.add_capabilities', 'When the request object refers to a pod, the init containers added capabilities.', true, INDEX),
  k('ka.req.pod.initContainers.host_port', 'When the request object refers to a pod, all init containers hostPort values.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.name', 'When the request object refers to a pod, the ephemeral containers names.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.image', 'When the request object refers to a pod, the ephemeral containers images.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.image.repository', 'When the request object refers to a pod, the ephemeral containers image repositories (the image without tag or digest, e.g. falcosecurity/falco).', true, INDEX),
  k('ka.req.pod.ephemeralContainers.command', 'When the request object refers to a pod, the ephemeral containers commands.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.args', 'When the request object refers to a pod, the ephemeral containers args.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.privileged', 'When the request object refers to a pod, the ephemeral containers privileged flags.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.allow_privilege_escalation', 'When the request object refers to a pod, the ephemeral containers allowPrivilegeEscalation flags.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.read_only_fs', 'When the request object refers to a pod, the ephemeral containers readOnlyRootFilesystem flags.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.run_as_user', 'When the request object refers to a pod, the ephemeral containers runAsUser uids.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.eff_run_as_user', 'When the request object refers to a pod, the ephemeral containers effective uids (pod securityContext, overridden per container; 0 if unset).', true, INDEX),
  k('ka.req.pod.ephemeralContainers.run_as_group', 'When the request object refers to a pod, the ephemeral containers runAsGroup gids.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.eff_run_as_group', 'When the request object refers to a pod, the ephemeral containers effective gids (pod securityContext, overridden per container; 0 if unset).', true, INDEX),
  k('ka.req.pod.ephemeralContainers.proc_mount', 'When the request object refers to a pod, the ephemeral containers procMount types.', true, INDEX),
  k('ka.req.pod.ephemeralContainers.add_capabilities', 'When the request object refers to a pod, the ephemeral containers added capabilities.', true, INDEX),
];

const j = (name: string, desc: string, arg?: FieldInfo['arg']): FieldInfo => ({ name, type: 'string', list: false, ...(arg ? { arg } : {}), desc, source: 'k8s_audit', provider: 'json' });

/** The json plugin's fields; `jevt.*` are its aliases kept for older rules. */
export const JSON_FIELDS: readonly FieldInfo[] = [
  j('json.value', 'Extracts a value from a JSON-encoded input. Syntax is json.value[<json pointer>], where <json pointer> is a json pointer (see https://datatracker.ietf.org/doc/html/rfc6901)', KEY),
  j('json.obj', 'The full json message as a text string.'),
  j('json.rawtime', 'The time of the event, identical to evt.rawtime.'),
  j('jevt.value', 'Alias for json.value, provided for backwards compatibility.', KEY),
  j('jevt.obj', 'Alias for json.obj, provided for backwards compatibility.'),
  j('jevt.rawtime', 'Alias for json.rawtime, provided for backwards compatibility.'),
];

const p = (name: string, desc: string): FieldInfo => ({ name, type: 'string', list: false, desc, source: 'k8s_audit', provider: 'palisade' });

/**
 * palisade's own fields, for what Falco's language cannot say without comparing two fields: whose
 * service account made the request, and whether it lives in another namespace than its target.
 * Rules that use them run in palisade only.
 */
export const PALISADE_FIELDS: readonly FieldInfo[] = [
  p('palisade.user.sa.namespace', 'The namespace of the service account making the request (user system:serviceaccount:<namespace>:<name>); not available for other users.'),
  p('palisade.user.sa.name', 'The name of the service account making the request; not available for other users.'),
  p('palisade.user.foreign_sa', '"true" when a service account acts on an object of another namespace, "false" when of its own; not available for other users or cluster-scoped targets.'),
];
