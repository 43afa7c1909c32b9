import { CHECKS } from '../checks/index.js';
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION } from '../core/exemptions.js';
import {
  CREDENTIAL_FILE_ENV,
  CREDENTIAL_MOUNT_PATHS,
  DEFAULT_REGISTRY,
  KSERVE_FORMAT_SERVERS,
  MODEL_SERVERS,
  NODE_AGENT_IMAGE,
  MOVING_TAGS,
  SENSITIVE_HOST_PATHS,
  TORCHSERVE_MANAGEMENT,
} from '../knowledge/index.js';
import type { Severity } from '../core/types.js';
import type { WorkloadKind } from '../workloads/index.js';
import { and, globToRegex, not, or, str, strList } from './cel.js';
import { COMMON_VARIABLES, exemptionTerm, type CelValidation, type ExportBundle, type ExportedPolicy, type ExportMode, type NotExported } from './policy.js';
import type { ConfigExemption } from '../core/config.js';
import { translateWorkloads, type MatchKind } from './workloads.js';

/**
 * The posture checks (src/checks) as CEL over the pods of the admitted object. Each translation
 * follows its check file line by line and is a predicate over one pod map `p` (true = the check
 * finds nothing): `p.spec`, `p.annotations`, `p.rayHead` (KubeRay head groups only) and `p.views`,
 * the containers with what the checks derive from them (command-line words and tokens, literal env,
 * the model server, the parsed image reference), computed once per admission in the `posture`
 * variable (POSTURE_VIEWS). test/export/posture.test.ts runs every translation against the check
 * itself over its test manifests and the ML manifest corpus.
 *
 * Library functions beyond standard CEL and the strings extension: the Kubernetes list library's
 * `indexOf` and the Kubernetes regex library's `find` (both in every API server with
 * ValidatingAdmissionPolicy). No comprehension with an index, no `cel.bind`: they are not in the
 * Kubernetes 1.30 environment.
 */

/** A posture check CEL cannot express, with the reason; listed by the export, never silently dropped. */
export interface PostureNotExported {
  id: string;
  reason: string;
}

/** Checks that need more than the admitted object, or what Kubernetes CEL lacks. A test requires every posture id here or in POSTURE_TRANSLATORS. */
export const POSTURE_NOT_EXPORTED: readonly PostureNotExported[] = [
  { id: 'DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT', reason: 'judges the `default` ServiceAccount object, not a pod; the exported posture policies match workloads and their pod templates' },
  { id: 'EXPOSED_ADMIN_PORT', reason: 'needs the Services, Ingresses and NetworkPolicies that reach the pod; an admission policy sees one object' },
  { id: 'EXPOSED_MODEL_SERVER', reason: 'needs the Services and Ingresses that reach the pod; an admission policy sees one object' },
  { id: 'GPU_NAMESPACE_WITHOUT_QUOTA', reason: "needs the namespace's ResourceQuotas; an admission policy sees one object" },
  { id: 'HF_MODEL_UNPINNED', reason: 'searches every field of the object, at any depth, for model URIs; CEL has no recursion over arbitrary depth' },
  { id: 'INGRESS_WITHOUT_TLS', reason: 'needs the Services and workloads behind the Ingress; an admission policy sees one object' },
  { id: 'MODEL_URI_PLAIN_HTTP', reason: 'searches every field of the object, at any depth, for model URIs; CEL has no recursion over arbitrary depth' },
  { id: 'NAMESPACE_WITHOUT_DEFAULT_DENY', reason: "needs the namespace's NetworkPolicies; an admission policy sees one object" },
  { id: 'RAY_NETWORK_POLICY_BLOCKS_DNS', reason: 'judges the NetworkPolicies KubeRay derives from a Ray cluster\'s spec.networkPolicy (base rules, per-group replacement of worker rules); the exported posture policies match pod templates' },
  {
    id: 'SECRET_COMMITTED',
    reason: 'judges ConfigMap values with the rules of SECRET_LITERAL (Shannon entropy needs a logarithm Kubernetes CEL does not have), and a committed Secret is a question about the repository, not about admission',
  },
  {
    id: 'SECRET_LITERAL',
    reason: "judges random-looking values by their Shannon entropy, which needs a logarithm Kubernetes CEL does not have; the name and token-format tests alone would decide differently",
  },
  { id: 'SERVICE_EXTERNALLY_EXPOSED', reason: 'needs the workloads behind the Service (it gives way to EXPOSED_MODEL_SERVER and EXPOSED_ADMIN_PORT); an admission policy sees one object' },
];

// ---------------------------------------------------------------------------------------------
// Text helpers

/** JavaScript's `\s` (what the checks split and match on), as an RE2 class: RE2's `\s` is ASCII only. */
const JS_SPACE_CHARS = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)), '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const hex = (ch: string): string => ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
const JS_SPACE = `[${JS_SPACE_CHARS.map((ch) => `\\x{${hex(ch)}}`).join('')}]`;

