import { describe, expect, it } from 'vitest';
import { StaticNamespaces } from '../../src/admission/kube.js';
import { defaultPsaConfiguration } from '../../src/admission/psa.js';
import { activeChecks } from '../../src/audit/settings.js';
import { emptyConfig } from '../../src/core/config.js';
import type { AdmissionResponse } from '../../src/admission/types.js';
import { load } from '../../src/core/load.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podRequest, review, send, startWebhook } from './harness.js';

/**
 * `palisade serve --namespaces FILE`: a namespace that is not in the file does not exist. PSA
 * (pod-security-admission admission.go, ValidatePod and ValidatePodController) refuses a request
 * whose namespace it cannot look up with an internal error, "failed to lookup namespace <name>";
 * palisade does the same with fail-closed and allows with a warning with fail-open. Over HTTPS, with
 * the lookup built as the CLI builds it (StaticNamespaces.fromObjects of the loaded file).
 */

async function fileNamespaces(): Promise<StaticNamespaces> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-ns-'));
  const file = join(dir, 'namespaces.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n');
  const loaded = await load([file]);
  expect(loaded.errors).toEqual([]);
  return StaticNamespaces.fromObjects(loaded.resources.map((r) => r.object));
}

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } } };
const deploymentRequest = (uid: string, namespace: string) =>
  podRequest(uid, namespace, DEPLOYMENT, { kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' } });

describe('--namespaces FILE and a namespace that is not in it', () => {
  it('fail-closed: a Pod gets PSA\'s internal error, a controller PSA\'s allow with the error annotation; known namespaces are judged as before', async () => {
    const webhook = await startWebhook({ settings: { failurePolicy: 'fail-closed', checks: { '*': 'off' } }, engine: { namespaces: await fileNamespaces() } });
    try {
      const ask = async (request: Record<string, unknown>): Promise<AdmissionResponse> => {
        const reply = await send(webhook.port, 'POST', '/validate?timeout=10s', review(request), webhook.certs.caPem);
        expect(reply.status).toBe(200);
        return (JSON.parse(reply.body) as { response: AdmissionResponse }).response;
      };
      expect(await ask(podRequest('p1', 'ghost', POD))).toEqual({
        uid: 'p1',
        allowed: false,
        status: { status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred: failed to lookup namespace "ghost"', details: { causes: [{ message: 'failed to lookup namespace "ghost"' }] } },
        auditAnnotations: { error: 'Internal error occurred: failed to lookup namespace "ghost": namespaces "ghost" not found', 'failure-closed': 'failed to lookup namespace "ghost"' },
      });
      // PSA's ValidatePodController: allowed, the cause in the `error` annotation. The posture
      // checks' findings (off here, but a namespace label could turn them on) only warn on a controller.
      expect(await ask(deploymentRequest('d1', 'ghost'))).toEqual({
        uid: 'd1',
        allowed: true,
        warnings: ['failed to lookup namespace "ghost": namespaces "ghost" not found; its labels could change the mode of the 6 findings'],
        auditAnnotations: { error: 'failed to lookup namespace "ghost": namespaces "ghost" not found', 'failure-open': 'failed to lookup namespace "ghost"' },
      });
      // Known namespaces: restricted refuses the bare pod; a namespace without labels gets the defaults (privileged).
      const restricted = await ask(podRequest('p2', 'ml', POD));
      expect([restricted.allowed, restricted.status?.code, restricted.status?.message?.startsWith('pods "p" is forbidden: violates PodSecurity "restricted:latest": ')]).toEqual([false, 403, true]);
      // PSA's privileged short cut names the policy as privileged:latest.
      expect(await ask(podRequest('p3', 'plain', POD))).toEqual({ uid: 'p3', allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } });
      const decisions = webhook.logs.filter((l) => l.msg === 'decision').map((l) => [l.uid, l.decision, l.failures]);
      expect(decisions).toEqual([
        ['p1', 'deny', ['failed to lookup namespace "ghost"']],
        ['d1', 'allow', ['failed to lookup namespace "ghost"']],
        ['p2', 'deny', []],
        ['p3', 'allow', []],
      ]);
      const metrics = (await send(webhook.port, 'GET', '/metrics', undefined, webhook.certs.caPem)).body;
      expect(metrics).toContain('palisade_admission_failure_policy_total{endpoint="validate"} 2');
      expect((await send(webhook.port, 'GET', '/readyz', undefined, webhook.certs.caPem)).status).toBe(200);
    } finally {
      await webhook.close();
    }
  });

  it('fail-open: allowed, with the reason as a warning and an audit annotation', async () => {
    const webhook = await startWebhook({ settings: { failurePolicy: 'fail-open', checks: { '*': 'off' } }, engine: { namespaces: await fileNamespaces() } });
    try {
      const reply = await send(webhook.port, 'POST', '/validate?timeout=10s', review(podRequest('p1', 'ghost', POD)), webhook.certs.caPem);
      expect(JSON.parse(reply.body)).toEqual({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: 'p1', allowed: true, warnings: ['failed to lookup namespace "ghost": namespaces "ghost" not found (allowed: failure policy fail-open)'], auditAnnotations: { 'failure-open': 'failed to lookup namespace "ghost"' } },
      });
    } finally {
      await webhook.close();
    }
  });

  /**
   * PSA (admission.go, ValidatePod and ValidatePodController) returns "allowed by namespace/user
   * exemption" before it looks the namespace up. palisade's posture checks read the labels too: with
   * no finding the answer cannot depend on them; with a finding, any label could have changed its
   * mode, so the failure policy decides.
   */
  describe('a request PSA exempts, in a namespace that cannot be looked up', () => {
    const exemptions = { usernames: ['system:serviceaccount:ops:deployer'], runtimeClasses: [], namespaces: ['ghost'] };
    const psa = { ...defaultPsaConfiguration(), exemptions };
    const NO_CHECKS = { pod: [], resource: [], cluster: [], enabled: new Set<string>(), adjust: (f: never) => f };
    const ALL = activeChecks(emptyConfig());
    const ONE_CHECK = { ...ALL, pod: ALL.pod.filter((a) => a.check.meta.id === 'IMAGE_NOT_PINNED_BY_DIGEST'), resource: [], cluster: [] };
    const asked = async (webhook: Awaited<ReturnType<typeof startWebhook>>, request: Record<string, unknown>): Promise<AdmissionResponse> => {
      const reply = await send(webhook.port, 'POST', '/validate?timeout=10s', review(request), webhook.certs.caPem);
      expect(reply.status).toBe(200);
      return (JSON.parse(reply.body) as { response: AdmissionResponse }).response;
    };

    it('is allowed as PSA allows it when no posture check finds anything (namespace and user exemptions)', async () => {
      const webhook = await startWebhook({ settings: { failurePolicy: 'fail-closed', psa }, engine: { namespaces: await fileNamespaces(), checks: NO_CHECKS as never } });
      try {
        expect(await asked(webhook, podRequest('p1', 'ghost', POD))).toEqual({ uid: 'p1', allowed: true, auditAnnotations: { exempt: 'namespace' } });
        expect(await asked(webhook, podRequest('p2', 'other', POD, { userInfo: { username: 'system:serviceaccount:ops:deployer' } }))).toEqual({ uid: 'p2', allowed: true, auditAnnotations: { exempt: 'user' } });
        // Not exempt: PSA's internal error, as before.
        expect((await asked(webhook, podRequest('p3', 'other', POD))).status).toEqual({ status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred: failed to lookup namespace "other"', details: { causes: [{ message: 'failed to lookup namespace "other"' }] } });
      } finally {
        await webhook.close();
      }
    });

    it('leaves a posture finding to the failure policy: the labels could have set its mode', async () => {
      for (const failurePolicy of ['fail-closed', 'fail-open'] as const) {
        const webhook = await startWebhook({ settings: { failurePolicy, psa }, engine: { namespaces: await fileNamespaces(), checks: ONE_CHECK } });
        try {
          const response = await asked(webhook, podRequest('p1', 'ghost', POD));
          const what = 'failed to lookup namespace "ghost"';
          const why = `${what}: namespaces "ghost" not found; its labels could change the mode of the finding`;
          if (failurePolicy === 'fail-closed') {
            expect(response).toEqual({
              uid: 'p1',
              allowed: false,
              status: { status: 'Failure', reason: 'Forbidden', code: 403, message: `${why} (failure policy fail-closed)` },
              auditAnnotations: { exempt: 'namespace', 'palisade-audit': 'IMAGE_NOT_PINNED_BY_DIGEST at /spec/containers/0/image', 'failure-closed': what },
            });
          } else {
            expect(response).toEqual({
              uid: 'p1',
              allowed: true,
              warnings: [`${why} (allowed: failure policy fail-open)`],
              auditAnnotations: { exempt: 'namespace', 'palisade-audit': 'IMAGE_NOT_PINNED_BY_DIGEST at /spec/containers/0/image', 'failure-open': what },
            });
          }
        } finally {
          await webhook.close();
        }
      }
    });
  });
});
