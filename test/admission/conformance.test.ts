import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED } from '../helpers/shared.js';
import { pool, podRequest, review, send, startWebhook, type Webhook } from './harness.js';

/**
 * The whole shared PSS conformance corpus through the webhook over HTTPS: each fixture becomes a
 * Pod CREATE in a namespace labelled enforce=<level>, enforce-version=<version>; the decision must
 * be the fixture's, and a denial must be PSA's 403 with its message (`pods "<name>" is forbidden: …`).
 */

interface Fixture {
  file: string;
  level: string;
  version: string;
  expect: 'allowed' | 'denied';
  reasonSubstring?: string;
}

const ROOT = join(SHARED, 'conformance/pss');
const fixtures = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as Fixture[];
const nsOf = (f: Fixture): string => `${f.level}-${f.version.replace('.', '-')}`;

describe('PSS conformance corpus through /validate', () => {
  let webhook: Webhook;
  let agent: Agent;
  beforeAll(async () => {
    const labels: Record<string, Record<string, string>> = {};
    for (const f of fixtures) labels[nsOf(f)] = { 'pod-security.kubernetes.io/enforce': f.level, 'pod-security.kubernetes.io/enforce-version': f.version };
    // Only PSS here: posture checks are off (they never deny in audit mode anyway, this keeps it fast).
    webhook = await startWebhook({ labels, engine: { checks: { pod: [], resource: [], cluster: [] } } });
    agent = new Agent({ keepAlive: true, maxSockets: 8, ca: webhook.certs.caPem });
  });
  afterAll(async () => {
    agent.destroy();
    await webhook.close();
  });

  it(`decides all ${fixtures.length} fixtures as the fixture says`, async () => {
    expect(fixtures).toHaveLength(3394);
    const failures: string[] = [];
    await pool(fixtures, 8, async (fixture, i) => {
      const pod = parse(readFileSync(join(ROOT, fixture.file), 'utf8')) as Record<string, unknown>;
      const uid = `uid-${i}`;
      const reply = await send(webhook.port, 'POST', '/validate?timeout=10s', review(podRequest(uid, nsOf(fixture), pod)), webhook.certs.caPem, agent);
      const response = (JSON.parse(reply.body) as { response: { uid: string; allowed: boolean; status?: { code: number; reason: string; message: string } } }).response;
      const verdict = response.allowed ? 'allowed' : 'denied';
      if (reply.status !== 200 || response.uid !== uid) failures.push(`${fixture.file}: HTTP ${reply.status}, uid ${response.uid}`);
      else if (verdict !== fixture.expect) failures.push(`${fixture.file}: expected ${fixture.expect}, got ${verdict} ${response.status?.message ?? ''}`);
      else if (!response.allowed) {
        const name = (pod.metadata as { name: string }).name;
        const prefix = `pods "${name}" is forbidden: violates PodSecurity "${fixture.level}:${fixture.version}": `;
        const { code, reason, message } = response.status!;
        if (code !== 403 || reason !== 'Forbidden' || !message.startsWith(prefix)) failures.push(`${fixture.file}: denial ${code} ${reason} ${message}`);
        if (fixture.reasonSubstring !== undefined && !message.includes(fixture.reasonSubstring)) failures.push(`${fixture.file}: "${fixture.reasonSubstring}" not in ${message}`);
      }
    });
    expect(failures).toEqual([]);
  }, 240_000);
});
