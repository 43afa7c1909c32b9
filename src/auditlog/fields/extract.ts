/**
 * How the `k8s_audit` fields are read from an audit Event, following the k8saudit plugin's
 * extract.go (0b3cbd8d) and the json plugin's json.go: same paths, same string conversion (strings
 * as they are, anything else as compact JSON), same "not available" cases, so a Falco rule matches
 * here exactly when it matches in Falco. Three deliberate differences, each a plugin bug that makes
 * a documented field never match (see README "audit-log"): `ka.sourceips` reads the event's
 * `sourceIPs` (the plugin reads `requestObject.rules.sourceIPs`), `*.add_capabilities` yields each
 * capability (the plugin yields each container's list as one JSON text), and `*.eff_run_as_*`
 * read `securityContext` (the plugin reads `spec.runAsUser`).
 */
import type { ExtractorFactory, FieldInfo, FieldValue } from './types.js';

export type JsonObject = Record<string, unknown>;
/** The event as JSON.parse returned it. */
export type AuditEvent = JsonObject;

type Fn = (ev: AuditEvent) => FieldValue;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** fastjson's Value.Get on one key: an object member, or an array element by decimal index. */
function child(v: unknown, key: string): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    if (!/^[0-9]+$/.test(key)) return undefined;
    const i = Number(key);
    return i < v.length ? v[i] : undefined;
  }
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as JsonObject)[key] : undefined;
}

/** `child` along a path; the path is an array (not rest arguments) so the hot path allocates nothing. */
function getPath(v: unknown, keys: readonly string[]): unknown {
  let cur = v;
  for (let i = 0; i < keys.length; i++) {
    cur = child(cur, keys[i] as string);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function get(v: unknown, ...keys: string[]): unknown {
  return getPath(v, keys);
}

/** Strings as they are, every other JSON value as its compact JSON text (fastjson's MarshalTo). */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  // A parsed number or boolean prints the same through String, without JSON.stringify's set-up.
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const NA = undefined;

function list(values: string[]): FieldValue {
  return values.length === 0 ? NA : values;
}

/** extractFromKeys of a non-list field. */
const scalar =
  (...keys: string[]): Fn =>
  (ev) => {
    const v = getPath(ev, keys);
    return v === undefined ? NA : asString(v);
  };

/** extractFromKeys of a list field: the value must be an array. */
const array =
  (...keys: string[]): Fn =>
  (ev) => {
    const v = getPath(ev, keys);
    if (!Array.isArray(v)) return NA;
    return list(v.map(asString));
  };

const NO_INDEX = -1;

/**
 * getValuesRecursive: walks `keys`; at an array, either fans out over every element (a missing
 * value becomes null) or, with an index filter, steps into that element.
 */
function valuesRecursive(v: unknown, index: number, keys: readonly string[]): unknown[] | undefined {
  let cur = v;
  for (let i = 0; i < keys.length; i++) {
    if (Array.isArray(cur)) {
      if (index === NO_INDEX) {
        const res: unknown[] = [];
        for (const el of cur) {
          const vals = valuesRecursive(el, index, keys.slice(i));
          if (vals === undefined) res.push(null);
          else res.push(...vals);
        }
        return res;
      }
      if (index >= cur.length) return undefined;
      cur = cur[index];
    }
    const k = keys[i] as string;
    cur = k.length > 0 ? child(cur, k) : cur === null ? undefined : cur;
    if (cur === undefined) return undefined;
  }
  return [cur];
}

/** arrayAsStringsSkipNil: null entries (a field missing in one container) are left out. */
function stringsSkipNull(values: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) if (v !== null && v !== undefined) out.push(asString(v));
  return out;
}

/** arrayAsStrings: a null entry fails the whole extraction. */
function stringsOrFail(values: readonly unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) return undefined;
    out.push(asString(v));
  }
  return out;
}

function indexOf(arg: string | undefined): number {
  return arg === undefined ? NO_INDEX : Number(arg);
}

function repository(image: string): string {
  return (image.split(':')[0] as string).split('@')[0] as string;
}

function joinedStringArrays(values: readonly unknown[]): FieldValue {
  const out: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (!Array.isArray(v)) return NA;
    const parts: string[] = [];
    for (const p of v) {
      if (typeof p !== 'string') return NA;
      parts.push(p);
    }
    out.push(parts.join(' '));
  }
  return list(out);
}