/** A CEL literal of one character, escaped (control characters do not belong in YAML). */
const charLiteral = (ch: string): string => `'\\u${hex(ch)}'`;

/** A JavaScript regular expression as RE2 source: `\s` widened to JavaScript's set, the `i` flag as `(?i)`. */
export function re2(pattern: RegExp): string {
  if (/[^i]/.test(pattern.flags)) throw new Error(`regex ${String(pattern)}: flags ${pattern.flags} have no RE2 translation`);
  const source = pattern.source.replace(/\\s/g, JS_SPACE);
  return pattern.flags.includes('i') ? `(?i)${source}` : source;
}

/** A value that palisade reads as a scalar word (`typeof !== 'object'`). */
const scalar = (value: string): string => `(type(${value}) == string || type(${value}) == int || type(${value}) == uint || type(${value}) == double || type(${value}) == bool)`;
const isMap = (value: string): string => `type(${value}) == map`;
const isList = (value: string): string => `type(${value}) == list`;
/** `base.field` when present and a map. */
const mapField = (base: string, field: string): string => `(has(${base}.${field}) && ${isMap(`${base}.${field}`)})`;
const listField = (base: string, field: string): string => `(has(${base}.${field}) && ${isList(`${base}.${field}`)})`;
const stringField = (base: string, field: string): string => `(has(${base}.${field}) && type(${base}.${field}) == string)`;

// ---------------------------------------------------------------------------------------------
// The `posture` variable: pods with container views

/** `command` + `args` as words (src/checks/context.ts commandLine). */
const words = (c: string): string => {
  const field = (name: string): string => `(${listField(c, name)} ? ${c}.${name}.filter(w, ${scalar('w')}).map(w, string(w)) : [])`;
  return `${field('command')} + ${field('args')}`;
};

/** Env entries with a string name; `literal` when the value is written (not valueFrom). */
const env = (c: string): string =>
  `(${listField(c, 'env')} ? ${c}.env.filter(e, ${isMap('e')} && ${stringField('e', 'name')}).map(e, {'name': e.name, 'literal': has(e.value) && ${scalar('e.value')}, 'value': has(e.value) && ${scalar('e.value')} ? string(e.value) : ''}) : [])`;

/** The words split on whitespace inside words too (context.ts tokensOf); empty words stay tokens. */
const tokens = (w: string): string => {
  const EMPTY = '\\u0000';
  let joined = `${w}.map(x, x == '' ? '${EMPTY}' : x).join(' ')`;
  for (const ch of JS_SPACE_CHARS) if (ch !== ' ') joined = `${joined}.replace(${charLiteral(ch)}, ' ')`;
  return `${joined}.split(' ').filter(t, t != '').map(t, t == '${EMPTY}' ? '' : t)`;
};

/** context.ts unquote: one pair of matching quotes around the whole token. */
const unquote = (t: string): string => `(${t}.size() >= 2 && ((${t}.startsWith("'") && ${t}.endsWith("'")) || (${t}.startsWith('"') && ${t}.endsWith('"'))) ? ${t}.substring(1, ${t}.size() - 1) : ${t})`;

