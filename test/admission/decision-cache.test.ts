import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admissionSettings } from '../../src/admission/config.js';
import { AdmissionEngine, DECISION_CACHE_BYTES, DECISION_CACHE_ENTRIES } from '../../src/admission/engine.js';
import { StaticNamespaces } from '../../src/admission/kube.js';
import { parseReview, reviewResponse, reviewResponseJson } from '../../src/admission/review.js';
import { parseTimeout, queryParam } from '../../src/admission/server.js';
import type { AdmissionRequest, AdmissionResponse } from '../../src/admission/types.js';
import { emptyConfig, type Config } from '../../src/core/config.js';
import { SHARED } from '../helpers/shared.js';
import { podRequest, review, send, startWebhook } from './harness.js';

/**
 * The decision cache answers a request from an earlier one only when nothing the decision reads
 * differs: a ReplicaSet's pods (generated names, uids, timestamps) share one answer; a label, the
 * namespace's labels, the day (exemption expiry), the TTL or a name an exemption matches do not.
 */

const REQUESTS = join(SHARED, 'fixtures/admission/requests');
const NS_LABELS = {
  'ml-serving': { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' },
  ml: { 'pod-security.kubernetes.io/enforce': 'restricted' },
};

function engineWith(options: { ttl?: number; config?: Partial<Config>; labels?: Record<string, Record<string, string>>; clock?: { now: number } } = {}): AdmissionEngine {
  const config = { ...emptyConfig(), ...options.config, admission: { cacheTtlSeconds: options.ttl ?? 300, checks: { '*': 'warn' } } } as Config;
  const clock = options.clock;
  return new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(new Map(Object.entries(options.labels ?? NS_LABELS))), ...(clock ? { now: () => new Date(clock.now) } : {}) });
}

/** What the API server fills in per pod before validating admission: a generated name, a uid, a timestamp. */
function replica(request: AdmissionRequest, n: number): AdmissionRequest {
  const copy = structuredClone(request);
  copy.uid = `request-${n}`;
  if (!copy.object) return copy;
  const metadata = (copy.object.metadata ??= {}) as Record<string, unknown>;
  const generateName = typeof metadata.generateName === 'string' ? metadata.generateName : undefined;
  if (generateName) {
    metadata.name = `${generateName}x${n}q${n}`;
    copy.name = metadata.name as string;
  }
  metadata.uid = `0000000${n}-aaaa-bbbb-cccc-dddddddddddd`;
  metadata.creationTimestamp = `2026-12-07T09:00:0${n}Z`;
  return copy;
}

const decide = async (engine: AdmissionEngine, request: AdmissionRequest): Promise<{ response: AdmissionResponse; cached: boolean; skipped: boolean; body: string }> => {
  const { response, log, json } = await engine.decide(request, 'validate', Date.now() + 5000);
  const body = json !== undefined ? reviewResponseJson('admission.k8s.io/v1', response.uid, json) : JSON.stringify(reviewResponse('admission.k8s.io/v1', response));
  return { response, cached: log.cached === true, skipped: log.skipped !== undefined, body };
};

