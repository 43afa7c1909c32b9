import { stringify } from 'yaml';
import { MODEL_SERVERS, type ModelServer, type ServerRole } from '../knowledge/index.js';
import { findPodSpecs, WorkloadTable, type PodSpecRef } from '../workloads/index.js';
import {
  CLOUD_CREDENTIAL_GLOBS,
  CLOUD_TOKEN_DIRS,
  CLUSTER_NETWORKS,
  COMMON_PROCESSES,
  KSERVE_MODEL_DIR,
  OPERATOR_POD_LABELS,
  PACKAGE_MANAGERS,
  SERVER_RUNTIME,
  SHELLS,
} from './data/runtime.js';

/**
 * `palisade export falco`: Falco rules (syscall source) for the ML workloads of the input. Each
 * model server, notebook and Ray workload gets lists (its images or pod labels, processes, ports,
 * allowed egress peers, model directories) and rules over shared macros; the knowledge is in the
 * lists and macros, so users tune them with `override: {items: append}` instead of editing rules.
 */

type PlainObject = Record<string, unknown>;

export type FalcoRuleKind = 'shell' | 'unexpectedProcess' | 'outbound' | 'listen' | 'modelRead' | 'modelWrite' | 'packageManager' | 'cloudCredentials';

export interface FalcoWorkload {
  kind: string;
  namespace: string;
  name: string;
  role: ServerRole;
  servers: string[];
  /** Identity in Falco: pod labels (all must match) or, without labels, image repositories. */
  labels: Record<string, string>;
  images: string[];
  processes: string[];
  ports: number[];
  modelDirs: string[];
  /** undefined: no NetworkPolicy restricts this workload's egress. */
  egress?: Array<{ nets: string[]; ports: Array<number | [number, number]> }>;
  /** The slug in list and macro names. */
  slug: string;
}

export interface FalcoRuleInfo {
  rule: string;
  kind: FalcoRuleKind;
  workload: string;
  enabled: boolean;
}

export interface FalcoExport {
  text: string;
  workloads: FalcoWorkload[];
  rules: FalcoRuleInfo[];
}

const isObject = (v: unknown): v is PlainObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `registry:5000/org/img:tag@sha256:…` → `registry:5000/org/img`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The forms a container runtime may report a repository in (containerd expands Docker Hub short names). */
function repositoryForms(repository: string): string[] {
  const first = repository.split('/')[0]!;
  const hasRegistry = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return [repository];
  return [repository, repository.includes('/') ? `docker.io/${repository}` : `docker.io/library/${repository}`];
}

function identify(container: PlainObject): ModelServer | undefined {
  const image = typeof container.image === 'string' ? imageRepository(container.image) : '';
  const tag = typeof container.image === 'string' ? container.image.slice(imageRepository(container.image).length + 1) : '';
  const byImage = MODEL_SERVERS.find((s) => s.images.some((re) => re.test(image)) && !(s.notTags ?? []).some((re) => re.test(tag)));
  if (byImage) return byImage;
  const line = [...strings(container.command), ...strings(container.args)].join(' ');
  return line ? MODEL_SERVERS.find((s) => s.commands.some((re) => re.test(line))) : undefined;
}

/** KServe model-format keys → the runtime that serves them (the predictor's image is the ServingRuntime's). */
function kserveFormatRuntime(ref: PodSpecRef): ModelServer | undefined {
  const formats = ref.containers.filter((c) => !c.path.includes('/containers/') && !c.path.includes('/initContainers/'));
  if (formats.length === 0) return undefined;
  const key = formats[0]!.path.split('/').at(-1)!;
  const id = key === 'huggingface' ? 'kserve-python' : key === 'triton' ? 'triton' : key === 'tensorflow' ? 'tfserving' : key === 'pytorch' ? 'torchserve' : 'kserve-python';
  return MODEL_SERVERS.find((s) => s.id === id);
}

const MODEL_MOUNT = /model|weights|checkpoint|huggingface|hf-cache/i;

