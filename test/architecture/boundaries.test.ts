import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, importsOf } from '../../scripts/boundaries.mjs';
import { ROOT } from '../helpers/shared.js';

/**
 * The import-boundary check of docs/architecture.md (scripts/boundaries.mjs, run by `npm run lint`):
 * the real tree passes, and each kind of violation is caught in a small made-up tree.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'palisade-boundaries-'));
  dirs.push(root);
  const base: Record<string, string> = { 'core/types.ts': 'export type X = 1;\n', 'cli/main.ts': '', 'netpol/index.ts': '', 'pss/index.ts': '', 'report/index.ts': '' };
  for (const [path, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import boundaries', () => {
  it('src/ keeps them: no violation, no cycle between parts', () => {
    expect(check(join(ROOT, 'src')).problems).toEqual([]);
  });

  it('a well-layered tree passes: front doors, sub-part index, ruleset, core files, packages', () => {
    const root = tree({
      'cli/main.ts': "import { a } from '../netpol/index.js';\nimport { r } from '../pss/ruleset.js';\nimport { x } from '../netpol/lint/index.js';\nimport 'node:fs';\n",
      'pss/ruleset.ts': '',
      'netpol/lint/index.ts': '',
      'netpol/a.ts': "import type { X } from '../core/types.js';\nimport { b } from './b.js';\n",
    });
    expect(check(root).problems).toEqual([]);
  });

  it('catches an engine importing the CLI or a reporter, statically, dynamically, re-exported or as a type', () => {
    const root = tree({
      'netpol/a.ts': "import { main } from '../cli/main.js';\nexport * from '../report/index.js';\n",
      'netpol/b.ts': "const f = async () => (await import('../cli/main.js')).main;\ntype T = import('../report/index.js').R;\n",
    });
    expect(check(root).problems).toEqual([
      "src/netpol/a.ts: netpol/ (engine) may not import cli/ (cli): ../cli/main.js",
      "src/netpol/a.ts: imports ../cli/main.js, inside cli/: import its index.ts (export what you need there)",
      'src/netpol/a.ts: netpol/ (engine) may not import report/ (report): ../report/index.js',
      "src/netpol/b.ts: netpol/ (engine) may not import cli/ (cli): ../cli/main.js",
      "src/netpol/b.ts: imports ../cli/main.js, inside cli/: import its index.ts (export what you need there)",
      'src/netpol/b.ts: netpol/ (engine) may not import report/ (report): ../report/index.js',
    ]);
  });

  it('catches core importing upward and reports importing engines', () => {
    const root = tree({ 'core/load.ts': "import { t } from '../workloads/index.js';\n", 'workloads/index.ts': '', 'report/html.ts': "import type { G } from '../netpol/index.js';\n" });
    expect(check(root).problems).toEqual([
      'src/core/load.ts: core/ (core) may not import workloads/ (workloads): ../workloads/index.js',
      'src/report/html.ts: report/ (report) may not import netpol/ (engine): ../netpol/index.js',
    ]);
  });

  it('catches a reach past the front door, a part in no layer, and a file outside src/', () => {
    const root = tree({ 'pss/evaluate.ts': '', 'cli/main.ts': "import { e } from '../pss/evaluate.js';\nimport p from '../../package.json';\n", 'newpart/index.ts': '' });
    expect(check(root).problems).toEqual([
      'src/cli/main.ts: imports ../pss/evaluate.js, inside pss/: import its index.ts (export what you need there)',
      'src/cli/main.ts: imports ../../package.json, outside src/',
      'src/newpart/index.ts: part newpart/ is in no layer (add it to LAYERS in scripts/boundaries.mjs and to docs/architecture.md)',
    ]);
  });

  it('catches a cycle between engines', () => {
    const root = tree({ 'netpol/index.ts': "import { p } from '../pss/index.js';\n", 'pss/index.ts': "export { n } from '../netpol/index.js';\n" });
    expect(check(root).problems).toEqual(['parts import each other in a cycle: netpol -> pss -> netpol']);
  });

  it('refuses an import() of a computed path, and ignores import( in strings and comments', () => {
    expect(importsOf("const m = await import(name);\nconst s = 'import(x)';\n// import(y)\nconst t = `import(${z})`;\nawait import('./a.js');\n")).toEqual({ specifiers: ['./a.js'], computed: [1] });
    expect(importsOf("await import('./a' + suffix);\n").computed).toEqual([1]);
  });
});