/** Fields of a view, in the order each stage adds them; `c` first keeps map literals dyn-typed (Kubernetes checks homogeneous literals). */
const STAGES: ReadonlyArray<ReadonlyArray<[string, (v: string) => string]>> = [
  [
    ['c', (v) => `${v}.c`],
    ['kind', (v) => `${v}.kind`],
    ['key', (v) => `${v}.key`],
    ['words', (v) => words(`${v}.c`)],
    ['env', (v) => env(`${v}.c`)],
    ['image', (v) => `(${stringField(`${v}.c`, 'image')} ? ${v}.c.image : '')`],
  ],
  [
    ['line', (v) => `${v}.words.join(' ')`],
    ['tokens', (v) => tokens(`${v}.words`)],
    // detectServer's image name and tag: before the first '@', split at a ':' after the last '/'.
    ['bare', (v) => `${v}.image.split('@')[0]`],
    ['ref', (v) => `${v}.image.trim()`],
  ],
  [
    ['name', (v) => `(${v}.bare.lastIndexOf(':') > ${v}.bare.lastIndexOf('/') ? ${v}.bare.substring(0, ${v}.bare.lastIndexOf(':')) : ${v}.bare).lowerAscii()`],
    ['tag', (v) => `(${v}.bare.lastIndexOf(':') > ${v}.bare.lastIndexOf('/') ? ${v}.bare.substring(${v}.bare.lastIndexOf(':') + 1) : '')`],
    ['u', (v) => `${v}.tokens.map(t, ${unquote('t')})`],
    // The image reference (knowledge/imageReference.ts parseImageReference), step by step.
    ['iAt', (v) => `${v}.ref.indexOf('@')`],
    ['iN', (v) => `${v}.ref.split('@')[0]`],
  ],
  [
    ['server', (v) => serverOf(v)],
    ['iDigest', (v) => `${v}.iAt >= 0`],
    ['iDigestOk', (v) => `${v}.iAt < 0 || ${v}.ref.substring(${v}.iAt + 1).matches(${str('^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$')})`],
    ['iHasTag', (v) => `${v}.iN.lastIndexOf(':') > ${v}.iN.lastIndexOf('/')`],
  ],
  [
    ['iTag', (v) => `(${v}.iHasTag ? ${v}.iN.substring(${v}.iN.lastIndexOf(':') + 1) : '')`],
    ['iPath', (v) => `(${v}.iHasTag ? ${v}.iN.substring(0, ${v}.iN.lastIndexOf(':')) : ${v}.iN)`],
  ],
  [
    ['iFirst', (v) => `(${v}.iPath.indexOf('/') >= 0 ? ${v}.iPath.substring(0, ${v}.iPath.indexOf('/')) : '')`],
    ['iRegistry?', (v) => `${v}.iPath.indexOf('/') >= 0 && (${v}.iPath.substring(0, ${v}.iPath.indexOf('/')).contains('.') || ${v}.iPath.substring(0, ${v}.iPath.indexOf('/')).contains(':') || ${v}.iPath.substring(0, ${v}.iPath.indexOf('/')) == 'localhost')`],
  ],
  [
    ['iRegistry', (v) => `(${v}['iRegistry?'] ? ${v}.iFirst : ${str(DEFAULT_REGISTRY)})`],
    ['iRepo0', (v) => `(${v}['iRegistry?'] ? ${v}.iPath.substring(${v}.iPath.indexOf('/') + 1) : ${v}.iPath)`],
  ],
  [
    [
      'imageOk',
      (v) =>
        and(
          `${v}.image != ''`,
          not(`${v}.image.matches('[$<>{}]')`),
          `${v}.ref != ''`,
          `${v}.iDigestOk`,
          or(`!${v}.iHasTag`, `${v}.iTag.matches(${str('^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$')})`),
          `${v}.iPath != ''`,
          `${v}.iRepo0.matches(${str('^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$')})`,
        ),
    ],
    ['iRepository', (v) => `(${v}.iRegistry == ${str(DEFAULT_REGISTRY)} && !${v}.iRepo0.contains('/') ? 'library/' + ${v}.iRepo0 : ${v}.iRepo0)`],
  ],
];

/** The model server a container runs (knowledge/modelServers.ts detectServer, then KServe's model formats), by id; '' for none. */
function serverOf(v: string): string {
  const byImage = MODEL_SERVERS.map((s) => {
    const images = or(...s.images.map((p) => `${v}.name.matches(${str(re2(p))})`));
    const tags = s.notTags && s.notTags.length > 0 ? not(or(...s.notTags.map((p) => `${v}.tag.matches(${str(re2(p))})`))) : 'true';
    return [and(`${v}.image != ''`, images, tags), s.id] as const;
  });
  const byCommand = MODEL_SERVERS.map((s) => [and(`${v}.line != ''`, or(...s.commands.map((p) => `${v}.line.matches(${str(re2(p))})`))), s.id] as const);
  const format = `(${v}.key == 'model' && ${mapField(`${v}.c`, 'modelFormat')} && ${stringField(`${v}.c.modelFormat`, 'name')} ? ${v}.c.modelFormat.name.lowerAscii() : ${v}.key)`;
  const formats = `{${Object.entries(KSERVE_FORMAT_SERVERS).map(([k, id]) => `${str(k)}: ${str(id)}`).join(', ')}}`;
  const chain = [...byImage, ...byCommand].map(([test, id]) => `${test} ? ${str(id)} : `).join('');
  return `(${chain}(${format} in ${formats} ? ${formats}[${format}] : ''))`;
}

/** The view pipeline over one pod's raw views (`p.views` from translateWorkloads with views). */
function viewPipeline(views: string): string {
  let expression = views;
  const fields: Array<[string, (v: string) => string]> = [];
  for (const stage of STAGES) {
    const carried = fields.map(([name]) => [name, (v: string) => `${v}[${str(name)}]`] as [string, (v: string) => string]);
    const added = stage.filter(([name]) => !fields.some(([f]) => f === name));
    const all = [...carried.filter(([name]) => !stage.some(([s]) => s === name)), ...stage];
    // Keep `c` first in every literal.
    all.sort((a, b) => (a[0] === 'c' ? -1 : b[0] === 'c' ? 1 : 0));
    expression = `${expression}.map(v, {${all.map(([name, f]) => `${str(name)}: ${f('v')}`).join(', ')}})`;
    fields.push(...added);
  }
  return expression;
}

/** The `posture` variable: `podGroups` (with views) with every pod's container views computed. */
export function postureVariable(podGroups: string): string {
  return `${podGroups}.map(g, g.map(p, {'spec': p.spec, 'annotations': p.annotations, 'views': ${viewPipeline('p.views')}${''}, 'rayHead': has(p.rayHead) ? p.rayHead : {'none': true}}))`;
}

// ---------------------------------------------------------------------------------------------
// Building blocks over one view `v`

