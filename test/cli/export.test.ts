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
    expect(spec.variables.map((v) => v.name)).toEqual(['now', 'annotations', 'exempt', 'podGroups']);
    expect((objects[1]!.spec as { validationActions: string[] }).validationActions).toEqual(['Deny']);
    expect(run.stdout.startsWith('# palisade export vap')).toBe(true);
  });

  it('kyverno --mode warn and gatekeeper --mode audit map the actions', () => {
    const kyverno = docs(palisade(['export', 'kyverno', '--mode', 'warn']).stdout);
    expect(kyverno).toHaveLength(1);
    const spec = kyverno[0]!.spec as { emitWarning?: boolean; rules: Array<{ validate: { failureAction: string } }> };
    expect([spec.emitWarning, spec.rules[0]!.validate.failureAction]).toEqual([true, 'Audit']);
    const gatekeeper = docs(palisade(['export', 'gatekeeper', '--mode', 'audit', '--level', 'baseline']).stdout);
    expect(gatekeeper.map((o) => o.kind)).toEqual(['ConstraintTemplate', 'PalisadePssBaselineLatest']);
    expect((gatekeeper[1]!.spec as { enforcementAction: string }).enforcementAction).toBe('dryrun');
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
    const run = palisade(['export', 'vap', '--config', config, '-o', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const objects = docs(readFileSync(out, 'utf8'));
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').map((o) => (o.metadata as { name: string }).name);
    expect(bindings).toContain('palisade-pss-baseline-latest-enforce-default');
    expect(bindings).toContain('palisade-pss-restricted-latest-warn-default');
    expect(bindings).not.toContain('palisade-pss-restricted-latest-enforce-default');
    expect(readFileSync(out, 'utf8')).toContain("timestamp('2027-02-01T00:00:00Z') > variables.now");
    expect(readFileSync(out, 'utf8')).toContain('kube-system');
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
});
