import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/core/load.js';
import { buildModel, computeMatrix, formatCsv, formatDot, formatMd, formatTxt, toConnections, type Connection } from '../../src/netpol/index.js';

/**
 * One golden per scenario and format (style.md rule 7). `UPDATE_GOLDEN=1` rewrites them; a missing
 * or an extra golden file fails. The txt goldens are np-guard's own expected files.
 */
const corpus = fileURLToPath(new URL('../../../shared/conformance/netpol/', import.meta.url));
const golden = fileURLToPath(new URL('./golden/', import.meta.url));
const SCENARIOS = ['onlineboutique', 'anp/anp_banp_blog_demo', 'with_end_port_example'];
const FORMATS: Record<string, (c: Connection[]) => string> = { csv: formatCsv, md: formatMd, dot: formatDot, json: (c) => JSON.stringify(c, null, 2) + '\n' };
const update = process.env.UPDATE_GOLDEN === '1';
const fileName = (scenario: string, format: string): string => `${scenario.replace(/\//g, '__')}.${format}`;

describe('netpol matrix formats', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: txt equals np-guard, and every other format equals its golden`, async () => {
      const model = buildModel((await load([corpus + scenario + '/manifests'])).resources, 'np-guard');
      const connections = toConnections(computeMatrix(model));
      expect(formatTxt(connections)).toBe(readFileSync(corpus + scenario + '/expected_connlist.txt', 'utf8'));
      for (const [format, render] of Object.entries(FORMATS)) {
        const path = golden + fileName(scenario, format);
        if (update) {
          mkdirSync(golden, { recursive: true });
          writeFileSync(path, render(connections));
        }
        expect(existsSync(path), `missing golden ${path} (UPDATE_GOLDEN=1 writes it)`).toBe(true);
        expect(render(connections)).toBe(readFileSync(path, 'utf8'));
      }
    });
  }

  it('has no golden without a scenario', () => {
    const wanted = SCENARIOS.flatMap((s) => Object.keys(FORMATS).map((f) => fileName(s, f))).sort();
    expect(readdirSync(golden).sort()).toEqual(wanted);
  });
});