const F = 'v';
/** The view's literal env value by name (context.ts envValue: the first entry with that name decides). */
const envLiteral = (name: string): string => `(${F}.env.exists(e, e.name == ${str(name)}) && ${F}.env.filter(e, e.name == ${str(name)})[0].literal)`;
const envText = (name: string): string => `${F}.env.filter(e, e.name == ${str(name)})[0].value`;

/** context.ts flagValue: whether the flag is on the command line… */
const flagMatches = (u: string, flag: string): string => `(${u} == ${str(flag)} || ${u}.startsWith(${str(`${flag}=`)}))`;
const flagPresent = (flag: string): string => `${F}.u.exists(u, ${flagMatches('u', flag)})`;
/** …and its value ('' for a bare flag); only meaningful when present. */
const flagValue = (flag: string): string => {
  const first = `${F}.u.filter(u, ${flagMatches('u', flag)})[0]`;
  const index = `${F}.u.indexOf(${first})`;
  const next = `${F}.tokens[${index} + 1]`;
  return `(${first} == ${str(flag)} ? (${index} + 1 < ${F}.tokens.size() && !${next}.startsWith('-') ? ${unquote(next)} : '') : ${unquote(`${first}.substring(${flag.length + 1})`)})`;
};
/** The flag's value, or '' when absent (`?? ''`). */
const flagOrEmpty = (flag: string): string => `(${flagPresent(flag)} ? ${flagValue(flag)} : '')`;

const ownSc = (field: string): string => `(${mapField(`${F}.c`, 'securityContext')} && has(${F}.c.securityContext.${field}))`;
const notEphemeral = `${F}.kind != 'ephemeralContainer'`;
/** The view's container writes `resources.<field>.<name>`. */
const quantityWritten = (field: 'requests' | 'limits', name: string): string => and(mapField(`${F}.c`, 'resources'), mapField(`${F}.c.resources`, field), `${str(name)} in ${F}.c.resources.${field}`);
/** A pod-level quantity (PodSpec.resources, KEP-2837): cpu, memory and hugepages only, as checks/resources.ts reads it. */
const podQuantityWritten = (field: 'requests' | 'limits', name: string): string =>
  name === 'cpu' || name === 'memory' || name.startsWith('hugepages-') ? and(mapField('p.spec', 'resources'), mapField('p.spec.resources', field), `${str(name)} in p.spec.resources.${field}`) : 'false';
// Both sides parenthesized: `or(...)` yields `(a) || (b)`, which `&&` would otherwise split.
const anyView = (test: string, filter?: string): string => `p.views.exists(${F}, ${filter ? `(${filter}) && ` : ''}(${test}))`;
const TRUTHY = str('(?i)^(true|1|yes)$');

/** Volumes of the pod by name, as context.ts keeps them (a later volume of the same name replaces an earlier one). */
const VOLUMES = `(${listField('p.spec', 'volumes')} ? p.spec.volumes : [])`;
const named = (x: string): string => `(${isMap(x)} && ${stringField(x, 'name')})`;
const anyVolume = (test: string): string => `${VOLUMES}.exists(vol, ${named('vol')} && ${VOLUMES}.filter(o, ${named('o')} && o.name == vol.name)[${VOLUMES}.filter(o, ${named('o')} && o.name == vol.name).size() - 1] == vol && ${test})`;

/** serviceAccount.ts serviceAccountOf. */
const SA_EXPLICIT = or(and(stringField('p.spec', 'serviceAccountName'), `p.spec.serviceAccountName != ''`), and(stringField('p.spec', 'serviceAccount'), `p.spec.serviceAccount != ''`));
const SA_NAME = `(${stringField('p.spec', 'serviceAccountName')} && p.spec.serviceAccountName != '' ? p.spec.serviceAccountName : ${stringField('p.spec', 'serviceAccount')} && p.spec.serviceAccount != '' ? p.spec.serviceAccount : 'default')`;
const TOKEN_MOUNTED = `!(has(p.spec.automountServiceAccountToken) && p.spec.automountServiceAccountToken == false)`;

const isMovingTag = (tag: string): string => or(...MOVING_TAGS.map((m) => `${tag}.lowerAscii() == ${str(m)} || ${tag}.lowerAscii().startsWith(${str(`${m}-`)}) || ${tag}.lowerAscii().startsWith(${str(`${m}_`)})`));

/** `ports` entries of the container that are objects. */
const ports = `(${listField(`${F}.c`, 'ports')} ? ${F}.c.ports.filter(pt, ${isMap('pt')}) : [])`;

// ---------------------------------------------------------------------------------------------
// The translations: CEL over `p` that is true when the check finds nothing in the pod

type Params = Record<string, unknown>;
const stringsParam = (params: Params, name: string): string[] => (Array.isArray(params[name]) ? (params[name] as unknown[]).map(String) : []);

