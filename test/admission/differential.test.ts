import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeChecks, audit } from '../../src/audit/index.js';
import { emptyConfig, type Config } from '../../src/core/config.js';
import { loadText } from '../../src/core/load.js';
import type { AdmissionResponse } from '../../src/admission/types.js';
import { SHARED } from '../helpers/shared.js';
import { pool, podRequest, review, send, startWebhook, type Webhook } from './harness.js';

/**
 * serve against the CLI, pod by pod: `palisade audit` of a pod and `palisade serve`'s answer for
 * the same pod (namespace labelled with the same PSS level and version, every posture check in
 * audit mode) must agree. PSS: the same decision and the same denial text (serve's is PSA's
 * `pods "<name>" is forbidden: ` before it). Posture: the same checks at the same paths, with the
 * same exemption annotations honoured (reason required, expiry by the same day).
 */

interface Fixture {
  file: string;
  level: string;
  version: string;
}

const ROOT = join(SHARED, 'conformance/pss');
const corpus = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as Fixture[];
const TODAY = new Date('2026-12-07T12:00:00Z');
const CONFIG = { ...emptyConfig(), admission: { checks: { '*': 'audit' } } } as Config;
const CLUSTER_CHECKS = new Set(activeChecks(CONFIG).cluster.map((a) => a.check.meta.id));
const nsOf = (level: string, version: string): string => `${level}-${version.replace('.', '-')}`;

interface Case {
  what: string;
  pod: Record<string, unknown>;
  level: string;
  version: string;
}

const fixturePod = (name: string): Record<string, unknown> => {
  const request = (JSON.parse(readFileSync(join(SHARED, 'fixtures/admission/requests', `${name}.json`), 'utf8')) as { request: { object: Record<string, unknown> } }).request;
  const pod = structuredClone(request.object);
  const metadata = pod.metadata as Record<string, unknown>;
  metadata.name ??= `${String(metadata.generateName ?? 'pod-')}x1`;
  delete metadata.namespace;
  return pod;
};

const exempted = (annotations: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nb', annotations },
  spec: { containers: [{ name: 'nb', image: 'jupyter/base-notebook:latest' }] },
});

