import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveChecks } from '../../src/audit/settings.js';
import { registryResolver } from '../../src/admission/registry.js';
import type { ImageVerifier } from '../../src/admission/types.js';
import { evaluatePodSpec } from '../../src/pss/index.js';
import { SHARED } from '../helpers/shared.js';
import { podRequest, review, send, startWebhook, type Webhook } from './harness.js';
import { startRegistry, type FakeRegistry } from './registry.js';

const FIXTURES = join(SHARED, 'fixtures/admission');
const fixture = (name: string): { apiVersion: string; kind: string; request: Record<string, unknown> } => JSON.parse(readFileSync(join(FIXTURES, 'requests', `${name}.json`), 'utf8'));
const LABELS = {
  'ml-serving': {
    'pod-security.kubernetes.io/enforce': 'baseline',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'v1.30',
    'pod-security.kubernetes.io/audit': 'restricted',
  },
  plain: {},
  strict: { 'palisade.dev/enforce': 'IMAGE_TAG_MUTABLE' },
};

interface Answer {
  apiVersion: string;
  kind: string;
  response: { uid: string; allowed: boolean; status?: { code: number; reason: string; message: string }; warnings?: string[]; auditAnnotations?: Record<string, string>; patch?: string; patchType?: string };
}

const DIGESTS = {
  'kserve/storage-initializer:v0.13.0': 'sha256:5c0d2e4f6a8b1c3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d',
  'nvidia/tritonserver:24.05-py3': 'sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246',
  'nvidia/tritonserver:24.06-py3': 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  'library/busybox:1.36': 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
};

