import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImage, type ModelScanner } from '../../src/scan/image/index.js';

/**
 * Hostile image layers made byte by byte: ustar headers written here, file data as repeated gzip
 * members of zeros (a gzip stream may hold many members; each 16 MiB of zeros is ~16 KB), so a
 * few megabytes on disk inflate to gigabytes, and hard links that give one big file many names.
 */
const MiB = 1024 * 1024;
const ZEROS = Buffer.alloc(16 * MiB);
const ZERO_MEMBER = gzipSync(ZEROS);

function header(name: string, size: number, type: '0' | '1' | '2' | '5' = '0', linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

type Member = { name: string; bytes?: Buffer; zeros16?: number; type?: '0' | '1' | '2' | '5'; linkname?: string };

/** A gzip layer and its diff id, without ever holding the inflated tar. */
function layer(members: Member[]): { blob: Buffer; diffId: string } {
  const parts: Buffer[] = [];
  const tar = createHash('sha256');
  const plain = (b: Buffer): void => {
    parts.push(gzipSync(b));
    tar.update(b);
  };
  for (const m of members) {
    const bytes = m.bytes ?? Buffer.alloc(0);
    const size = m.zeros16 ? m.zeros16 * ZEROS.length : bytes.length;
    plain(header(m.name, size, m.type ?? '0', m.linkname ?? ''));
    if (m.zeros16) {
      for (let i = 0; i < m.zeros16; i++) {
        parts.push(ZERO_MEMBER);
        tar.update(ZEROS);
      }
    } else if (bytes.length > 0) plain(Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]));
  }
  plain(Buffer.alloc(1024));
  return { blob: Buffer.concat(parts), diffId: `sha256:${tar.digest('hex')}` };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function layout(layers: Array<{ blob: Buffer; diffId: string }>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-hostile-img-'));
  made.push(dir);
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (b: Buffer): Promise<string> => {
    await writeFile(join(dir, 'blobs', 'sha256', sha(b)), b);
    return `sha256:${sha(b)}`;
  };
  const descriptors = [];
  for (const l of layers) descriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await put(l.blob), size: l.blob.length });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: '1000' }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await put(config), size: config.length }, layers: descriptors }));
  const manifestDigest = await put(manifest);
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length }] }));
  return dir;
}

/** A scanner that records what it was asked and judges by the first byte: 0x80 (a pickle PROTO) is malicious. */
function recordingScanner(calls: string[]): ModelScanner {
  return async ({ path, bytes, localFile }) => {
    calls.push(`${path}:${bytes ? 'memory' : 'disk'}`);
    expect(bytes !== undefined || (localFile !== undefined && existsSync(localFile))).toBe(true);
    const first = bytes ? bytes[0] : undefined;
    return first === 0x80 ? { format: 'pickle', verdict: 'malicious', findings: [{ rule: 'dangerous-global', severity: 'critical', message: 'posix.system' }] } : { format: 'unknown', verdict: 'safe', findings: [] };
  };
}

const PICKLE = Buffer.from('\x80\x04cposix\nsystem\n.', 'latin1');

