import { isPlainObject, type PlainObject } from '../core/object.js';
import { getAtPointer } from '../core/pointer.js';

/**
 * The NetworkPolicies KubeRay's NetworkPolicy controller creates for a Ray cluster whose spec sets
 * `networkPolicy` (feature gate RayClusterNetworkPolicy, alpha since KubeRay v1.7): one for the
 * head (`<cluster>-head`, selecting `ray.io/cluster: <cluster>` and `ray.io/node-type: head`) and
 * one per worker group (`<cluster>-workers-<group>`, adding `ray.io/group: <group>`). `mode`
 * (default DenyAll) decides the policy types. Each policy's rules are the base rule — all traffic
 * to and from pods of the same cluster — then, on the head's ingress of a cluster a RayJob owns in
 * K8sJobMode, the submitter pod on the dashboard port, then the user's rules: `head` for the head,
 * the `workerGroups[]` entry of the group if there is one (it replaces `worker`, it does not merge),
 * else `worker`. A cluster another controller manages (`spec.managedBy` other than KubeRay) gets
 * none. If a NetworkPolicy of the same name already exists and is not owned by the cluster, KubeRay
 * leaves it and isolates nothing (the caller judges that: it sees the input).
 * Source: ray-project/kuberay ray-operator/controllers/ray/networkpolicy_controller.go
 * (Reconcile, buildHeadNetworkPolicy, buildWorkerGroupNetworkPolicy, workerGroupCustomRules,
 * buildHeadIngressRules, buildRayJobPeer, buildBaseIngressRules, buildBaseEgressRules),
 * apis/ray/v1/raycluster_types.go (NetworkPolicyConfig, NetworkPolicyRules),
 * controllers/ray/rayjob_controller.go (constructRayClusterForRayJob, getSubmitterTemplate),
 * controllers/ray/utils/util.go (ManagedByExternalController), utils/constant.go (DefaultDashboardPort).
 */

/** Policy types per mode, as the CRD's enum has them. */
export const KUBERAY_NETWORK_POLICY_MODES: Readonly<Record<string, { ingress: boolean; egress: boolean }>> = {
  DenyAll: { ingress: true, egress: true },
  DenyAllIngress: { ingress: true, egress: false },
  DenyAllEgress: { ingress: false, egress: true },
};

/** Where the RayCluster spec sits in each ray.io kind that makes one (RayService and RayJob copy it into the cluster they create). */
export const KUBERAY_CLUSTER_SPECS: Readonly<Record<string, string>> = {
  RayCluster: '/spec',
  RayService: '/spec/rayClusterConfig',
  RayJob: '/spec/rayClusterSpec',
  RayCronJob: '/spec/jobTemplate/rayClusterSpec',
};

/** The value of `managedBy` that leaves a cluster to KubeRay itself. */
const KUBERAY_CONTROLLER = 'ray.io/kuberay-operator';
/** The Ray dashboard's port when `headGroupSpec.rayStartParams` does not set `dashboard-port`. */
const DEFAULT_DASHBOARD_PORT = 8265;
/** Labels KubeRay puts on a RayJob's submitter pod (getSubmitterTemplate), overriding the template's. */
export const KUBERAY_SUBMITTER_LABELS = { 'ray.io/originated-from-cr-name': '{name}', 'ray.io/originated-from-crd': 'RayJob' } as const;