const JUPYTER_TOKEN_FLAGS = ['--NotebookApp.token', '--ServerApp.token', '--IdentityProvider.token'];
const JUPYTER_PASSWORD_FLAGS = ['--NotebookApp.password', '--ServerApp.password', '--PasswordIdentityProvider.hashed_password'];
const DEVICE_ENV = ['NVIDIA_VISIBLE_DEVICES', 'CUDA_VISIBLE_DEVICES'];
const ALL_INTERFACES_RAY = ['0.0.0.0', '::', '[::]'];
const TRUST_FLAG = re2(/(^|\s)--trust[-_]remote[-_]code(=(true|1)|\s|$)/i);
const TRUST_PYTHON = re2(/trust_remote_code\s*=\s*True\b/);
const TRUST_ENV = ['TRUST_REMOTE_CODE', 'HF_TRUST_REMOTE_CODE', 'VLLM_TRUST_REMOTE_CODE'];

/** Per check id: CEL over `p` (and `object`, `variables.today`), true when the check reports nothing. */
export const POSTURE_TRANSLATORS: Readonly<Record<string, (params: Params) => string>> = {
  CREDENTIAL_MOUNT: () => {
    // `path.replace(/\/+$/, '') || '/'` with the regex library's find.
    const stripped = `(vol.hostPath.path.find('(?s)^.*[^/]') == '' ? '/' : vol.hostPath.path.find('(?s)^.*[^/]'))`;
    const hostPath = anyVolume(and(mapField('vol', 'hostPath'), stringField('vol.hostPath', 'path'), or(...SENSITIVE_HOST_PATHS.map((h) => `${stripped}.matches(${str(re2(h.pattern))})`))));
    const mounts = `(${listField(`${F}.c`, 'volumeMounts')} ? ${F}.c.volumeMounts : [])`;
    const mount = anyView(`${mounts}.exists(m, ${isMap('m')} && ${stringField('m', 'mountPath')} && (${CREDENTIAL_MOUNT_PATHS.map((h) => `m.mountPath.matches(${str(re2(h.pattern))})`).join(' || ')}))`);
    const fileEnv = anyView(`${F}.env.exists(e, e.name in ${strList(CREDENTIAL_FILE_ENV)} && e.literal && e.value != '')`);
    return not(or(hostPath, mount, fileEnv));
  },
  DEFAULT_SERVICE_ACCOUNT: () => not(and(TOKEN_MOUNTED, `${SA_NAME} == 'default'`)),
  EPHEMERAL_STORAGE_UNBOUNDED: () => not(anyView(not(quantityWritten('limits', 'ephemeral-storage')), notEphemeral)),
  EXEMPTION_INVALID: () => {
    const a = (key: string): string => `variables.annotations[${str(key)}]`;
    const has = (key: string): string => `${str(key)} in variables.annotations`;
    const until = `${a(EXEMPT_UNTIL_ANNOTATION)}.trim()`;
    const noReason = or(not(has(EXEMPT_REASON_ANNOTATION)), `${a(EXEMPT_REASON_ANNOTATION)}.trim() == ''`);
    const dated = and(has(EXEMPT_UNTIL_ANNOTATION), `${until} != ''`);
    const problem = or(noReason, and(dated, or(not(`${until}.matches(${str(ISO_DATE)})`), `${until} < variables.today`)));
    return not(and(has(EXEMPT_ANNOTATION), problem));
  },
  GPU_ACCESS_UNCONTROLLED: (params) => {
    const gpu = stringsParam(params, 'gpuResources');
    const resources = and(mapField(`${F}.c`, 'resources'));
    const requests = and(resources, mapField(`${F}.c.resources`, 'requests'));
    const limits = and(resources, mapField(`${F}.c.resources`, 'limits'));
    const inLimits = (r: string): string => and(limits, `${str(r)} in ${F}.c.resources.limits`);
    const requestWithoutLimit = or(...gpu.map((r) => and(requests, `${str(r)} in ${F}.c.resources.requests`, not(inLimits(r)))));
    const visibleAll = `${F}.env.exists(e, e.name in ${strList(DEVICE_ENV)} && e.literal && e.value.trim().lowerAscii() == 'all')`;
    const looksLikeGpu = or(...gpu.map(inLimits), `${F}.env.exists(e, e.name.matches('^(NVIDIA_|CUDA_)'))`, `${F}.image.matches('(?i)gpu|cuda')`);
    const privileged = and(ownSc('privileged'), `${F}.c.securityContext.privileged == true`, looksLikeGpu);
    // Node agents that grant GPUs (knowledge/nodeAgents.ts): any container of theirs makes the pod one.
    const agent = `p.views.exists(${F}, ${F}.name.matches(${str(re2(NODE_AGENT_IMAGE))}))`;
    return or(agent, not(anyView(or(requestWithoutLimit, visibleAll, privileged))));
  },
  HOST_PATH_VOLUME: () => not(anyVolume(mapField('vol', 'hostPath'))),
  // Numbers arrive as int (API server) or double (JSON input); only whole numbers are ports, as in the check.
  CONTAINER_PORT_SENSITIVE: () => {
    const number = 'double(pt.containerPort)';
    const numeric = '(type(pt.containerPort) == int || type(pt.containerPort) == uint || type(pt.containerPort) == double)';
    return not(anyView(`${ports}.exists(pt, has(pt.containerPort) && ${numeric} && ${number} == double(int(${number})) && ${number} > 0.0 && ${number} < 1024.0)`));
  },
  HOST_PORT: () => not(anyView(`${ports}.exists(pt, has(pt.hostPort) && pt.hostPort != 0)`)),
  IMAGE_NOT_PINNED_BY_DIGEST: () => not(anyView(and(`${F}.imageOk`, `!${F}.iDigest`, `${F}.iHasTag`, not(isMovingTag(`${F}.iTag`))))),
  IMAGE_PULL_POLICY_STALE: () => {
    const moving = or(`!${F}.iHasTag`, isMovingTag(`${F}.iTag`));
    const written = stringField(`${F}.c`, 'imagePullPolicy');
    const defaultAlways = or(`!${F}.iHasTag`, `${F}.iTag == 'latest'`);
    const stale = or(and(written, `${F}.c.imagePullPolicy != 'Always'`), and(not(`has(${F}.c.imagePullPolicy)`), not(defaultAlways)));
    return not(anyView(and(`${F}.imageOk`, `!${F}.iDigest`, moving, stale)));
  },
  IMAGE_REGISTRY_NOT_ALLOWED: (params) => {
    const prefixes = stringsParam(params, 'allowedRegistries').map((r) => r.replace(/\/+$/, ''));
    if (prefixes.length === 0) return 'true';
    const full = `(${F}.iRegistry + '/' + ${F}.iRepository)`;
    const allowed = or(...prefixes.map((p) => or(`${full} == ${str(p)}`, `${full}.startsWith(${str(`${p}/`)})`, `${F}.iRegistry.matches(${str(globToRegex(p))})`, `${full}.matches(${str(globToRegex(p))})`)));
    return not(anyView(and(`${F}.imageOk`, not(allowed))));
  },
  IMAGE_TAG_MUTABLE: () => not(anyView(and(`${F}.imageOk`, `!${F}.iDigest`, or(`!${F}.iHasTag`, isMovingTag(`${F}.iTag`))))),
  JUPYTER_WITHOUT_AUTH: () => {
    const runs = or(`${F}.server == 'jupyter'`, ...JUPYTER_TOKEN_FLAGS.map(flagPresent));
    const password = or(...JUPYTER_PASSWORD_FLAGS.map((f) => and(flagPresent(f), `${flagValue(f)} != ''`)), and(envLiteral('JUPYTER_PASSWORD'), `${envText('JUPYTER_PASSWORD')} != ''`));
    const emptyFlag = or(...JUPYTER_TOKEN_FLAGS.map((f) => and(flagPresent(f), `${flagValue(f)} == ''`)));
    const emptyEnv = and(envLiteral('JUPYTER_TOKEN'), `${envText('JUPYTER_TOKEN')} in ['', "''", '""']`);
    return not(anyView(and(runs, not(password), or(emptyFlag, emptyEnv))));
  },
  LLM_API_WITHOUT_KEY: () => {
    const servers = MODEL_SERVERS.filter((s) => s.role === 'llm' && s.apiKey);
    const open = servers.map((s) => and(`${F}.server == ${str(s.id)}`, not(or(...s.apiKey!.flags.map(flagPresent), ...(s.apiKey!.env.length > 0 ? [`${F}.env.exists(e, e.name in ${strList(s.apiKey!.env)})`] : [])))));
    return not(anyView(or(...open)));
  },
  MEMORY_EMPTYDIR_UNBOUNDED: () => not(anyVolume(and(mapField('vol', 'emptyDir'), `has(vol.emptyDir.medium) && vol.emptyDir.medium == 'Memory'`, '!has(vol.emptyDir.sizeLimit)'))),
  MLFLOW_WITHOUT_AUTH: () => {
    const all = "['0.0.0.0', '::']";
    const host = or(and(flagPresent('--host'), `${flagValue('--host')} in ${all}`), and(not(flagPresent('--host')), flagPresent('-h'), `${flagValue('-h')} in ${all}`));
    return not(anyView(and(`${F}.server == 'mlflow'`, host, `${flagOrEmpty('--app-name')} == ''`)));
  },
  NAMESPACE_PSA_NOT_ENFORCED: () => or("object.kind != 'Namespace'", `has(object.apiVersion) && object.apiVersion.contains('/')`, and('has(object.metadata)', mapField('object.metadata', 'labels'), `'pod-security.kubernetes.io/enforce' in object.metadata.labels`)),
  PROBES_MISSING: (params) => {
    const kinds = stringsParam(params, 'longRunningKinds');
    // A written command runs a server only when the command line names one (detectServer by command).
    const byCommand = and(`${F}.line != ''`, or(...MODEL_SERVERS.flatMap((s) => s.commands.map((p) => `${F}.line.matches(${str(re2(p))})`))));
    const entrypointKept = or(not(listField(`${F}.c`, 'command')), `${F}.c.command.size() == 0`, byCommand);
    const serving = or(`${listField(`${F}.c`, 'ports')} && ${F}.c.ports.size() > 0`, and(`${F}.server != ''`, entrypointKept));
    const probed = and(`has(${F}.c.readinessProbe)`, `has(${F}.c.livenessProbe)`);
    const container = or(`${F}.kind == 'container'`, and(`${F}.kind == 'initContainer'`, stringField(`${F}.c`, 'restartPolicy'), `${F}.c.restartPolicy == 'Always'`));
    const completes = and(stringField('p.spec', 'restartPolicy'), `p.spec.restartPolicy != 'Always'`);
    return or(not(`object.kind in ${strList(kinds)}`), completes, not(anyView(and(serving, not(probed)), container)));
  },
  RAY_DASHBOARD_UNAUTHENTICATED: () => {
    const tokenAuth = (h: string): string => `(${h}.env.exists(e, e.name == 'RAY_AUTH_MODE') && ${h}.env.filter(e, e.name == 'RAY_AUTH_MODE')[0].literal && ${h}.env.filter(e, e.name == 'RAY_AUTH_MODE')[0].value.lowerAscii() == 'token')`;
    // KubeRay head group: the first regular container is the head, whatever its image.
    const kuberay = (() => {
      const head = `p.views.filter(${F}, ${F}.kind == 'container')[0]`;
      const auth = and(stringField('p.rayHead.auth', 'mode'), `p.rayHead.auth.mode.lowerAscii() == 'token'`);
      const params = `p.rayHead.params`;
      const included = or(not(isMap(params)), not(`'include-dashboard' in ${params}`), `!${scalar(`${params}['include-dashboard']`)}`, `string(${params}['include-dashboard']).lowerAscii() != 'false'`);
      const host = `${params}['dashboard-host']`;
      const open = or(not(isMap(params)), not(`'dashboard-host' in ${params}`), and(scalar(host), `string(${host}) in ${strList(ALL_INTERFACES_RAY)}`));
      return and("has(p.rayHead.params)", `p.views.exists(${F}, ${F}.kind == 'container')`, not(tokenAuth(head)), not(auth), included, open);
    })();
    const plain = (() => {
      const isHead = `${F}.server == 'ray' && ${F}.line.matches(${str(re2(/(^|\s)--head\b/))})`;
      const head = `p.views.filter(${F}, ${isHead})[0]`;
      const open = `[${head}].exists(${F}, ${flagPresent('--dashboard-host')} && ${flagValue('--dashboard-host')} in ${strList(ALL_INTERFACES_RAY)})`;
      return and("!has(p.rayHead.params)", `p.views.exists(${F}, ${isHead})`, not(tokenAuth(head)), open);
    })();
    return not(or(kuberay, plain));
  },
  READ_ONLY_ROOT_FILESYSTEM: () => not(anyView(not(and(ownSc('readOnlyRootFilesystem'), `${F}.c.securityContext.readOnlyRootFilesystem == true`)), notEphemeral)),
  RESOURCE_LIMITS_MISSING: (params) => {
    const limits = and(mapField(`${F}.c`, 'resources'), mapField(`${F}.c.resources`, 'limits'));
    // A pod-level limit (PodLevelResources) caps every container that sets none.
    const missing = or(...stringsParam(params, 'resources').map((r) => not(or(and(limits, `${str(r)} in ${F}.c.resources.limits`), podQuantityWritten('limits', r)))));
    return not(anyView(missing, notEphemeral));
  },
  RESOURCE_REQUESTS_MISSING: (params) => {
    // A limit without a request makes the request equal to the limit.
    // A pod-level request, or a pod-level limit the pod-level request defaults to, places the pod.
    const missing = or(...stringsParam(params, 'resources').map((r) => not(or(quantityWritten('requests', r), quantityWritten('limits', r), podQuantityWritten('requests', r), podQuantityWritten('limits', r)))));
    return not(anyView(missing, notEphemeral));
  },
  SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED: (params) => {
    const clients = stringsParam(params, 'apiClients').map((g) => `${SA_NAME}.matches(${str(globToRegex(g))})`);
    return not(and(TOKEN_MOUNTED, SA_EXPLICIT, `${SA_NAME} != 'default'`, not(`${SA_NAME}.matches('[$<{]')`), not(or(...clients))));
  },
  TORCHSERVE_MANAGEMENT_OPEN: () => {
    const truthy = (name: string): string => and(envLiteral(name), `${envText(name)}.trim().matches(${TRUTHY})`);
    const address = and(envLiteral('TS_MANAGEMENT_ADDRESS'), `${envText('TS_MANAGEMENT_ADDRESS')}.matches(${str(re2(/\/\/(0\.0\.0\.0|\[::\])/))})`);
    const port = `${ports}.exists(pt, has(pt.containerPort) && (pt.containerPort == ${TORCHSERVE_MANAGEMENT.port} || pt.containerPort == ${str(String(TORCHSERVE_MANAGEMENT.port))}))`;
    const open = or(flagPresent('--disable-token-auth'), truthy('TS_DISABLE_TOKEN_AUTHORIZATION'), flagPresent('--enable-model-api'), truthy('TS_ENABLE_MODEL_API'), address, port);
    return not(anyView(and(`${F}.server == 'torchserve'`, open)));
  },
  TRITON_MODEL_CONTROL_OPEN: () => {
    const explicit = and(flagPresent('--model-control-mode'), `${flagValue('--model-control-mode')} == 'explicit'`);
    const restricted = or(...['--http-restricted-api', '--grpc-restricted-api'].map((f) => `${flagOrEmpty(f)}.contains('model-repository')`));
    return not(anyView(and(`${F}.server == 'triton'`, explicit, not(restricted))));
  },
  TRUST_REMOTE_CODE: () => {
    const flag = `${F}.words.join(' ').replace('\\n', ' ').matches(${str(TRUST_FLAG)})`;
    const python = `${F}.words.join('\\n').matches(${str(TRUST_PYTHON)})`;
    const envOn = `${F}.env.exists(e, e.name in ${strList(TRUST_ENV)} && e.literal && e.value.matches(${TRUTHY}))`;
    return not(anyView(or(flag, python, envOn)));
  },
};

