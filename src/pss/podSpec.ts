import { joinPointer } from '../core/pointer.js';
import { isPlainObject } from '../core/object.js';

/**
 * The part of a pod that the checks read, decoded the way the API server sees it after its Go
 * decoder and defaulting ran, so that the checks can stay as plain as upstream's.
 *
 * Odd input never throws. A value of the wrong type (a string where Go wants a bool, a list where
 * it wants an object) would make the API server reject the whole request; here it is treated as
 * absent, so the checks judge what remains. Lists keep their positions (a rejected item becomes
 * `undefined`) so that field pointers stay exact. An absent field decodes to `undefined` (the key
 * may still be there); the checks read an absent string as Go's zero value, "".
 */

export interface PodMeta {
  annotations: ReadonlyMap<string, string>;
}

export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
}

/** seccompProfile and appArmorProfile: only the type matters to the checks. */
export interface ProfileType {
  type?: string;
}

export interface Capabilities {
  add?: ReadonlyArray<string | undefined>;
  drop?: ReadonlyArray<string | undefined>;
}

export interface WindowsOptions {
  hostProcess?: boolean;
}

export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: ProfileType;
  appArmorProfile?: ProfileType;
  windowsOptions?: WindowsOptions;
  sysctls?: ReadonlyArray<{ name?: string } | undefined>;
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  procMount?: string;
  capabilities?: Capabilities;
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: ProfileType;
  appArmorProfile?: ProfileType;
  windowsOptions?: WindowsOptions;
}

/** httpGet and tcpSocket of probes and lifecycle handlers: only the host matters. */
export interface HostHandler {
  httpGet?: { host?: string };
  tcpSocket?: { host?: string };
}

export const PROBE_KEYS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export const LIFECYCLE_KEYS = ['postStart', 'preStop'] as const;

export interface Container {
  name?: string;
  securityContext?: SecurityContext;
  ports?: ReadonlyArray<{ hostPort?: number } | undefined>;
  livenessProbe?: HostHandler;
  readinessProbe?: HostHandler;
  startupProbe?: HostHandler;
  lifecycle?: { postStart?: HostHandler; preStop?: HostHandler };
}

/** Every volume source of core/v1 VolumeSource, in the order the API declares them. */
export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;
export type VolumeSource = (typeof VOLUME_SOURCES)[number];

export interface Volume {
  name?: string;
  /** The sources set on this volume (normally one; validation rejects more, admission still sees them). */
  sources: ReadonlySet<VolumeSource>;
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  os?: { name?: string };
  securityContext?: PodSecurityContext;
  initContainers?: ReadonlyArray<Container | undefined>;
  containers?: ReadonlyArray<Container | undefined>;
  ephemeralContainers?: ReadonlyArray<Container | undefined>;
  volumes?: ReadonlyArray<Volume | undefined>;
}

/** The three container lists, in the order upstream's visitContainers walks them. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export interface ContainerAt {
  container: Container;
  /** Pointer of the container object relative to the pod spec, e.g. `/initContainers/0`. */
  pointer: string;
}

// Most checks walk the containers; a decoded spec is immutable, so walk it once.
const VISITED = new WeakMap<PodSpec, readonly ContainerAt[]>();

/** Init, regular, then ephemeral containers, as upstream's visitContainers. */
export function visitContainers(spec: PodSpec): readonly ContainerAt[] {
  let visited = VISITED.get(spec);
  if (!visited) {
    const list: ContainerAt[] = [];
    for (const key of CONTAINER_LISTS) {
      spec[key]?.forEach((container, index) => {
        if (container) list.push({ container, pointer: `/${key}/${index}` });
      });
    }
    visited = list;
    VISITED.set(spec, visited);
  }
  return visited;
}

// ---- decoding -------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

