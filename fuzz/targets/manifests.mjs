/**
 * YAML and JSON manifests, generated and mutated: deep nesting, alias bombs, Lists, JSON streams,
 * CRLF and BOMs, broken syntax. Each input is loaded and audited: no throw, bounded time and
 * memory, and every error the loader reports carries file:line:column.
 */
import { loadText } from '../../dist/core/load.js';
import { audit } from '../../dist/audit/index.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';

export const name = 'manifests';

const ALPHABET = ['{', '}', '[', ']', ':', ',', '-', ' ', '\n', '\r\n', '\t', '"', "'", '&a', '*a', '<<', '!!', '#', '---', '...', '%YAML 1.1', '\uFEFF', '\u0000', '|', '>', '?', 'true', 'yes', '0x1F', '1e400'];

function pod(rng, name) {
  const privileged = rng.chance(0.5) ? '\n      securityContext: {privileged: true}' : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ml\nspec:\n  hostNetwork: ${rng.pick(['true', 'false', 'yes', 'on'])}\n  containers:\n    - name: c\n      image: vllm/vllm-openai:${rng.pick(['latest', 'v0.6.0'])}${privileged}\n      ports: [{containerPort: 8000, name: http}]\n`;
}

function seed(rng) {
  switch (rng.int(7)) {
    case 0:
      return Array.from({ length: 1 + rng.int(4) }, (_, i) => pod(rng, `p${i}`)).join('---\n');
    case 1: {
      const depth = rng.pick([10, 500, 600, 3000, 9000]);
      const open = rng.chance(0.5) ? '['.repeat(depth) : '{"a":'.repeat(depth);
      const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
      return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep"},"spec":{"containers":[{"name":"c","image":"i","x":${open}1${close}}]}}`;
    }
    case 2:
      return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'l' }, spec: { containers: [{ name: 'c', image: 'i' }] } })), 7, null] }, null, rng.int(3));
    case 3: {
      let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
      for (let i = 0; i < 8; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]\n`;
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${bomb.replace(/^/gm, '  ')}`;
    }
    case 4:
      return Array.from({ length: 2 + rng.int(3) }, (_, i) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `j${i}` }, spec: { containers: [{ name: 'c', image: 'i' }] } })).join(rng.pick(['\n', '', '\n---\n']));
    case 5:
      return pod(rng, 'crlf').replace(/\n/g, '\r\n');
    default:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: "i", securityContext: {runAsUser: 0}}]\n`;
  }
}

export async function run({ budgetMs, rng }) {
  const pool = [];
  return loop(budgetMs, async () => {
    const base = seed(rng);
    pool.push(base);
    if (pool.length > 32) pool.shift();
    const text = rng.chance(0.3) ? base : mutateText(rng, base, pool, ALPHABET);
    const out = await check(name, text, () => {
      const loaded = loadText('fuzz.yaml', text, { jsonFastPath: rng.chance(0.8) });
      const outcome = audit(loaded);
      return { loaded, outcome };
    });
    if (out.failure) return out.failure;
    const unlocated = out.value.loaded.errors.find((e) => !e.location || !(e.location.line >= 1) || !(e.location.column >= 1));
    if (unlocated) return failure(name, `load error without file:line:column: ${unlocated.code} ${unlocated.message}`, text);
    return undefined;
  });
}
