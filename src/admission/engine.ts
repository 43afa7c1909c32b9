import * as crypto from 'node:crypto';
import { podContexts, postureChecks, resourceContext, runPodChecks, runResourceChecks, type Locatable, type PostureChecks } from '../checks/index.js';
import { emptyConfig, type Config } from '../core/config.js';
import { annotationExemption, applyExemptions, isoDay } from '../core/exemptions.js';
import { resourceRef } from '../core/load.js';
import { joinPointer, pointerTokens } from '../core/pointer.js';
import type { Finding, Location } from '../core/types.js';
import { parseImageReference, type ImageReference } from '../knowledge/index.js';
import { DEFAULT_TABLE, evaluationSpec, findPodSpecs, tablePodSpecs, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { InternPool, TtlCache } from './cache.js';
import { decisionKeyText } from './decisionKey.js';
import { checkMode, checksConfig, type AdmissionSettings, type CheckMode } from './config.js';
import { badRequestOutcome, evaluatePods, exemptOutcome, IGNORED_POD_SUBRESOURCES, isSignificantPodUpdate, namespaceLookupFailure, namespaceLookupMessage, policyToEvaluate, psaExemption, psaShortCircuit, renameForbidden, validateNamespace, type PsaOutcome, type PsaPodSpec } from './psa.js';
import type { DigestResolver } from './registry.js';
import { BadReview } from './review.js';
import type { AdmissionRequest, AdmissionResponse, Endpoint, ImageToVerify, ImageVerdict, ImageVerifier, PolicyMode, Status } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * One admission decision: Pod Security exactly as PSA, the posture checks in the mode each has in
 * the namespace, image pinning (/mutate) and image verifiers (/validate), all inside a deadline.
 * Pure apart from the lookups it is given (namespaces, registry, verifiers) and the clock.
 */

export interface NamespaceLookup {
  /**
   * Labels of a namespace; throws when it cannot be found (PSA: "failed to lookup namespace"). The
   * object returned is never edited afterwards (a change hands out a new one): the engine memoizes
   * its text by identity.
   */
  labels(name: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
  /** Labels already held in memory, without I/O (undefined: ask `labels`). Saves the deadline timer on the hot path. */
  known?(name: string): Readonly<Record<string, string>> | undefined;
}

export interface EngineOptions {
  settings: AdmissionSettings;
  namespaces: NamespaceLookup;
  config?: Config;
  resolver?: DigestResolver;
  verifiers?: readonly ImageVerifier[];
  now?: () => Date;
  table?: WorkloadTable;
  /**
   * The posture checks to run (tests inject failing ones); default: every one, configured by
   * `config`. Its `checks:` entries for other rules are not validated here (that needs the whole
   * rule catalogue, ~2.6 MB of heap): `palisade serve` does it before building the engine.
   */
  checks?: PostureChecks;
  /** Bounds of the decision cache (default DECISION_CACHE_ENTRIES and DECISION_CACHE_BYTES). */
  decisionCache?: { maxEntries?: number; maxBytes?: number };
}

export interface DecisionLog {
  uid: string;
  endpoint: Endpoint;
  kind: string;
  namespace: string;
  name: string;
  operation: string;
  dryRun: boolean;
  decision: 'allow' | 'deny';
  /** Why nothing was judged, when nothing was. */
  skipped?: string;
  /** Check ids that denied or warned (PSS checks as PSS_<level>). */
  checks: string[];
  warnings: number;
  patched: number;
  /** Lookups decided by the failure policy (timeout, registry error, crashing check). */
  failures: string[];
  /** Answered from the decision cache (an identical request was judged before). */
  cached?: boolean;
  ms: number;
}

export interface Decision {
  response: AdmissionResponse;
  log: DecisionLog;
  /** `response` without its uid as JSON text, when the engine already has it (decision cache): the server splices the uid in. */
  json?: string;
}

/**
 * A cached /validate answer, compact: its JSON text (what the server sends, the uid spliced in)
 * and the little the decision log needs. The response object is parsed back from the text only
 * when a caller reads it (the server does not), so a held answer costs its text once.
 */
interface CachedDecision {
  json: string;
  allowed: boolean;
  warnings: number;
  checks: readonly string[];
}

/**
 * The decision cache's bounds: entries, and bytes. Keys are SHA-256 digests (44 characters);
 * answers are JSON text, nearly always ASCII, which V8 holds at one byte a character. An entry
 * weighs its key, its answer and the check ids in full plus a fixed cost for the Map slot and the
 * small objects around them (bench/serve.mjs's inference pod: 3 KB, so 2000 fit), though entries
 * with the same answer share one copy of it (InternPool): the bound holds whatever is shared.
 */
export const DECISION_CACHE_ENTRIES = 2000;
export const DECISION_CACHE_BYTES = 10 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 200;
const weighDecision = (key: string, entry: CachedDecision): number => ENTRY_OVERHEAD_BYTES + key.length + entry.json.length + entry.checks.reduce((n, c) => n + c.length + 16, 0);
const sameChecks = (a: CachedDecision, b: CachedDecision): boolean => a.checks.length === b.checks.length && a.checks.every((c, i) => c === b.checks[i]);

/** SHA-256 as base64, one call (crypto.hash, Node ≥ 20.12) where there is one. */
const sha256 = typeof crypto.hash === 'function' ? (text: string): string => crypto.hash('sha256', text, 'base64') : (text: string): string => crypto.createHash('sha256').update(text).digest('base64');

/** Pod specs whose Pod Security details are kept (knownPssDetails): ~150 bytes each. */
const PSS_DETAIL_PODS = 2000;

const NO_LOCATION: Location = { file: '-', line: 1, column: 1 };
/** The API server keeps warnings up to 4096 characters in all; beyond, they are dropped. */
const WARNING_BUDGET = 4000;
/** What the API server cuts each warning to once the total is exceeded (apiserver endpoints/filters/warning.go). */
const WARNING_CUT = 256;

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export class AdmissionEngine {
  private readonly settings: AdmissionSettings;
  private readonly checks: PostureChecks;
  private readonly config: Config;
  private readonly table: WorkloadTable;
  private readonly now: () => Date;
  private readonly clock: () => number;
  readonly digests: TtlCache<string>;
  readonly verdicts: TtlCache<ImageVerdict>;
  /**
   * Whole /validate answers by what they depend on (decisionKey): a ReplicaSet's pods differ only in
   * the generated name, uid and timestamps the API server fills in, so 100 replicas are judged once.
   */
  readonly decisions: TtlCache<CachedDecision>;
  /** The distinct answers the decision cache holds, each once. */
  readonly answers = new InternPool<CachedDecision>();
  /** Config exemptions that match by resource name make the name part of the decision. */
  private readonly nameMatters: boolean;
  private day = { until: 0, text: '' };
  private readonly modes = new Map<string, { labels: Readonly<Record<string, string>>; modes: Map<string, CheckMode> }>();
  private readonly labelsText = new WeakMap<object, string>();
  /** PSA's policy of a namespace's labels, once per labels object (policyToEvaluate is a pure function of them and the defaults). */
  private readonly policies = new WeakMap<object, ReturnType<typeof policyToEvaluate>>();
  /** Pod Security details by pod spec and annotations (knownPssDetails), insertion-ordered. */
  private readonly pssDetails = new Map<string, Map<string, string | null>>();
  /** The posture checks as one-element lists, made once: they run one at a time. */
  private readonly podChecksOneByOne: ReadonlyArray<PostureChecks['pod']>;
  private readonly resourceChecksOneByOne: ReadonlyArray<PostureChecks['resource']>;

  constructor(private readonly options: EngineOptions) {
    this.settings = options.settings;
    this.config = options.config ?? emptyConfig();
    this.checks = options.checks ?? postureChecks(checksConfig(this.config, this.settings));
    this.table = options.table ?? DEFAULT_TABLE;
    this.now = options.now ?? (() => new Date());
    // Epoch ms without a Date per reading when the real clock is used (read several times a request).
    const now = options.now;
    this.clock = now ? () => now().getTime() : Date.now;
    const ttl = this.settings.cacheTtlSeconds * 1000;
    this.digests = new TtlCache<string>(ttl, () => this.clock());
    this.verdicts = new TtlCache<ImageVerdict>(ttl, () => this.clock());
    this.decisions = new TtlCache<CachedDecision>(ttl, () => this.clock(), {
      maxEntries: options.decisionCache?.maxEntries ?? DECISION_CACHE_ENTRIES,
      maxBytes: options.decisionCache?.maxBytes ?? DECISION_CACHE_BYTES,
      weigh: weighDecision,
      onDelete: (_key, entry) => this.answers.release(entry.json, entry),
    });
    this.nameMatters = this.config.exemptions.some((e) => e.match.name !== undefined);
    this.podChecksOneByOne = this.checks.pod.map((active) => [active]);
    this.resourceChecksOneByOne = this.checks.resource.map((active) => [active]);
  }

  /** isoDay of now, recomputed once a day rather than on every request. */
  private today(now: number): string {
    if (now >= this.day.until || now < this.day.until - 86_400_000) {
      const text = isoDay(new Date(now));
      this.day = { until: Date.parse(`${text}T00:00:00.000Z`) + 86_400_000, text };
    }
    return this.day.text;
  }

  /** A namespace's labels as JSON, once per labels object (lookups hand out the same object until the namespace changes). */
  private labelsJson(labels: Readonly<Record<string, string>>): string {
    let text = this.labelsText.get(labels);
    if (text === undefined) {
      text = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.labelsText.set(labels, text);
    }
    return text;
  }

  /** What a /validate answer depends on (decisionKeyText), hashed. */
  private decisionKey(request: AdmissionRequest, labels: Readonly<Record<string, string>>, today: string): string {
    // Hashed: a pod's text is a few KB, its digest 44 characters, and one-shot SHA-256 of a few KB
    // costs about what the Map's own hashing and comparing of the text would.
    return sha256(decisionKeyText(request, this.labelsJson(labels), today, this.nameMatters));
  }

  /** Decide one request; `deadline` is epoch ms by which the answer must be sent. */
  async decide(request: AdmissionRequest, endpoint: Endpoint, deadline: number): Promise<Decision> {
    const started = this.clock();
    const namespace = request.namespace ?? '';
    const object = request.object ?? undefined;
    const log: DecisionLog = {
      uid: request.uid,
      endpoint,
      kind: request.kind.kind,
      namespace,
      name: request.name || (isPlainObject(object?.metadata) ? String(object.metadata.name ?? object.metadata.generateName ?? '') : ''),
      operation: request.operation,
      dryRun: request.dryRun === true,
      decision: 'allow',
      checks: [],
      warnings: 0,
      patched: 0,
      failures: [],
      ms: 0,
    };
    const finish = (response: Omit<AdmissionResponse, 'uid'>): Decision => {
      log.decision = response.allowed ? 'allow' : 'deny';
      log.warnings = response.warnings?.length ?? 0;
      log.ms = this.clock() - started;
      return { response: { uid: request.uid, ...response }, log };
    };
    const skip = (why: string): Decision => {
      log.skipped = why;
      return finish({ allowed: true });
    };

    if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return skip('operation');
    if (!object) throw new BadReview(`request.object is required for ${request.operation}`);
    const isPod = request.resource.group === '' && request.resource.resource === 'pods';
    // PSA's webhook reads requestSubResource (api/attributes.go); a request without it, subResource.
    const subResource = request.requestSubResource ?? request.subResource ?? '';
    if (isPod ? IGNORED_POD_SUBRESOURCES.has(subResource) : subResource !== '') return skip('subresource');
    if (request.resource.group === '' && request.resource.resource === 'namespaces') {
      if (endpoint === 'mutate') return skip('no pod spec');
      // PSA judges a Namespace's own pod-security labels (ValidateNamespace).
      const outcome = validateNamespace(this.settings.psa, { operation: request.operation, namespace, name: request.name ?? '', kind: request.kind }, labelsOf(object), request.operation === 'UPDATE' ? (request.oldObject ? labelsOf(request.oldObject) : null) : undefined);
      const out = new Collector(this.settings.failurePolicy, false, log);
      out.pss(outcome);
      return finish(out.response());
    }

    // A Pod is always one pod spec, found only once the decision cache has missed.
    let found: PodSpecRef[] | undefined = isPod ? undefined : findPodSpecs(object, this.table);
    if (found !== undefined && found.length === 0) return skip('no pod spec');
    const podsOf = (): PodSpecRef[] => (found ??= [podOf(object)]);
    const template = !isPod;
    const enforceHere = !template || this.settings.enforceTemplates;
    // A Pod UPDATE that changes no image and adds no ephemeral container is not judged again
    // (upstream isSignificantPodUpdate), but only after PSA's exemptions, namespace lookup and
    // privileged short cut have answered; PSA cannot decode an UPDATE without its old Pod. A
    // controller is judged on every UPDATE, as PSA does (ValidatePodController compares nothing).
    const old = request.oldObject ?? undefined;
    const podUpdate = isPod && request.operation === 'UPDATE' ? (old ? (isSignificantPodUpdate(object.spec, old.spec) ? 'changed' : 'unchanged') : 'no old pod') : undefined;
    if (endpoint === 'mutate' && podUpdate === 'unchanged') return skip('pod spec unchanged');

    const deadlineAt = new Deadline(deadline);
    const within = <T>(work: Promise<T> | T): Promise<Outcome<T>> => deadlineAt.within(work);
    try {
      const out = new Collector(this.settings.failurePolicy, template && !this.settings.enforceTemplates, log);
      if (endpoint === 'mutate') {
        const patch = await this.pin(request, podsOf(), out, within, () => deadlineAt.signal);
        const response = out.response();
        if (response.allowed && patch.length > 0) {
          response.patchType = 'JSONPatch';
          response.patch = Buffer.from(JSON.stringify(patch)).toString('base64');
          response.auditAnnotations = { ...(response.auditAnnotations ?? {}), 'pinned-images': String(patch.length) };
          log.patched = patch.length;
        }
        return finish(response);
      }

      const namespaces = this.options.namespaces;
      let labels = namespaces.known?.(namespace);
      if (labels === undefined) {
        // A lookup may throw at once (an offline file has no such namespace) or reject later.
        const labelsOutcome = await within(attempt(() => namespaces.labels(namespace, deadlineAt.signal)));
        if (!labelsOutcome.ok) {
          const what = namespaceLookupMessage(namespace);
          // PSA applies its namespace and user exemptions before the lookup (admission.go,
          // ValidatePod and ValidatePodController), so an exempt request is not refused for it.
          // The posture checks then run with the config's modes; the labels could have changed any
          // mode, so the answer depends on them only when a check finds something, and then the
          // failure policy decides. Image verification does not read the labels. Not cached: the
          // decision key holds the labels.
          // A controller's namespace that cannot be looked up is allowed by PSA with the cause in
          // the `error` audit annotation (ValidatePodController); the posture checks then run as
          // for an exempt request.
          const exemption = psaExemption(this.settings.psa, namespace, request.userInfo.username ?? '');
          const templateOnly = template && !this.settings.enforceTemplates;
          if (exemption !== undefined && podUpdate !== undefined && podUpdate !== 'changed') {
            log.skipped = 'pod spec unchanged';
            out.pss(exemptOutcome(exemption));
            return finish(out.response());
          }
          if (exemption !== undefined || templateOnly) {
            const pods = podsOf();
            out.pss(exemption !== undefined ? exemptOutcome(exemption) : namespaceLookupFailure(namespace, labelsOutcome.reason, false));
            const found = this.postureChecks(request, object, pods, {}, out, template);
            if (found > 0) out.failure(what, `${labelsOutcome.reason}; its labels could change the mode of ${found === 1 ? 'the finding' : `the ${found} findings`}`);
            await this.verify(request, pods, out, within, () => deadlineAt.signal, deadline);
            return finish(out.response());
          }
          // A Pod: PSA answers an internal error (500) with its cause in the `error` audit
          // annotation; fail-open allows with a warning.
          if (this.settings.failurePolicy === 'fail-closed') {
            log.failures.push(what);
            const psa = namespaceLookupFailure(namespace, labelsOutcome.reason, true);
            return finish({ allowed: false, status: psa.status, auditAnnotations: { ...psa.auditAnnotations, 'failure-closed': what } });
          }
          out.failure(what, labelsOutcome.reason);
          return finish(out.response());
        }
        labels = labelsOutcome.value;
      }
      if (podUpdate !== undefined && podUpdate !== 'changed') {
        const psa = this.settings.psa;
        const { policy, errors } = this.policyOf(labels);
        const answer = psaShortCircuit(psa, namespace, request.userInfo.username ?? '', policy, errors, true) ?? (podUpdate === 'no old pod' ? badRequestOutcome('failed to decode old pod') : undefined);
        log.skipped = 'pod spec unchanged';
        if (answer === undefined) return finish({ allowed: true });
        out.pss(answer);
        return finish(out.response());
      }
      // Verifier verdicts expire on their own clocks, so answers that used them are not reused.
      // (With the caches off there is nothing to look up, and no key to hash.)
      const key = (this.options.verifiers ?? []).length === 0 && this.settings.cacheTtlSeconds > 0 ? this.decisionKey(request, labels, this.today(this.clock())) : undefined;
      const cached = key === undefined ? undefined : this.decisions.get(key);
      if (cached) {
        this.decisions.hits++;
        log.checks.push(...cached.checks);
        log.cached = true;
        log.decision = cached.allowed ? 'allow' : 'deny';
        log.warnings = cached.warnings;
        log.ms = this.clock() - started;
        // PSA's denial names the object (`pods "web-x1" is forbidden`); the key leaves a generated name out.
        return new CachedAnswer(request.uid, cached.allowed ? cached.json : renameDenial(cached.json, request.name ?? ''), log);
      }
      const pods = podsOf();
      out.pss(this.podSecurity(request, pods, labels, enforceHere));
      this.postureChecks(request, object, pods, labels, out, template);
      await this.verify(request, pods, out, within, () => deadlineAt.signal, deadline);
      const response = out.response();
      if (key !== undefined && log.failures.length === 0) {
        this.decisions.misses++;
        const json = JSON.stringify(response);
        const entry = this.answers.intern(json, { json, allowed: response.allowed, warnings: response.warnings?.length ?? 0, checks: [...log.checks] }, sameChecks);
        if (!this.decisions.set(key, entry)) this.answers.release(json, entry);
        return { ...finish(response), json: entry.json };
      }
      return finish(response);
    } finally {
      deadlineAt.clear();
    }
  }

  /** policyToEvaluate of a namespace's labels, once per labels object. */
  private policyOf(labels: Readonly<Record<string, string>>): ReturnType<typeof policyToEvaluate> {
    let evaluated = this.policies.get(labels);
    if (evaluated === undefined) {
      evaluated = policyToEvaluate(labels, this.settings.psa.defaults);
      this.policies.set(labels, evaluated);
    }
    return evaluated;
  }

  private podSecurity(request: AdmissionRequest, pods: readonly PodSpecRef[], labels: Readonly<Record<string, string>>, enforce: boolean): PsaOutcome {
    const psa = this.settings.psa;
    const { policy, errors } = this.policyOf(labels);
    const answered = psaShortCircuit(psa, request.namespace ?? '', request.userInfo.username ?? '', policy, errors, enforce);
    if (answered) return answered;
    const specs: PsaPodSpec[] = pods.map((ref) => ({ metadata: ref.metadata, spec: evaluationSpec(ref).spec, label: ref.podSpecPath }));
    return evaluatePods(specs, policy, errors, psa, enforce, { group: request.resource.group, resource: request.resource.resource, name: request.name ?? '' }, this.settings.cacheTtlSeconds > 0 ? this.knownPssDetails : undefined);
  }

  /**
   * The Pod Security details already worked out for a pod spec and its annotations (all that PSS
   * reads), across requests: pods that differ only in labels, names or other metadata (a new
   * ReplicaSet's pod-template-hash, Deployments that share a spec) are judged once. Keyed by the
   * SHA-256 of their JSON text; the oldest of PSS_DETAIL_PODS pod specs goes first.
   */
  private readonly knownPssDetails = (pod: PsaPodSpec): Map<string, string | null> => {
    const key = sha256(JSON.stringify([pod.metadata.annotations ?? null, pod.spec]));
    let known = this.pssDetails.get(key);
    if (known === undefined) {
      if (this.pssDetails.size >= PSS_DETAIL_PODS) this.pssDetails.delete(this.pssDetails.keys().next().value!);
      known = new Map();
      this.pssDetails.set(key, known);
    }
    return known;
  };

  /** Check modes of one namespace, kept while its labels object is the same (checkMode is a pure function of both). */
  private modesFor(namespace: string, labels: Readonly<Record<string, string>>): Map<string, CheckMode> {
    const held = this.modes.get(namespace);
    if (held && held.labels === labels) return held.modes;
    if (this.modes.size >= 10_000) this.modes.clear();
    const modes = new Map<string, CheckMode>();
    this.modes.set(namespace, { labels, modes });
    return modes;
  }

  /** Runs the posture checks and reports their findings to `out`; returns how many findings were not exempted. */
  private postureChecks(request: AdmissionRequest, object: Record<string, unknown>, pods: PodSpecRef[], labels: Readonly<Record<string, string>>, out: Collector, template: boolean): number {
    const ref = resourceRef(object, 0);
    if (ref.namespace === undefined && request.namespace) ref.namespace = request.namespace;
    const resource: Locatable = { ref, object, locate: () => NO_LOCATION };
    const contexts = podContexts(resource, pods);
    const findings: Finding[] = [];
    const today = this.today(this.clock());
    // One check at a time, so a check that throws is the failure policy's and the others still run.
    for (const one of this.podChecksOneByOne) {
      try {
        findings.push(...runPodChecks(one, resource, contexts));
      } catch (error) {
        out.failure(`check ${one[0]!.check.meta.id} failed`, (error as Error).message ?? String(error));
      }
    }
    // Built once, so the resource checks share what it memoizes (the model-URI fields: one walk of the object).
    const context = resourceContext(resource, contexts, today);
    for (const one of this.resourceChecksOneByOne) {
      const active = one[0]!;
      try {
        findings.push(...runResourceChecks(one, resource, contexts, today, context));
      } catch (error) {
        out.failure(`check ${active.check.meta.id} failed`, (error as Error).message ?? String(error));
      }
    }
    const exemption = annotationExemption(annotationsOf(object)) ?? pods.map((p) => annotationExemption(p.metadata.annotations)).find((e) => e !== undefined);
    applyExemptions(findings, { annotations: () => exemption, config: this.config.exemptions, today });
    const namespace = request.namespace ?? '';
    const modes = this.modesFor(namespace, labels);
    let unexempted = 0;
    for (const finding of findings) {
      if (finding.suppressed) {
        out.exempted++;
        continue;
      }
      unexempted++;
      let mode = modes.get(finding.checkId);
      if (mode === undefined) {
        mode = checkMode(this.settings, namespace, labels, finding.checkId);
        modes.set(finding.checkId, mode);
      }
      if (mode === 'off') continue;
      out.finding(finding, template && mode === 'enforce' && !this.settings.enforceTemplates ? 'warn' : mode);
    }
    return unexempted;
  }

  /** /mutate: every tag becomes repo:tag@sha256:… (kept tag, as policy-controller writes it). */
  private async pin(request: AdmissionRequest, pods: readonly PodSpecRef[], out: Collector, within: <T>(work: Promise<T> | T) => Promise<Outcome<T>>, signal: () => AbortSignal): Promise<Array<{ op: 'replace'; path: string; value: string }>> {
    const resolver = this.options.resolver;
    if (!this.settings.images.pin || !resolver) return [];
    const wanted = new Map<string, { reference: ImageReference; paths: string[] }>();
    // On UPDATE only images that changed are pinned: the ephemeralcontainers subresource, for one,
    // refuses changes to any other container.
    const old = request.operation === 'UPDATE' ? request.oldObject ?? undefined : undefined;
    const onlyEphemeral = request.subResource === 'ephemeralcontainers';
    for (const pod of pods) {
      for (const container of pod.containers) {
        const image = container.object.image;
        if (typeof image !== 'string') continue;
        if (onlyEphemeral && container.kind !== 'ephemeralContainer') continue;
        if (old && valueAt(old, joinPointer(container.path, 'image')) === image) continue;
        const reference = parseImageReference(image);
        if (!reference || reference.digest) continue;
        const key = `${reference.registry}/${reference.repository}:${reference.tag ?? 'latest'}`;
        const entry = wanted.get(key) ?? { reference, paths: [] };
        entry.paths.push(joinPointer(container.path, 'image'));
        wanted.set(key, entry);
      }
    }
    const results = await Promise.all(
      [...wanted].map(async ([key, { reference, paths }]) => {
        const lookup = this.digests.getOrLoad(key, () => resolver.resolve(reference, signal()));
        return { key, paths, outcome: await within(lookup.value) };
      }),
    );
    const patch: Array<{ op: 'replace'; path: string; value: string }> = [];
    for (const { key, paths, outcome } of results) {
      if (!outcome.ok) {
        out.failure(`cannot pin ${key} to a digest`, outcome.reason);
        continue;
      }
      for (const path of paths) patch.push({ op: 'replace', path, value: `${key}@${outcome.value}` });
    }
    return patch;
  }

  /** /validate: every verifier on every distinct image, in parallel, cached by digest and namespace. */
  private async verify(request: AdmissionRequest, pods: readonly PodSpecRef[], out: Collector, within: <T>(work: Promise<T> | T) => Promise<Outcome<T>>, signalOf: () => AbortSignal, deadline: number): Promise<void> {
    const verifiers = this.options.verifiers ?? [];
    if (verifiers.length === 0) return;
    const signal = signalOf();
    const namespace = request.namespace ?? '';
    const images = new Map<string, { image: string; reference: ImageReference; containers: Array<{ name: string; path: string }> }>();
    for (const pod of pods) {
      for (const container of pod.containers) {
        const image = container.object.image;
        if (typeof image !== 'string') continue;
        const reference = parseImageReference(image);
        if (!reference) continue;
        const entry = images.get(image) ?? { image, reference, containers: [] };
        entry.containers.push({ name: container.name, path: container.path });
        images.set(image, entry);
      }
    }
    const jobs = [...images.values()].flatMap((entry) =>
      verifiers.map(async (verifier) => {
        const what = `${verifier.name} verification of ${entry.image}`;
        const resolver = this.options.resolver;
        const digestKey = `${entry.reference.registry}/${entry.reference.repository}:${entry.reference.tag ?? 'latest'}`;
        const digest = entry.reference.digest
          ? { ok: true as const, value: entry.reference.digest }
          : resolver
            ? await within(this.digests.getOrLoad(digestKey, () => resolver.resolve(entry.reference, signal)).value)
            : { ok: false as const, reason: 'the image has no digest and no registry is configured to resolve it' };
        if (!digest.ok) return { verifier, what, entry, outcome: digest as Outcome<ImageVerdict> };
        const input: ImageToVerify = { image: entry.image, reference: entry.reference, digest: digest.value, namespace, containers: entry.containers };
        const key = `${verifier.name}|${digest.value}|${namespace}`;
        const context = { signal, deadline, dryRun: request.dryRun === true, now: this.now };
        const lookup = this.verdicts.getOrLoad(key, () => verifier.verify(input, context), (v) => (v.ttlSeconds === undefined ? this.settings.cacheTtlSeconds * 1000 : v.ttlSeconds * 1000));
        return { verifier, what, entry, outcome: await within(lookup.value) };
      }),
    );
    for (const { verifier, what, entry, outcome } of await Promise.all(jobs)) {
      if (!outcome.ok) {
        out.failure(what, outcome.reason);
        continue;
      }
      out.verdict(verifier.name, entry.image, outcome.value);
    }
  }
}

/** A cached denial's JSON for another object: its status names `name` (PSA's forbidden status, see forbiddenStatus). */
function renameDenial(json: string, name: string): string {
  const response = JSON.parse(json) as Omit<AdmissionResponse, 'uid'>;
  const status = response.status;
  if (!status?.details || (status.details.name ?? '') === name) return json;
  response.status = renameForbidden(status, name);
  return JSON.stringify(response);
}

/** `work()` as a promise, its synchronous throw a rejection. */
function attempt<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/**
 * A decision answered from the cache: `response` is parsed from the held text when first read. A
 * class, so the getter is its prototype's and not made again with every answer.
 */
class CachedAnswer implements Decision {
  private parsed: AdmissionResponse | undefined;
  constructor(
    private readonly uid: string,
    readonly json: string,
    readonly log: DecisionLog,
  ) {}
  get response(): AdmissionResponse {
    return (this.parsed ??= { uid: this.uid, ...(JSON.parse(this.json) as Omit<AdmissionResponse, 'uid'>) });
  }
}

/**
 * The answer's deadline. The timer and AbortController are made only when a lookup needs them:
 * a request that touches nothing asynchronous (labels in memory, no registry, no verifier) costs
 * no timer.
 */
class Deadline {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expired: Promise<Outcome<never>> | undefined;

  constructor(private readonly at: number) {}

  get signal(): AbortSignal {
    return this.arm().controller.signal;
  }

  within<T>(work: Promise<T> | T): Promise<Outcome<T>> {
    const { expired } = this.arm();
    const settled = Promise.resolve(work).then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
    );
    return Promise.race([settled, expired]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private arm(): { controller: AbortController; expired: Promise<Outcome<never>> } {
    if (this.controller && this.expired) return { controller: this.controller, expired: this.expired };
    const controller = new AbortController();
    const remaining = Math.max(0, this.at - Date.now());
    this.controller = controller;
    this.expired = new Promise((resolve) => {
      this.timer = setTimeout(() => {
        controller.abort(new Error('deadline'));
        resolve({ ok: false, reason: `no answer within the deadline (${Math.round(remaining)} ms)` });
      }, remaining);
      this.timer.unref?.();
    });
    return { controller, expired: this.expired };
  }
}

/** A Pod as one pod spec (a Pod with no containers is still judged by PSA). */
function podOf(object: Record<string, unknown>): PodSpecRef {
  // The table finds a v1 Pod's /spec; the structural walk is for objects the table does not know.
  const found = tablePodSpecs(object, DEFAULT_TABLE).find((p) => p.podSpecPath === '/spec') ?? findPodSpecs(object, DEFAULT_TABLE).find((p) => p.podSpecPath === '/spec');
  if (found) return found;
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return { podSpecPath: '/spec', spec: isPlainObject(object.spec) ? object.spec : {}, metadataPath: '/metadata', metadata: { labels: strings(metadata.labels), annotations: strings(metadata.annotations) }, containers: [], discovered: false };
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(value)) value = value[Number(token)];
    else if (isPlainObject(value)) value = value[token];
    else return undefined;
  }
  return value;
}

function strings(value: unknown): Record<string, string> {
  return isPlainObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};
}

