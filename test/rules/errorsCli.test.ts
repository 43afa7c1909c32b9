import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

interface Listed { code: string; module: string; title: string }

describe('palisade checks errors / explain: the input-error codes reports carry', () => {
  const listed = JSON.parse(palisade(['checks', 'errors', '--format', 'json']).stdout) as Listed[];

  it('lists the codes of input errors, and an audit of bad input reports one of them', () => {
    expect(listed.map((e) => e.code)).toContain('LOAD_YAML_SYNTAX');
    const run = palisade(['audit', '-', '--format', 'json', '--fail-on', 'none'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' });
    const ids = (JSON.parse(run.stdout) as { findings: Array<{ checkId: string }> }).findings.map((f) => f.checkId);
    expect(ids).toContain('LOAD_YAML_SYNTAX');
    const codes = new Set(listed.map((e) => e.code));
    // every id of that report is either a rule or a listed code
    const rules = new Set((JSON.parse(palisade(['checks', 'list', '--format', 'json']).stdout) as Array<{ id: string }>).map((r) => r.id));
    expect(ids.filter((id) => !codes.has(id) && !rules.has(id))).toEqual([]);
  });

  it('explains an input-error code as it explains a rule', () => {
    const run = palisade(['checks', 'explain', 'netpol_invalid_cidr']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('NETPOL_INVALID_CIDR (input error, netpol)');
    expect(run.stdout).toContain('invalid CIDR address');
    expect(palisade(['checks', 'explain', 'NO_SUCH_CODE']).status).toBe(2);
  });
});
