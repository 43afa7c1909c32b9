import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';
import { E2E_CASES } from './e2eCases.js';

interface AuditJson {
  findings: Array<{ checkId: string; message: string; location?: { file: string; line: number; column: number }; suppressed?: unknown }>;
  summary: Record<string, number>;
  compliance?: { framework: string; controls: Array<{ id: string; status: string; checks: string[]; findings: number }> };
}

const dir = mkdtempSync(join(tmpdir(), 'palisade-checks-e2e-'));
const json = (stdout: string): AuditJson => JSON.parse(stdout) as AuditJson;

describe('palisade audit: one case per posture check, as a user types it', () => {
  for (const [checkId, testCase] of Object.entries(E2E_CASES)) {
    it(checkId, () => {
      const args = ['audit', '-', '--format', 'json', '--fail-on', 'none', ...(testCase.args ?? [])];
      if (testCase.config) {
        const config = join(dir, `${checkId}.yaml`);
        writeFileSync(config, testCase.config);
        args.push('--config', config);
      }
      const run = palisade(args, { input: testCase.yaml });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const found = json(run.stdout).findings.filter((f) => f.checkId === checkId);
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) expect(f.location?.file).toBe('-');
    });
  }
});

describe('palisade audit: exemptions, config errors, frameworks', () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  annotations:
    palisade.dev/exempt: IMAGE_TAG_MUTABLE
    palisade.dev/exempt-reason: vendor image, ticket SEC-12
spec:
  containers:
  - {name: a, image: nginx}
`;

  it('an annotation exemption keeps the finding in JSON as suppressed and hides it from text unless --show-suppressed', () => {
    const report = json(palisade(['audit', '-', '--format', 'json', '--fail-on', 'none'], { input: pod }).stdout);
    expect(report.findings.filter((f) => f.checkId === 'IMAGE_TAG_MUTABLE').map((f) => f.suppressed)).toEqual([{ by: 'annotation', reason: 'vendor image, ticket SEC-12' }]);
    expect(palisade(['audit', '-', '--fail-on', 'none'], { input: pod }).stdout).not.toContain('IMAGE_TAG_MUTABLE');
    expect(palisade(['audit', '-', '--fail-on', 'none', '--show-suppressed'], { input: pod }).stdout).toContain('IMAGE_TAG_MUTABLE');
  });

  it('a bad check param in .palisade.yaml exits 2 naming file:line:column', () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'checks:\n  RESOURCE_LIMITS_MISSING:\n    params: {resources: [gpu]}\n');
    const run = palisade(['audit', '-', '--config', config], { input: pod });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`palisade: ${config}:3:26: config field checks.RESOURCE_LIMITS_MISSING.params.resources.0: Invalid option: expected one of "cpu"|"memory"\n`);
  });

  it('--framework mitre-atlas keeps only mapped findings and adds the compliance view', () => {
    const run = palisade(['audit', '-', '--format', 'json', '--fail-on', 'none', '--framework', 'mitre-atlas'], { input: E2E_CASES.TRUST_REMOTE_CODE!.yaml });
    const report = json(run.stdout);
    expect([...new Set(report.findings.map((f) => f.checkId))].sort()).toEqual(['EPHEMERAL_STORAGE_UNBOUNDED', 'IMAGE_NOT_PINNED_BY_DIGEST', 'LLM_API_WITHOUT_KEY', 'RESOURCE_LIMITS_MISSING', 'TRUST_REMOTE_CODE']);
    const controls = new Map(report.compliance!.controls.map((c) => [c.id, c]));
    expect(report.compliance!.framework).toBe('mitre-atlas');
    expect(controls.get('AML.T0010')).toMatchObject({ status: 'violated', findings: 2 });
    expect(controls.get('AML.T0011')).toMatchObject({ status: 'violated', findings: 1 });
    expect(controls.get('AML.T0040')).toMatchObject({ status: 'violated', findings: 1 });
    expect(controls.get('AML.T0055')).toMatchObject({ status: 'satisfied', findings: 0 });
  });

  it('checks list --framework cis and checks explain show the posture checks', () => {
    expect(palisade(['checks', 'list', '--framework', 'cis']).stdout).toContain('DEFAULT_SERVICE_ACCOUNT');
    const explain = palisade(['checks', 'explain', 'ray_dashboard_unauthenticated']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain('CVE-2023-48022');
  });
});