function labelsOf(object: Record<string, unknown>): Record<string, string> {
  return strings(isPlainObject(object.metadata) ? object.metadata.labels : undefined);
}

function annotationsOf(object: Record<string, unknown>): Record<string, string> {
  return strings(isPlainObject(object.metadata) ? object.metadata.annotations : undefined);
}

/** Gathers what each engine says and writes one response. */
class Collector {
  private readonly denials: string[] = [];
  private status: Status | undefined;
  private readonly warnings: string[] = [];
  private readonly audit: string[] = [];
  private readonly annotations: Record<string, string> = {};
  exempted = 0;

  constructor(
    private readonly failurePolicy: 'fail-closed' | 'fail-open',
    /** Controllers without --enforce-templates: what would deny only warns. */
    private readonly warnOnly: boolean,
    private readonly log: DecisionLog,
  ) {}

  pss(outcome: PsaOutcome): void {
    Object.assign(this.annotations, outcome.auditAnnotations);
    if (!outcome.allowed) {
      this.denials.push(outcome.status?.message ?? 'violates PodSecurity');
      this.status = outcome.status;
      this.log.checks.push('PodSecurity');
    }
    if (outcome.warnings.length > 0 && outcome.allowed) this.log.checks.push('PodSecurity');
    this.warnings.push(...outcome.warnings);
  }