describe('decision cache', () => {
  const fixtures = readdirSync(REQUESTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, request: parseReview(readFileSync(join(REQUESTS, f), 'utf8')).request }));

  it('a replica with another generated name, uid and timestamp gets, from the cache, exactly the answer a fresh engine gives', async () => {
    const warm = engineWith();
    const fresh = engineWith({ ttl: 0 });
    let hits = 0;
    for (const { name, request } of fixtures) {
      const first = await decide(warm, replica(request, 1));
      const second = await decide(warm, replica(request, 2));
      const expected = await decide(fresh, replica(request, 2));
      expect(second.response, name).toEqual(expected.response);
      expect(JSON.parse(second.body), name).toEqual(JSON.parse(expected.body));
      expect(first.cached, name).toBe(false);
      // DELETE, scaling and unchanged updates are not judged, so never cached; everything judged is.
      expect(second.cached, name).toBe(!first.skipped);
      if (second.cached) hits++;
    }
    expect(hits).toBe(5);
    expect(warm.decisions.hits).toBe(hits);
  });

  it('counts a hit for replicas of one pod and a miss for anything the decision reads', async () => {
    const engine = engineWith();
    const base = podRequest('u', 'ml', { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-7d9-', labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx:1.27', securityContext: { privileged: true } }] } }) as unknown as AdmissionRequest;
    const results = [];
    for (const n of [1, 2, 3]) results.push(await decide(engine, replica(base, n)));
    expect(results.map((r) => r.cached)).toEqual([false, true, true]);
    expect(results[2]!.response.uid).toBe('request-3');
    // Answered from the first replica's denial, but naming this replica, as PSA does.
    expect(results[2]!.response.status?.message).toMatch(/^pods "web-7d9-x3q3" is forbidden: violates PodSecurity "restricted:latest": privileged/);
    expect(results[2]!.response.status?.details).toEqual({ name: 'web-7d9-x3q3', kind: 'pods' });
    expect(JSON.parse(results[2]!.body).response.status.message).toBe(results[2]!.response.status?.message);

    const relabelled = replica(base, 4);
    (relabelled.object!.metadata as { labels: Record<string, string> }).labels.app = 'web2';
    const otherImage = replica(base, 5);
    ((otherImage.object!.spec as { containers: Array<{ image: string }> }).containers[0]!).image = 'nginx:1.28';
    const otherUser = replica(base, 6);
    otherUser.userInfo = { username: 'bob' };
    const named = replica(base, 7);
    (named.object!.metadata as Record<string, unknown>).name = 'hand-picked'; // not generated: a name of its own
    for (const request of [relabelled, otherImage, otherUser, named]) expect((await decide(engine, request)).cached).toBe(false);
    expect([engine.decisions.hits, engine.decisions.misses]).toEqual([2, 5]);
  });

  it('new namespace labels, a new day (exemption expiry) and the TTL each invalidate', async () => {
    const clock = { now: Date.parse('2026-12-31T23:59:00Z') };
    const labels: Record<string, Record<string, string>> = { ml: { 'pod-security.kubernetes.io/enforce': 'baseline' } };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'w-', annotations: { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE', 'palisade.dev/exempt-reason': 'vendor image', 'palisade.dev/exempt-until': '2026-12-31' } },
      spec: { containers: [{ name: 'a', image: 'nginx:latest' }] },
    };
    const request = podRequest('u', 'ml', pod) as unknown as AdmissionRequest;
    const config = { ...emptyConfig(), admission: { cacheTtlSeconds: 300, checks: { IMAGE_TAG_MUTABLE: 'enforce' } } } as Config;
    const namespaces = new Map(Object.entries(labels));
    const engine = new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(namespaces), now: () => new Date(clock.now) });
    const allowed = async (n: number): Promise<[boolean, boolean]> => {
      const { response, log } = await engine.decide(replica(request, n), 'validate', Date.now() + 5000);
      return [response.allowed, log.cached === true];
    };
    expect(await allowed(1)).toEqual([true, false]); // exempt through 2026-12-31
    expect(await allowed(2)).toEqual([true, true]);
    clock.now += 2 * 60_000; // 2027-01-01: the exemption has expired
    expect(await allowed(3)).toEqual([false, false]);
    namespaces.set('ml', { 'pod-security.kubernetes.io/enforce': 'restricted' }); // a relabelled namespace is a new labels object
    const { response } = await engine.decide(replica(request, 4), 'validate', Date.now() + 5000);
    expect(response.status?.message).toMatch(/^pods "w-x4q4" is forbidden: violates PodSecurity "restricted:latest"/);
    expect(await allowed(5)).toEqual([false, true]);
    clock.now += 301_000; // past the TTL
    expect(await allowed(6)).toEqual([false, false]);
  });

  it('a config exemption that matches names makes the generated name part of the key', async () => {
    const config = { ...emptyConfig(), exemptions: [{ check: 'IMAGE_TAG_MUTABLE', match: { name: 'w-x1*' }, reason: 'canary' }], admission: { cacheTtlSeconds: 300, checks: { IMAGE_TAG_MUTABLE: 'enforce' } } } as Config;
    const engine = new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(new Map([['ml', {}]])) });
    const request = podRequest('u', 'ml', { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'w-' }, spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } }) as unknown as AdmissionRequest;
    const one = await engine.decide(replica(request, 1), 'validate', Date.now() + 5000);
    const two = await engine.decide(replica(request, 2), 'validate', Date.now() + 5000);
    expect([one.response.allowed, one.log.cached ?? false]).toEqual([true, false]);
    expect([two.response.allowed, two.log.cached ?? false]).toEqual([false, false]);
  });

  it('the spliced answer is the text JSON.stringify writes', () => {
    const responses: Array<Omit<AdmissionResponse, 'uid'>> = [
      { allowed: true },
      { allowed: false, status: { status: 'Failure', code: 403, reason: 'Forbidden', message: 'pod violates "x"\n' }, auditAnnotations: { 'enforce-policy': 'restricted:latest' } },
      { allowed: true, warnings: ['a "quoted" \u2028 warning'], patchType: 'JSONPatch', patch: 'W10=' },
    ];
    for (const version of ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const) {
      for (const response of responses) {
        for (const uid of ['u-1', 'we"ird\\uid']) expect(reviewResponseJson(version, uid, JSON.stringify(response))).toBe(JSON.stringify(reviewResponse(version, { uid, ...response })));
      }
    }
  });

  it('reads ?timeout= from the query string as the API server writes it', () => {
    expect(queryParam('timeout=10s', 'timeout')).toBe('10s');
    expect(queryParam('a=1&timeout=2.5s&timeout=9s', 'timeout')).toBe('2.5s');
    expect(queryParam('timeout=1%30s', 'timeout')).toBe('10s');
    expect(queryParam('timeouts=3s', 'timeout')).toBeNull();
    expect(queryParam('timeout=%zz', 'timeout')).toBeNull();
    expect(queryParam('', 'timeout')).toBeNull();
    expect(parseTimeout(queryParam('x&timeout=1500ms', 'timeout'))).toBe(1.5);
    expect(queryParam('timeout=1+0s', 'timeout')).toBe('1 0s');
  });

  it('reads a parameter as percent-decoding the first one with that name does (a value without % or + is taken as it is)', () => {
    const oracle = (query: string, name: string): string | null => {
      if (query === '') return null;
      for (const pair of query.split('&')) {
        const eq = pair.indexOf('=');
        if ((eq < 0 ? pair : pair.slice(0, eq)) !== name) continue;
        try {
          return eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
        } catch {
          return null;
        }
      }
      return null;
    };
    const query = fc.array(fc.constantFrom('timeout', 't', '=', '&', '%', '3', '0', 'zz', '+', 's', '%E2%9C%93', '%E2'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(query, (q) => {
        expect(queryParam(q, 'timeout')).toBe(oracle(q, 'timeout'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decision cache bounds', () => {
  it('holds at most its byte budget of unique answers, and still answers the newest from the cache', async () => {
    const config = { ...emptyConfig(), admission: { cacheTtlSeconds: 300, checks: { '*': 'warn' } } } as Config;
    const maxBytes = 512 * 1024;
    const engine = new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(new Map(Object.entries(NS_LABELS))), decisionCache: { maxBytes } });
    // Pods that all differ (a label): each entry weighs ~2.3 KB (its answer, counted in full for
    // each entry though they share it; the key is a digest), so the byte bound, not the
    // 2000-entry bound, decides how many are held.
    const requestOf = (n: number): AdmissionRequest =>
      podRequest(`u${n}`, 'ml-serving', { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'w-', labels: { seq: String(n) } }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } }) as unknown as AdmissionRequest;
    const total = 300;
    for (let n = 0; n < total; n++) await decide(engine, requestOf(n));
    const weight = engine.decisions.bytes / engine.decisions.size;
    expect(weight).toBeGreaterThan(2000);
    expect(total * weight).toBeGreaterThan(maxBytes);
    expect(engine.decisions.bytes).toBeLessThanOrEqual(maxBytes);
    expect(engine.decisions.bytes).toBeGreaterThan(maxBytes - 2 * weight);
    expect(engine.decisions.size).toBeLessThan(total);
    expect([engine.decisions.hits, engine.decisions.misses]).toEqual([0, total]);
    expect((await decide(engine, requestOf(total - 1))).cached).toBe(true);
    expect((await decide(engine, requestOf(0))).cached).toBe(false); // the oldest went first
  });

  it("holds 2000 answers for bench/serve.mjs's 3-container inference pod within the default byte budget", async () => {
    const engine = engineWith();
    const container = (name: string, image: string, port: number) => ({ name, image, ports: [{ containerPort: port }], resources: { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } }, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, readinessProbe: { httpGet: { path: '/v2/health/ready', port } } });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'triton-predictor-', labels: { app: 'triton', 'bench-seq': '123456' } }, spec: { serviceAccountName: 'triton', containers: [container('kserve-container', 'nvcr.io/nvidia/tritonserver:24.05-py3', 8000), container('queue-proxy', 'gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246', 8012), container('metrics', 'registry.example.com/ml/metrics-exporter:1.4.2', 9400)] } };
    const { response } = await decide(engine, podRequest('u', 'ml-serving', pod) as unknown as AdmissionRequest);
    expect(response.warnings).toHaveLength(12);
    expect(engine.decisions.size).toBe(1);
    expect(DECISION_CACHE_ENTRIES * engine.decisions.bytes).toBeLessThanOrEqual(DECISION_CACHE_BYTES);
  });
});

