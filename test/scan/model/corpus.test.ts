import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanModelFile } from '../../../src/scan/model/index.js';
import { SHARED } from './helpers.js';

interface Entry {
  file: string;
  format: string;
  expected: string;
}

function manifest(folder: string): Entry[] {
  return JSON.parse(readFileSync(join(SHARED, 'corpus', folder, 'manifest.json'), 'utf8')) as Entry[];
}

// Each sample must get exactly its manifest verdict (../shared/corpus/models/PROVENANCE.md policy).
for (const folder of ['models', 'models-real']) {
  describe(`corpus/${folder}`, () => {
    const entries = manifest(folder);
    it('has samples', () => {
      expect(entries.length).toBeGreaterThan(10);
    });
    it.each(entries.map((e) => [e.file, e] as const))('%s', async (_file, entry) => {
      const result = await scanModelFile(join(SHARED, 'corpus', folder, entry.file));
      expect(result.verdict).toBe(entry.expected);
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });
}

describe('no benign sample is called malicious', () => {
  it('holds over both corpora', async () => {
    const wrong: string[] = [];
    for (const folder of ['models', 'models-real']) {
      for (const entry of manifest(folder).filter((e) => e.expected === 'safe')) {
        const result = await scanModelFile(join(SHARED, 'corpus', folder, entry.file));
        if (result.verdict === 'malicious') wrong.push(entry.file);
      }
    }
    expect(wrong).toEqual([]);
  });
});
