import { describe, expect, it } from 'vitest';
import { PSS_CHECKS } from '../../src/pss/index.js';
import { PSS_RULES, pssCheckId } from '../../src/pss/ruleset.js';

describe('PSS finding metadata', () => {
  it('covers exactly the checks the engine has, at the same level', () => {
    expect(PSS_RULES.map((r) => `${r.check}:${r.level}`).sort()).toEqual(PSS_CHECKS.map((c) => `${c.id}:${c.level}`).sort());
  });

  it('gives every check a unique, readable finding id and a remediation that ends with a period', () => {
    const ids = PSS_RULES.map((r) => pssCheckId(r.check));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^PSS_(BASELINE|RESTRICTED)_[A-Z]+(_[A-Z]+)*$/);
    for (const rule of PSS_RULES) expect(rule.remediation).toMatch(/\.$/);
    expect(pssCheckId('runAsNonRoot')).toBe('PSS_RESTRICTED_RUN_AS_NON_ROOT');
    expect(pssCheckId('seccompProfile_baseline')).toBe('PSS_BASELINE_SECCOMP_PROFILE');
    expect(pssCheckId('hostProbesAndHostLifecycle')).toBe('PSS_BASELINE_HOST_PROBES_AND_HOST_LIFECYCLE');
  });
});
