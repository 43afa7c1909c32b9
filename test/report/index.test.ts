import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../src/cli/common.js';
import { reporters } from '../../src/report/index.js';
import { makeReport, plainContext } from './fixture.js';

describe('reporters', () => {
  it('has a reporter for every format the CLI offers, and no other', () => {
    expect(Object.keys(reporters).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  it('json is the report itself, as DESIGN.md defines it', () => {
    const report = makeReport();
    const out = reporters.json(report, plainContext);
    expect(out).toBe(JSON.stringify(report, null, 2));
    expect(JSON.parse(out)).toEqual(report);
  });

  it('never modifies the report it is given', () => {
    const report = makeReport();
    const before = structuredClone(report);
    for (const reporter of Object.values(reporters)) reporter(report, { ...plainContext, showSuppressed: true });
    expect(report).toEqual(before);
  });
});
