import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

/** `palisade export vap|kyverno|gatekeeper` as a user types it. */

const docs = (text: string): Array<Record<string, unknown>> => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>).filter(Boolean);

describe('palisade export (admission engines)', () => {
  it('vap --level baseline --version v1.30 --checks: one policy, one binding, only the named checks', () => {
    const run = palisade(['export', 'vap', '--level', 'baseline', '--version', 'v1.30', '--checks', 'PSS_BASELINE_PRIVILEGED,hostNamespaces']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const objects = docs(run.stdout);
    expect(objects.map((o) => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    const spec = objects[0]!.spec as { validations: Array<{ message: string }>; variables: Array<{ name: string }> };
    expect(spec.validations.map((v) => /\((PSS_[A-Z_]+):/.exec(v.message)?.[1])).toEqual(['PSS_BASELINE_HOST_NAMESPACES', 'PSS_BASELINE_PRIVILEGED']);
    expect(spec.variables.map((v) => v.name)).toEqual(['clock', 'now', 'today', 'annotations', 'exempt', 'podGroups']);
    expect((objects[1]!.spec as { validationActions: string[] }).validationActions).toEqual(['Deny']);
    expect(run.stdout.startsWith('# palisade export vap')).toBe(true);
  });

  it('kyverno --mode warn and gatekeeper --mode audit map the actions', () => {
    const kyverno = docs(palisade(['export', 'kyverno', '--mode', 'warn']).stdout);
    // PSS at --mode, and the posture checks in audit mode (no config names a mode for them: serve's default).
    expect(kyverno.map((o) => (o.metadata as { name: string }).name)).toEqual(['palisade-pss-restricted-latest', 'palisade-posture-audit']);
    const spec = kyverno[0]!.spec as { emitWarning?: boolean; rules: Array<{ validate: { failureAction: string } }> };
    expect([spec.emitWarning, spec.rules[0]!.validate.failureAction]).toEqual([true, 'Audit']);
    const gatekeeper = docs(palisade(['export', 'gatekeeper', '--mode', 'audit', '--level', 'baseline']).stdout);
    expect(gatekeeper.map((o) => o.kind)).toEqual(['ConstraintTemplate', 'ConstraintTemplate', 'PalisadePssBaselineLatest', 'PalisadePostureAudit']);
    expect((gatekeeper[2]!.spec as { enforcementAction: string }).enforcementAction).toBe('dryrun');
  });

  it('--config: PSA defaults become label-selected bindings; exemptions become CEL; -o writes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-export-'));
    const config = join(dir, '.palisade.yaml');
    writeFileSync(config, [
      'exemptions:',
      '  - {check: PSS_BASELINE_*, match: {namespace: legacy}, reason: migrating, expires: 2027-01-31}',
      'admission:',
      '  podSecurity:',
      '    apiVersion: pod-security.admission.config.k8s.io/v1',
      '    kind: PodSecurityConfiguration',
      '    defaults: {enforce: baseline, warn: restricted, audit: restricted}',
      '    exemptions: {namespaces: [kube-system]}',
      '',
    ].join('\n'));
    const out = join(dir, 'vap.yaml');
    const run = palisade(['export', 'vap', '--config', config, '--checks', 'PSS_*', '-o', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const objects = docs(readFileSync(out, 'utf8'));
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').map((o) => (o.metadata as { name: string }).name);
    expect(bindings).toContain('palisade-pss-baseline-latest-enforce-default');
    expect(bindings).toContain('palisade-pss-restricted-latest-warn-default');
    expect(bindings).not.toContain('palisade-pss-restricted-latest-enforce-default');
    expect(readFileSync(out, 'utf8')).toContain("'2027-01-31' >= variables.today");
    expect(readFileSync(out, 'utf8')).toContain('kube-system');
  });

  it('posture checks: --checks selects them, --mode and admission.checks set the action, config params and disabled checks are honoured, the rest is listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-export-'));
    const config = join(dir, '.palisade.yaml');
    writeFileSync(config, [
      'checks:',
      '  RESOURCE_LIMITS_MISSING: {severity: high, params: {resources: [memory]}}',
      '  PROBES_MISSING: false',
      'admission:',
      '  checks: {HOST_*: warn}',
      '',
    ].join('\n'));
    const run = palisade(['export', 'vap', '--config', config, '--checks', 'HOST_PORT,HOST_PATH_VOLUME,RESOURCE_LIMITS_MISSING,PROBES_MISSING,SECRET_LITERAL,EXPOSED_*', '--mode', 'enforce']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('palisade: not exported (4, reasons at the top of the output): EXPOSED_ADMIN_PORT, EXPOSED_MODEL_SERVER, PROBES_MISSING, SECRET_LITERAL\n');
    expect(run.stdout).toContain('#   SECRET_LITERAL: judges random-looking values by their Shannon entropy');
    expect(run.stdout).toContain('#   PROBES_MISSING: disabled in the config (checks:)');
    const objects = docs(run.stdout);
    const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((o) => (o.metadata as { name: string }).name)).toEqual(['palisade-posture-enforce', 'palisade-posture-warn']);
    const validations = (i: number): string[] => (policies[i]!.spec as { validations: Array<{ message: string }> }).validations.map((v) => v.message);
    expect(validations(0)).toEqual([expect.stringContaining('(RESOURCE_LIMITS_MISSING, high)')]);
    expect(validations(1).map((m) => /\(([A-Z_]+),/.exec(m)?.[1])).toEqual(['HOST_PATH_VOLUME', 'HOST_PORT']);
    // params: only the memory limit is required.
    expect(JSON.stringify(policies[0]!.spec)).toContain("'memory' in v.c.resources.limits");
    expect(JSON.stringify(policies[0]!.spec)).not.toContain("'cpu' in v.c.resources.limits");
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').map((o) => (o.spec as { validationActions: string[] }).validationActions);
    expect(bindings).toEqual([['Deny'], ['Warn']]);
    const nothing = palisade(['export', 'vap', '--checks', 'SECRET_LITERAL']);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('nothing left to export: SECRET_LITERAL (judges random-looking values');
  });

  it('bad usage exits 2 with the reason', () => {
    for (const [args, message] of [
      [['export', 'vap', '--level', 'strict'], '--level strict'],
      [['export', 'vap', '--version', '1.30'], '--version 1.30'],
      [['export', 'kyverno', '--checks', 'NOT_A_CHECK'], '--checks NOT_A_CHECK'],
    ] as const) {
      const run = palisade([...args]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it('falco: writes rules for the example stack that load in the Falco loader; a missing path exits 2', () => {
    const run = palisade(['export', 'falco', 'examples/ml-serving-hardened']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('falco -r');
    const rules = parseAllDocuments(run.stdout).flatMap((d) => (d.toJS() as Array<Record<string, unknown>>) ?? []).filter((i) => 'rule' in i);
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.every((r) => typeof r.priority === 'string' && Array.isArray(r.tags))).toBe(true);
    const missing = palisade(['export', 'falco', 'no/such/dir']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });
});