const cases: Case[] = [
  ...corpus.map((f) => ({ what: f.file, pod: undefined as unknown as Record<string, unknown>, level: f.level, version: f.version })),
  ...['pod-create', 'pod-create-dryrun-pss-violations', 'pod-ephemeralcontainers-update'].flatMap((name) => ['baseline', 'restricted'].map((level) => ({ what: `${name} at ${level}`, pod: fixturePod(name), level, version: 'latest' }))),
  // Exemption annotations: honoured with a reason and a date not yet past; not without a reason or once expired.
  ...([
    { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE', 'palisade.dev/exempt-reason': 'rebuilt nightly', 'palisade.dev/exempt-until': '2026-12-07' },
    { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE', 'palisade.dev/exempt-reason': 'rebuilt nightly', 'palisade.dev/exempt-until': '2026-12-06' },
    { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE, IMAGE_NOT_PINNED_BY_DIGEST', 'palisade.dev/exempt-reason': 'vendor image' },
    { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE' },
    { 'palisade.dev/exempt': 'IMAGE_TAG_MUTABLE', 'palisade.dev/exempt-reason': 'x', 'palisade.dev/exempt-until': 'next week' },
  ] as Array<Record<string, string>>).map((annotations, i) => ({ what: `exemption annotations #${i}`, pod: exempted(annotations), level: 'baseline', version: 'latest' })),
];

describe('serve decides each pod as `palisade audit` finds it', () => {
  let webhook: Webhook;
  let agent: Agent;
  beforeAll(async () => {
    const labels: Record<string, Record<string, string>> = {};
    for (const c of cases) labels[nsOf(c.level, c.version)] = { 'pod-security.kubernetes.io/enforce': c.level, 'pod-security.kubernetes.io/enforce-version': c.version };
    webhook = await startWebhook({ labels, settings: { checks: { '*': 'audit' }, cacheTtlSeconds: 0 }, engine: { config: CONFIG, now: () => TODAY } });
    agent = new Agent({ keepAlive: true, maxSockets: 8, ca: webhook.certs.caPem });
  });
  afterAll(async () => {
    agent.destroy();
    await webhook.close();
  });

  it(`agrees on all ${cases.length} pods: PSS decision and message, posture checks and paths`, async () => {
    expect(cases.length).toBe(corpus.length + 11);
    const differences: string[] = [];
    let denied = 0;
    let withFindings = 0;
    const exemptionCases = new Map<string, number>();
    await pool(cases, 8, async (c, i) => {
      const text = c.pod ? stringify(c.pod) : readFileSync(join(ROOT, c.what), 'utf8');
      const loaded = loadText(c.what, text);
      const pod = loaded.resources[0]!.object;
      const pss = audit(loaded, { level: c.level as never, version: c.version, config: CONFIG, now: TODAY }).results[0]!;
      // The posture findings from an audit at privileged: at a level that enforces, audit leaves out
      // a posture finding its PSS finding already reports at the same path, which serve (whose PSS
      // answer is PSA's text) does not. Cluster checks read other objects: serve judges one.
      const cliChecks = audit(loaded, { level: 'privileged', config: CONFIG, now: TODAY })
        .findings.filter((f) => !f.suppressed && !f.checkId.startsWith('PSS_') && !CLUSTER_CHECKS.has(f.checkId))
        .map((f) => `${f.checkId} at ${f.path}`)
        .sort();

      const reply = await send(webhook.port, 'POST', '/validate', review(podRequest(`u${i}`, nsOf(c.level, c.version), pod)), webhook.certs.caPem, agent);
      const response = (JSON.parse(reply.body) as { response: AdmissionResponse }).response;
      const served = (response.auditAnnotations?.['palisade-audit'] ?? '').split('; ').filter(Boolean).sort();
      const name = (pod.metadata as { name: string }).name;

      // The CLI prints `latest` as the version it stands for (`baseline:v1.37`); PSA prints the label as written.
      const cliMessage = c.version === 'latest' ? pss.message?.replace(`"${c.level}:${pss.version}"`, `"${c.level}:latest"`) : pss.message;
      if (response.allowed !== pss.allowed) differences.push(`${c.what}: serve allowed=${response.allowed}, audit allowed=${pss.allowed}`);
      else if (!pss.allowed && response.status?.message !== `pods ${JSON.stringify(name)} is forbidden: ${cliMessage}`) differences.push(`${c.what}: serve "${response.status?.message}" vs audit "${pss.message}"`);
      const onlyServe = served.filter((x) => !cliChecks.includes(x));
      const onlyAudit = cliChecks.filter((x) => !served.includes(x));
      if (onlyServe.length + onlyAudit.length > 0) differences.push(`${c.what}: only serve ${JSON.stringify(onlyServe)}, only audit ${JSON.stringify(onlyAudit)}`);
      if (c.what.startsWith('exemption annotations')) exemptionCases.set(c.what, served.filter((x) => x.startsWith('IMAGE_TAG_MUTABLE')).length);
      if (!pss.allowed) denied++;
      if (cliChecks.length > 0) withFindings++;
    });
    expect(differences).toEqual([]);
    // Exempt with a reason until today and with no expiry; not once expired, without a reason, or with a bad date.
    expect(Object.fromEntries(exemptionCases)).toEqual({ 'exemption annotations #0': 0, 'exemption annotations #1': 1, 'exemption annotations #2': 0, 'exemption annotations #3': 1, 'exemption annotations #4': 1 });
    // Both sides of the comparison are exercised: denials and posture findings.
    expect(denied).toBeGreaterThan(1000);
    expect(withFindings).toBeGreaterThan(1000);
  }, 300_000);
});