describe('palisade serve over HTTPS: the admission fixtures', () => {
  let webhook: Webhook;
  let registry: FakeRegistry;
  const call = async (path: string, body: string): Promise<Answer> => {
    const reply = await send(webhook.port, 'POST', path, body, webhook.certs.caPem);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    return JSON.parse(reply.body) as Answer;
  };
  beforeAll(async () => {
    registry = await startRegistry(DIGESTS);
    webhook = await startWebhook({ labels: LABELS, engine: { resolver: registryResolver({ fetch: registry.fetch }) } });
  });
  afterAll(async () => {
    await webhook.close();
    await registry.close();
  });

  it('pod-create: allowed at baseline, the restricted warn level has nothing to say', async () => {
    const request = fixture('pod-create');
    const object = request.request.object as { metadata: Record<string, never>; spec: unknown };
    expect(evaluatePodSpec(object.metadata, object.spec, { level: 'restricted', version: 'v1.30' }).allowed).toBe(true);
    const answer = await call('/validate?timeout=10s', JSON.stringify(request));
    expect(answer.apiVersion).toBe('admission.k8s.io/v1');
    expect(answer.kind).toBe('AdmissionReview');
    expect(answer.response.uid).toBe('705ab4f5-6393-11e8-b7cc-42010a800002');
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings).toBeUndefined();
    expect(answer.response.patch).toBeUndefined();
    expect(answer.response.auditAnnotations?.['enforce-policy']).toBe('baseline:latest');
    expect(answer.response.auditAnnotations?.['audit-violations']).toBeUndefined();
    expect(answer.response.auditAnnotations?.['palisade-audit']).toContain('IMAGE_NOT_PINNED_BY_DIGEST at /spec/containers/0/image');
  });

  it('pod-create on /mutate: the two tags pinned exactly as responses/mutate-pin-digests', async () => {
    const answer = await call('/mutate', JSON.stringify(fixture('pod-create')));
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'responses/mutate-pin-digests.json'), 'utf8')) as Answer;
    expect(answer.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(answer.response.patch!, 'base64').toString())).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'responses/mutate-pin-digests.patch.json'), 'utf8')));
    expect(answer.response).toEqual(expected.response);
    // Docker Hub's token dance happened once per repository, then the token was reused.
    expect(registry.requests.filter((r) => r === 'GET /token')).toHaveLength(2);
  });

  it('deployment-create and deployment-update: templates are judged (warn only), scaling is not', async () => {
    const create = await call('/validate', JSON.stringify(fixture('deployment-create')));
    expect(create.response.allowed).toBe(true);
    expect(create.response.auditAnnotations?.['enforce-policy']).toBeUndefined();
    const update = await call('/validate', JSON.stringify(fixture('deployment-update')));
    expect(update.response.allowed).toBe(true);
    expect(update.response.uid).toBe('a8f3c2d1-7e6b-4c5a-9f8e-1d2c3b4a5f6e');
    const mutate = await call('/mutate', JSON.stringify(fixture('deployment-update')));
    // Only the image kubectl set image changed is pinned; the unchanged init container is left alone.
    expect(JSON.parse(Buffer.from(mutate.response.patch!, 'base64').toString())).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `nvcr.io/nvidia/tritonserver:24.06-py3@${DIGESTS['nvidia/tritonserver:24.06-py3']}` }]);
    const scale = await call('/validate', JSON.stringify(fixture('deployment-scale-update')));
    expect(scale.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800003', allowed: true });
    expect(webhook.logs.some((l) => l.uid === '705ab4f5-6393-11e8-b7cc-42010a800003' && l.skipped === 'subresource')).toBe(true);
  });

  it('kubectl debug (pods/ephemeralcontainers) does not bypass: PSA warnings and audit for the new container', async () => {
    const answer = await call('/validate', JSON.stringify(fixture('pod-ephemeralcontainers-update')));
    const detail =
      'allowPrivilegeEscalation != false (container "debugger-8xk2q" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "debugger-8xk2q" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "debugger-8xk2q" must set securityContext.runAsNonRoot=true)';
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.warnings).toEqual([`would violate PodSecurity "restricted:v1.30": ${detail}`]);
    expect(answer.response.auditAnnotations?.['audit-violations']).toBe(`would violate PodSecurity "restricted:latest": ${detail}`);
    expect(answer.response.auditAnnotations?.['enforce-policy']).toBe('baseline:latest');
    const mutate = await call('/mutate', JSON.stringify(fixture('pod-ephemeralcontainers-update')));
    expect(JSON.parse(Buffer.from(mutate.response.patch!, 'base64').toString())).toEqual([{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: `docker.io/library/busybox:1.36@${DIGESTS['library/busybox:1.36']}` }]);
  });

  it('pod-delete is allowed untouched; the dry-run privileged pod is denied with PSA words and no side effect', async () => {
    expect((await call('/validate', JSON.stringify(fixture('pod-delete')))).response).toEqual({ uid: '2b3c4d5e-6f70-4812-93a4-b5c6d7e8f901', allowed: true });
    const answer = await call('/validate', JSON.stringify(fixture('pod-create-dryrun-pss-violations')));
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.status).toEqual({
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      // The fixture is a client's dry run of a named pod: `request.name` is its name.
      message: 'pods "notebook-debug" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), hostPath volumes (volume "host-models"), privileged (container "notebook" must not set securityContext.privileged=true)',
      details: { name: 'notebook-debug', kind: 'pods' },
    });
    expect(answer.response.warnings).toBeUndefined();
    const log = webhook.logs.find((l) => l.uid === '9c8b7a69-5847-4362-8150-f4e3d2c1b0a9');
    expect(log).toMatchObject({ msg: 'decision', decision: 'deny', dryRun: true, kind: 'Pod', namespace: 'ml-serving', operation: 'CREATE', endpoint: 'validate' });
  });

  it('answers a v1beta1 review in v1beta1 with the same uid', async () => {
    const request = fixture('pod-create-dryrun-pss-violations');
    const answer = await call('/validate', JSON.stringify({ ...request, apiVersion: 'admission.k8s.io/v1beta1' }));
    expect(answer.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(answer.response.uid).toBe('9c8b7a69-5847-4362-8150-f4e3d2c1b0a9');
    expect(answer.response.allowed).toBe(false);
  });

  it('--enforce-templates: a Deployment whose pods would be denied is refused at apply time', async () => {
    const pod = fixture('pod-create-dryrun-pss-violations').request.object as { spec: unknown };
    const deployment = {
      uid: 'd1',
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespace: 'ml-serving',
      operation: 'CREATE',
      userInfo: { username: 'alice' },
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nb', namespace: 'ml-serving' }, spec: { template: { metadata: {}, spec: pod.spec } } },
    };
    const warned = await call('/validate', review(deployment));
    expect(warned.response.allowed).toBe(true);
    expect(warned.response.warnings?.[0]).toMatch(/^would violate PodSecurity "restricted:v1.30": host namespaces \(hostNetwork=true\)/);
    const strict = await startWebhook({ labels: LABELS, settings: { enforceTemplates: true } });
    try {
      const reply = await send(strict.port, 'POST', '/validate', review(deployment), strict.certs.caPem);
      const denied = (JSON.parse(reply.body) as Answer).response;
      expect(denied.allowed).toBe(false);
      expect(denied.status?.code).toBe(403);
      expect(denied.status?.message).toBe('deployments.apps is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), hostPath volumes (volume "host-models"), privileged (container "notebook" must not set securityContext.privileged=true)');
    } finally {
      await strict.close();
    }
  });

  it('posture checks as policy: a namespace label enforces one; the exemption annotation (reason, expiry) lifts it', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nb' }, spec: { containers: [{ name: 'nb', image: 'jupyter/base-notebook:latest' }] } };
    const denied = await call('/validate', review(podRequest('c1', 'strict', pod)));
    expect(denied.response.allowed).toBe(false);
    expect(denied.response.status?.code).toBe(403);
    expect(denied.response.status?.message).toMatch(/^IMAGE_TAG_MUTABLE at \/spec\/containers\/0\/image: .*jupyter\/base-notebook:latest.* \(fix: .+\)$/);
    const exempted = { ...pod, metadata: { name: 'nb', annotations: { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE', 'palisade.dev/exempt-reason': 'notebook image rebuilt nightly, SEC-7', 'palisade.dev/exempt-until': '2999-12-31' } } };
    const allowed = await call('/validate', review(podRequest('c2', 'strict', exempted)));
    expect(allowed.response.allowed).toBe(true);
    expect(allowed.response.auditAnnotations?.['palisade-exempted']).toBe('1');
    const expired = { ...pod, metadata: { name: 'nb', annotations: { ...exempted.metadata.annotations, 'palisade.dev/exempt-until': '2001-01-01' } } };
    expect((await call('/validate', review(podRequest('c3', 'strict', expired)))).response.allowed).toBe(false);
    // Without a mode set anywhere a check only audits.
    const plain = await call('/validate', review(podRequest('c4', 'plain', pod)));
    expect(plain.response.allowed).toBe(true);
    expect(plain.response.warnings).toBeUndefined();
    expect(plain.response.auditAnnotations?.['palisade-audit']).toContain('IMAGE_TAG_MUTABLE at /spec/containers/0/image');
  });

  it('a pod UPDATE that changes no image is not judged again (PSA isSignificantPodUpdate)', async () => {
    const request = fixture('pod-create-dryrun-pss-violations').request as { object: { metadata: Record<string, unknown> } };
    const old = request.object;
    const relabelled = { ...old, metadata: { ...old.metadata, labels: { app: 'notebook', tier: 'x' } } };
    const answer = await call('/validate', review({ ...request, uid: 'u1', operation: 'UPDATE', object: relabelled, oldObject: old }));
    expect(answer.response).toEqual({ uid: 'u1', allowed: true });
  });
});

describe('palisade serve: malformed input, failure policy, deadline, verifiers, probes', () => {
  it('malformed bodies get 400 and the server keeps serving', async () => {
    const webhook = await startWebhook();
    try {
      const cases: Array<[string, string | Buffer, RegExp]> = [
        ['not JSON', '{"apiVersion": ', /^body is not JSON/],
        ['wrong kind', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }), /^kind must be AdmissionReview/],
        ['wrong version', JSON.stringify({ apiVersion: 'v1', kind: 'AdmissionReview', request: {} }), /^apiVersion must be one of/],
        ['missing request', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /^request is missing$/],
        ['no uid', review({ kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE' }), /^request.uid is missing$/],
        ['CREATE without object', review({ uid: 'x', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', userInfo: {} }), /^request.object is required for CREATE$/],
        ['10 MB', Buffer.alloc(10 * 1024 * 1024, 0x20), /^request body is larger than 8388608 bytes$/],
        ['a JSON array', '[1,2]', /^body must be a JSON object/],
      ];
      for (const [what, body, message] of cases) {
        const reply = await send(webhook.port, 'POST', '/validate', body, webhook.certs.caPem);
        expect(reply.status, what).toBe(400);
        expect((JSON.parse(reply.body) as { error: string }).error, what).toMatch(message);
      }
      expect((await send(webhook.port, 'GET', '/validate', undefined, webhook.certs.caPem)).status).toBe(405);
      expect((await send(webhook.port, 'GET', '/nope', undefined, webhook.certs.caPem)).status).toBe(404);
      expect((await send(webhook.port, 'GET', '/healthz', undefined, webhook.certs.caPem)).status).toBe(200);
      const metrics = await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem);
      expect(metrics.body).toContain('palisade_admission_requests_total{path="/validate",code="400"} 8');
      expect(metrics.body).toContain('# TYPE palisade_admission_duration_seconds histogram');
    } finally {
      await webhook.close();
    }
  });

  const throwing: ActiveChecks = {
    pod: [
      {
        check: { scope: 'pod', meta: { id: 'BOOM', family: 'audit', severity: 'high', title: 'boom', description: 'throws', remediation: 'none.', frameworks: {}, params: undefined as never, defaultParams: {}, messages: {} }, create: () => () => [] },
        severity: 'high',
        run: () => {
          throw new Error('kaboom');
        },
      },
    ] as ActiveChecks['pod'],
    resource: [],
    cluster: [],
    enabled: new Set(['BOOM']),
    adjust: (f) => f,
  };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nvcr.io/nvidia/tritonserver@sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246' }] } };

  it('a check that throws is decided by the failure policy', async () => {
    for (const failurePolicy of ['fail-closed', 'fail-open'] as const) {
      const webhook = await startWebhook({ settings: { failurePolicy }, engine: { checks: throwing } });
      try {
        const reply = await send(webhook.port, 'POST', '/validate', review(podRequest('t1', 'default', pod)), webhook.certs.caPem);
        const response = (JSON.parse(reply.body) as Answer).response;
        if (failurePolicy === 'fail-closed') {
          expect(response.allowed).toBe(false);
          expect(response.status?.message).toBe('check BOOM failed: kaboom (failure policy fail-closed)');
          expect(response.auditAnnotations?.['failure-closed']).toBe('check BOOM failed');
        } else {
          expect(response.allowed).toBe(true);
          expect(response.warnings).toEqual(['check BOOM failed: kaboom (allowed: failure policy fail-open)']);
          expect(response.auditAnnotations?.['failure-open']).toBe('check BOOM failed');
        }
      } finally {
        await webhook.close();
      }
    }
  });

  it('an image verifier that never answers is cut off by the deadline (timeoutSeconds − 1 s)', async () => {
    const stuck: ImageVerifier = { name: 'sigstore', verify: (_image, context) => new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted')))) };
    for (const failurePolicy of ['fail-closed', 'fail-open'] as const) {
      const webhook = await startWebhook({ settings: { failurePolicy }, engine: { verifiers: [stuck] } });
      try {
        const started = Date.now();
        const reply = await send(webhook.port, 'POST', '/validate?timeout=2s', review(podRequest('d1', 'default', pod)), webhook.certs.caPem);
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(950);
        expect(elapsed).toBeLessThan(1900);
        const response = (JSON.parse(reply.body) as Answer).response;
        const image = (pod.spec.containers[0]!).image;
        expect(response.allowed).toBe(failurePolicy === 'fail-open');
        const text = failurePolicy === 'fail-open' ? response.warnings?.[0] : response.status?.message;
        expect(text).toMatch(new RegExp(`^sigstore verification of ${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (no answer within the deadline \\(\\d+ ms\\)|aborted)`));
        expect(response.auditAnnotations?.[failurePolicy === 'fail-open' ? 'failure-open' : 'failure-closed']).toBe(`sigstore verification of ${image}`);
      } finally {
        await webhook.close();
      }
    }
  });

  it('verifiers run once per distinct image, verdicts are cached by digest, denials name the verifier', async () => {
    const calls: string[] = [];
    const verifier: ImageVerifier = {
      name: 'sigstore',
      verify: async (image, context) => {
        calls.push(`${image.digest} ${image.containers.map((c) => c.path).join(',')} ${context.dryRun}`);
        return { allowed: false, message: 'no signature by release-key', auditAnnotations: { signed: 'false' } };
      },
    };
    const webhook = await startWebhook({ engine: { verifiers: [verifier] } });
    try {
      const image = pod.spec.containers[0]!.image;
      const three = { ...pod, spec: { containers: ['a', 'b', 'c'].map((name) => ({ name, image })) } };
      const first = (JSON.parse((await send(webhook.port, 'POST', '/validate', review(podRequest('v1', 'default', three)), webhook.certs.caPem)).body) as Answer).response;
      const second = (JSON.parse((await send(webhook.port, 'POST', '/validate', review(podRequest('v2', 'default', three, { dryRun: true })), webhook.certs.caPem)).body) as Answer).response;
      expect(calls).toEqual([`sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246 /spec/containers/0,/spec/containers/1,/spec/containers/2 false`]);
      for (const response of [first, second]) {
        expect(response.allowed).toBe(false);
        expect(response.status?.message).toBe(`sigstore: ${image}: no signature by release-key`);
        expect(response.auditAnnotations?.['sigstore.signed']).toBe('false');
      }
      const metrics = (await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem)).body;
      expect(metrics).toContain('palisade_admission_cache_hits_total{cache="verdict"} 1');
      expect(metrics).toContain('palisade_admission_cache_misses_total{cache="verdict"} 1');
    } finally {
      await webhook.close();
    }
  });

  it('identical requests (a ReplicaSet scaling up) are judged once: the second answer comes from the decision cache', async () => {
    const webhook = await startWebhook({ labels: { ml: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    try {
      const privileged = { ...pod, spec: { containers: [{ ...pod.spec.containers[0]!, securityContext: { privileged: true } }] } };
      const answers: Answer['response'][] = [];
      for (const uid of ['r1', 'r2']) answers.push((JSON.parse((await send(webhook.port, 'POST', '/validate', review(podRequest(uid, 'ml', privileged)), webhook.certs.caPem)).body) as Answer).response);
      expect(answers.map((a) => a.uid)).toEqual(['r1', 'r2']);
      expect(answers[1]).toEqual({ ...answers[0], uid: 'r2' });
      expect(answers[0]!.status?.message).toMatch(/^pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "a" must not set securityContext.privileged=true\)/);
      expect(webhook.logs.filter((l) => l.msg === 'decision').map((l) => [l.uid, l.cached ?? false, l.decision])).toEqual([
        ['r1', false, 'deny'],
        ['r2', true, 'deny'],
      ]);
      // A different object is judged afresh.
      const other = (JSON.parse((await send(webhook.port, 'POST', '/validate', review(podRequest('r3', 'ml', pod)), webhook.certs.caPem)).body) as Answer).response;
      expect(other.status?.message).not.toContain('privileged');
    } finally {
      await webhook.close();
    }
  });

  it('/metrics counts accepted connections and completed TLS handshakes: a dial dropped before its handshake is a connection only', async () => {
    const webhook = await startWebhook();
    try {
      const counted = async (): Promise<{ connections: number; handshakes: number }> => {
        const text = (await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem)).body;
        const read = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
        return { connections: read('palisade_admission_connections_total'), handshakes: read('palisade_admission_tls_handshakes_total') };
      };
      // Each send dials its own connection (no agent): one connection and one handshake per scrape.
      expect(await counted()).toEqual({ connections: 1, handshakes: 1 });
      // Dialled, then closed without a ClientHello, as a client that abandons the dial does;
      // accepted before the next scrape's connection, which waits behind it in the accept queue.
      await new Promise<void>((resolve, reject) => {
        const socket = connect(webhook.port, '127.0.0.1', () => socket.end());
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      expect(await counted()).toEqual({ connections: 3, handshakes: 2 });
    } finally {
      await webhook.close();
    }
  });

  it('a connection its client closed before the server read it is closed without a TLS handshake (an abandoned dial)', async () => {
    const webhook = await startWebhook();
    try {
      // The client runs in a child process while this one (the server's) is blocked: its TCP
      // handshake, its first TLS record and its FIN all wait in the kernel when the server accepts.
      const client = `const s = require('node:net').connect(${webhook.port}, '127.0.0.1', () => s.end(Buffer.from('16030100050100000100', 'hex'))); s.on('finish', () => process.exit(0));`;
      execFileSync(process.execPath, ['-e', client], { timeout: 20_000 });
      const text = (await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem)).body;
      const read = (name: string): number => Number(new RegExp(`^palisade_admission_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
      expect({ connections: read('connections_total'), handshakes: read('tls_handshakes_total'), abandoned: read('connections_abandoned_total') }).toEqual({ connections: 2, handshakes: 1, abandoned: 1 });
      // Live connections still get their answers, their first bytes handed to TLS.
      const reply = await send(webhook.port, 'POST', '/validate', review(podRequest('after', 'ml', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx@sha256:' + 'a'.repeat(64) }] } })), webhook.certs.caPem);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body).response.uid).toBe('after');
    } finally {
      await webhook.close();
    }
  });

  it('/readyz is 503 until namespace labels are known, and while draining', async () => {
    let ready = false;
    const webhook = await startWebhook({ server: { ready: () => ready } });
    try {
      expect((await send(webhook.port, 'GET', '/readyz', undefined, webhook.certs.caPem)).status).toBe(503);
      ready = true;
      expect((await send(webhook.port, 'GET', '/readyz', undefined, webhook.certs.caPem)).status).toBe(200);
    } finally {
      await webhook.close();
    }
    expect(webhook.server.isDraining).toBe(true);
  });
});
