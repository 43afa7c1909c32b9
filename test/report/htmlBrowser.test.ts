import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import type { ReachabilityGraph } from '../../src/netpol/graph.js';
import { palisade } from '../helpers/cli.js';
import { ROOT } from '../helpers/shared.js';

/**
 * The HTML report of the bundled example, opened in real headless Chromium (Debian's package,
 * installed by .ci/system-packages): it loads without an error or a request, the filters change
 * the rows, and the graph draws the connections the JSON report lists.
 */
const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the HTML report's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set PALISADE_CHROMIUM)`);

/** Screenshots are kept as artifacts of the run; UPDATE_SCREENSHOTS=1 also refreshes the README's. */
const ARTIFACTS = join(ROOT, 'test/artifacts');

describe.skipIf(!haveChromium)('the HTML report in Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'palisade-html-'));
  const file = join(out, 'report.html');
  let report: Report;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const run = palisade(['audit', 'examples/ml-serving-insecure', '--format', 'json', '--fail-on', 'none', '-o', `html=${file}`]);
    expect(run.status).toBe(0);
    report = JSON.parse(run.stdout) as Report;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('loads with no console error and no request but the file itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });

  it('shows the counts of the JSON report, and one row per finding', async () => {
    const tiles = await page.locator('.tile').allTextContents();
    expect(tiles).toEqual((['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => `${report.summary[s]}${s}`));
    expect(await page.locator('#visible-count').textContent()).toBe(`${report.findings.length} of ${report.findings.length} findings match`);
    expect(await page.locator('#findings-table tbody tr.finding').count()).toBe(report.findings.length);
  });

  it('filters by severity, check, namespace and text', async () => {
    const count = (): Promise<number> => page.locator('#findings-table tbody tr.finding').count();
    for (const severity of ['high', 'medium', 'low', 'info']) await page.uncheck(`#f-sev-${severity}`);
    expect(await count()).toBe(report.findings.filter((f) => f.severity === 'critical').length);
    expect(await page.locator('#findings-table tbody .badge').allTextContents()).toEqual(Array(await count()).fill('CRITICAL'));
    for (const severity of ['high', 'medium', 'low', 'info']) await page.check(`#f-sev-${severity}`);

    await page.selectOption('#f-check', 'SECRET_LITERAL');
    expect(await count()).toBe(report.findings.filter((f) => f.checkId === 'SECRET_LITERAL').length);
    await page.selectOption('#f-check', '');

    await page.fill('#f-text', 'notebook.yaml');
    expect(await count()).toBe(report.findings.filter((f) => f.location?.file.endsWith('notebook.yaml')).length);
    await page.fill('#f-text', '');

    const namespaced = report.findings.filter((f) => f.resource?.namespace === 'ml-serving').length;
    await page.selectOption('#f-namespace', 'ml-serving');
    expect(await count()).toBe(namespaced);
    await page.selectOption('#f-namespace', '');
    expect(await count()).toBe(report.findings.length);
  });

  it('opens a finding with the keyboard: its source line, the fix and the frameworks', async () => {
    const first = report.findings.find((f) => f.checkId === 'JUPYTER_WITHOUT_AUTH');
    expect(first?.location).toBeDefined();
    const toggle = page.locator('#findings-table .toggle', { hasText: first?.message ?? '' }).first();
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator('#findings-table tr.detail:not([hidden])').first();
    expect(await detail.locator('.snippet .hit').textContent()).toContain(String(first?.location?.line));
    expect(await detail.locator('.fix').textContent()).toBe(`Fix: ${first?.remediation}`);
    expect(await detail.locator('.frameworks li').allTextContents()).toEqual(Object.entries(first?.frameworks ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, ids]) => `${k}: ${ids.join(', ')}`));
  });

  it('draws every connection of the graph, model servers marked, and shows the deciding rules of a selected one', async () => {
    const graph = report.network as ReachabilityGraph;
    expect(graph.edges.length).toBeGreaterThan(0);
    expect(await page.locator('#graph .edge').count()).toBe(graph.edges.length);
    expect(await page.locator('#graph .edge.to-model').count()).toBe(graph.edges.filter((e) => e.toModelServer).length);
    const sources = new Set(graph.edges.map((e) => e.src));
    const destinations = new Set(graph.edges.map((e) => e.dst));
    expect(await page.locator('#graph .node[data-side="from"]').count()).toBe(sources.size);
    expect(await page.locator('#graph .node[data-side="to"]').count()).toBe(destinations.size);
    const servers = graph.nodes.filter((n) => (n.modelServers?.length ?? 0) > 0).map((n) => n.id);
    expect(await page.locator('#graph .node.model-server[data-side="to"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')).sort())).toEqual(servers.filter((id) => destinations.has(id)).sort());

    const edge = graph.edges.find((e) => e.toModelServer);
    const element = page.locator(`#graph .edge[data-src="${edge?.src}"][data-dst="${edge?.dst}"]`);
    await element.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#edge-detail p').first().textContent()).toBe(`Allowed: ${edge?.conns}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-example.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(ROOT, 'docs/report.png') });
  });
});
