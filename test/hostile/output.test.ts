import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `-o format=path` where a report cannot go: a directory, a path under a regular file, a file in
 * /proc, a missing directory. Each is one line naming the path, exit 2, no stack trace, and
 * nothing left behind (no 0-byte copy, no temporary file). Runs the built CLI (npm run build).
 */
const cli = join(process.cwd(), 'dist/cli/main.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n';

describe('report outputs that cannot be written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-hostile-out-'));
  const input = join(dir, 'pod.yaml');
  writeFileSync(input, POD);
  mkdirSync(join(dir, 'reports'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases: Array<[string, string, RegExp]> = [
    ['a directory', join(dir, 'reports'), /it is a directory/],
    ['under a regular file', join(input, 'report.json'), /is not a directory/],
    ['in a missing directory', join(dir, 'missing', 'report.json'), /directory .* does not exist \(palisade does not create it\)/],
    ['a /proc file', '/proc/version', /./],
  ];
  for (const format of ['json', 'sarif']) {
    for (const [what, path, reason] of cases) {
      it(`${format} to ${what}: one clear line, exit 2, nothing left behind`, () => {
        const run = spawnSync(process.execPath, [cli, 'audit', input, '-o', `${format}=${path}`], { encoding: 'utf8' });
        expect([run.status, run.stderr.split('\n').filter((l) => l.startsWith('palisade: cannot write')).length]).toEqual([2, 1]);
        expect(run.stderr).toMatch(reason);
        expect(run.stderr).not.toMatch(/^\s+at /m);
        expect(readdirSync(dir).sort()).toEqual(['pod.yaml', 'reports']);
        expect(readdirSync(join(dir, 'reports'))).toEqual([]);
      });
    }
  }
});
