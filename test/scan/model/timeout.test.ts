import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes, scanModelPaths, type ModelFinding, type ScannedFile } from '../../../src/scan/model/index.js';
import { deadlineAfter, type ScanDeadline } from '../../../src/scan/model/policy/limits.js';
import { palisade } from '../../helpers/cli.js';
import { bytes, global, op, sbu, zip } from './helpers.js';

/** PROTO 2, EMPTY_LIST, MARK, n × BININT1, APPENDS, STOP: n + 5 opcodes, safe. */
function listPickle(n: number): Uint8Array {
  const items = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) items.set([op('BININT1'), i & 0xff], 2 * i);
  return bytes(op('PROTO'), 2, op('EMPTY_LIST'), op('MARK'), items, op('APPENDS'), op('STOP'));
}
const EVIL = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));

/** 512-byte ustar header + content padded to 512. */
function tar(members: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const m of members) {
    const h = new Uint8Array(512);
    h.set(new TextEncoder().encode(m.name), 0);
    h.set(new TextEncoder().encode('0000644\0'), 100);
    h.set(new TextEncoder().encode('0000000\0'), 108);
    h.set(new TextEncoder().encode('0000000\0'), 116);
    h.set(new TextEncoder().encode(m.data.length.toString(8).padStart(11, '0') + '\0'), 124);
    h.set(new TextEncoder().encode('00000000000\0'), 136);
    h[156] = 0x30;
    h.set(new TextEncoder().encode('ustar\0' + '00'), 257);
    h.fill(0x20, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    blocks.push(h, m.data, new Uint8Array((512 - (m.data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return bytes(...blocks);
}

/** A deadline that passes after it has been asked `k` times (a clock that ticks per question). */
function afterQuestions(k: number): ScanDeadline & { asked: () => number } {
  let asked = 0;
  return { timeoutMs: 2500, expired: () => ++asked > k, asked: () => asked };
}

const isTimeout = (f: ModelFinding): boolean => f.rule === 'SCAN_LIMIT_REACHED' && f.message.includes('time limit passed');
const NOT_READ = 'this file was not read';

describe('scan model --timeout: a wall-clock bound that ends in a finding, never a hang', () => {
  it('stops a long pickle at its next clock check with SCAN_LIMIT_REACHED (timeout), suspicious', async () => {
    const data = listPickle(300_000);
    const deadline = afterQuestions(1);
    const r = await scanModelBytes(data, 'long.pkl', { deadline });
    expect([r.verdict, r.findings.map((f) => [f.rule, f.message])]).toEqual([
      'suspicious',
      [['SCAN_LIMIT_REACHED', `pickle reading stopped at offset ${r.findings[0]!.offset}: the scan's 2.5 s time limit passed; what was not read is not known to be safe (raise the timeout limit to read it)`]],
    ]);
    // asked at 65,536 opcodes (not yet), stopped at the 131,072nd (BININT1 number 131,069): the rest of the 300,005 was never run
    expect(deadline.asked()).toBe(2);
    expect(r.findings[0]!.offset).toBe(4 + 2 * (131_072 - 4));
  });

  it('deadlineAfter reads only the clock it is given', () => {
    let now = 1000;
    const d = deadlineAfter(500, () => now);
    expect(d.expired()).toBe(false);
    now = 1499;
    expect(d.expired()).toBe(false);
    now = 1500;
    expect(d.expired()).toBe(true);
  });

  it('over generated sets of pickles, zips and tars: each file is judged as without a deadline, or carries the timeout finding and is never safe; files after the first unread one are unread (property)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-timeout-'));
    const member = fc.oneof(fc.integer({ min: 0, max: 70_000 }).map(listPickle), fc.constant(EVIL));
    const file = fc.oneof(
      member.map((data) => ({ ext: 'pkl', data })),
      fc.array(member, { minLength: 1, maxLength: 4 }).map((ms) => ({ ext: 'zip', data: zip(ms.map((data, i) => ({ name: `m${i}.pkl`, data }))) })),
      fc.array(member, { minLength: 1, maxLength: 4 }).map((ms) => ({ ext: 'tar', data: tar(ms.map((data, i) => ({ name: `m${i}.pkl`, data }))) })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 12 }), async (files, k) => {
        const paths = files.map((f, i) => {
          const path = join(dir, `r${run}-f${i}.${f.ext}`);
          writeFileSync(path, f.data);
          return path;
        });
        run++;
        const reference = await scanModelPaths(paths, { hash: false });
        const bounded = await scanModelPaths(paths, { hash: false, deadline: afterQuestions(k) });
        expect(bounded.files.map((f) => f.path)).toEqual(paths);
        let unread = false;
        bounded.files.forEach((got: ScannedFile, i) => {
          const timedOut = got.findings.some(isTimeout);
          if (got.findings.some((f) => f.message.startsWith(NOT_READ))) unread = true;
          else expect(unread, 'a file after an unread one was read').toBe(false);
          if (timedOut) expect(got.verdict === 'suspicious' || got.verdict === 'malicious').toBe(true);
          else expect(got).toEqual(reference.files[i]);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('a deadline that never passes changes nothing (same files, same findings)', async () => {
    const files = [listPickle(100_000), zip([{ name: 'a.pkl', data: EVIL }, { name: 'b.pkl', data: listPickle(10) }]), tar([{ name: 'x.pkl', data: listPickle(70_000) }])];
    for (const data of files) {
      const never = { timeoutMs: 1, expired: () => false };
      expect(await scanModelBytes(data, 'f', { deadline: never })).toEqual(await scanModelBytes(data, 'f'));
    }
  });

  it('the CLI: --timeout ends a scan with the timeout finding (suspicious: exit 1 at --fail-on medium); a bad value is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-timeout-cli-'));
    const path = join(dir, 'long.pkl');
    writeFileSync(path, listPickle(3_000_000));
    const run = palisade(['scan', 'model', path, '--timeout', '0.001', '--format', 'json', '--no-hash', '--fail-on', 'medium']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { files: ScannedFile[] };
    expect(report.files.map((f) => [f.verdict, f.findings.map((x) => x.rule)])).toEqual([['suspicious', ['SCAN_LIMIT_REACHED']]]);
    expect(report.files[0]!.findings[0]!.message).toContain("the scan's 0.001 s time limit passed");
    const bad = palisade(['scan', 'model', path, '--timeout', 'soon']);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--timeout expects a positive duration')]);
  });
});
