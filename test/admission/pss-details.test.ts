import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { admissionSettings } from '../../src/admission/config.js';
import { AdmissionEngine } from '../../src/admission/engine.js';
import { StaticNamespaces } from '../../src/admission/kube.js';
import type { AdmissionRequest, AdmissionResponse } from '../../src/admission/types.js';
import { emptyConfig, type Config } from '../../src/core/config.js';
import { SHARED } from '../helpers/shared.js';
import { podRequest } from './harness.js';

/**
 * The engine keeps the Pod Security details of a pod spec and its annotations across requests
 * (knownPssDetails), so pods that differ only in what PSS does not read are judged once. An answer
 * that used them must be exactly the answer of an engine that keeps nothing (cacheTtlSeconds: 0).
 */

interface Fixture {
  file: string;
  level: string;
  version: string;
}

const CORPUS = join(SHARED, 'conformance/pss');
const fixtures = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Fixture[];
const L = 'pod-security.kubernetes.io/';

/** Every level of the corpus at every version, in enforce, warn and audit (warn and audit a level apart, to mix policies). */
function namespaces(): Map<string, Record<string, string>> {
  const map = new Map<string, Record<string, string>>();
  for (const f of fixtures) {
    map.set(`${f.level}-${f.version}`, { [`${L}enforce`]: f.level, [`${L}enforce-version`]: f.version, [`${L}warn`]: f.level === 'restricted' ? 'baseline' : 'restricted', [`${L}warn-version`]: f.version, [`${L}audit`]: 'restricted' });
  }
  map.set('baseline', { [`${L}enforce`]: 'baseline' });
  return map;
}

function engine(ttl: number): AdmissionEngine {
  const config = { ...emptyConfig(), admission: { cacheTtlSeconds: ttl, checks: { '*': 'off' } } } as Config;
  return new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(namespaces()), checks: { pod: [], resource: [], cluster: [] } });
}

const decide = async (e: AdmissionEngine, request: AdmissionRequest): Promise<AdmissionResponse> => (await e.decide(request, 'validate', Date.now() + 5000)).response;

/** The pod with one more label: the decision cache misses, the PSS details do not. */
function relabelled(pod: Record<string, unknown>, n: number): Record<string, unknown> {
  const copy = structuredClone(pod);
  const metadata = ((copy.metadata as Record<string, unknown> | undefined) ?? (copy.metadata = {})) as Record<string, unknown>;
  metadata.labels = { ...((metadata.labels as Record<string, string> | undefined) ?? {}), 'pod-template-hash': `h${n}` };
  return copy;
}

describe('Pod Security details kept across requests', () => {
  it('over the PSS corpus, each pod and a relabelled copy in every namespace get the answers of an engine that keeps nothing', async () => {
    const keeping = engine(300);
    const fresh = engine(0);
    const pods = [...new Set(fixtures.map((f) => f.file))].map((file) => ({ file, pod: parse(readFileSync(join(CORPUS, file), 'utf8')) as Record<string, unknown> }));
    const spaces = [...namespaces().keys()].filter((name) => name !== 'baseline');
    const mismatches: string[] = [];
    let compared = 0;
    // Every pod in a handful of namespaces (levels and versions differ), so one spec's details are reused under several policies.
    for (const [i, { file, pod }] of pods.entries()) {
      for (const namespace of [spaces[i % spaces.length]!, spaces[(i * 7 + 3) % spaces.length]!]) {
        for (const object of [pod, relabelled(pod, i)]) {
          const request = podRequest(`u${compared}`, namespace, object) as unknown as AdmissionRequest;
          const [kept, expected] = [await decide(keeping, request), await decide(fresh, request)];
          compared++;
          if (JSON.stringify(kept) !== JSON.stringify(expected)) mismatches.push(`${file} in ${namespace}: ${JSON.stringify(kept)} != ${JSON.stringify(expected)}`);
        }
      }
    }
    expect(compared).toBe(pods.length * 4);
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 240_000);

  it('annotations are part of what is kept: an AppArmor annotation changes the answer for the same spec', async () => {
    const keeping = engine(300);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox' }] } };
    const annotated = { ...pod, metadata: { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } } };
    const plain = await decide(keeping, podRequest('1', 'baseline', pod) as unknown as AdmissionRequest);
    const denied = await decide(keeping, podRequest('2', 'baseline', annotated) as unknown as AdmissionRequest);
    expect(plain.allowed).toBe(true);
    expect(denied.allowed).toBe(false);
    expect(denied.status?.message).toBe('pods "p" is forbidden: violates PodSecurity "baseline:latest": forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/a="unconfined"")');
    expect((await decide(keeping, podRequest('3', 'baseline', relabelled(pod, 1)) as unknown as AdmissionRequest)).allowed).toBe(true);
  });
});