function object(value: unknown): JsonObject | undefined {
  return isPlainObject(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list<T>(value: unknown, item: (raw: unknown) => T | undefined): Array<T | undefined> | undefined {
  return Array.isArray(value) ? value.map(item) : undefined;
}

/** Decode a nested object; `undefined` when absent or not an object. */
function nested<T>(value: unknown, decode: (raw: JsonObject) => T): T | undefined {
  const raw = object(value);
  return raw === undefined ? undefined : decode(raw);
}

const decodeSELinux = (raw: JsonObject): SELinuxOptions => ({ user: string(raw.user), role: string(raw.role), type: string(raw.type) });

const decodeProfile = (raw: JsonObject): ProfileType => ({ type: string(raw.type) });

const decodeWindows = (raw: JsonObject): WindowsOptions => ({ hostProcess: bool(raw.hostProcess) });

const decodeHost = (raw: JsonObject): { host?: string } => ({ host: string(raw.host) });

const decodeHostHandler = (raw: JsonObject): HostHandler => ({ httpGet: nested(raw.httpGet, decodeHost), tcpSocket: nested(raw.tcpSocket, decodeHost) });

function decodeSecurityContext(raw: JsonObject): SecurityContext {
  return {
    privileged: bool(raw.privileged),
    allowPrivilegeEscalation: bool(raw.allowPrivilegeEscalation),
    runAsNonRoot: bool(raw.runAsNonRoot),
    runAsUser: integer(raw.runAsUser),
    procMount: string(raw.procMount),
    capabilities: nested(raw.capabilities, (c) => ({ add: list(c.add, string), drop: list(c.drop, string) })),
    seLinuxOptions: nested(raw.seLinuxOptions, decodeSELinux),
    seccompProfile: nested(raw.seccompProfile, decodeProfile),
    appArmorProfile: nested(raw.appArmorProfile, decodeProfile),
    windowsOptions: nested(raw.windowsOptions, decodeWindows),
  };
}

function decodePodSecurityContext(raw: JsonObject): PodSecurityContext {
  return {
    runAsNonRoot: bool(raw.runAsNonRoot),
    runAsUser: integer(raw.runAsUser),
    seLinuxOptions: nested(raw.seLinuxOptions, decodeSELinux),
    seccompProfile: nested(raw.seccompProfile, decodeProfile),
    appArmorProfile: nested(raw.appArmorProfile, decodeProfile),
    windowsOptions: nested(raw.windowsOptions, decodeWindows),
    sysctls: list(raw.sysctls, (s) => nested(s, (sysctl) => ({ name: string(sysctl.name) }))),
  };
}

function decodeContainer(raw: JsonObject): Container {
  return {
    name: string(raw.name),
    securityContext: nested(raw.securityContext, decodeSecurityContext),
    ports: list(raw.ports, (p) => nested(p, (port) => ({ hostPort: integer(port.hostPort) }))),
    livenessProbe: nested(raw.livenessProbe, decodeHostHandler),
    readinessProbe: nested(raw.readinessProbe, decodeHostHandler),
    startupProbe: nested(raw.startupProbe, decodeHostHandler),
    lifecycle: nested(raw.lifecycle, (l) => ({ postStart: nested(l.postStart, decodeHostHandler), preStop: nested(l.preStop, decodeHostHandler) })),
  };
}

const IS_VOLUME_SOURCE: ReadonlySet<string> = new Set(VOLUME_SOURCES);

function decodeVolume(raw: JsonObject): Volume {
  const sources = new Set<VolumeSource>();
  for (const key of Object.keys(raw)) {
    if (IS_VOLUME_SOURCE.has(key) && object(raw[key]) !== undefined) sources.add(key as VolumeSource);
  }
  // API server defaulting (SetDefaults_Volume): a volume without a source is an emptyDir.
  if (sources.size === 0) sources.add('emptyDir');
  return { name: string(raw.name), sources };
}

/** Decode a pod spec as the API server would see it; anything that is not an object is an empty spec. */
export function decodePodSpec(raw: unknown): PodSpec {
  const spec = object(raw) ?? {};
  return {
    hostNetwork: bool(spec.hostNetwork),
    hostPID: bool(spec.hostPID),
    hostIPC: bool(spec.hostIPC),
    hostUsers: bool(spec.hostUsers),
    os: nested(spec.os, (os) => ({ name: string(os.name) })),
    securityContext: nested(spec.securityContext, decodePodSecurityContext),
    initContainers: list(spec.initContainers, (c) => nested(c, decodeContainer)),
    containers: list(spec.containers, (c) => nested(c, decodeContainer)),
    ephemeralContainers: list(spec.ephemeralContainers, (c) => nested(c, decodeContainer)),
    volumes: list(spec.volumes, (v) => nested(v, decodeVolume)),
  };
}

/** Pod metadata: only string-valued annotations survive, as in Go's map[string]string. */
export function decodePodMeta(raw: unknown): PodMeta {
  const annotations = new Map<string, string>();
  const rawAnnotations = object(object(raw)?.annotations);
  if (rawAnnotations) {
    for (const [key, value] of Object.entries(rawAnnotations)) {
      if (typeof value === 'string') annotations.set(key, value);
    }
  }
  return { annotations };
}

// ---- pointers -------------------------------------------------------------------------------

/**
 * Pointer to `keys` below `base` inside the decoded `root`, cut at the deepest key that exists:
 * `deepest(container, '/containers/0', ['securityContext', 'runAsNonRoot'])` is
 * `/containers/0/securityContext` when the container sets a securityContext but not runAsNonRoot.
 */
export function deepest(root: object, base: string, keys: readonly string[]): string {
  let pointer = base;
  let node: unknown = root;
  for (const key of keys) {
    const next = object(node)?.[key];
    if (next === undefined) break;
    pointer = joinPointer(pointer, key);
    node = next;
  }
  return pointer;
}
