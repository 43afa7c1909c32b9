// The HTML report in a real browser: a 20,000-finding report is written, opened in headless
// Chromium, and timed until its script has drawn the page, against a baseline measured in the same
// run: Chromium opening a static page of the same byte size (parse and paint, no script).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { html } from '../dist/report/index.js';

const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';
const SIZE = Number(process.env.HTML_BENCH_FINDINGS ?? 20000);
if (!existsSync(CHROMIUM)) {
  process.stdout.write(JSON.stringify({ bench: 'html-render', skipped: `no Chromium at ${CHROMIUM}` }) + '\n');
  process.exit(0);
}
const { chromium } = await import('playwright-core');

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const findings = Array.from({ length: SIZE }, (_, i) => ({
  checkId: `CHECK_${i % 23}`,
  severity: SEVERITIES[i % 5],
  title: `Check ${i % 23} title`,
  message: `container "predictor-${i % 7}" of model-${i % 2000} must set securityContext.field${i % 23}=true`,
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `team-${i % 40}`, name: `model-${i % 2000}` },
  location: { file: `deploy/team-${i % 40}/model-${i % 2000}.yaml`, line: 10 + (i % 300), column: 9 },
  remediation: `set securityContext.field${i % 23}: true.`,
  frameworks: { pss: ['restricted'], 'nist-800-53': ['AC-6'] },
}));
const summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };
for (const f of findings) summary[f.severity]++;
const report = { tool: { name: 'palisade', version: '0.0.0-bench' }, inputs: ['deploy/'], summary, findings };
const page = html(report, { color: false, sourceLine: (file, line) => `          ${file.slice(7, 30)}-field${line}: false` });

const dir = mkdtempSync(join(tmpdir(), 'palisade-html-bench-'));
const reportFile = join(dir, 'report.html');
const staticFile = join(dir, 'static.html');
writeFileSync(reportFile, page);
writeFileSync(staticFile, `<!doctype html><html><body><pre>${'x'.repeat(Math.max(0, Buffer.byteLength(page) - 60))}</pre></body></html>`);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
async function best(file, ready, runs = 3) {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const start = performance.now();
    await tab.goto(pathToFileURL(file).href);
    if (ready) await tab.waitForSelector(ready);
    min = Math.min(min, performance.now() - start);
    await tab.close();
  }
  return min;
}
const baselineMs = await best(staticFile);
const ms = await best(reportFile, 'body[data-ready="true"]');
await browser.close();
rmSync(dir, { recursive: true, force: true });
const round = (n) => Math.round(n * 100) / 100;
process.stdout.write(JSON.stringify({ bench: 'html-render', findings: SIZE, bytes: Buffer.byteLength(page), ms: round(ms), baselineMs: round(baselineMs), ratio: round(ms / baselineMs) }) + '\n');
