import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { DEFAULT_LIMITS, LIMIT_NAMES } from '../../../src/scan/model/policy/limits.js';
import { LIMIT_FLAGS } from '../../../src/cli/scan-model.js';
import { palisade } from '../../helpers/cli.js';
import { bytes, global, op, sbu, zip } from './helpers.js';

/** PROTO 2, EMPTY_LIST, MARK, n × BININT1, APPENDS, STOP: exactly n + 5 opcodes. */
function listPickle(n: number, payload = false): Uint8Array {
  const items: number[] = [];
  for (let i = 0; i < n; i++) items.push(op('BININT1'), i & 0xff);
  return bytes(op('PROTO'), 2, op('EMPTY_LIST'), op('MARK'), items, op('APPENDS'), ...(payload ? [op('POP'), ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE')] : []), op('STOP'));
}

describe('ScanLimits.maxOpcodes is enforced across the whole scan of one file', () => {
  it('a pickle needing more opcodes than the limit stops with SCAN_LIMIT_REACHED (maxOpcodes), one within it is judged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 3000 }), async (n, limit) => {
        const r = await scanModelBytes(listPickle(n), 'm.pkl', { limits: { maxOpcodes: limit } });
        if (n + 5 <= limit) expect(r.findings).toEqual([]);
        else expect([r.verdict, r.findings.map((f) => f.rule), r.findings[0]?.message]).toEqual(['suspicious', ['SCAN_LIMIT_REACHED'], expect.stringContaining(`stopped after ${limit} opcodes`)]);
      }),
      { numRuns: 100 },
    );
  });

  it('the budget is shared by every member of an archive, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 5, max: 900 }), async (sizes, limit) => {
        const archive = zip(sizes.map((n, i) => ({ name: `m${i}.pkl`, data: listPickle(n) })));
        const r = await scanModelBytes(archive, 'a.zip', { limits: { maxOpcodes: limit } });
        // Members are judged in order; the first whose opcodes pass the running total is stopped, and so is every later one.
        const expected: string[] = [];
        let used = 0;
        for (const [i, n] of sizes.entries()) {
          if (used + n + 5 > limit) {
            expected.push(`m${i}.pkl`);
            used = limit;
          } else {
            used += n + 5;
          }
        }
        expect(r.findings.map((f) => [f.rule, f.member])).toEqual(expected.map((m) => ['SCAN_LIMIT_REACHED', m]));
      }),
      { numRuns: 60 },
    );
  });

  it('a payload after the limit is not claimed safe: the verdict is at least suspicious', async () => {
    const r = await scanModelBytes(listPickle(500, true), 'm.pkl', { limits: { maxOpcodes: 100 } });
    expect(r.verdict).toBe('suspicious');
    const full = await scanModelBytes(listPickle(500, true), 'm.pkl');
    expect(full.verdict).toBe('malicious');
  });
});

describe('limits as CLI flags', () => {
  it('every limit has a flag named after it', () => {
    expect(LIMIT_FLAGS.map((l) => l.name).sort()).toEqual([...LIMIT_NAMES].sort());
    for (const l of LIMIT_FLAGS) expect(l.flag).toBe(`--${l.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    expect(DEFAULT_LIMITS.maxOpcodes).toBeGreaterThan(0);
  });

  it('--max-opcodes and --max-inflated-member reach the scan; sizes take K/M/G; bad values are usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-limits-'));
    writeFileSync(join(dir, 'big.pkl'), listPickle(2000));
    const stopped = palisade(['scan', 'model', join(dir, 'big.pkl'), '--format', 'json', '--max-opcodes', '1000']);
    const files = (JSON.parse(stopped.stdout) as { files: Array<{ findings: Array<{ rule: string; message: string }> }> }).files;
    expect(files[0]?.findings.map((f) => f.rule)).toEqual(['SCAN_LIMIT_REACHED']);
    const fine = palisade(['scan', 'model', join(dir, 'big.pkl'), '--format', 'json', '--max-opcodes', '3000', '--max-inflated-member', '1M']);
    expect((JSON.parse(fine.stdout) as { files: Array<{ findings: unknown[] }> }).files[0]?.findings).toEqual([]);
    const bad = palisade(['scan', 'model', join(dir, 'big.pkl'), '--max-opcodes', '1k']);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--max-opcodes expects a positive integer, got "1k"')]);
  });
});
