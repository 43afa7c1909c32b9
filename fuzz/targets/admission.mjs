/**
 * Admission (src/admission), in process: AdmissionReview bodies of Pods and Deployments, mutated as
 * values (wrong types, huge strings and lists, deep nesting, dropped keys) or as text, go through
 * parseReview and AdmissionEngine.decide as the server calls them. A body is refused with BadReview
 * (the server's 400) or decided, never a throw; and the decision does not depend on the order of the
 * keys in the JSON (checked on a fresh engine, so the decision cache plays no part).
 */
import { admissionSettings } from '../../dist/admission/config.js';
import { AdmissionEngine } from '../../dist/admission/engine.js';
import { StaticNamespaces } from '../../dist/admission/kube.js';
import { BadReview, parseReview } from '../../dist/admission/review.js';
import { emptyConfig } from '../../dist/core/config.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';
import { jsonOf, mutateValue } from '../lib/values.mjs';

export const name = 'admission';

const ALPHABET = ['{', '}', '[', ']', '"', ':', ',', 'null', '1e999', '\\u0000', '"uid"', '"request"', '"object"'];
const KEYS = ['apiVersion', 'kind', 'request', 'uid', 'object', 'oldObject', 'operation', 'namespace', 'userInfo', 'spec', 'containers', 'securityContext', 'image', 'privileged', 'hostNetwork', 'volumes', 'dryRun', 'subResource', 'resource'];

function engine() {
  const config = { ...emptyConfig(), admission: { checks: { '*': 'enforce' } } };
  return new AdmissionEngine({ settings: admissionSettings(config), config, namespaces: new StaticNamespaces(new Map([['ml', { 'pod-security.kubernetes.io/enforce': 'restricted' }], ['default', {}]])), now: () => new Date('2026-12-01T00:00:00Z') });
}

function review(rng) {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: rng.pick(['ml', 'default', 'other']), labels: { app: 'm' } }, spec: { hostNetwork: rng.chance(0.3), containers: [{ name: 'c', image: rng.pick(['vllm/vllm-openai:latest', 'registry.example.com/m@sha256:' + 'a'.repeat(64), 'x']), securityContext: rng.chance(0.5) ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, ports: [{ containerPort: 8000 }] }] } };
  const object = rng.chance(0.7) ? pod : { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: pod.metadata.namespace }, spec: { replicas: 1, selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: pod.spec } } };
  const resource = object.kind === 'Pod' ? { group: '', version: 'v1', resource: 'pods' } : { group: 'apps', version: 'v1', resource: 'deployments' };
  return { apiVersion: rng.pick(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']), kind: 'AdmissionReview', request: { uid: 'u-1', kind: { group: resource.group, version: 'v1', kind: object.kind }, resource, namespace: object.metadata.namespace, operation: rng.pick(['CREATE', 'UPDATE']), userInfo: { username: 'alice', groups: ['system:authenticated'] }, object, ...(rng.chance(0.3) ? { oldObject: structuredClone(object) } : {}), dryRun: false } };
}

/** The same value with every object's keys in another order. */
function shuffleKeys(rng, value, depth = 0) {
  // below 200 levels (the mutations nest 2,000) the value is kept as it is
  if (depth > 200) return value;
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(rng, v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys(rng, value[k], depth + 1)]));
}

async function decide(body) {
  let parsed;
  try {
    parsed = parseReview(body);
  } catch (error) {
    if (error instanceof BadReview) return { refused: error.message };
    throw error;
  }
  let d;
  try {
    d = await engine().decide(parsed.request, 'validate', Date.now() + 5_000);
  } catch (error) {
    // decide refuses a request it cannot judge (no object for CREATE) with BadReview too: the server's 400
    if (error instanceof BadReview) return { refused: error.message };
    throw error;
  }
  const { uid, ...response } = d.response;
  void uid;
  return { response };
}

export async function run({ budgetMs, rng }) {
  const pool = [];
  return loop(budgetMs, async () => {
    const value = review(rng);
    const roll = rng.int(10);
    if (roll >= 3) for (let k = 1 + rng.int(3); k > 0; k--) mutateValue(rng, value, KEYS);
    let body = jsonOf(value) ?? JSON.stringify(review(rng));
    if (body.length > 4_000_000) body = body.slice(0, 4_000_000);
    if (roll >= 8) body = mutateText(rng, body, pool.length ? pool : [body], ALPHABET);
    pool.push(body.slice(0, 4000));
    if (pool.length > 16) pool.shift();
    const out = await check(name, body, () => decide(body));
    if (out.failure) return out.failure;
    if (out.value.response && roll < 8) {
      const other = JSON.stringify(shuffleKeys(rng, JSON.parse(body)));
      const again = await check(name, other, () => decide(other));
      if (again.failure) return again.failure;
      if (JSON.stringify(again.value) !== JSON.stringify(out.value)) return failure(name, `the decision depends on the order of the keys: ${JSON.stringify(out.value).slice(0, 300)} then ${JSON.stringify(again.value).slice(0, 300)}`, `${body}\n${other}`);
    }
    return undefined;
  });
}
