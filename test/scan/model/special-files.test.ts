import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanModelFile, scanModelPaths } from '../../../src/scan/model/index.js';
import { bytes, global, op } from './helpers.js';

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('only regular files are read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-special-'));
  const evil = bytes(...global('os', 'system'), op('STOP'));
  writeFileSync(join(dir, 'a-model.pkl'), evil);
  symlinkSync('/dev/zero', join(dir, 'b-zero.bin'));
  symlinkSync('/dev/null', join(dir, 'c-null.pt'));
  symlinkSync(join(dir, 'a-model.pkl'), join(dir, 'd-link-to-model.pkl'));
  const fifo = hasMkfifo();
  if (fifo) execFileSync('mkfifo', [join(dir, 'e-fifo.pkl')]);

  it('a directory with links to devices and a FIFO: regular files scanned (links followed), the others reported, nothing hangs', async () => {
    const started = Date.now();
    const result = await scanModelPaths([dir]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.files.map((f) => [f.path.slice(dir.length + 1), f.verdict])).toEqual([
      ['a-model.pkl', 'malicious'],
      ['d-link-to-model.pkl', 'malicious'],
    ]);
    expect(result.errors.map((e) => [e.code, e.errorClass, e.message.slice(dir.length + 1).split(',')[0]])).toEqual([
      ['LOAD_NOT_REGULAR_FILE', 'warning', 'b-zero.bin: a character device'],
      ['LOAD_NOT_REGULAR_FILE', 'warning', 'c-null.pt: a character device'],
      ...(fifo ? [['LOAD_NOT_REGULAR_FILE', 'warning', 'e-fifo.pkl: a FIFO']] : []),
    ]);
  });

  it('a device named on the command line is a severe error, not a hang', async () => {
    await expect(scanModelFile('/dev/zero')).rejects.toMatchObject({ code: 'LOAD_NOT_REGULAR_FILE', errorClass: 'severe' });
    const result = await scanModelPaths(['/dev/zero']);
    expect(result.errors.map((e) => e.code)).toEqual(['LOAD_NOT_REGULAR_FILE']);
  });

  it.skipIf(!fifo)('a FIFO named on the command line is refused without waiting for a writer', async () => {
    await expect(scanModelFile(join(dir, 'e-fifo.pkl'))).rejects.toMatchObject({ code: 'LOAD_NOT_REGULAR_FILE' });
  });
});

describe('symlinked directories', () => {
  const evil = bytes(...global('os', 'system'), op('STOP'));

  it('a linked directory is entered, as a loader follows it; a loop back to an ancestor ends', async () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-dirlink-'));
    const outside = join(root, 'outside');
    const model = join(root, 'model');
    mkdirSync(outside);
    mkdirSync(join(model, 'sub'), { recursive: true });
    writeFileSync(join(outside, 'weights.pkl'), evil);
    writeFileSync(join(model, 'sub', 'config.json'), '{}');
    symlinkSync(outside, join(model, 'weights'));
    symlinkSync(model, join(model, 'sub', 'loop'));
    const result = await scanModelPaths([model]);
    expect(result.files.map((f) => [f.path.slice(model.length + 1), f.verdict])).toEqual([
      ['sub/config.json', 'unsupported'],
      ['weights/weights.pkl', 'malicious'],
    ]);
    expect(result.errors).toEqual([]);
  });

  it('a directory with two names is read once, under the name met first in sorted order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-dirlink-'));
    mkdirSync(join(root, 'b-real'));
    writeFileSync(join(root, 'b-real', 'm.pkl'), evil);
    symlinkSync(join(root, 'b-real'), join(root, 'a-alias'));
    symlinkSync(join(root, 'b-real'), join(root, 'c-alias'));
    const result = await scanModelPaths([root]);
    expect(result.files.map((f) => [f.path.slice(root.length + 1), f.verdict])).toEqual([['a-alias/m.pkl', 'malicious']]);
  });

  it('a dangling link inside a directory is a read error naming it; the other files are still scanned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'palisade-dirlink-'));
    writeFileSync(join(root, 'm.pkl'), evil);
    symlinkSync(join(root, 'missing'), join(root, 'gone'));
    const result = await scanModelPaths([root]);
    expect(result.files.map((f) => [f.path.slice(root.length + 1), f.verdict])).toEqual([['m.pkl', 'malicious']]);
    expect(result.errors.map((e) => [e.code, e.message.slice(root.length + 1).split(':')[0]])).toEqual([['LOAD_NOT_FOUND', 'gone']]);
  });
});