describe('hostile image layers', () => {
  it('stops at the inflate limit with IMAGE_SCAN_LIMIT, whatever the bomb (one huge member, many members, many layers)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 4 }), async (layerCount, members, zeros16) => {
        const layers = Array.from({ length: layerCount }, (_, l) => layer(Array.from({ length: members }, (_, m) => ({ name: `models/l${l}-m${m}.bin`, zeros16 }))));
        const dir = await layout(layers);
        const total = layerCount * members * zeros16 * 16 * MiB;
        const limit = 40 * MiB;
        const calls: string[] = [];
        const scan = await scanImage(dir, { modelScanner: recordingScanner(calls), limits: { maxInflatedBytes: limit }, tempDir: dir });
        if (total > limit) {
          expect(scan.errors.map((e) => [e.code, e.errorClass])).toEqual([['IMAGE_SCAN_LIMIT', 'severe']]);
          expect(scan.errors[0]?.message).toMatch(/^stopped reading the image: its layers inflate to more than 41943040 bytes \(layer \d was being read\) \(limit maxInflatedBytes = 41943040; raise it to read further\); what was not read is not known to be safe$/);
          expect([scan.models, calls]).toEqual([[], []]);
        } else {
          expect([scan.errors, scan.models.length, calls.length]).toEqual([[], layerCount * members, layerCount * members]);
        }
        // Nothing spooled is left behind.
        expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
      }),
      { numRuns: 5 },
    );
  });

  it('scans a big file with many hard-linked names once per extension and reports every name', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `models/copy${i}${i % 2 === 0 ? '.bin' : '.pt'}`);
    const dir = await layout([
      layer([
        { name: 'models/big.bin', zeros16: 2 },
        { name: 'models/evil.pkl', bytes: PICKLE },
        ...names.map((name) => ({ name, type: '1' as const, linkname: 'models/big.bin' })),
        { name: 'models/also-evil.pt', type: '1', linkname: 'models/evil.pkl' },
      ]),
    ]);
    const calls: string[] = [];
    const scan = await scanImage(dir, { modelScanner: recordingScanner(calls), tempDir: dir });
    expect(scan.errors).toEqual([]);
    // The 32 MiB file is spooled to disk (above the 16 MiB in-memory bound) and scanned once as .bin and once as .pt.
    expect(calls.sort()).toEqual(['models/also-evil.pt:memory', 'models/big.bin:disk', 'models/copy1.pt:disk', 'models/evil.pkl:memory']);
    expect(scan.models).toHaveLength(203);
    expect(scan.models.filter((m) => m.verdict === 'malicious').map((m) => [m.path, m.target ?? null])).toEqual([
      ['models/also-evil.pt', 'models/evil.pkl'],
      ['models/evil.pkl', null],
    ]);
    expect(new Set(scan.models.filter((m) => m.path.startsWith('models/copy')).map((m) => `${m.size}:${m.verdict}:${m.target}`))).toEqual(new Set([`${32 * MiB}:safe:models/big.bin`]));
    expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('scans the Hugging Face cache layout under every name, and follows later layers that replace the link or the target', async () => {
    // Short enough for a plain ustar name field (100 bytes); the cache itself lives under ~/.cache/huggingface/hub.
    const hf = 'hub/models--o--m';
    const blobA = `${hf}/blobs/${'a'.repeat(64)}`;
    const blobB = `${hf}/blobs/${'b'.repeat(64)}`;
    const dir = await layout([
      layer([
        { name: `${hf}/blobs/`, type: '5' },
        { name: blobA, bytes: PICKLE },
        { name: `${hf}/snapshots/rev/pytorch_model.bin`, type: '2', linkname: `../../blobs/${'a'.repeat(64)}` },
        { name: `${hf}/snapshots/rev/model.safetensors`, type: '2', linkname: `/${blobA}` },
        { name: 'opt/keep.pt', type: '1', linkname: blobA },
        { name: 'opt/loop.pt', type: '2', linkname: 'loop.pt' },
      ]),
      // The next layer removes the safetensors link and points the snapshot at a clean blob; the
      // old blob is replaced by clean bytes, but its hard link keeps the pickle (the same inode).
      layer([
        { name: `${hf}/snapshots/rev/.wh.model.safetensors` },
        { name: blobB, bytes: Buffer.from('clean') },
        { name: `${hf}/snapshots/rev/pytorch_model.bin`, type: '2', linkname: `../../blobs/${'b'.repeat(64)}` },
        { name: `${hf}/snapshots/old/pytorch_model.bin`, type: '2', linkname: `../../blobs/${'a'.repeat(64)}` },
        { name: blobA, bytes: Buffer.from('replaced') },
      ]),
    ]);
    const calls: string[] = [];
    const scan = await scanImage(dir, { modelScanner: recordingScanner(calls), tempDir: dir });
    expect(scan.models.map((m) => [m.path, m.target ?? null, m.verdict])).toEqual([
      [blobA, null, 'safe'],
      [blobB, null, 'safe'],
      [`${hf}/snapshots/old/pytorch_model.bin`, blobA, 'safe'],
      [`${hf}/snapshots/rev/pytorch_model.bin`, blobB, 'safe'],
      ['opt/keep.pt', blobA, 'malicious'],
    ]);
    expect(calls.sort()).toEqual([`${hf}/snapshots/old/pytorch_model.bin:memory`, `${hf}/snapshots/rev/pytorch_model.bin:memory`, 'opt/keep.pt:memory']);
    expect(scan.errors.map((e) => [e.code, e.errorClass, e.message])).toEqual([['IMAGE_LINK', 'warning', 'opt/loop.pt -> loop.pt: the link loops (more than 40 links in one lookup): not followed']]);
    expect(scan.findings.filter((f) => f.checkId === 'IMAGE_MODEL_FILE').map((f) => f.message)).toEqual([`opt/keep.pt in image ${dir} is malicious: posix.system`]);
  });

  it('keeps a large image within 1 GB of memory: model files are spooled one at a time, never held (child process maxRSS)', () => {
    const script = `
      import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
      const { scanImage, loadModelScanner } = await import(${JSON.stringify(join(process.cwd(), 'dist/scan/image/index.js'))});
      const dir = process.argv[1];
      const scan = await scanImage(dir, { modelScanner: await loadModelScanner(), tempDir: dir });
      process.stdout.write(JSON.stringify({ rss: process.resourceUsage().maxRSS * 1024, models: scan.models.length, verdicts: [...new Set(scan.models.map((m) => m.verdict))], errors: scan.errors.map((e) => e.code) }));
    `;
    return (async () => {
      // 8 files of 128 MiB: 1 GiB that the old reader held in memory at once.
      const dir = await layout([layer(Array.from({ length: 8 }, (_, i) => ({ name: `models/w${i}.pt`, zeros16: 8 })))]);
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8' })) as { rss: number; models: number; verdicts: string[]; errors: string[] };
      expect([out.models, out.errors]).toEqual([8, []]);
      expect(out.verdicts).toHaveLength(1);
      expect(out.rss).toBeLessThan(1024 * MiB);
      expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    })();
  }, 120_000);

  it('says so on the command line, with the flag that raises the limit', async () => {
    const dir = await layout([layer([{ name: 'models/a.bin', zeros16: 2 }])]);
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, ['dist/cli/main.js', 'scan', 'image', dir, '--format', 'json', '--max-inflated-bytes', '16M'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      status = (error as { status: number }).status;
      stdout = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(stdout) as { findings: Array<{ checkId: string; severity: string; message: string }> };
    expect([status, report.findings.map((f) => [f.checkId, f.severity, f.message])]).toEqual([
      1,
      [['IMAGE_SCAN_LIMIT', 'high', 'stopped reading the image: its layers inflate to more than 16777216 bytes (layer 1 was being read) (limit maxInflatedBytes = 16777216; raise it to read further); what was not read is not known to be safe']],
    ]);
  });
});