describe('decision cache sharing', () => {
  it('distinct pods with the same answer hold one copy of it; it goes with the last entry that holds it', async () => {
    const config = { ...emptyConfig(), admission: { cacheTtlSeconds: 300, checks: { '*': 'warn' } } } as Config;
    const engine = new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(new Map(Object.entries(NS_LABELS))), decisionCache: { maxEntries: 4 } });
    const requestOf = (n: number, image = 'nginx:1.27'): AdmissionRequest =>
      podRequest(`u${n}`, 'ml-serving', { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'w-', labels: { seq: String(n) } }, spec: { containers: [{ name: 'a', image }] } }) as unknown as AdmissionRequest;
    const first = await decide(engine, requestOf(0));
    for (let n = 1; n < 4; n++) {
      const answer = await decide(engine, requestOf(n));
      expect(answer.body).toBe(first.body.replace('"uid":"u0"', `"uid":"u${n}"`));
    }
    expect([engine.decisions.size, engine.answers.size]).toEqual([4, 1]);
    // Served from the cache, each entry's answer is the shared one, and equal to a fresh engine's.
    const again = await decide(engine, requestOf(2));
    expect(again.cached).toBe(true);
    expect(again.body).toBe((await decide(engineWith(), requestOf(2))).body);
    // Another answer (another image) evicts the oldest entries; the shared answer stays while any holds it.
    for (let n = 10; n < 13; n++) await decide(engine, requestOf(n, `registry.example.com/m${n}:1`));
    expect([engine.decisions.size, engine.answers.size]).toEqual([4, 4]);
    await decide(engine, requestOf(13, 'registry.example.com/m13:1'));
    expect([engine.decisions.size, engine.answers.size]).toEqual([4, 4]);
    expect((await decide(engine, requestOf(3))).cached).toBe(false); // evicted with the others
  });
});

