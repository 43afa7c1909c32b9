import { readdirSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { reporters } from '../../src/report/index.js';
import { makeReport, plainContext } from './fixture.js';
import { GOLDEN_DIR, expectGolden } from './golden.js';

/** Every format on the fixture report: one reviewed golden each, plus text in colour. */
const SCENARIOS: Array<{ golden: string; render: () => string }> = [
  { golden: 'text.txt', render: () => reporters.text(makeReport(), plainContext) },
  { golden: 'text-color-suppressed.ansi', render: () => reporters.text(makeReport(), { ...plainContext, color: true, showSuppressed: true }) },
  { golden: 'json.json', render: () => reporters.json(makeReport(), plainContext) },
  { golden: 'sarif.sarif', render: () => reporters.sarif(makeReport(), plainContext) },
  { golden: 'junit.xml', render: () => reporters.junit(makeReport(), plainContext) },
  { golden: 'policyreport.yaml', render: () => reporters.policyreport(makeReport(), plainContext) },
  { golden: 'github.txt', render: () => reporters.github(makeReport(), plainContext) },
];

describe('golden output of every format', () => {
  for (const { golden, render } of SCENARIOS) {
    it(golden, () => expectGolden(golden, render()));
  }

  it('has no golden file that no scenario produces', () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(SCENARIOS.map((s) => s.golden).sort());
  });

  it('renders the same whatever order the findings come in', () => {
    const reversed = makeReport([...makeReport().findings].reverse());
    for (const format of ['text', 'sarif', 'junit', 'policyreport', 'github'] as const) {
      expect(reporters[format](reversed, plainContext)).toBe(reporters[format](makeReport(), plainContext));
    }
  });
});
