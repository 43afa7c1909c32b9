import { describe, expect, it } from 'vitest';
import { AuditLogEngine } from '../../src/auditlog/engine.js';
import { K8S_AUDIT_CATALOG } from '../../src/auditlog/fields/index.js';
import { loadRules, type RuleFile } from '../../src/auditlog/rules/loader.js';

const OPTIONS = { catalog: K8S_AUDIT_CATALOG, engineVersion: '0.63.0', plugins: [{ name: 'k8saudit', version: '0.18.0' }, { name: 'json', version: '0.7.4' }] };
const load = (...texts: string[]) => loadRules(texts.map((text, i): RuleFile => ({ name: `f${i + 1}.yaml`, text })), OPTIONS);
const errs = (l: ReturnType<typeof load>) => l.errors.map((e) => `${e.location?.file}:${e.location?.line}:${e.location?.column} ${e.code} ${e.message}`);

const EVENT = {
  kind: 'Event',
  auditID: 'id-1',
  stage: 'ResponseComplete',
  verb: 'create',
  requestURI: '/api/v1/namespaces/ml/pods?dryRun=All&x=%2Fa+b',
  user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
  objectRef: { resource: 'pods', namespace: 'ml', name: 'p1' },
  responseStatus: { code: 201 },
  requestObject: { spec: { containers: [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'registry.local/team/model@sha256:abc', securityContext: { privileged: true } }] } },
  stageTimestamp: '2026-01-02T03:04:05.123456Z',
};

function fire(l: ReturnType<typeof load>, event: Record<string, unknown> = EVENT): string[] {
  return new AuditLogEngine(l).process(event, { file: 'e', line: 1, column: 1 }).map((a) => `${a.rule}: ${a.output}`);
}