function hostPorts(values: readonly unknown[]): FieldValue {
  const out: string[] = [];
  for (const ports of values) {
    if (ports === null || ports === undefined) continue;
    if (!Array.isArray(ports)) return NA;
    for (const port of ports) {
      const host = get(port, 'hostPort');
      const container = get(port, 'containerPort');
      if (host !== undefined) out.push(asString(host));
      else if (container !== undefined) out.push(asString(container));
    }
  }
  return out.length === 0 ? NA : out;
}

/** The per-container fields of `ka.req.pod.{containers,initContainers,ephemeralContainers}.*`. */
function containerField(listName: string, field: string, arg: string | undefined): Fn {
  const index = indexOf(arg);
  const values = (...sub: string[]) => (ev: AuditEvent) => valuesRecursive(ev, index, ['requestObject', 'spec', listName, ...sub]);
  const securityContext = (key: string): Fn => {
    const read = values('securityContext', key);
    return (ev) => {
      const vals = read(ev);
      return vals === undefined ? NA : list(stringsSkipNull(vals));
    };
  };
  switch (field) {
    case 'args':
    case 'command': {
      const read = values(field);
      return (ev) => {
        const vals = read(ev);
        return vals === undefined ? NA : joinedStringArrays(vals);
      };
    }
    case 'name':
    case 'image': {
      const read = values(field);
      return (ev) => {
        const vals = read(ev);
        const strings = vals === undefined ? undefined : stringsOrFail(vals);
        return strings === undefined ? NA : list(strings);
      };
    }
    case 'image.repository': {
      const read = values('image');
      return (ev) => {
        const vals = read(ev);
        const strings = vals === undefined ? undefined : stringsOrFail(vals);
        return strings === undefined ? NA : list(strings.map(repository));
      };
    }
    case 'host_port': {
      const read = values('ports');
      return (ev) => {
        const vals = read(ev);
        return vals === undefined ? NA : hostPorts(vals);
      };
    }
    case 'privileged':
      return securityContext('privileged');
    case 'allow_privilege_escalation':
      return securityContext('allowPrivilegeEscalation');
    case 'read_only_fs':
      return securityContext('readOnlyRootFilesystem');
    case 'run_as_user':
      return securityContext('runAsUser');
    case 'run_as_group':
      return securityContext('runAsGroup');
    case 'proc_mount':
      return securityContext('procMount');
    case 'add_capabilities': {
      const read = values('securityContext', 'capabilities', 'add');
      return (ev) => {
        const vals = read(ev);
        if (vals === undefined) return NA;
        const out: string[] = [];
        for (const v of vals) {
          if (Array.isArray(v)) out.push(...stringsSkipNull(v));
          else if (v !== null) out.push(asString(v));
        }
        return list(out);
      };
    }
    case 'eff_run_as_user':
    case 'eff_run_as_group': {
      const key = field === 'eff_run_as_user' ? 'runAsUser' : 'runAsGroup';
      const read = values('securityContext', key);
      return (ev) => {
        const podValue = get(ev, 'requestObject', 'spec', 'securityContext', key);
        const pod = podValue === undefined ? '0' : asString(podValue);
        const vals = read(ev);
        if (vals === undefined) return NA;
        return list(vals.map((v) => (v === null || v === undefined ? pod : asString(v))));
      };
    }
    default:
      return () => NA;
  }
}

/** readSubjectNamesByKind: names of the binding's subjects of one kind (`ns:name` for namespaced service accounts). */
function subjectNames(kind: 'User' | 'Group' | 'ServiceAccount', namespaced = false): Fn {
  return (ev) => {
    const subjects = get(ev, 'requestObject', 'subjects');
    if (subjects === undefined) return NA;
    if (!Array.isArray(subjects)) return NA;
    const out: string[] = [];
    for (const s of subjects) {
      const k = get(s, 'kind');
      const n = get(s, 'name');
      if (k === undefined || n === undefined || asString(k) !== kind) continue;
      if (namespaced) {
        const ns = get(s, 'namespace');
        if (ns === undefined) continue;
        out.push(`${asString(ns)}:${asString(n)}`);
      } else {
        out.push(asString(n));
      }
    }
    return list(out);
  };
}

function rulesField(key: string, arg: string | undefined): Fn {
  const index = indexOf(arg);
  return (ev) => {
    const vals = valuesRecursive(ev, index, ['requestObject', 'rules', key]);
    if (vals === undefined) return NA;
    const out: string[] = [];
    for (const v of vals) if (Array.isArray(v)) out.push(...stringsSkipNull(v));
    return list(out);
  };
}

