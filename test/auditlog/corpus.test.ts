import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLogEngine } from '../../src/auditlog/engine.js';
import { readEvents } from '../../src/auditlog/events.js';
import { K8S_AUDIT_CATALOG } from '../../src/auditlog/fields/index.js';
import { loadRules, type RuleFile } from '../../src/auditlog/rules/loader.js';
import { SHARED } from '../helpers/shared.js';

const CORPUS = join(SHARED, 'corpus/audit-events');
const RULESETS = join(CORPUS, 'rulesets');
const OVERRIDES = join(RULESETS, 'falcosecurity__falco__test-rules-k8s_audit');

interface FalcoEntry {
  file: string;
  line: number | 'all';
  source: string;
  engine: string;
  overrides: Array<{ file: string }>;
  expect_detect: boolean;
  expected_rules: Array<{ rule: string; count: number }>;
}

const index = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Array<Record<string, unknown>>;
const falco = index.filter((e) => String(e.file).startsWith('falcosecurity__falco/')) as unknown as FalcoEntry[];

const read = (path: string, name = path): RuleFile => ({ name, text: readFileSync(path, 'utf8') });
const options = { catalog: K8S_AUDIT_CATALOG, engineVersion: '0.63.0', plugins: [{ name: 'k8saudit', version: '0.18.0' }, { name: 'json', version: '0.7.4' }] };

describe('Falco k8s audit regression expectations', () => {
  for (const entry of falco) {
    it(`${entry.source.split('#')[1]} (${entry.file})`, () => {
      const legacy = entry.engine.startsWith('falco legacy');
      const files = [read(join(__dirname, 'fixtures/falco_rules_lists@f6b94fb.yaml')), read(legacy ? join(OVERRIDES, 'engine_v4_k8s_audit_rules.yaml') : join(RULESETS, 'falcosecurity__plugins__k8s_audit_rules@0b6e12b5b9b3.yaml')), ...entry.overrides.map((o) => read(join(OVERRIDES, o.file)))];
      const loaded = loadRules(files, options);
      // The 2019 engine-v4 file uses 'contains' on a list field, which today's engine refuses: that rule alone is dropped.
      expect(loaded.errors.map((e) => `${e.code} ${e.location?.line}: ${e.message}`)).toEqual(legacy ? ["AUDITLOG_CONDITION_INVALID 284: rule 'ClusterRole With Pod Exec Created': 'contains' operator not supported list filters (field 'ka.req.role.rules.resources' yields a list: use 'in', 'intersects' or 'exists')"] : []);
      const engine = new AuditLogEngine(loaded);
      const { events, errors } = readEvents(entry.file, readFileSync(join(CORPUS, entry.file), 'utf8'));
      expect(errors).toEqual([]);
      const alerts = events.filter((e) => entry.line === 'all' || e.line === entry.line).flatMap((e) => engine.process(e.event, { file: e.file, line: e.line, column: 1 }));
      const counts: Record<string, number> = {};
      for (const a of alerts) counts[a.rule] = (counts[a.rule] ?? 0) + 1;
      if (!entry.expect_detect) expect(counts, JSON.stringify(loaded.errors.map((e) => e.format()))).toEqual({});
      for (const r of entry.expected_rules) expect(counts[r.rule] ?? 0, `${r.rule} in ${JSON.stringify(counts)} errors ${JSON.stringify(loaded.errors.map((e) => e.format()))}`).toBe(r.count);
    });
  }
});

describe("the corpus's other events", () => {
  const files = JSON.parse(readFileSync(join(CORPUS, 'files.json'), 'utf8')) as Array<{ file: string; events: number }>;
  it('every event of every file parses (Panther, rbac-tool, audit2rbac and Falco traces)', () => {
    for (const f of files) {
      const { events, errors } = readEvents(f.file, readFileSync(join(CORPUS, f.file), 'utf8'));
      expect(errors.map((e) => e.format()), f.file).toEqual([]);
      expect(events.length, f.file).toBe(f.events);
    }
  });

  it("today's Falco ruleset (0b3cbd8d) loads cleanly and the positive expectations hold under the rules' current names", () => {
    const loaded = loadRules([read(join(RULESETS, 'falcosecurity__plugins__k8s_audit_rules@0b3cbd8d84eb.yaml'))], options);
    expect(loaded.errors).toEqual([]);
    for (const entry of falco.filter((e) => e.expect_detect && e.overrides.length === 0 && !e.engine.startsWith('falco legacy'))) {
      const engine = new AuditLogEngine(loaded);
      const { events } = readEvents(entry.file, readFileSync(join(CORPUS, entry.file), 'utf8'));
      const rules = events.flatMap((e) => engine.process(e.event, { file: e.file, line: e.line, column: 1 })).map((a) => a.rule);
      for (const r of entry.expected_rules as Array<{ rule: string; count: number; current_name?: string }>) {
        const names = r.current_name ? r.current_name.split(' | ') : [r.rule];
        expect(rules.filter((x) => names.includes(x)).length, `${entry.source}: ${rules.join(', ')}`).toBe(r.count);
      }
    }
  });
});
