import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditSession } from '../../src/audit/index.js';
import { CHECKS } from '../../src/checks/index.js';
import { NETPOL_CHECKS } from '../../src/netpol/lint/index.js';
import { loadText } from '../../src/core/load.js';
import type { Finding } from '../../src/core/types.js';
import { SHARED } from '../helpers/shared.js';

/**
 * The posture checks over the 329 real manifests of ../shared/corpus/ml-manifests, read in place and
 * fed file by file to one session, as the CLI does. What each file must give (id → count) lives in
 * the reviewed expectations file test/checks/corpus.expected.json, whose `why` says for every id why
 * the corpus shows it; a handful of files below pin exact findings.
 *
 * When a change moves a count on purpose: `UPDATE_CORPUS_EXPECTATIONS=1 npx vitest run
 * test/checks/corpus.test.ts` rewrites the files part (the `why` part is kept; a new id gets a TODO
 * that fails until someone writes its reason), then review `git diff test/checks/corpus.expected.json`
 * and commit it with the change that caused it.
 */
const CORPUS = join(SHARED, 'corpus/ml-manifests');
const index = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Array<{ file: string }>;
// The posture checks and the network lint the audit runs at the end.
const POSTURE = new Set([...CHECKS, ...NETPOL_CHECKS].map((c) => c.meta.id));

let findings: Finding[] = [];
let loadErrors = 0;
let sessionErrors: string[] = [];

beforeAll(() => {
  const session = new AuditSession({ now: new Date('2026-06-01') });
  for (const { file } of index) {
    const part = loadText(file, readFileSync(join(CORPUS, file), 'utf8'));
    loadErrors += part.errors.length;
    findings.push(...session.addFile(part).findings);
  }
  const finished = session.finish();
  findings.push(...finished.findings);
  sessionErrors = finished.errors.map((e) => e.format());
  findings = findings.filter((f) => POSTURE.has(f.checkId));
});

const EXPECTATIONS = new URL('./corpus.expected.json', import.meta.url);
interface Expectations {
  /** id → why the corpus shows it (one reason per id, for every file that has it). */
  why: Record<string, string>;
  /** corpus file → id → number of findings; files without findings are absent. */
  files: Record<string, Record<string, number>>;
}
const readExpectations = (): Expectations => JSON.parse(readFileSync(EXPECTATIONS, 'utf8')) as Expectations;

function perFile(list: Finding[]): Expectations['files'] {
  const out: Expectations['files'] = {};
  for (const f of [...list].sort((a, b) => (a.location!.file < b.location!.file ? -1 : a.location!.file > b.location!.file ? 1 : a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0))) {
    const counts = (out[f.location!.file] ??= {});
    counts[f.checkId] = (counts[f.checkId] ?? 0) + 1;
  }
  return out;
}

/** One line per difference: `file: ID expected N, got M`. */
function expectationDiff(expected: Expectations['files'], got: Expectations['files']): string[] {
  const lines: string[] = [];
  for (const file of [...new Set([...Object.keys(expected), ...Object.keys(got)])].sort()) {
    for (const id of [...new Set([...Object.keys(expected[file] ?? {}), ...Object.keys(got[file] ?? {})])].sort()) {
      const want = expected[file]?.[id] ?? 0;
      const have = got[file]?.[id] ?? 0;
      if (want !== have) lines.push(`${file}: ${id} expected ${want}, got ${have}`);
    }
  }
  return lines;
}