/** Go's url.ParseQuery as the plugin uses it: `;` or a bad escape makes the whole query unreadable. */
function queryParam(uri: string, key: string): string | undefined {
  const q = uri.indexOf('?');
  if (q < 0) return undefined;
  let query = uri.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  let found: string | undefined;
  for (const part of query.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) return undefined;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const k = unescapeQuery(rawKey);
    const v = unescapeQuery(rawValue);
    if (k === undefined || v === undefined) return undefined;
    if (k === key && found === undefined) found = v;
  }
  return found;
}

function unescapeQuery(s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s;
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // Bytes that are not UTF-8: Go keeps them; decode byte by byte.
    return s.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** RFC 3339 with up to nine fractional digits → nanoseconds since the epoch, as a decimal string. */
export function rawTime(ev: AuditEvent): string | undefined {
  const ts = ev.stageTimestamp ?? ev.requestReceivedTimestamp ?? ev.timestamp;
  if (typeof ts !== 'string') return undefined;
  // Events of one second share their date and time: when the first 19 characters are the last
  // event's, only the fraction and zone are left to read (the API server writes `.ffffffZ`).
  if (ts.length > 20 && lastWhole.length === 20 && ts.startsWith(lastPrefix) && lastWhole.endsWith('Z')) {
    const frac = fastFraction(ts);
    if (frac !== undefined) return lastMs > 0 ? lastSeconds + frac : (BigInt(lastMs) * 1_000_000n + BigInt(frac)).toString();
  }
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return undefined;
  const zone = m[3] === 'z' ? 'Z' : (m[3] as string);
  const whole = `${m[1] as string}${zone}`;
  let ms: number;
  if (whole === lastWhole) ms = lastMs;
  else {
    ms = Date.parse(whole);
    if (Number.isNaN(ms)) return undefined;
    lastWhole = whole;
    lastPrefix = m[1] as string;
    lastMs = ms;
    lastSeconds = String(ms / 1000);
  }
  const frac = (m[2] ?? '').padEnd(9, '0');
  if (ms > 0) return `${ms / 1000}${frac}`;
  return (BigInt(ms) * 1_000_000n + BigInt(frac)).toString();
}

/** `.d{1,9}Z` or `.d{1,9}z` after the 19 date-time characters → nine digits; undefined for any other tail. */
function fastFraction(ts: string): string | undefined {
  if (ts.charCodeAt(19) !== 46 /* . */) return undefined;
  const last = ts.charCodeAt(ts.length - 1);
  if (last !== 90 /* Z */ && last !== 122 /* z */) return undefined;
  const digits = ts.length - 21;
  if (digits < 1 || digits > 9) return undefined;
  for (let i = 20; i < ts.length - 1; i++) {
    const c = ts.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const digitsText = ts.slice(20, ts.length - 1);
  return digits === 9 ? digitsText : digitsText.padEnd(9, '0');
}
let lastPrefix = '';
let lastSeconds = '';
let lastWhole = '';
let lastMs = 0;

/** The json plugin's json.value[pointer]: RFC 6901 tokens over fastjson's Get. */
function jsonValue(arg: string | undefined): Fn {
  const raw = arg ?? '';
  if (raw.length === 0) return (ev) => JSON.stringify(ev);
  const tokens = (raw.startsWith('/') ? raw.slice(1) : raw).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length === 1) {
    const only = tokens[0] as string;
    return (ev) => {
      const v = child(ev, only);
      return v === undefined ? NA : asString(v);
    };
  }
  return (ev) => {
    const v = getPath(ev, tokens);
    return v === undefined ? NA : asString(v);
  };
}

const F = (fn: Fn): ExtractorFactory<AuditEvent> => () => fn;

/** k8saudit's fields need the event to carry an auditID, as the plugin's extractor does. */
function k8s(factory: ExtractorFactory<AuditEvent>): ExtractorFactory<AuditEvent> {
  return (arg, info) => {
    const fn = factory(arg, info);
    return (ev) => (ev.auditID === undefined ? NA : fn(ev));
  };
}

const K8S: Record<string, ExtractorFactory<AuditEvent>> = {
  'ka.auditid': F(scalar('auditID')),
  'ka.stage': F(scalar('stage')),
  'ka.auth.decision': F(scalar('annotations', 'authorization.k8s.io/decision')),
  'ka.auth.reason': F(scalar('annotations', 'authorization.k8s.io/reason')),
  'ka.auth.openshift.decision': F(scalar('annotations', 'authentication.openshift.io/decision')),
  'ka.auth.openshift.username': F(scalar('annotations', 'authentication.openshift.io/username')),
  'ka.validations.admission.policy.failure': F(scalar('annotations', 'validation.policy.admission.k8s.io/validation_failure')),
  'ka.security.pod.violations': F(scalar('annotations', 'pod-security.kubernetes.io/audit-violations')),
  'ka.user.name': F(scalar('user', 'username')),
  'ka.user.groups': F(array('user', 'groups')),
  'ka.impuser.name': F(scalar('impersonatedUser', 'username')),
  'ka.verb': F(scalar('verb')),
  'ka.uri': F(scalar('requestURI')),
  'ka.uri.param': (arg) => (ev) => {
    const uri = ev.requestURI;
    if (uri === undefined) return NA;
    return queryParam(asString(uri), arg ?? '');
  },
  'ka.target.name': F(scalar('objectRef', 'name')),
  'ka.target.namespace': F(scalar('objectRef', 'namespace')),
  'ka.target.resource': F(scalar('objectRef', 'resource')),
  'ka.target.subresource': F(scalar('objectRef', 'subresource')),
  'ka.target.pod.name': F((ev) => {
    const resource = get(ev, 'objectRef', 'resource');
    const sub = get(ev, 'objectRef', 'subresource');
    if (resource !== 'pods' || (typeof sub === 'string' && sub !== '')) return NA;
    return scalar('responseObject', 'metadata', 'name')(ev);
  }),
  'ka.req.binding.subjects': F(array('requestObject', 'subjects')),
  'ka.req.binding.subjects.user_names': F(subjectNames('User')),
  'ka.req.binding.subjects.serviceaccount_names': F(subjectNames('ServiceAccount')),
  'ka.req.binding.subjects.serviceaccount_ns_names': F(subjectNames('ServiceAccount', true)),
  'ka.req.binding.subjects.group_names': F(subjectNames('Group')),
  'ka.req.binding.role': F(scalar('requestObject', 'roleRef', 'name')),
  'ka.req.binding.subject.has_name': F(() => 'true'),
  'ka.req.configmap.name': F(scalar('objectRef', 'name')),
  'ka.req.configmap.obj': F(scalar('requestObject', 'data')),
  'ka.req.container.image': F((ev) => {
    const vals = valuesRecursive(ev, 0, ['requestObject', 'spec', 'containers', 'image']);
    const strings = vals === undefined ? undefined : stringsOrFail(vals);
    return strings?.[0];
  }),
  'ka.req.container.image.repository': F((ev) => {
    const vals = valuesRecursive(ev, 0, ['requestObject', 'spec', 'containers', 'image']);
    const strings = vals === undefined ? undefined : stringsOrFail(vals);
    return strings?.[0] === undefined ? NA : repository(strings[0]);
  }),
  'ka.req.pod.host_ipc': F(scalar('requestObject', 'spec', 'hostIPC')),
  'ka.req.pod.host_network': F(scalar('requestObject', 'spec', 'hostNetwork')),
  'ka.req.container.host_network': F(scalar('requestObject', 'spec', 'hostNetwork')),
  'ka.req.pod.host_pid': F(scalar('requestObject', 'spec', 'hostPID')),
  'ka.req.container.privileged': F((ev) => {
    const vals = valuesRecursive(ev, NO_INDEX, ['requestObject', 'spec', 'containers', 'securityContext', 'privileged']);
    if (vals === undefined) return NA;
    return vals.some((v) => v === true) ? 'true' : 'false';
  }),
  'ka.req.pod.run_as_user': F(scalar('requestObject', 'spec', 'securityContext', 'runAsUser')),
  'ka.req.pod.run_as_group': F(scalar('requestObject', 'spec', 'securityContext', 'runAsGroup')),
  'ka.req.role.rules': F(array('requestObject', 'rules')),
  'ka.req.role.rules.apiGroups': (arg) => rulesField('apiGroups', arg),
  'ka.req.role.rules.nonResourceURLs': (arg) => rulesField('nonResourceURLs', arg),
  'ka.req.role.rules.verbs': (arg) => rulesField('verbs', arg),
  'ka.req.role.rules.resources': (arg) => rulesField('resources', arg),
  'ka.req.pod.fs_group': F(scalar('requestObject', 'spec', 'securityContext', 'fsGroup')),
  'ka.req.pod.supplemental_groups': F(array('requestObject', 'spec', 'securityContext', 'supplementalGroups')),
  'ka.req.service.type': F(scalar('requestObject', 'spec', 'type')),
  'ka.req.service.ports': (arg) => {
    const index = indexOf(arg);
    return (ev) => {
      const vals = valuesRecursive(ev, index, ['requestObject', 'spec', 'ports']);
      return vals === undefined ? NA : list(stringsSkipNull(vals));
    };
  },
  // A key argument sets the plugin's index filter to 0: only the first volume is looked at.
  'ka.req.volume.hostpath': (arg) => {
    const key = arg ?? '';
    const prefix = key.endsWith('*') ? key.slice(0, -1) : undefined;
    return (ev) => {
      const vals = valuesRecursive(ev, 0, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      if (vals === undefined) return NA;
      for (const v of stringsSkipNull(vals)) if ((prefix !== undefined && v.startsWith(prefix)) || v === key) return 'true';
      return 'false';
    };
  },
  'ka.req.pod.volumes.hostpath': (arg) => {
    const index = indexOf(arg);
    return (ev) => {
      const vals = valuesRecursive(ev, index, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      return vals === undefined ? NA : list(stringsSkipNull(vals));
    };
  },
  'ka.req.pod.volumes.flexvolume_driver': (arg) => {
    const index = indexOf(arg);
    return (ev) => {
      const vals = valuesRecursive(ev, index, ['requestObject', 'spec', 'volumes', 'flexVolume', 'driver']);
      return vals === undefined ? NA : list(stringsSkipNull(vals));
    };
  },
  'ka.req.pod.volumes.volume_type': (arg) => {
    const index = indexOf(arg);
    return (ev) => {
      const vals = valuesRecursive(ev, index, ['requestObject', 'spec', 'volumes', '']);
      if (vals === undefined) return NA;
      const out: string[] = [];
      for (const v of vals) if (isObject(v)) for (const key of Object.keys(v)) if (key !== 'name') out.push(key);
      return list(out);
    };
  },
  'ka.resp.name': F(scalar('responseObject', 'metadata', 'name')),
  'ka.response.code': F(scalar('responseStatus', 'code')),
  'ka.response.reason': F(scalar('responseStatus', 'reason')),
  'ka.useragent': F(scalar('userAgent')),
  'ka.sourceips': (arg) => {
    const index = indexOf(arg);
    return (ev) => {
      const ips = ev.sourceIPs;
      if (!Array.isArray(ips)) return NA;
      if (index !== NO_INDEX) return index < ips.length ? [asString(ips[index])] : NA;
      return list(stringsSkipNull(ips));
    };
  },
  'ka.cluster.name': F(scalar('annotations', 'cluster_name')),
};

for (const listName of ['containers', 'initContainers', 'ephemeralContainers']) {
  for (const field of ['name', 'image', 'image.repository', 'command', 'args', 'privileged', 'allow_privilege_escalation', 'read_only_fs', 'run_as_user', 'eff_run_as_user', 'run_as_group', 'eff_run_as_group', 'proc_mount', 'add_capabilities', 'host_port']) {
    K8S[`ka.req.pod.${listName}.${field}`] = (arg) => containerField(listName, field, arg);
  }
}

const JSON_EXTRACTORS: Record<string, ExtractorFactory<AuditEvent>> = {
  'json.value': (arg) => jsonValue(arg),
  'json.obj': F((ev) => JSON.stringify(ev, null, 2)),
  'json.rawtime': F(rawTime),
};
JSON_EXTRACTORS['jevt.value'] = JSON_EXTRACTORS['json.value'] as ExtractorFactory<AuditEvent>;
JSON_EXTRACTORS['jevt.obj'] = JSON_EXTRACTORS['json.obj'] as ExtractorFactory<AuditEvent>;
JSON_EXTRACTORS['jevt.rawtime'] = JSON_EXTRACTORS['json.rawtime'] as ExtractorFactory<AuditEvent>;

function serviceAccount(ev: AuditEvent): [string, string] | undefined {
  const user = get(ev, 'user', 'username');
  if (typeof user !== 'string' || !user.startsWith('system:serviceaccount:')) return undefined;
  const rest = user.slice('system:serviceaccount:'.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : undefined;
}

const PALISADE: Record<string, ExtractorFactory<AuditEvent>> = {
  'palisade.user.sa.namespace': F((ev) => serviceAccount(ev)?.[0]),
  'palisade.user.sa.name': F((ev) => serviceAccount(ev)?.[1]),
  'palisade.user.foreign_sa': F((ev) => {
    const sa = serviceAccount(ev);
    const ns = get(ev, 'objectRef', 'namespace');
    if (!sa || typeof ns !== 'string' || ns === '') return NA;
    return sa[0] === ns ? 'false' : 'true';
  }),
};

/** The extractor of a `k8s_audit` field, or undefined when the name is not one. */
export function auditExtractor(info: FieldInfo): ExtractorFactory<AuditEvent> | undefined {
  if (info.provider === 'json') return JSON_EXTRACTORS[info.name];
  if (info.provider === 'palisade') return PALISADE[info.name];
  const f = K8S[info.name];
  return f ? k8s(f) : undefined;
}
