import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/shared.js';

/**
 * Speed never changes what the audit says (issue 23): the JSON report of `palisade audit` over a
 * slice of the findings-heavy bench corpus (bench/_corpus-findings.mjs: two copies of the insecure
 * example stack and the ML manifests, 1,016 objects in 26 files, anchors and aliases included) is
 * the very bytes the audit printed before the speed work, recorded in findingsHeavy.expected.json
 * as their length and SHA-256. On a deliberate change of findings, regenerate with
 * `UPDATE_FINDINGS_HEAVY=1 npx vitest run test/audit/findingsHeavy.test.ts` and say why in the commit;
 * on a failure the report is left in the printed file to diff against the previous build's.
 */
const RESOURCES = 1016;
const EXPECTED = join(ROOT, 'test/audit/findingsHeavy.expected.json');
const dir = mkdtempSync(join(tmpdir(), 'palisade-findings-heavy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Expected {
  resources: number;
  corpusBytes: number;
  findings: number;
  bytes: number;
  sha256: string;
}

describe('audit on a findings-heavy corpus', () => {
  it('prints the recorded JSON report byte for byte', async () => {
    const generator = pathToFileURL(join(ROOT, 'bench/_corpus-findings.mjs')).href;
    const { ensureFindingsCorpus } = (await import(generator)) as { ensureFindingsCorpus: (root: string, resources: number) => { dir: string; bytes: number; resources: number } };
    const corpus = ensureFindingsCorpus(dir, RESOURCES);
    // Relative paths in the report: run beside the corpus.
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'audit', `audit-findings-v1-${RESOURCES}`, '--format', 'json', '--fail-on', 'none'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: Array<{ occurrences?: unknown[] }> };
    const got: Expected = {
      resources: corpus.resources,
      corpusBytes: corpus.bytes,
      findings: report.findings.reduce((n, f) => n + (f.occurrences?.length ?? 1), 0),
      bytes: Buffer.byteLength(run.stdout),
      sha256: createHash('sha256').update(run.stdout).digest('hex'),
    };
    if (process.env.UPDATE_FINDINGS_HEAVY) writeFileSync(EXPECTED, `${JSON.stringify(got, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Expected;
    // The corpus itself first: a different corpus is no evidence either way.
    expect({ resources: got.resources, corpusBytes: got.corpusBytes }).toEqual({ resources: expected.resources, corpusBytes: expected.corpusBytes });
    if (got.sha256 !== expected.sha256) {
      const kept = join(tmpdir(), `palisade-findings-heavy-${process.pid}.json`);
      writeFileSync(kept, run.stdout);
      expect.fail(`the report changed (${got.findings} findings, ${got.bytes} bytes; expected ${expected.findings}, ${expected.bytes}): see ${kept}`);
    }
    expect(got).toEqual(expected);
  }, 120_000);
});
