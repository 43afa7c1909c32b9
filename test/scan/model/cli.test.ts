import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { palisade } from '../../helpers/cli.js';
import { SHARED } from './helpers.js';

interface ScanJson {
  inputs: string[];
  summary: Record<string, number>;
  findings: Array<{ checkId: string; severity: string; message: string; location?: unknown; file?: string; member?: string; offset?: number; global?: string }>;
  files: Array<{ path: string; format: string; size: number; sha256: string; verdict: string; findings: Array<{ rule: string; severity: string; message: string; global?: string; offset?: number; member?: string }> }>;
}

const REAL = '../shared/corpus/models-real';

describe('palisade scan model (end to end)', () => {
  it('--format json: one entry per file with the manifest verdict, and a Finding per non-safe file', () => {
    const run = palisade(['scan', 'model', REAL, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as ScanJson;
    const manifest = JSON.parse(readFileSync(join(SHARED, 'corpus/models-real/manifest.json'), 'utf8')) as Array<{ file: string; expected: string }>;
    const verdicts = new Map(report.files.map((f) => [f.path, f.verdict]));
    for (const entry of manifest) expect([entry.file, verdicts.get(`${REAL}/${entry.file}`)]).toEqual([entry.file, entry.expected]);
    const malicious = report.findings.filter((f) => f.checkId === 'MODEL_MALICIOUS');
    expect(malicious.map((f) => f.file).sort()).toEqual(manifest.filter((e) => e.expected === 'malicious').map((e) => `${REAL}/${e.file}`).sort());
    expect(malicious.every((f) => f.severity === 'critical' && f.location === undefined)).toBe(true);
    const torch = report.findings.find((f) => f.file === `${REAL}/malicious_state_dict_os_system.pt`);
    expect(torch).toMatchObject({ member: 'malicious_state_dict_os_system/data.pkl', global: 'posix.system' });
    expect(torch?.message).toMatch(/^\.\.\/shared\/corpus\/models-real\/malicious_state_dict_os_system\.pt: malicious: imports deny-listed posix\.system \(module posix\) at offset \d+ in malicious_state_dict_os_system\/data\.pkl$/);
    expect(report.summary.critical).toBe(4);
  });

  it('exits 0 on a safe file and with --fail-on none', () => {
    const safe = palisade(['scan', 'model', `${REAL}/tinynet_state_dict.pt`, '--format', 'json']);
    expect(safe.status).toBe(0);
    const report = JSON.parse(safe.stdout) as ScanJson;
    expect(report.files.map((f) => [f.format, f.verdict, f.findings.length])).toEqual([['pytorch-zip', 'safe', 0]]);
    expect(report.findings).toEqual([]);
    expect(palisade(['scan', 'model', `${REAL}/raw_os_system_p4.pkl`, '--fail-on', 'none']).status).toBe(0);
  });

  it('suspicious files fail only at --fail-on medium', () => {
    const args = ['scan', 'model', `${REAL}/sklearn_pipeline.joblib`];
    expect(palisade(args).status).toBe(0);
    expect(palisade([...args, '--fail-on', 'medium']).status).toBe(1);
  });

  it('--deny-global and --allow-global change the lists', () => {
    const denied = palisade(['scan', 'model', `${REAL}/raw_benign_p4.pkl`, '--deny-global', 'collections:OrderedDict', '--format', 'json']);
    expect(denied.status).toBe(1);
    expect((JSON.parse(denied.stdout) as ScanJson).files[0]?.verdict).toBe('malicious');
    const allowed = palisade(['scan', 'model', '../shared/corpus/models/generated/pickle/collections_counter.pkl', '--allow-global', 'collections:Counter', '--format', 'json']);
    expect((JSON.parse(allowed.stdout) as ScanJson).files[0]?.verdict).toBe('safe');
    expect(palisade(['scan', 'model', `${REAL}/raw_benign_p4.pkl`, '--allow-global', 'nocolon']).status).toBe(2);
  });

  it('--policy adds a file of entries; a bad file exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-policy-'));
    const good = join(dir, 'policy.json');
    writeFileSync(good, JSON.stringify({ allow: ['collections:Counter'] }));
    const run = palisade(['scan', 'model', '../shared/corpus/models/generated/pickle/collections_counter.pkl', '--policy', good, '--format', 'json']);
    expect((JSON.parse(run.stdout) as ScanJson).files[0]?.verdict).toBe('safe');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ allow: 'collections:Counter' }));
    const failed = palisade(['scan', 'model', `${REAL}/raw_benign_p4.pkl`, '--policy', bad]);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/bad\.json: expected/);
  });

  // Issue 13: a path that does not exist is a usage error, refused before any scan, for every command.
  it('a path that does not exist exits 2 and is named on stderr', () => {
    const run = palisade(['scan', 'model', 'no/such/model.pt', '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('palisade: no such file or directory: no/such/model.pt\n');
  });
});
