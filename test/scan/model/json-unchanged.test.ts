import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { palisade } from '../../helpers/cli.js';
import { writeLargeCorpus } from './large-corpus.js';

// Issue 23: no finding, location or digest may change for speed. The expected outputs were
// recorded from the code before the single-pass hashing and start-up work (commit e0a06f6), by the
// same commands as below; they are compared byte for byte, not rebuilt from expectations.
const BEFORE = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

describe('scan model --format json is unchanged by the speed work', () => {
  it('over ../shared/corpus/models and models-real (files under 1 MB: read whole)', () => {
    const run = palisade(['scan', 'model', '../shared/corpus/models', '../shared/corpus/models-real', '--format', 'json', '--fail-on', 'none']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(BEFORE('corpus-scan.before.json'));
  });

  const dir = mkdtempSync(join(tmpdir(), 'palisade-large-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('over generated files larger than 1 MB (read in windows), digests equal to an independent sha256', () => {
    const names = writeLargeCorpus(dir);
    const run = palisade(['scan', 'model', ...names, '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(BEFORE('large-scan.before.json'));
    const files = (JSON.parse(run.stdout) as { files: Array<{ path: string; sha256: string }> }).files;
    expect(files.map((f) => [f.path, f.sha256])).toEqual(names.map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
  });
});
