import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackChains } from '../../src/report/html/data.js';
import { palisade } from '../helpers/cli.js';

/**
 * RBAC attack paths in the HTML report: the audit computes them from the service account of every
 * pod spec when the input holds RBAC objects, `palisade rbac paths` is the independent answer they
 * must equal, and headless Chromium shows one row per chain, each hop a button that names its grant.
 */
const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the attack-path browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set PALISADE_CHROMIUM)`);

const STACK = `apiVersion: v1
kind: ServiceAccount
metadata: {name: model-sa, namespace: ml}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: server, namespace: ml}
spec:
  selector: {matchLabels: {app: s}}
  template:
    metadata: {labels: {app: s}}
    spec:
      serviceAccountName: model-sa
      containers: [{name: s, image: "vllm/vllm-openai:v0.6.0"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-maker, namespace: ml}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pod-maker, namespace: ml}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
subjects: [{kind: ServiceAccount, name: model-sa, namespace: ml}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: ml}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ml}]
`;

const dir = mkdtempSync(join(tmpdir(), 'palisade-attack-'));
const file = join(dir, 'report.html');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RBAC attack paths in the audit report', () => {
  let report: { rbac?: { attackPaths: unknown[] } };
  beforeAll(() => {
    writeFileSync(join(dir, 'stack.yaml'), STACK);
    const run = palisade(['audit', join(dir, 'stack.yaml'), '--format', 'json', '--fail-on', 'none', '-o', `html=${file}`]);
    expect(run.status).toBe(0);
    report = JSON.parse(run.stdout) as typeof report;
  });

  it('equal what palisade rbac paths says for the pod\'s service account', () => {
    const paths = palisade(['rbac', 'paths', 'sa:ml/model-sa', join(dir, 'stack.yaml'), '--format', 'json']);
    expect(report.rbac?.attackPaths).toEqual([(JSON.parse(paths.stdout) as { paths: unknown }).paths]);
    const chains = attackChains(report.rbac);
    expect(chains.map((c) => [c.from, ...c.hops.map((h) => h.to)])).toEqual([
      ['ServiceAccount ml/model-sa', 'ServiceAccount ml/default'],
      ['ServiceAccount ml/model-sa', 'ServiceAccount ml/deployer'],
      ['ServiceAccount ml/model-sa', 'ServiceAccount ml/deployer', 'administrator of the cluster'],
    ]);
  });

  it('are left out of reports whose input has no RBAC object', () => {
    const run = palisade(['audit', 'examples/ml-serving-insecure', '--format', 'json', '--fail-on', 'none', '-o', `html=${join(dir, 'plain.html')}`]);
    expect((JSON.parse(run.stdout) as typeof report).rbac).toBeUndefined();
  });

  describe.skipIf(!haveChromium)('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];
    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"]');
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('draws one row per chain, accounts as boxes, administrator marked, and a hop shows its grant when selected', async () => {
      expect(errors).toEqual([]);
      expect(await page.locator('#attack-paths .chain').count()).toBe(3);
      expect(await page.locator('#attack-paths .chain').nth(2).locator('.subject').allTextContents()).toEqual(['ServiceAccount ml/model-sa', 'ServiceAccount ml/deployer', '★ administrator of the cluster']);
      expect(await page.locator('#attack-paths .subject.admin').count()).toBe(1);
      const hop = page.locator('#attack-paths .chain').nth(2).locator('button.hop').nth(1);
      await hop.focus();
      await page.keyboard.press('Enter');
      expect(await hop.getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('#attack-detail').textContent()).toContain('via ClusterRoleBinding deployer-admin → ClusterRole cluster-admin rules[0]');
      expect(await page.locator('#attack-detail').textContent()).toContain('stack.yaml:');
    });
  });
});
