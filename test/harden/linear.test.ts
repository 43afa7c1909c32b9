import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * `harden --write --format json` stays linear in the documents (issue 14: 1,000 documents took 54 s
 * because the unified diff, quadratic in the worst case, was built after the file was written even
 * when no format printed it). Structural: the diff library is counted, not the clock.
 */
const patches = vi.hoisted(() => ({ calls: 0 }));
vi.mock('diff', async (importOriginal) => {
  const original = await importOriginal<typeof import('diff')>();
  return {
    ...original,
    createTwoFilesPatch: (...args: Parameters<typeof original.createTwoFilesPatch>) => {
      patches.calls++;
      return original.createTwoFilesPatch(...args);
    },
  };
});

const { register } = await import('../../src/cli/harden.js');

const dir = mkdtempSync(join(tmpdir(), 'palisade-harden-linear-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pod = (i: number): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: web-${i}}\nspec:\n  containers:\n  - name: app\n    image: busybox\n`;

/** One harden command line in this process; stdout is captured. */
async function harden(args: string[]): Promise<{ code: number; stdout: string }> {
  let code = 0;
  const out: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const program = new Command('palisade').exitOverride();
    register(program, (c) => (code = c));
    await program.parseAsync(['node', 'palisade', 'harden', ...args]);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  return { code, stdout: out.join('') };
}

describe('harden --write', () => {
  beforeEach(() => {
    patches.calls = 0;
  });

  it('builds no diff when no format prints one (--format json), however many documents', async () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => pod(i)).join('---\n'));
    const run = await harden([file, '--write', '--format', 'json', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { path: string; changed: boolean; changes: number }[] };
    // Seven changes a pod: drop ALL, allowPrivilegeEscalation, runAsNonRoot, runAsUser, runAsGroup, fsGroup, seccompProfile.
    expect(report.files).toEqual([{ path: file, changed: true, changes: 700, written: file }]);
    expect(readFileSync(file, 'utf8').match(/runAsNonRoot: true/g)).toHaveLength(100);
    expect(patches.calls).toBe(0);
  });

  it('builds the diff once per file when the diff is what stdout carries (the counter can fail)', async () => {
    const files = [join(dir, 'a.yaml'), join(dir, 'b.yaml')];
    for (const f of files) writeFileSync(f, pod(0));
    const run = await harden([...files, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('+    runAsNonRoot: true');
    expect(patches.calls).toBe(2);
  });
});