  finding(finding: Finding, mode: PolicyMode): void {
    const where = finding.path ? ` at ${finding.path}` : '';
    if (mode === 'audit') {
      this.audit.push(`${finding.checkId}${where}`);
      return;
    }
    this.log.checks.push(finding.checkId);
    if (mode === 'enforce') this.denials.push(`${finding.checkId}${where}: ${finding.message} (fix: ${finding.remediation ?? 'see palisade checks explain ' + finding.checkId})`);
    else this.warnings.push(`${finding.checkId}${where}: ${finding.message}`);
  }

  verdict(name: string, image: string, verdict: ImageVerdict): void {
    for (const [key, value] of Object.entries(verdict.auditAnnotations ?? {})) this.annotations[`${name}.${key}`] = value;
    this.warnings.push(...(verdict.warnings ?? []));
    if (verdict.allowed) return;
    const message = `${name}: ${image}: ${verdict.message ?? 'rejected'}`;
    const mode = verdict.mode ?? 'enforce';
    this.log.checks.push(name);
    if (mode === 'audit') this.audit.push(message);
    else if (mode === 'warn' || this.warnOnly) this.warnings.push(message);
    else this.denials.push(message);
  }

  /** A lookup or check that could not finish: the failure policy decides. */
  failure(what: string, reason: string): void {
    this.log.failures.push(what);
    if (this.failurePolicy === 'fail-open' || this.warnOnly) {
      this.warnings.push(`${what}: ${reason}${this.failurePolicy === 'fail-open' ? ' (allowed: failure policy fail-open)' : ''}`);
      this.annotations['failure-open'] = this.annotations['failure-open'] ? `${this.annotations['failure-open']}; ${what}` : what;
    } else {
      this.denials.push(`${what}: ${reason} (failure policy fail-closed)`);
      this.annotations['failure-closed'] = this.annotations['failure-closed'] ? `${this.annotations['failure-closed']}; ${what}` : what;
    }
  }