type Json = PlainObject;
const object = (v: unknown): Json | undefined => (isPlainObject(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A NetworkPolicy the operator will create, and where in its owner each part is written. */
export interface KubeRayNetworkPolicy {
  /** The `networking.k8s.io/v1` NetworkPolicy object, as the controller builds it. */
  object: Json;
  /** The pointer, in the owner, of what a pointer into `object` came from: a user's rule maps to that rule, the rest to `networkPolicy`. */
  sourceOf: (pointer: string) => string;
  /** `headgroup` (KubeRay's group label of the head) or the worker group's name. */
  group: string;
  /** The mode as KubeRay reads it (DenyAll when unset). */
  mode: string;
  /** Pointer, in the owner, of the user's rules this policy takes (`…/networkPolicy/head`, `…/worker`, `…/workerGroups/N`), when there are any. */
  userRules?: string;
  /** The user's egress rules in it (after KubeRay's same-cluster rule), when it denies egress. */
  userEgressRules: readonly unknown[];
}

/** The networkPolicy config of a ray.io object, its cluster spec pointer and mode, when KubeRay will act on it. */
export function kuberayNetworkPolicyConfig(owner: Readonly<Json>): { spec: string; config: Json; modeName: string; mode: { ingress: boolean; egress: boolean } } | undefined {
  const spec = KUBERAY_CLUSTER_SPECS[String(owner.kind)];
  if (spec === undefined || !String(owner.apiVersion).startsWith('ray.io/')) return undefined;
  const config = object(getAtPointer(owner, `${spec}/networkPolicy`));
  if (!config) return undefined;
  // RayJob and RayCluster both carry managedBy; another controller (MultiKueue) then runs the cluster.
  for (const pointer of ['/spec/managedBy', `${spec}/managedBy`]) {
    const managedBy = getAtPointer(owner, pointer);
    if (typeof managedBy === 'string' && managedBy !== KUBERAY_CONTROLLER) return undefined;
  }
  // The CRD defaults mode to DenyAll and refuses any other value than the three.
  const modeName = config.mode === undefined || config.mode === null ? 'DenyAll' : String(config.mode);
  const mode = KUBERAY_NETWORK_POLICY_MODES[modeName];
  return mode ? { spec, config, modeName, mode } : undefined;
}

/**
 * The NetworkPolicies KubeRay creates for a RayCluster, RayService, RayJob or RayCronJob, or none.
 * The cluster is named after the object: a RayService's and RayJob's real cluster name adds a
 * suffix, and the pods palisade models for them carry `ray.io/cluster: <object name>` too.
 */
export function kuberayNetworkPolicies(owner: Readonly<Json>): KubeRayNetworkPolicy[] {
  const found = kuberayNetworkPolicyConfig(owner);
  if (!found) return [];
  const { spec, config, mode, modeName } = found;
  const metadata = object(owner.metadata) ?? {};
  const cluster = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? { namespace: metadata.namespace } : {};
  const sameCluster = { podSelector: { matchLabels: { 'ray.io/cluster': cluster } } };
  const base = `${spec}/networkPolicy`;
  const policy = (name: string, group: string, selector: Json, rules: { pointer: string | undefined; value: Json | undefined }, extraIngress: Json[]): KubeRayNetworkPolicy => {
    const custom = rules.value ?? {};
    const ingress = [{ from: [sameCluster] }, ...extraIngress];
    const egress = [{ to: [sameCluster] }];
    const body: Json = { podSelector: { matchLabels: selector }, policyTypes: [...(mode.ingress ? ['Ingress'] : []), ...(mode.egress ? ['Egress'] : [])] };
    if (mode.ingress) body.ingress = [...ingress, ...list(custom.ingressRules)];
    if (mode.egress) body.egress = [...egress, ...list(custom.egressRules)];
    const firstUser = { ingress: ingress.length, egress: egress.length };
    return {
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...namespace, labels: { 'ray.io/cluster': cluster, 'ray.io/group': group, 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } }, spec: body },
      group,
      mode: modeName,
      userEgressRules: mode.egress ? list(custom.egressRules) : [],
      ...(rules.pointer !== undefined ? { userRules: rules.pointer } : {}),
      sourceOf: (pointer) => {
        const m = /^\/spec\/(ingress|egress)\/(\d+)(\/.*)?$/.exec(pointer);
        if (!m || rules.pointer === undefined) return base;
        const index = Number(m[2]) - firstUser[m[1] as 'ingress' | 'egress'];
        return index < 0 ? base : `${rules.pointer}/${m[1]}Rules/${index}${m[3] ?? ''}`;
      },
    };
  };
  const out: KubeRayNetworkPolicy[] = [];
  const head = object(config.head);
  out.push(policy(`${cluster}-head`, 'headgroup', { 'ray.io/cluster': cluster, 'ray.io/node-type': 'head' }, { pointer: head ? `${base}/head` : undefined, value: head }, mode.ingress ? submitterRule(owner, spec) : []));
  const groups = list(config.workerGroups);
  list(getAtPointer(owner, `${spec}/workerGroupSpecs`)).forEach((raw) => {
    const groupName = object(raw)?.groupName;
    if (typeof groupName !== 'string') return;
    const index = groups.findIndex((g) => object(g)?.groupName === groupName);
    const rules = index >= 0 ? { pointer: `${base}/workerGroups/${index}`, value: object(groups[index]) } : object(config.worker) ? { pointer: `${base}/worker`, value: object(config.worker) } : { pointer: undefined, value: undefined };
    out.push(policy(`${cluster}-workers-${groupName}`, groupName, { 'ray.io/cluster': cluster, 'ray.io/node-type': 'worker', 'ray.io/group': groupName }, rules, []));
  });
  return out;
}

/** A RayJob in K8sJobMode (the default) owns its cluster: the head admits its submitter pod on the dashboard port. */
function submitterRule(owner: Readonly<Json>, spec: string): Json[] {
  const job = owner.kind === 'RayJob' ? object(owner.spec) : owner.kind === 'RayCronJob' ? object(getAtPointer(owner, '/spec/jobTemplate')) : undefined;
  if (!job) return [];
  const submissionMode = job.submissionMode ?? 'K8sJobMode';
  if (submissionMode !== 'K8sJobMode') return [];
  const params = object(getAtPointer(owner, `${spec}/headGroupSpec/rayStartParams`)) ?? {};
  const configured = params['dashboard-port'];
  // KubeRay reads the parameter with strconv.ParseInt(s, 10, 32) and falls back to the default when that fails.
  const parsed = typeof configured === 'string' && /^[+-]?\d+$/.test(configured) ? Number(configured) : NaN;
  const port = Number.isSafeInteger(parsed) && parsed >= -(2 ** 31) && parsed < 2 ** 31 ? parsed : DEFAULT_DASHBOARD_PORT;
  const name = String(object(owner.metadata)?.name ?? '');
  return [{ from: [{ podSelector: { matchLabels: { 'ray.io/originated-from-cr-name': name, 'ray.io/originated-from-crd': 'RayJob' } } }], ports: [{ protocol: 'TCP', port }] }];
}
