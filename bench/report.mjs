// Reporter throughput: every output format over a large report (findings spread across many files
// and namespaces, with source excerpts for text), against a baseline measured in the same run:
// JSON.stringify of the same report, the least work any reporter does to write it out.
import { reporters } from '../dist/report/index.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const SIZE = Number(process.env.REPORT_BENCH_FINDINGS ?? 20000);

function finding(i) {
  const file = `deploy/team-${i % 40}/model-${i % 2000}.yaml`;
  return {
    checkId: `PSS_RESTRICTED_CHECK_${i % 23}`,
    severity: SEVERITIES[i % 5],
    title: `Check ${i % 23} title`,
    message: `container "predictor-${i % 7}" must set securityContext.field${i % 23}=true`,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `team-${i % 40}`, name: `model-${i % 2000}` },
    container: `predictor-${i % 7}`,
    path: `/spec/template/spec/containers/${i % 7}/securityContext/field${i % 23}`,
    location: { file, line: 10 + (i % 300), column: 9 },
    remediation: `set securityContext.field${i % 23}: true.`,
    frameworks: { pss: ['restricted'], 'nist-800-53': ['AC-6'], cis: ['5.2.7'] },
    ...(i % 17 === 0 ? { suppressed: { by: 'annotation', reason: 'accepted, ticket SEC-12', expires: '2026-12-31' } } : {}),
  };
}

const findings = Array.from({ length: SIZE }, (_, i) => finding(i));
const summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };
for (const f of findings) summary[f.suppressed ? 'suppressed' : f.severity]++;
const report = { tool: { name: 'palisade', version: '0.0.0-bench' }, inputs: ['deploy/'], summary, findings };
const sourceLine = (_file, line) => `          field${line % 23}: false`;
const context = { color: false, showSuppressed: false, sourceLine };

/** Best of several runs: the machines are shared and noisy, the minimum is the least disturbed. */
function timeBest(fn, runs = 3) {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    globalThis.gc?.();
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const baselineMs = timeBest(() => JSON.stringify(report, null, 2));
for (const [format, reporter] of Object.entries(reporters)) {
  const ms = timeBest(() => reporter(report, context));
  process.stdout.write(JSON.stringify({ bench: `report-${format}`, size: SIZE, ms: round(ms), baselineMs: round(baselineMs), ratio: round(ms / baselineMs) }) + '\n');
}

function round(n) {
  return Math.round(n * 100) / 100;
}