  response(): Omit<AdmissionResponse, 'uid'> {
    const response: Omit<AdmissionResponse, 'uid'> = { allowed: this.denials.length === 0 };
    if (!response.allowed) {
      const message = this.denials.join('; ');
      // PSA's details (what was refused) stay when other denials join its message.
      response.status = this.status && this.denials.length === 1 ? { ...this.status, message } : { status: 'Failure', reason: 'Forbidden', ...(this.status?.details ? { details: this.status.details } : {}), code: this.status?.code ?? 403, message };
    }
    if (this.audit.length > 0) this.annotations['palisade-audit'] = this.audit.join('; ');
    if (this.exempted > 0) this.annotations['palisade-exempted'] = String(this.exempted);
    const warnings = budget(this.warnings);
    if (warnings.length > 0) response.warnings = warnings;
    if (Object.keys(this.annotations).length > 0) response.auditAnnotations = { ...this.annotations };
    return response;
  }
}

/**
 * Keep warnings under the API server's total; say how many were left out. Past the total the API
 * server cuts each warning to 256 characters rather than dropping it, so a long one (PSA's, for a
 * pod of many containers, comes first) is cut here too, not lost.
 */
function budget(warnings: readonly string[]): string[] {
  let total = 0;
  for (const warning of warnings) total += warning.length;
  if (total <= WARNING_BUDGET) return [...warnings];
  const kept: string[] = [];
  let used = 0;
  for (const [i, warning] of warnings.entries()) {
    const cut = warning.length > WARNING_CUT ? `${warning.slice(0, WARNING_CUT - 1)}…` : warning;
    if (used + cut.length > WARNING_BUDGET - 64) {
      kept.push(`… ${warnings.length - i} more warnings (see the audit log)`);
      break;
    }
    kept.push(cut);
    used += cut.length;
  }
  return kept;
}
