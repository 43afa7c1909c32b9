import * as SevenZipImport from '7z-wasm';
import type { SevenZipModuleFactory } from '7z-wasm';
import { describe, expect, it } from 'vitest';
import { scanModelBytes, type ScannedFile } from '../../../src/scan/model/index.js';
import { bytes, global, op, sbu } from './helpers.js';

/**
 * 7z archives and bzip2/xz data: built here by 7-Zip itself (the same WASM build the scanner unpacks
 * with), then scanned. The nullifAI-style trick of shipping a pickle in a 7z must not hide it.
 */
const evil = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));
const benign = bytes(op('PROTO'), 2, ...global('collections', 'OrderedDict'), op('EMPTY_TUPLE'), op('REDUCE'), op('STOP'));

// CommonJS under ESM interop: the factory is `default`, or `default.default` depending on the loader.
const imported = SevenZipImport as unknown as { default: SevenZipModuleFactory & { default?: SevenZipModuleFactory } };
const factory: SevenZipModuleFactory = imported.default.default ?? imported.default;

/** Pack files with 7-Zip: `type` is 7z, xz or bzip2; extra switches such as -pSECRET. */
async function pack(type: string, files: Record<string, Uint8Array>, switches: string[] = []): Promise<Uint8Array> {
  const module = await factory({ print: () => undefined, printErr: () => undefined });
  module.FS.mkdir('/src');
  const made = new Set<string>();
  for (const [name, data] of Object.entries(files)) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/src/${parts.slice(0, i).join('/')}`;
      if (!made.has(dir)) module.FS.mkdir(dir);
      made.add(dir);
    }
    module.FS.writeFile(`/src/${name}`, data);
  }
  module.FS.chdir('/src');
  module.callMain(['a', `-t${type}`, ...switches, '/out.bin', ...Object.keys(files)]);
  return module.FS.readFile('/out.bin');
}

const summary = (r: ScannedFile): Array<[string, string | undefined]> => r.findings.map((f) => [f.rule, f.member]);

describe('7z, xz and bzip2 are unpacked and every member judged', () => {
  it('a pickle in a 7z archive, in a folder, next to a benign one', async () => {
    const r = await scanModelBytes(await pack('7z', { 'model/weights.pkl': benign, 'model/extra.bin': evil }), 'model.7z');
    expect(r.format).toBe('7z');
    expect(r.verdict).toBe('malicious');
    expect(summary(r)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'model/extra.bin']]);
  });

  it('a benign 7z is safe, and the extension does not matter', async () => {
    const r = await scanModelBytes(await pack('7z', { 'data.pkl': benign }), 'weights.bin');
    expect([r.format, r.verdict, r.findings]).toEqual(['7z', 'safe', []]);
  });

  it('xz and bzip2 streams around a pickle', async () => {
    for (const type of ['xz', 'bzip2']) {
      const r = await scanModelBytes(await pack(type, { 'model.pkl': evil }), `model.pkl.${type}`);
      expect([type, r.format, r.verdict]).toEqual([type, 'compressed', 'malicious']);
    }
  });

  it('a 7z inside a 7z inside a tar-less zip chain is still opened', async () => {
    const inner = await pack('7z', { 'payload.pkl': evil });
    const r = await scanModelBytes(await pack('7z', { 'inner.7z': inner }), 'outer.7z');
    expect(summary(r)).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'inner.7z!payload.pkl']]);
  });

  it('an encrypted archive fails closed: suspicious, never safe', async () => {
    for (const switches of [['-pSECRET'], ['-pSECRET', '-mhe=on']]) {
      const r = await scanModelBytes(await pack('7z', { 'data.pkl': benign }, switches), 'model.7z');
      expect([switches.join(' '), r.verdict, r.findings.map((f) => f.rule)]).toEqual([switches.join(' '), 'suspicious', ['ARCHIVE_UNINSPECTABLE']]);
    }
  });

  it('a compression bomb is refused from the listing, before anything is inflated', async () => {
    const r = await scanModelBytes(await pack('7z', { 'zeros.bin': new Uint8Array(32 * 1024 * 1024) }), 'bomb.7z');
    expect(summary(r)).toEqual([['ZIP_COMPRESSION_BOMB', 'zeros.bin']]);
    expect(r.verdict).toBe('suspicious');
  });

  it('a truncated archive is invalid or judged, never a crash', async () => {
    const archive = await pack('7z', { 'data.pkl': evil });
    for (const cut of [8, 32, archive.length - 10]) {
      const r = await scanModelBytes(archive.subarray(0, cut), 'cut.7z');
      expect(['invalid', 'suspicious', 'malicious']).toContain(r.verdict);
    }
  });
});