const ISO_DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

/** Checks whose CEL reads the object rather than its pods (evaluated once, not per pod). */
export const OBJECT_LEVEL: ReadonlySet<string> = new Set(['EXEMPTION_INVALID', 'NAMESPACE_PSA_NOT_ENFORCED']);

/** Every posture check id, for the completeness test. */
export function postureIds(): string[] {
  return CHECKS.map((c) => c.meta.id);
}

/** Posture check ids that are neither translated nor listed as not exported (must be empty). */
export function unaccountedPostureChecks(): string[] {
  const listed = new Set(POSTURE_NOT_EXPORTED.map((n) => n.id));
  return postureIds().filter((id) => !POSTURE_TRANSLATORS[id] && !listed.has(id));
}

// ---------------------------------------------------------------------------------------------
// Policies

/** One posture check as the export runs it: params validated, severity and mode decided by the caller (config). */
export interface PostureSelection {
  id: string;
  params: Params;
  severity: Severity;
  mode: ExportMode;
}

export interface PostureExportOptions {
  checks: readonly PostureSelection[];
  workloads: readonly WorkloadKind[];
  configExemptions: readonly ConfigExemption[];
}

const NAMESPACE_KIND: MatchKind = { groups: [''], kind: 'Namespace', resource: 'namespaces', subresources: [] };