function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  for (const [k, v] of Object.entries(isObject(selector.matchLabels) ? selector.matchLabels : {})) if (labels[k] !== v) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(e) || typeof e.key !== 'string') return false;
    const values = strings(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Egress the NetworkPolicies selecting these pods allow; undefined when none restricts egress. */
function egressOf(policies: readonly PlainObject[], namespace: string, labels: Readonly<Record<string, string>>): FalcoWorkload['egress'] {
  const selecting = policies.filter((p) => {
    const meta = isObject(p.metadata) ? p.metadata : {};
    const spec = isObject(p.spec) ? p.spec : {};
    const types = strings(spec.policyTypes);
    const egressType = types.length > 0 ? types.includes('Egress') : Array.isArray(spec.egress);
    return (meta.namespace ?? 'default') === namespace && egressType && selectorMatches(spec.podSelector ?? {}, labels);
  });
  if (selecting.length === 0) return undefined;
  const rules: NonNullable<FalcoWorkload['egress']> = [];
  for (const policy of selecting) {
    const spec = policy.spec as PlainObject;
    for (const rule of Array.isArray(spec.egress) ? spec.egress : []) {
      if (!isObject(rule)) continue;
      const peers = Array.isArray(rule.to) ? rule.to.filter(isObject) : [];
      const nets = new Set<string>();
      if (peers.length === 0) ['0.0.0.0/0', '::/0'].forEach((n) => nets.add(n));
      for (const peer of peers) {
        if (isObject(peer.ipBlock) && typeof peer.ipBlock.cidr === 'string') nets.add(peer.ipBlock.cidr);
        else CLUSTER_NETWORKS.forEach((n) => nets.add(n));
      }
      const ports: Array<number | [number, number]> = [];
      let anyPort = !Array.isArray(rule.ports) || rule.ports.length === 0;
      for (const port of Array.isArray(rule.ports) ? rule.ports : []) {
        if (!isObject(port) || typeof port.port !== 'number') anyPort = true;
        else ports.push(typeof port.endPort === 'number' ? [port.port, port.endPort] : port.port);
      }
      rules.push({ nets: [...nets], ports: anyPort ? [] : ports });
    }
  }
  return rules;
}

const slugOf = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const ROLE_TITLE: Record<ServerRole, string> = { inference: 'model server', llm: 'LLM server', distributed: 'Ray', workspace: 'notebook', tracking: 'ML tracking server' };
const ROLE_RANK: readonly ServerRole[] = ['llm', 'inference', 'distributed', 'tracking', 'workspace'];

/** The ML workloads of the input, with what their Falco rules need. */
export function falcoWorkloads(objects: readonly PlainObject[], table: WorkloadTable = new WorkloadTable()): FalcoWorkload[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.k8s.io/'));
  const workloads: FalcoWorkload[] = [];
  const slugs = new Set<string>();
  for (const object of objects) {
    const meta = isObject(object.metadata) ? object.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const refs = findPodSpecs(object, table).filter((r) => !r.discovered);
    const servers = new Map<string, ModelServer>();
    const images = new Set<string>();
    const ports = new Set<number>();
    const modelDirs = new Set<string>();
    let labels: Record<string, string> = {};
    for (const ref of refs) {
      for (const c of ref.containers) {
        if (c.kind !== 'container') continue;
        const server = identify(c.object) ?? (c.path.includes('/containers/') ? undefined : kserveFormatRuntime(ref));
        if (server) servers.set(server.id, server);
        if (typeof c.object.image === 'string') repositoryForms(imageRepository(c.object.image)).forEach((r) => images.add(r));
        for (const p of Array.isArray(c.object.ports) ? c.object.ports : []) if (isObject(p) && typeof p.containerPort === 'number') ports.add(p.containerPort);
        for (const m of Array.isArray(c.object.volumeMounts) ? c.object.volumeMounts : []) {
          if (isObject(m) && typeof m.mountPath === 'string' && (MODEL_MOUNT.test(m.mountPath) || (typeof m.name === 'string' && MODEL_MOUNT.test(m.name)))) modelDirs.add(m.mountPath);
        }
      }
      if (Object.keys(labels).length === 0) labels = { ...ref.metadata.labels };
    }
    if (servers.size === 0) continue;
    const list = [...servers.values()];
    const role = ROLE_RANK.find((r) => list.some((s) => s.role === r))!;
    for (const s of list) {
      s.servingPorts.forEach((p) => ports.add(p));
      s.adminPorts.forEach((p) => ports.add(p.port));
      (SERVER_RUNTIME[s.id]?.modelDirs ?? []).forEach((d) => modelDirs.add(d));
    }
    if (kind === 'InferenceService') modelDirs.add(KSERVE_MODEL_DIR);
    const operatorLabel = OPERATOR_POD_LABELS[kind];
    const identity = operatorLabel ? { [operatorLabel]: name } : labels;
    let slug = slugOf(`${namespace}_${name}`);
    while (slugs.has(slug)) slug += '_';
    slugs.add(slug);
    const processes = [...new Set([...COMMON_PROCESSES, ...list.flatMap((s) => SERVER_RUNTIME[s.id]?.processes ?? [])])].sort();
    const egress = egressOf(policies, namespace, labels);
    workloads.push({
      kind, namespace, name, role, servers: list.map((s) => s.id).sort(), labels: identity, images: Object.keys(identity).length > 0 ? [] : [...images].sort(), processes,
      ports: [...ports].sort((a, b) => a - b), modelDirs: [...modelDirs].sort(), ...(egress ? { egress } : {}), slug,
    });
  }
  return workloads;
}

interface RuleSpec {
  kind: FalcoRuleKind;
  title: string;
  desc: string;
  condition: string;
  output: string;
  priority: string;
  tags: string[];
  /** Roles the rule is written for: a notebook runs shells and pip by design. */
  roles: readonly ServerRole[];
}

const WHO = 'pod=%k8s.ns.name/%k8s.pod.name container=%container.name image=%container.image.repository';
const ALL_ROLES: readonly ServerRole[] = ['inference', 'llm', 'distributed', 'workspace', 'tracking'];
const SERVING: readonly ServerRole[] = ['inference', 'llm', 'tracking'];

function ruleSpecs(w: FalcoWorkload): RuleSpec[] {
  const m = `palisade_${w.slug}`;
  const title = `${ROLE_TITLE[w.role]} ${w.namespace}/${w.name}`;
  return [
    {
      kind: 'shell', title: `Shell in ${title}`, roles: ['inference', 'llm', 'tracking', 'distributed'],
      desc: `A shell started in ${title}: model servers never need one; an attacker with code execution does.`,
      condition: `palisade_spawned_process and ${m} and proc.name in (palisade_shell_binaries)`,
      output: `Shell in ML workload (shell=%proc.name parent=%proc.pname cmdline=%proc.cmdline user=%user.name ${WHO})`,
      priority: w.role === 'distributed' ? 'NOTICE' : 'ERROR', tags: ['palisade', 'ml', 'container', 'shell', 'mitre_execution', 'T1059', 'AML.T0050'],
    },
    {
      kind: 'unexpectedProcess', title: `Unexpected process in ${title}`, roles: SERVING,
      desc: `A process that is not one of the server's own (${m}_processes) started in ${title}.`,
      condition: `palisade_spawned_process and ${m} and not proc.name in (${m}_processes) and not proc.name in (palisade_shell_binaries)`,
      output: `Unexpected process in ML workload (process=%proc.name parent=%proc.pname cmdline=%proc.cmdline exepath=%proc.exepath ${WHO})`,
      priority: 'WARNING', tags: ['palisade', 'ml', 'container', 'process', 'mitre_execution', 'T1059', 'AML.T0050'],
    },
    {
      kind: 'outbound', title: `Outbound connection outside allowed peers from ${title}`, roles: ALL_ROLES,
      desc: w.egress
        ? `A connection from ${title} to a peer its NetworkPolicies do not allow (${m}_allowed_peers): exfiltration of weights or data, or a callback.`
        : `No NetworkPolicy restricts the egress of ${title}, so there is no allowed-peer set to check against: fill ${m}_allowed_peers and enable this rule.`,
      condition: `palisade_outbound and ${m} and not ${m}_allowed_peers`,
      output: `Outbound connection outside allowed peers (connection=%fd.name server=%fd.sip:%fd.sport process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'ERROR', tags: ['palisade', 'ml', 'network', 'mitre_exfiltration', 'T1041', 'AML.T0025'],
    },
    {
      kind: 'listen', title: `Unexpected listening port in ${title}`, roles: ALL_ROLES,
      desc: `${title} listens on a port that is neither declared nor one of its server's (${m}_ports): a bind shell or a debug server.`,
      condition: `palisade_listen and ${m} and not fd.sport in (${m}_ports)`,
      output: `Unexpected listening port in ML workload (port=%fd.sport process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'WARNING', tags: ['palisade', 'ml', 'network', 'mitre_command_and_control', 'T1571', 'AML.T0050'],
    },
    {
      kind: 'modelRead', title: `Model files read by a process other than the server in ${title}`, roles: ['inference', 'llm', 'distributed', 'tracking'],
      desc: `A process that is not the server read files under the model directories (${m}_model_dirs) of ${title}: weights being collected.`,
      condition: `palisade_open_read and ${m} and fd.name pmatch (${m}_model_dirs) and not proc.name in (${m}_processes)`,
      output: `Model files read by an unexpected process (file=%fd.name process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'WARNING', tags: ['palisade', 'ml', 'filesystem', 'mitre_collection', 'T1005', 'AML.T0035'],
    },
    {
      kind: 'modelWrite', title: `Write to model files in ${title}`, roles: ['inference', 'llm', 'distributed', 'tracking'],
      desc: `A write under the model directories (${m}_model_dirs) of ${title} after the server started: a backdoored or replaced model.`,
      condition: `palisade_open_write and ${m} and fd.name pmatch (${m}_model_dirs)`,
      output: `Write to model files (file=%fd.name process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'ERROR', tags: ['palisade', 'ml', 'filesystem', 'mitre_impact', 'T1565.001', 'AML.T0018'],
    },
    {
      kind: 'packageManager', title: `Package manager run in ${title}`, roles: ['inference', 'llm', 'distributed', 'tracking'],
      desc: `A package manager ran in ${title}: code installed at run time escapes the image's scan and signature.`,
      condition: `palisade_spawned_process and ${m} and proc.name in (palisade_package_managers)`,
      output: `Package manager in ML workload (process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'ERROR', tags: ['palisade', 'ml', 'container', 'process', 'software_mgmt', 'mitre_persistence', 'T1505', 'AML.T0010'],
    },
    {
      kind: 'cloudCredentials', title: `Cloud credential file read in ${title}`, roles: ALL_ROLES,
      desc: `A process in ${title} read a cloud credential file or workload-identity token (palisade_cloud_credential_files): the step from a model server to the cloud account.`,
      condition: `palisade_open_read and ${m} and palisade_cloud_credential_files`,
      output: `Cloud credential file read (file=%fd.name process=%proc.name cmdline=%proc.cmdline ${WHO})`,
      priority: 'WARNING', tags: ['palisade', 'ml', 'filesystem', 'mitre_credential_access', 'T1552.001', 'AML.T0055'],
    },
  ].filter((r) => (r.roles as readonly string[]).includes(w.role)) as RuleSpec[];
}

const q = (value: string): string => (/^[A-Za-z0-9_./-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

function identityCondition(w: FalcoWorkload): string {
  const parts = [`k8s.ns.name = ${q(w.namespace)}`];
  const labels = Object.entries(w.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  if (labels.length > 0) parts.push(...labels.map(([k, v]) => `k8s.pod.label[${k}] = ${q(v)}`));
  else parts.push(`container.image.repository in (palisade_${w.slug}_images)`);
  return `container.id != host and ${parts.join(' and ')}`;
}

function peersCondition(w: FalcoWorkload): string {
  if (!w.egress) return 'never_true_palisade';
  const terms = w.egress.map((rule) => {
    const nets = `fd.snet in (${rule.nets.map(q).join(', ')})`;
    if (rule.ports.length === 0) return `(${nets})`;
    const single = rule.ports.filter((p): p is number => typeof p === 'number');
    const ranges = rule.ports.filter((p): p is [number, number] => Array.isArray(p));
    const portTerms = [...(single.length ? [`fd.sport in (${single.join(', ')})`] : []), ...ranges.map(([a, b]) => `(fd.sport >= ${a} and fd.sport <= ${b})`)];
    return `(${nets} and (${portTerms.join(' or ')}))`;
  });
  return terms.length > 0 ? terms.join(' or ') : 'never_true_palisade';
}

/** The Falco rules file for the workloads, with the rule list for tests and the CLI. */
export function exportFalco(objects: readonly PlainObject[], table?: WorkloadTable): FalcoExport {
  const workloads = falcoWorkloads(objects, table);
  const items: PlainObject[] = [
    { list: 'palisade_shell_binaries', items: [...SHELLS] },
    { list: 'palisade_package_managers', items: [...PACKAGE_MANAGERS] },
    { list: 'palisade_cloud_token_dirs', items: [...CLOUD_TOKEN_DIRS] },
    { macro: 'never_true_palisade', condition: 'evt.num = 0 and evt.num = 1' },
    { macro: 'palisade_spawned_process', condition: 'evt.type in (execve, execveat) and evt.dir = < and evt.rawres >= 0' },
    { macro: 'palisade_open_read', condition: 'evt.type in (open, openat, openat2) and evt.dir = < and evt.is_open_read = true and fd.typechar = f and fd.num >= 0' },
    { macro: 'palisade_open_write', condition: 'evt.type in (open, openat, openat2) and evt.dir = < and evt.is_open_write = true and fd.typechar = f and fd.num >= 0' },
    { macro: 'palisade_outbound', condition: 'evt.type = connect and evt.dir = < and (fd.typechar = 4 or fd.typechar = 6) and not fd.snet in ("127.0.0.0/8", "::1/128") and (evt.rawres >= 0 or evt.res = EINPROGRESS)' },
    { macro: 'palisade_listen', condition: 'evt.type = listen and evt.dir = < and evt.rawres >= 0' },
    { macro: 'palisade_cloud_credential_files', condition: `(${CLOUD_CREDENTIAL_GLOBS.map((g) => `fd.name glob ${q(g)}`).join(' or ')} or fd.name pmatch (palisade_cloud_token_dirs))` },
  ];
  const rules: FalcoRuleInfo[] = [];
  for (const w of workloads) {
    const m = `palisade_${w.slug}`;
    if (w.images.length > 0) items.push({ list: `${m}_images`, items: w.images });
    items.push({ list: `${m}_processes`, items: w.processes });
    items.push({ list: `${m}_ports`, items: w.ports });
    items.push({ list: `${m}_model_dirs`, items: w.modelDirs.length > 0 ? w.modelDirs : ['/nonexistent-palisade-model-dir'] });
    items.push({ macro: m, condition: identityCondition(w) });
    items.push({ macro: `${m}_allowed_peers`, condition: peersCondition(w) });
    for (const spec of ruleSpecs(w)) {
      const enabled = !(spec.kind === 'outbound' && !w.egress) && !(spec.kind.startsWith('model') && w.modelDirs.length === 0);
      items.push({ rule: spec.title, desc: spec.desc, condition: spec.condition, output: spec.output, priority: spec.priority, source: 'syscall', tags: spec.tags, ...(enabled ? {} : { enabled: false }) });
      rules.push({ rule: spec.title, kind: spec.kind, workload: `${w.kind}/${w.namespace}/${w.name}`, enabled });
    }
  }
  const header = [
    '# Falco rules generated by palisade export falco (syscall source).',
    '# Load them next to Falco\'s own rules: falco -r /etc/falco/falco_rules.yaml -r palisade-falco.yaml',
    '# Tune with a later file: - list: palisade_<workload>_processes / override: {items: append} / items: [...]',
    ...(workloads.length === 0 ? ['# No model server, notebook or Ray workload was found in the input.'] : []),
  ];
  const body = items.length > 0 ? stringify(items, { lineWidth: 0 }) : '[]\n';
  return { text: `${header.join('\n')}\n${body}`, workloads, rules };
}
