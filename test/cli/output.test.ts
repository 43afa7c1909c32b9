import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/cli/output.js';
import { createProgress } from '../../src/cli/progress.js';

describe('report files', () => {
  it('on a full disk, fails with the file named and leaves neither a 0-byte copy nor a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-out-'));
    const file = join(dir, 'report.sarif');
    const full = {
      open: (async (path: string, flags: string, mode: number) => {
        const handle = await open(path, flags, mode);
        return Object.assign(Object.create(handle) as typeof handle, {
          writeFile: async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
          close: () => handle.close(),
          sync: () => handle.sync(),
        });
      }) as unknown as typeof open,
      rename,
    };
    await expect(writeOutput(file, 'x'.repeat(1000), full)).rejects.toThrow(`cannot write ${file}: ENOSPC: no space left on device, write`);
    expect(readdirSync(dir)).toEqual([]);
    // An existing report is kept whole when the new one cannot be written.
    writeFileSync(file, 'previous');
    await expect(writeOutput(file, 'new', full)).rejects.toThrow('ENOSPC');
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['report.sarif']);
    await writeOutput(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.sarif']);
  });
});

describe('progress line', () => {
  const stream = (isTTY: boolean): { isTTY: boolean; text: string; write: (t: string) => boolean } => {
    const s = { isTTY, text: '', write: (t: string) => ((s.text += t), true) };
    return s;
  };

  it('stays silent for two seconds, then updates at most every 100 ms, and erases itself', () => {
    let now = 0;
    const tty = stream(true);
    const progress = createProgress(tty, { enabled: true, now: () => now });
    progress.update(() => '1 of 9 files');
    now = 1999;
    progress.update(() => '2 of 9 files');
    expect(tty.text).toBe('');
    now = 2000;
    progress.update(() => '3 of 9 files');
    now = 2050;
    progress.update(() => '4 of 9 files');
    now = 2100;
    progress.update(() => '5 of 9 files');
    progress.done();
    expect(tty.text).toBe('\r\x1b[2Kpalisade: 3 of 9 files\r\x1b[2Kpalisade: 5 of 9 files\r\x1b[2K');
  });

  it('never writes to a pipe or with --quiet', () => {
    let now = 0;
    for (const [s, enabled] of [[stream(false), true], [stream(true), false]] as const) {
      const progress = createProgress(s, { enabled, now: () => now });
      now = 5000;
      progress.update(() => 'x');
      progress.done();
      expect(s.text).toBe('');
    }
  });
});

describe('a reader that closes the pipe early (`palisade … | head`)', () => {
  it('ends the run quietly with 141, as a shell reports for tools a closed pipe stops, not with an EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const { ROOT } = await import('../helpers/shared.js');
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'checks', 'list', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The reader goes away before the report is written.
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect([status, stderr]).toEqual([141, '']);
  });
});
