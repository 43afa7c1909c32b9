import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summarize, type Finding, type Report } from '../../src/core/types.js';
import { html } from '../../src/report/html/index.js';
import { pagePayload } from '../../src/report/html/data.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  checkId: 'HOST_PATH_VOLUME',
  severity: 'high',
  title: 'Pod mounts a host path',
  message: 'volume "models" mounts /var/lib/models from the node',
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'iris' },
  path: '/spec/template/spec/volumes/0',
  location: { file: 'deploy/iris.yaml', line: 4, column: 3 },
  remediation: 'Use a PersistentVolumeClaim.',
  frameworks: { 'nist-800-53': ['AC-6'], cis: ['5.2.12'] },
  ...over,
});

const reportOf = (findings: Finding[], extra: Record<string, unknown> = {}): Report => ({ tool: { name: 'palisade', version: '0.0.0' }, inputs: ['deploy'], summary: summarize(findings), findings, ...extra });

const SOURCE = ['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  volumes:', '  - hostPath: {path: /var/lib/models}', '    name: models'];
const sourceLine = (file: string, line: number): string | undefined => (file === 'deploy/iris.yaml' ? SOURCE[line - 1] : undefined);

describe('the HTML report payload', () => {
  it('interns repeated strings, sorts worst first and keeps two lines of source around each finding', () => {
    const payload = pagePayload(reportOf([finding({ severity: 'low', checkId: 'A' }), finding(), finding({ location: { file: 'deploy/iris.yaml', line: 5, column: 5 } })]), { color: false, sourceLine });
    expect(payload.findings.map((f) => [payload.severities[f.s], payload.strings[f.c], f.l])).toEqual([
      ['high', 'HOST_PATH_VOLUME', 4],
      ['high', 'HOST_PATH_VOLUME', 5],
      ['low', 'A', 4],
    ]);
    // One copy of the title, file, object, fix and framework map for three findings.
    expect(payload.strings.filter((s) => s === 'Pod mounts a host path')).toHaveLength(1);
    expect(payload.strings).toContain('{"cis":["5.2.12"],"nist-800-53":["AC-6"]}');
    const file = payload.strings.indexOf('deploy/iris.yaml');
    expect(payload.snippets[`${file}:4`]).toEqual([2, ['kind: Deployment', 'spec:', '  volumes:', '  - hostPath: {path: /var/lib/models}', '    name: models']]);
    expect(payload.snippets[`${file}:5`]).toEqual([3, ['spec:', '  volumes:', '  - hostPath: {path: /var/lib/models}', '    name: models']]);
  });

  it('says why a finding is suppressed instead of counting it', () => {
    const payload = pagePayload(reportOf([finding({ suppressed: { by: 'annotation', reason: 'legacy, SEC-12', expires: '2027-01-31' } })]), { color: false });
    expect(payload.findings[0]?.u).toBe('suppressed by annotation: legacy, SEC-12 (until 2027-01-31)');
    expect(payload.snippets).toEqual({});
  });

  it('groups findings by the family the catalogue names, and falls back by id', () => {
    const payload = pagePayload(reportOf([finding({ checkId: 'PSS_BASELINE_PRIVILEGED' }), finding({ checkId: 'X' })]), { color: false, ruleInfo: (id) => (id === 'X' ? { family: 'Posture' } : undefined) });
    expect(payload.findings.map((f) => payload.strings[f.g])).toEqual(['Pod Security Standards', 'Posture']);
  });
});

describe('the HTML page', () => {
  it('cannot be broken out of by text from a manifest: the data is JSON with < escaped, markup only in the fixed template', () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const page = html(reportOf([finding({ message: hostile, resource: { apiVersion: 'v1', kind: 'Pod', name: hostile } })], { inputs: [hostile] }), { color: false });
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
  });

  it('carries the payload as gzip in base64, read back unchanged', () => {
    const report = reportOf([finding(), finding({ severity: 'critical', message: 'ünïcode ✓ and \u2028 separators' })]);
    const page = html(report, { color: false, sourceLine });
    expect(embedded(page)).toEqual(JSON.parse(JSON.stringify(pagePayload(report, { color: false, sourceLine }))));
  });

  it('makes no request at view time: the policy allows no source, and nothing links out', () => {
    const page = html(reportOf([finding()]), { color: false });
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(page).not.toMatch(/\b(src|href)=["']?https?:/);
  });

  it('stays under 5 MB with 20,000 findings of realistic size', () => {
    const findings: Finding[] = [];
    const checks = ['PSS_RESTRICTED_RUN_AS_NON_ROOT', 'PSS_RESTRICTED_SECCOMP', 'READ_ONLY_ROOT_FILESYSTEM', 'RESOURCE_LIMITS_MISSING', 'IMAGE_NOT_PINNED_BY_DIGEST'];
    for (let i = 0; i < 20_000; i++) {
      const check = checks[i % checks.length] ?? 'X';
      findings.push(
        finding({
          checkId: check,
          title: `title of ${check}`,
          message: `violates PodSecurity "restricted:v1.37": runAsNonRoot != true (pod or container "predictor-${i % 7}" must set securityContext.runAsNonRoot=true)`,
          resource: { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', namespace: `team-${i % 40}`, name: `model-${Math.floor(i / 5)}` },
          location: { file: `manifests/team-${i % 40}/model-${Math.floor(i / 5)}.yaml`, line: 10 + (i % 30), column: 9 },
          remediation: `fix for ${check}.`,
        }),
      );
    }
    // Every file's lines differ from every other file's, so nothing repeats that real input would not.
    const page = html(reportOf(findings), { color: false, sourceLine: (file, line) => (line <= 60 ? `        - name: ${file.slice(10, 40)}-${line}  # a manifest line` : undefined) });
    expect(Buffer.byteLength(page)).toBeLessThan(5 * 1024 * 1024);
  });
});

function embedded(page: string): unknown {
  const match = /<script type="application\/octet-stream" id="palisade-data" data-encoding="gzip\+base64">([A-Za-z0-9+/=]*)<\/script>/.exec(page);
  if (!match?.[1]) throw new Error('no payload in the page');
  return JSON.parse(gunzipSync(Buffer.from(match[1], 'base64')).toString('utf8'));
}