/** The CEL of one selected check: exemptions first, then the check over every pod (or over the object). */
export function postureValidation(selection: PostureSelection, configExemptions: readonly ConfigExemption[]): CelValidation {
  const check = CHECKS.find((c) => c.meta.id === selection.id)!;
  return { id: selection.id, expression: or(exemptionTerm(selection.id, configExemptions), postureExpression(selection.id, selection.params)), message: `${check.meta.title} (${selection.id}, ${selection.severity}): ${check.meta.remediation}` };
}

/** The check alone (no exemption), over every pod of the object or over the object: true = no finding. */
export function postureExpression(id: string, params: Params): string {
  const translate = POSTURE_TRANSLATORS[id];
  if (!translate) throw new Error(`no CEL translation for posture check ${id}`);
  const body = translate(params);
  return OBJECT_LEVEL.has(id) ? body : `variables.posture.all(g, g.all(p, ${body}))`;
}

/** One policy per mode (enforce, warn, audit) holding the checks in that mode, each bound cluster-wide. */
export function exportPosture(options: PostureExportOptions): ExportBundle {
  const { podGroups, match, notCovered } = translateWorkloads(options.workloads, { views: true });
  const notExported: NotExported[] = notCovered.map(({ kind, reason }) => ({ id: `workload:${kind}`, reason }));
  const policies: ExportedPolicy[] = [];
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const selected = options.checks.filter((c) => c.mode === mode);
    if (selected.length === 0) continue;
    const validations = selected.map((c) => postureValidation(c, options.configExemptions));
    const kinds = selected.some((c) => c.id === 'NAMESPACE_PSA_NOT_ENFORCED') ? [...match, NAMESPACE_KIND] : match;
    policies.push({
      name: `palisade-posture-${mode}`,
      description: `palisade posture checks in ${mode} mode (${selected.map((c) => c.id).join(', ')}), for every workload kind palisade knows.`,
      category: 'Posture (palisade)',
      match: kinds,
      matchConditions: [],
      variables: [...COMMON_VARIABLES, { name: 'podGroups', expression: podGroups }, { name: 'posture', expression: postureVariable('variables.podGroups') }],
      validations,
      severity: selected.map((c) => c.severity).sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0]!,
    });
  }
  return { policies, bindings: policies.map((p) => ({ name: p.name, policy: p.name, modes: [p.name.slice('palisade-posture-'.length) as ExportMode] })), notExported };
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