const rule = (name: string, condition: string, output = 'x', extra = '') => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: WARNING\n  source: k8s_audit\n${extra}`;

describe('Falco rule loader', () => {
  it('fills outputs: scalar fields, lists as (a,b), missing values as <NA>, query parameters decoded', () => {
    const l = load(rule('R', 'ka.verb=create', '"u=%ka.user.name g=%ka.user.groups img=%ka.req.pod.containers.image.repository priv=%ka.req.pod.containers.privileged x=%ka.uri.param[x] none=%ka.impuser.name code=%ka.response.code/%ka.target.name w=%4ka.verb|"'));
    expect(errs(l)).toEqual([]);
    expect(fire(l)).toEqual(['R: u=alice g=(dev,system:authenticated) img=(nginx,registry.local/team/model) priv=(true) x=/a b none=<NA> code=201/p1 w=crea|']);
  });

  it('expands lists inside lists and in conditions; a later file appends and overrides', () => {
    const base = `- list: a\n  items: [alice]\n- list: users\n  items: [a, bob]\n${rule('R', 'ka.user.name in (users)')}`;
    expect(fire(load(base))).toEqual(['R: x']);
    expect(fire(load(base, '- list: users\n  items: [carol]\n'))).toEqual([]);
    expect(fire(load(base, '- list: users\n  items: [carol]\n', '- list: users\n  items: [alice]\n  override:\n    items: append\n'))).toEqual(['R: x']);
  });

  it('macros see the macros defined before them; rules see every macro; appends concatenate text', () => {
    const text = `- macro: m1\n  condition: ka.verb=create\n- macro: m2\n  condition: m1 and m3\n- macro: m3\n  condition: ka.user.name=alice\n${rule('R', 'm1')}`;
    // m2 names m3, defined after it: an error even unused, as Falco resolves every macro.
    const l = load(text);
    expect(errs(l)).toEqual(["f1.yaml:4:21 AUDITLOG_CONDITION_INVALID macro 'm2': Undefined macro 'm3' used in filter."]);
    expect(errs(load(text, rule('Uses m2', 'm2')))).toEqual([...errs(l), "f2.yaml:3:14 AUDITLOG_CONDITION_INVALID rule 'Uses m2': macro 'm2' could not be compiled: f1.yaml:4:21: Undefined macro 'm3' used in filter."]);
    expect(fire(load(text, '- macro: m1\n  condition: and ka.user.name=bob\n  override:\n    condition: append\n'))).toEqual([]);
    expect(fire(load(text, '- macro: m1\n  condition: or ka.user.name=bob\n  append: true\n'))).toEqual(['R: x']);
  });

  it('rule overrides: replace priority and condition, append output, switch off with enabled', () => {
    const base = rule('R', 'ka.verb=delete', 'out');
    expect(fire(load(base))).toEqual([]);
    const l = load(base, `- rule: R\n  condition: ka.verb=create\n  output: (more)\n  priority: ERROR\n  override:\n    condition: replace\n    output: append\n    priority: replace\n`);
    expect(errs(l)).toEqual([]);
    expect(l.rules[0]?.priority).toBe('Error');
    expect(fire(l)).toEqual(['R: out (more)']);
    expect(fire(load(base, '- rule: R\n  condition: or ka.verb=create\n  append: true\n', '- rule: R\n  enabled: false\n'))).toEqual([]);
    expect(load(base, '- rule: R\n  enabled: false\n').warnings.map((w) => w.message)[0]).toMatch(/standalone 'enabled'/);
  });

  it('exceptions become "and not" clauses, as Falco builds them', () => {
    const l = load(rule('R', 'ka.verb=create', 'x', '  exceptions:\n    - name: known\n      fields: [ka.user.name, ka.target.namespace]\n      comps: [=, in]\n      values:\n        - [alice, [ml, prod]]\n'));
    expect(errs(l)).toEqual([]);
    expect(fire(l)).toEqual([]);
    expect(fire(l, { ...EVENT, user: { username: 'bob' } })).toEqual(['R: x']);
    const single = load(rule('R', 'ka.verb=create', 'x', '  exceptions:\n    - name: u\n      fields: ka.user.name\n      values: [bob]\n'));
    expect(fire(single)).toEqual(['R: x']);
    expect(fire(single, { ...EVENT, user: { username: 'bob' } })).toEqual([]);
  });

  it('refuses a rule, not the file, on an unknown field, macro, operator or syntax error, with file:line:column', () => {
    const text = [rule('Good', 'ka.verb=create'), rule('Unknown field', 'ka.verb=create and ka.nope=1'), rule('Unknown macro', 'kevt_missing'), rule('Syntax', 'ka.verb=create and (ka.user.name=a'), rule('List op', 'ka.user.groups contains dev'), rule('Arg', 'ka.uri.param exists'), rule('Bad output', 'ka.verb=create', '"x %ka.bogus.field"')].join('');
    const l = load(text);
    expect(errs(l)).toEqual([
      "f1.yaml:9:33 AUDITLOG_CONDITION_INVALID rule 'Unknown field': nonexistent field 'ka.nope'",
      "f1.yaml:15:14 AUDITLOG_CONDITION_INVALID rule 'Unknown macro': Undefined macro 'kevt_missing' used in filter.",
      "f1.yaml:21:48 AUDITLOG_CONDITION_INVALID rule 'Syntax': expected a ')' token",
      "f1.yaml:27:14 AUDITLOG_CONDITION_INVALID rule 'List op': 'contains' operator not supported list filters (field 'ka.user.groups' yields a list: use 'in', 'intersects' or 'exists')",
      "f1.yaml:33:14 AUDITLOG_CONDITION_INVALID rule 'Arg': field 'ka.uri.param' requires an argument",
      "f1.yaml:40:14 AUDITLOG_CONDITION_INVALID rule 'Bad output': unknown filter: nonexistent field 'ka.bogus.field' in output",
    ]);
    expect(l.rules.map((r) => r.name)).toEqual(['Good']);
    expect(fire(l)).toEqual(['Good: x']);
  });

  it('refuses items that break the schema, and appends to what does not exist', () => {
    const l = load(`- rule: No priority\n  desc: d\n  condition: ka.verb=create\n  output: o\n- list: l\n  items: [a]\n  append: true\n- macro: m\n  condition: ka.verb=get\n  override:\n    condition: prepend\n- rule: Ghost\n  condition: ka.verb=get\n  override:\n    condition: append\n- 42\n-\n${rule('Bad priority', 'ka.verb=get').replace('WARNING', 'LOUD')}`);
    expect(errs(l)).toEqual([
      "f1.yaml:1:3 AUDITLOG_RULE_INVALID Item has no mapping for key 'priority'",
      "f1.yaml:5:3 AUDITLOG_NO_PREVIOUS List uses 'append' or 'override.items: append' but no list by that name already exists",
      "f1.yaml:11:5 AUDITLOG_RULE_INVALID Invalid override operation for key 'condition': 'prepend'. Allowed values are: append replace",
      "f1.yaml:12:3 AUDITLOG_NO_PREVIOUS Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
      'f1.yaml:16:3 AUDITLOG_RULE_INVALID Unexpected element type. Each element should be a yaml associative array.',
      'f1.yaml:22:13 AUDITLOG_RULE_INVALID Invalid priority',
    ]);
  });

  it('refuses a whole file on a YAML error, a newer engine or a plugin it does not provide', () => {
    const good = rule('Good', 'ka.verb=create');
    expect(errs(load(`${good}- rule: [\n`))).toEqual(['f1.yaml:8:1 AUDITLOG_RULES_YAML Flow sequence in block collection must be sufficiently indented and end with a ]; the file is refused']);
    expect(errs(load(`- required_engine_version: 0.99.0\n${good}`))).toEqual(['f1.yaml:1:3 AUDITLOG_ENGINE_VERSION Rules require engine version 0.99.0, but palisade implements engine version 0.63.0; the file is refused']);
    expect(load(`- required_engine_version: 15\n${good}`).rules).toHaveLength(1);
    const plugins = `- required_plugin_versions:\n    - name: k8saudit-gke\n      version: 0.1.0\n${good}`;
    expect(errs(load(plugins))).toEqual(['f1.yaml:2:7 AUDITLOG_PLUGIN_VERSION Rules require plugin k8saudit-gke 0.1.0, but palisade provides the fields of k8saudit 0.18.0, json 0.7.4; the file is refused']);
    expect(load(`- required_plugin_versions:\n    - name: k8saudit\n      version: 0.7.0\n      alternatives: [{name: k8saudit-eks, version: 0.1.0}]\n${good}`).rules).toHaveLength(1);
  });

  it('skips rules of other sources with one warning per file, keeping them for appends', () => {
    const l = load('- rule: Sys\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n', '- rule: Sys\n  condition: and proc.name=x\n  append: true\n');
    expect(errs(l)).toEqual([]);
    expect(l.warnings.map((w) => w.message)).toContain("1 rule(s) of source 'syscall' skipped: palisade evaluates 'k8s_audit' rules");
  });

  it('a list name used as a single value is replaced only when it has one item', () => {
    expect(fire(load(`- list: who\n  items: [alice]\n${rule('R', 'ka.user.name = who')}`))).toEqual(['R: x']);
    expect(errs(load(`- list: who\n  items: [alice, bob]\n${rule('R', 'ka.user.name in who')}`))).toEqual(["f1.yaml:5:14 AUDITLOG_CONDITION_INVALID rule 'R': list 'who' has 2 items where one value is expected; write '(who)' after in/intersects/pmatch"]);
  });
});