describe('decision cache over HTTPS', () => {
  it("a ReplicaSet's pods at /validate: judged once, the rest from the cache, hits and misses in /metrics and the log", async () => {
    const webhook = await startWebhook({ labels: NS_LABELS, settings: { cacheTtlSeconds: 300 } });
    try {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'llm-5f7-', labels: { app: 'llm', 'pod-template-hash': '5f7' } }, spec: { containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.6.3', securityContext: { allowPrivilegeEscalation: true } }] } };
      const base = podRequest('u', 'ml-serving', pod) as unknown as AdmissionRequest;
      const bodies: string[] = [];
      for (const n of [1, 2, 3]) bodies.push((await send(webhook.port, 'POST', '/validate?timeout=10s', review(replica(base, n) as unknown as Record<string, unknown>), webhook.certs.caPem)).body);
      const answers = bodies.map((b) => JSON.parse(b) as { response: AdmissionResponse });
      expect(answers.map((a) => a.response.uid)).toEqual(['request-1', 'request-2', 'request-3']);
      expect(answers[2]!.response).toEqual({ ...answers[0]!.response, uid: 'request-3' });
      expect(answers[0]!.response.allowed).toBe(true);
      expect(answers[0]!.response.warnings?.[0]).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
      expect(webhook.logs.filter((l) => l.msg === 'decision').map((l) => [l.uid, l.name, l.cached ?? false])).toEqual([
        ['request-1', 'llm-5f7-x1q1', false],
        ['request-2', 'llm-5f7-x2q2', true],
        ['request-3', 'llm-5f7-x3q3', true],
      ]);
      const metrics = (await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem)).body;
      expect(metrics).toContain('palisade_admission_cache_hits_total{cache="decision"} 2');
      expect(metrics).toContain('palisade_admission_cache_misses_total{cache="decision"} 1');
      expect(metrics).toContain(`palisade_admission_cache_bytes{cache="decision"} ${webhook.engine.decisions.bytes}\n`);
      expect(webhook.engine.decisions.bytes).toBeGreaterThan(2 * answers[0]!.response.warnings![0]!.length);
      expect(metrics).toContain('palisade_admission_requests_total{path="/validate",code="200"} 3');
    } finally {
      await webhook.close();
    }
  });
});
