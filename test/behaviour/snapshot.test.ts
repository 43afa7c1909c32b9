import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/shared.js';

/**
 * No behaviour change unless meant: the JSON of audit, pss, scan and netpol over the corpora and
 * the examples hashes to what `expected.json` recorded. A deliberate change regenerates it
 * (`node test/behaviour/snapshot.mjs --write`) and says why in the commit; `--dump DIR` writes the
 * raw outputs of two builds to diff.
 */
describe('behaviour snapshot', () => {
  it('every command line prints what expected.json recorded, and the reports carry the ids of ids.json', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'test/behaviour/snapshot.mjs'), '--with-ids'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe('');
    const { hashes: got, ids, fields } = JSON.parse(run.stdout) as { hashes: Record<string, string>; ids: Record<string, string>; fields: string[] };
    const expected = JSON.parse(readFileSync(join(ROOT, 'test/behaviour/expected.json'), 'utf8')) as Record<string, string>;
    const changed = Object.keys({ ...expected, ...got }).filter((k) => got[k] !== expected[k]);
    expect(changed).toEqual([]);
    // The end-to-end cases test/rules/meta.test.ts counts: id -> the first command line that reports it.
    expect(ids).toEqual(JSON.parse(readFileSync(join(ROOT, 'test/behaviour/ids.json'), 'utf8')));
    // The JSON report's contract: every field these reports carry is listed in docs/report.md.
    const documented = new Set([...readFileSync(join(ROOT, 'docs/report.md'), 'utf8').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
    expect(fields.length).toBeGreaterThan(150);
    expect(fields.filter((field) => !documented.has(field))).toEqual([]);
  }, 300_000);
});