function writeExpectations(files: Expectations['files']): void {
  const old = readExpectations();
  const ids = [...new Set(Object.values(files).flatMap((counts) => Object.keys(counts)))].sort();
  const why = Object.fromEntries(ids.map((id) => [id, old.why[id] ?? 'TODO: say why the corpus shows this id']));
  // one line per id and per file, so a review reads the diff file by file
  // Counts as {"ID": n, "ID": n}; a why-text is written as JSON writes it (spacing only between keys and values, never inside strings).
  const value = (v: string | Record<string, number>): string => (typeof v === 'string' ? JSON.stringify(v) : `{${Object.entries(v).map(([id, n]) => `${JSON.stringify(id)}: ${n}`).join(', ')}}`);
  const block = (entries: Array<[string, string | Record<string, number>]>): string => entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${value(v)}`).join(',\n');
  writeFileSync(EXPECTATIONS, `{\n "why": {\n${block(Object.entries(why))}\n },\n "files": {\n${block(Object.entries(files))}\n }\n}\n`);
}

const at = (file: string): Array<[string, number, number]> => findings.filter((f) => f.location?.file === file).map((f) => [f.checkId, f.location!.line, f.location!.column]);

describe('posture checks over the ML manifest corpus', () => {
  it('every file loads and every finding has a location and a resource', () => {
    expect(loadErrors).toBe(0);
    expect(sessionErrors).toEqual([]);
    expect(findings.filter((f) => !f.location || !f.resource)).toEqual([]);
  });

  it('every file gives the ids of the reviewed expectations file (test/checks/corpus.expected.json)', () => {
    const got = perFile(findings);
    if (process.env['UPDATE_CORPUS_EXPECTATIONS'] === '1') writeExpectations(got);
    const expected = readExpectations();
    // A readable diff first (file: ID expected → got), then the exact comparison.
    expect(expectationDiff(expected.files, got)).toEqual([]);
    expect(got).toEqual(expected.files);
  });

  it('every id of the expectations file says why the corpus shows it', () => {
    const { files, why } = readExpectations();
    const ids = new Set(Object.values(files).flatMap((counts) => Object.keys(counts)));
    expect([...ids].filter((id) => !why[id]?.trim() || why[id]!.startsWith('TODO')).sort()).toEqual([]);
    expect(Object.keys(why).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('Ray: a KubeRay NodePort head publishes the dashboard, and KubeRay\'s 0.0.0.0 default is reported at rayStartParams', () => {
    expect(at('ray-project__kuberay/ray-operator__config__samples__ray-cluster.separate-ingress.yaml').filter(([id]) => id === 'EXPOSED_ADMIN_PORT' || id === 'RAY_DASHBOARD_UNAUTHENTICATED')).toEqual([
      ['RAY_DASHBOARD_UNAUTHENTICATED', 16, 5],
      ['EXPOSED_ADMIN_PORT', 12, 5],
    ]);
  });

  it('TorchServe: a NodePort Service in one file publishes the management API of a Deployment in another', () => {
    expect(at('pytorch__serve/kubernetes__examples__mnist__service.yaml')).toEqual([
      ['EXPOSED_ADMIN_PORT', 16, 5],
      ['EXPOSED_MODEL_SERVER', 12, 5],
    ]);
    expect(at('pytorch__serve/kubernetes__kserve__tests__configs__mnist_v1_cpu.yaml').filter(([id]) => id === 'TORCHSERVE_MANAGEMENT_OPEN')).toEqual([
      ['TORCHSERVE_MANAGEMENT_OPEN', 18, 11],
      ['TORCHSERVE_MANAGEMENT_OPEN', 19, 11],
    ]);
  });

  it('Jupyter: a LoadBalancer Service on port 80 targets the notebook port 8888', () => {
    const found = findings.filter((f) => f.location?.file === 'GoogleCloudPlatform__ai-on-gke/ray-on-gke__guides__raytrain-with-gcsfusecsi__jupyter-spec.yaml' && f.checkId === 'EXPOSED_ADMIN_PORT');
    expect(found.map((f) => [f.message, f.location?.line, f.path])).toEqual([['LoadBalancer Service "tensorflow-jupyter" publishes the Jupyter notebook server (runs code) (port 8888) of StatefulSet "tensorflow"', 89, '/spec/ports/0']]);
  });

  it('vLLM: --trust-remote-code inside a shell string, and no API key, on the LeaderWorkerSet leader', () => {
    expect(at('GoogleCloudPlatform__kubernetes-engine-samples/ai-ml__llm-multihost-gpus__vllm-deepseek-r1-A3-HDML.yaml').filter(([id]) => id === 'TRUST_REMOTE_CODE' || id === 'LLM_API_WITHOUT_KEY')).toEqual([
      ['LLM_API_WITHOUT_KEY', 41, 13],
      ['TRUST_REMOTE_CODE', 44, 17],
      ['LLM_API_WITHOUT_KEY', 73, 13],
    ]);
  });

  it('secrets: literal object-store keys are reported masked; the HF token from a Secret is not', () => {
    const found = findings.filter((f) => f.location?.file === 'ray-project__kuberay/historyserver__config__raycluster.yaml' && f.checkId === 'SECRET_LITERAL');
    expect(found.map((f) => [f.location?.line, f.message])).toEqual([
      [86, 'container "collector" sets AWS_SECRET_ACCESS_KEY to a literal credential (mini******)'],
      [174, 'container "collector" sets AWS_SECRET_ACCESS_KEY to a literal credential (mini******)'],
    ]);
    expect(findings.some((f) => f.message.includes('minioadmin'))).toBe(false);
  });
});
