/**
 * Falco rule files, read as Falco's rule loader reads them (falcosecurity/falco
 * userspace/engine/rule_loader_{reader,collector,compiler}.cpp): `rule`, `macro` and `list` items,
 * `append: true` and `override: {key: append|replace}`, the standalone `enabled` item,
 * `exceptions`, `required_engine_version` and `required_plugin_versions`. Later files append to and
 * override earlier ones, as `falco -r a.yaml -r b.yaml` does; macros see the macros defined before
 * them, rules see every macro; a list name inside a list, or as a value in a condition, is
 * replaced by its items.
 *
 * Strictness, and where palisade differs: Falco refuses to start on the first error. palisade
 * reports every error with file:line:column and refuses only what the error touches: the item (a
 * rule, macro or list), or the rules that use a broken macro; a YAML syntax error, or a file that
 * requires a newer engine or a plugin palisade does not emulate, refuses the whole file. One
 * mistyped override must not silence every other detection, the way one bad manifest never hides
 * the findings of the others (DESIGN.md), and a scan in CI has no operator to notice a refusal.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import { PalisadeError } from '../../core/errors.js';
import type { Location } from '../../core/types.js';
import { cloneExpr, locate, type Expr, type SourceLoc } from '../filter/ast.js';
import { compileCondition, EvalContext, FieldSlots, FilterCompileError, type Predicate, type ValueReader } from '../filter/compile.js';
import { INDEX_FIELDS } from './ruleIndex.js';
import { FilterSyntaxError, parseCondition } from '../filter/parser.js';
import type { FieldCatalog } from '../fields/types.js';
import { compileOutput, type CompiledOutput } from './output.js';

/** Falco's priorities, most severe first, as Falco writes them in alerts. */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Case-insensitive, with "info" for Informational, as falco_common::parse_priority. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.toLowerCase();
  if (lower === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === lower);
}

export interface RuleFile {
  /** Shown in locations: a path, or `<bundled>/name.yaml`. */
  name: string;
  text: string;
}

/** What the loader emulates: the engine version and the plugins whose fields the catalog offers. */
export interface LoaderOptions<E> {
  catalog: FieldCatalog<E>;
  engineVersion: string;
  plugins: ReadonlyArray<{ name: string; version: string }>;
}

export interface CompiledRule<E> {
  name: string;
  desc: string;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  condition: Predicate<E>;
  /** The condition after macros and lists were expanded (for explain and tests). */
  expr: Expr;
  output: CompiledOutput<E>;
  /** Where the rule was first defined. */
  location: Location;
}

export interface LoadedRules<E> {
  rules: CompiledRule<E>[];
  /** Only the enabled rules, in load order: what the engine runs. */
  enabled: CompiledRule<E>[];
  context: () => EvalContext<E>;
  /** Readers of the fields rules are indexed on (ruleIndex.ts), sharing the rules' cache slots. */
  indexReaders: ReadonlyArray<ValueReader<E>>;
  errors: PalisadeError[];
  warnings: PalisadeError[];
}

// ----- positions -----

interface TextMap {
  /** Offset in the value → location in the file. */
  at(offset: number): Location;
}

function nodeLocation(file: string, lc: LineCounter, offset: number): Location {
  const p = lc.linePos(offset);
  return { file, line: p.line, column: p.col };
}

/** Aligns a scalar's value with its source text (folding, indentation, quotes), so an offset in a condition maps back to the file. */
function scalarMap(file: string, source: string, lc: LineCounter, node: YamlNode | undefined): TextMap {
  if (!node || !isScalar(node) || !node.range) return { at: () => ({ file, line: 1, column: 1 }) };
  const value = String(node.value ?? '');
  let start = node.range[0];
  const end = node.range[1];
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    const nl = source.indexOf('\n', start);
    start = nl < 0 ? end : nl + 1;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    start++;
  }
  let map: Int32Array | undefined;
  const build = (): Int32Array => {
    const m = new Int32Array(value.length + 1);
    let j = start;
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as string;
      while (j < end && source[j] !== c && /[\s'"\\]/.test(source[j] as string)) j++;
      m[i] = Math.min(j, Math.max(start, end - 1));
      if (j < end && source[j] === c) j++;
    }
    m[value.length] = Math.min(j, end);
    return m;
  };
  return {
    at(offset) {
      map ??= build();
      const o = map[Math.max(0, Math.min(offset, value.length))] ?? start;
      return nodeLocation(file, lc, o);
    },
  };
}

/** A condition built from pieces (a definition and its appends), each mapped to its own text. */
interface Condition {
  text: string;
  pieces: Array<{ offset: number; map: TextMap }>;
}

function appendCondition(cond: Condition, piece: string, map: TextMap): void {
  cond.text += ' ';
  cond.pieces.push({ offset: cond.text.length, map });
  cond.text += piece;
}

function conditionLocator(cond: Condition): (pos: number) => Location {
  return (pos) => {
    let piece = cond.pieces[0];
    for (const p of cond.pieces) if (p.offset <= pos) piece = p;
    if (!piece) return { file: '<condition>', line: 1, column: 1 };
    return piece.map.at(Math.max(0, pos - piece.offset));
  };
}

// ----- collected items -----

interface ListInfo {
  name: string;
  items: string[];
  index: number;
  visibility: number;
  location: Location;
}

interface MacroInfo {
  name: string;
  cond: Condition;
  index: number;
  visibility: number;
  location: Location;
}

interface ExceptionInfo {
  name: string;
  fields?: string | string[];
  comps?: string | string[];
  values: Array<string | Array<string | string[]>>;
  location: Location;
}

interface RuleInfo {
  name: string;
  cond: Condition;
  output: string;
  outputMap: TextMap;
  desc: string;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  exceptions: ExceptionInfo[];
  skipIfUnknownFilter: boolean;
  /** A source other than the catalog's: kept so appends find it, never compiled (Falco's unknown_source). */
  unknownSource: boolean;
  index: number;
  visibility: number;
  location: Location;
}

class ItemError extends Error {
  constructor(
    message: string,
    readonly location: Location,
    readonly code = 'AUDITLOG_RULE_INVALID',
  ) {
    super(message);
  }
}

const RULE_KEYS = new Set(['rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const RULE_APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const RULE_REPLACEABLE = new Set(['condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter']);

/** yaml-cpp's convert<bool>. */
function parseBool(text: string): boolean | undefined {
  if (['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].includes(text)) return true;
  if (['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].includes(text)) return false;
  return undefined;
}

/** "0.15.0", or an integer N meaning 0.N.0. */
function parseVersion(text: string): [number, number, number] | undefined {
  if (/^[0-9]+$/.test(text)) return [0, Number(text), 0];
  const m = /^([0-9]+)\.([0-9]+)\.([0-9]+)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** sinsp_version::compatible_with: same major, and at least the required minor.patch. */
function compatible(have: [number, number, number], want: [number, number, number]): boolean {
  return have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= want[2]));
}

class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  private index = 0;
  nextId(): number {
    return this.index++;
  }
}

// ----- reading one file -----

interface FileReader {
  file: string;
  source: string;
  lc: LineCounter;
  errors: PalisadeError[];
  warnings: PalisadeError[];
}

function loc(r: FileReader, node: YamlNode | undefined | null): Location {
  const offset = node && 'range' in node && node.range ? node.range[0] : 0;
  return nodeLocation(r.file, r.lc, offset);
}

function scalarText(r: FileReader, map: YAMLMap, key: string, required: boolean, canBeEmpty = false): string | undefined {
  const node = map.get(key, true) as YamlNode | undefined;
  if (node === undefined || node === null) {
    if (!map.has(key)) {
      if (required) throw new ItemError(`Item has no mapping for key '${key}'`, loc(r, map));
      return undefined;
    }
  }
  if (!isScalar(node)) throw new ItemError('Value is not a scalar value', loc(r, node ?? map));
  const value = node.value === null || node.value === undefined ? '' : String(node.value);
  if (value === '' && !canBeEmpty) throw new ItemError(node.type === 'PLAIN' && node.source === '' ? `Mapping for key '${key}' is empty` : 'Value must be non-empty', loc(r, node));
  return value;
}

function boolValue(r: FileReader, map: YAMLMap, key: string): boolean | undefined {
  const text = scalarText(r, map, key, false);
  if (text === undefined) return undefined;
  const b = parseBool(text);
  if (b === undefined) throw new ItemError(`Can't decode YAML scalar value of '${key}' as a boolean: '${text}'`, loc(r, map.get(key, true) as YamlNode));
  return b;
}

function stringSeq(r: FileReader, map: YAMLMap, key: string): string[] {
  const node = map.get(key, true) as YamlNode | undefined;
  if (!isSeq(node)) throw new ItemError('Value is not a sequence', loc(r, node ?? map));
  return node.items.map((item) => {
    if (!isScalar(item)) throw new ItemError('sequence value is not scalar', loc(r, item as YamlNode));
    return String(item.value ?? '');
  });
}

function overrides(r: FileReader, map: YAMLMap, appendable: Set<string>, replaceable: Set<string>): { append: Set<string>; replace: Set<string> } {
  const node = map.get('override', true) as YamlNode | undefined;
  const res = { append: new Set<string>(), replace: new Set<string>() };
  if (node === undefined) return res;
  if (!isMap(node)) throw new ItemError("'override' must be a mapping of key: append|replace", loc(r, node));
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const op = isScalar(pair.value) ? String(pair.value.value) : '';
    const at = loc(r, (pair.key as YamlNode | null) ?? node);
    if (op === 'append') {
      if (!appendable.has(key)) throw new ItemError(`Key '${key}' cannot be appended to, use 'replace' instead`, at);
      res.append.add(key);
    } else if (op === 'replace') {
      if (!replaceable.has(key)) throw new ItemError(`Key '${key}' cannot be replaced`, at);
      res.replace.add(key);
    } else {
      throw new ItemError(`Invalid override operation for key '${key}': '${op}'. Allowed values are: ${[appendable.has(key) ? 'append' : '', replaceable.has(key) ? 'replace' : ''].filter(Boolean).join(' ')}`, at);
    }
  }
  return res;
}

function warnUnknownKeys(r: FileReader, map: YAMLMap, expected: Set<string>): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!expected.has(key)) r.warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', `Unknown key '${key}'. The key will be ignored.`, { location: loc(r, pair.key as YamlNode), errorClass: 'warning' }));
  }
}

function deprecatedAppend(r: FileReader, map: YAMLMap): void {
  r.warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", { location: loc(r, map), errorClass: 'warning' }));
}

function condition(r: FileReader, map: YAMLMap, key = 'condition'): { text: string; map: TextMap } {
  const text = scalarText(r, map, key, true) as string;
  return { text, map: scalarMap(r.file, r.source, r.lc, map.get(key, true) as YamlNode) };
}

function readExceptions(r: FileReader, map: YAMLMap, append: boolean): ExceptionInfo[] {
  const node = map.get('exceptions', true) as YamlNode | undefined;
  if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) return [];
  if (!isSeq(node)) throw new ItemError('Rule exceptions must be a sequence', loc(r, node));
  const out: ExceptionInfo[] = [];
  const entry = (n: unknown, what: string): string | string[] | undefined => {
    if (n === undefined || n === null) return undefined;
    if (isScalar(n)) {
      const v = String(n.value ?? '');
      if (v === '') throw new ItemError('Value must be non-empty', loc(r, n as YamlNode));
      return v;
    }
    if (isSeq(n)) return n.items.map((i) => (isScalar(i) ? String(i.value ?? '') : ''));
    throw new ItemError(`Rule exception ${what} must be a string or a list of strings`, loc(r, n as YamlNode));
  };
  for (const ex of node.items) {
    if (!isMap(ex)) throw new ItemError('Rule exception must be a mapping', loc(r, ex as YamlNode));
    const name = scalarText(r, ex, 'name', true) as string;
    const fields = entry(ex.get('fields', true), 'fields');
    if (fields === undefined && !append) throw new ItemError("Item has no mapping for key 'fields'", loc(r, ex));
    const comps = entry(ex.get('comps', true), 'comps');
    const valuesNode = ex.get('values', true) as YamlNode | undefined;
    const values: ExceptionInfo['values'] = [];
    if (valuesNode !== undefined) {
      if (!isSeq(valuesNode)) throw new ItemError('Rule exception values must be a sequence', loc(r, valuesNode));
      for (const v of valuesNode.items) {
        if (isScalar(v)) values.push(String(v.value ?? ''));
        else if (isSeq(v)) values.push(v.items.map((x) => (isSeq(x) ? x.items.map((y) => (isScalar(y) ? String(y.value ?? '') : '')) : isScalar(x) ? String(x.value ?? '') : '')));
        else throw new ItemError('Rule exception value must be a string or a list', loc(r, v as YamlNode));
      }
    }
    out.push({ name, ...(fields !== undefined ? { fields } : {}), ...(comps !== undefined ? { comps } : {}), values, location: loc(r, ex) });
  }
  return out;
}

function readItem<E>(r: FileReader, c: Collector, item: YamlNode, options: LoaderOptions<E>, skippedSources: Map<string, number>): void {
  if (!isMap(item)) throw new ItemError('Unexpected element type. Each element should be a yaml associative array.', loc(r, item));
  if (item.has('required_engine_version') || item.has('required_plugin_versions')) return; // checked before the items
  if (item.has('list')) {
    const name = scalarText(r, item, 'list', true) as string;
    const items = stringSeq(r, item, 'items');
    const appendFlag = boolValue(r, item, 'append') ?? false;
    if (appendFlag) deprecatedAppend(r, item);
    const ov = overrides(r, item, new Set(['items']), new Set(['items']));
    if (appendFlag && (ov.append.size || ov.replace.size)) throw new ItemError("Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", loc(r, item));
    warnUnknownKeys(r, item, LIST_KEYS);
    const id = c.nextId();
    const prev = c.lists.get(name);
    if (appendFlag || ov.append.has('items')) {
      if (!prev) throw new ItemError("List uses 'append' or 'override.items: append' but no list by that name already exists", loc(r, item), 'AUDITLOG_NO_PREVIOUS');
      prev.items.push(...items);
      prev.visibility = id;
    } else if (prev) {
      Object.assign(prev, { items, visibility: id, location: loc(r, item) });
    } else {
      c.lists.set(name, { name, items, index: id, visibility: id, location: loc(r, item) });
    }
    return;
  }
  if (item.has('macro')) {
    const name = scalarText(r, item, 'macro', true) as string;
    if (!/^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(name)) r.warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', 'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)', { location: loc(r, item), errorClass: 'warning' }));
    const cond = condition(r, item);
    const appendFlag = boolValue(r, item, 'append') ?? false;
    if (appendFlag) deprecatedAppend(r, item);
    const ov = overrides(r, item, new Set(['condition']), new Set(['condition']));
    if (appendFlag && (ov.append.size || ov.replace.size)) throw new ItemError("Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", loc(r, item));
    warnUnknownKeys(r, item, MACRO_KEYS);
    const id = c.nextId();
    const prev = c.macros.get(name);
    if (appendFlag || ov.append.has('condition')) {
      if (!prev) throw new ItemError("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", loc(r, item), 'AUDITLOG_NO_PREVIOUS');
      appendCondition(prev.cond, cond.text, cond.map);
      prev.visibility = id;
    } else {
      const info: MacroInfo = { name, cond: { text: cond.text, pieces: [{ offset: 0, map: cond.map }] }, index: prev?.index ?? id, visibility: id, location: loc(r, item) };
      c.macros.set(name, info);
    }
    return;
  }
  if (item.has('rule')) {
    readRule(r, c, item, options, skippedSources);
    return;
  }
  r.warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', 'Unknown top level item', { location: loc(r, item), errorClass: 'warning' }));
}

function readRule<E>(r: FileReader, c: Collector, item: YAMLMap, options: LoaderOptions<E>, skippedSources: Map<string, number>): void {
  const name = scalarText(r, item, 'rule', true) as string;
  const source = scalarText(r, item, 'source', false, true) ?? '';
  const appendFlag = boolValue(r, item, 'append') ?? false;
  if (appendFlag) deprecatedAppend(r, item);
  const ov = overrides(r, item, RULE_APPENDABLE, RULE_REPLACEABLE);
  const hasOverrides = ov.append.size > 0 || ov.replace.size > 0;
  if (appendFlag && hasOverrides) throw new ItemError("Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", loc(r, item));
  warnUnknownKeys(r, item, RULE_KEYS);
  const at = loc(r, item);
  const prev = c.rules.get(name);
  if (prev && source !== '' && prev.source !== '' && prev.source !== source) throw new ItemError('Rule has been re-defined with a different source', at);

  if (hasOverrides) {
    const expected = new Set<string>();
    for (const key of [...RULE_APPENDABLE, ...RULE_REPLACEABLE]) if (item.has(key)) expected.add(key);
    for (const key of [...ov.append, ...ov.replace]) if (!expected.has(key)) throw new ItemError(`An ${ov.append.has(key) ? 'append' : 'replace'} override for '${key}' was specified but '${key}' is not defined`, at);
    for (const key of expected) if (!ov.append.has(key) && !ov.replace.has(key)) throw new ItemError(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, loc(r, item.get(key, true) as YamlNode));
    if (!prev) throw new ItemError(ov.append.size ? "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists" : "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", at, 'AUDITLOG_NO_PREVIOUS');
    // Decode everything before changing the rule: an invalid value leaves it untouched.
    const updates: Array<() => void> = [];
    for (const key of ov.append) {
      if (key === 'condition') {
        const cond = condition(r, item);
        updates.push(() => appendCondition(prev.cond, cond.text, cond.map));
      } else if (key === 'output') {
        const text = scalarText(r, item, 'output', true) as string;
        updates.push(() => (prev.output += ' ' + text));
      } else if (key === 'desc') {
        const text = scalarText(r, item, 'desc', true) as string;
        updates.push(() => (prev.desc += ' ' + text));
      } else if (key === 'tags') {
        const tags = stringSeq(r, item, 'tags');
        updates.push(() => (prev.tags = [...new Set([...prev.tags, ...tags])]));
      } else if (key === 'exceptions') {
        const exs = readExceptions(r, item, true);
        updates.push(() => mergeExceptions(prev, exs));
      }
    }
    for (const key of ov.replace) {
      if (key === 'condition') {
        const cond = condition(r, item);
        updates.push(() => (prev.cond = { text: cond.text, pieces: [{ offset: 0, map: cond.map }] }));
      } else if (key === 'output') {
        const text = (scalarText(r, item, 'output', true) as string).trim();
        const map = scalarMap(r.file, r.source, r.lc, item.get('output', true) as YamlNode);
        updates.push(() => {
          prev.output = text;
          prev.outputMap = map;
        });
      } else if (key === 'desc') {
        const text = scalarText(r, item, 'desc', true) as string;
        updates.push(() => (prev.desc = text));
      } else if (key === 'tags') {
        const tags = stringSeq(r, item, 'tags');
        updates.push(() => (prev.tags = tags));
      } else if (key === 'exceptions') {
        const exs = readExceptions(r, item, false);
        updates.push(() => (prev.exceptions = exs));
      } else if (key === 'priority') {
        const text = scalarText(r, item, 'priority', true) as string;
        const p = parsePriority(text);
        if (!p) throw new ItemError('Invalid priority', loc(r, item.get('priority', true) as YamlNode));
        updates.push(() => (prev.priority = p));
      } else if (key === 'enabled') {
        const b = boolValue(r, item, 'enabled') as boolean;
        updates.push(() => (prev.enabled = b));
      } else if (key === 'skip-if-unknown-filter') {
        const b = boolValue(r, item, 'skip-if-unknown-filter') as boolean;
        updates.push(() => (prev.skipIfUnknownFilter = b));
      } else {
        scalarText(r, item, key, true);
      }
    }
    for (const u of updates) u();
    prev.visibility = c.nextId();
    return;
  }
  if (appendFlag) {
    if (!prev) throw new ItemError("Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", at, 'AUDITLOG_NO_PREVIOUS');
    const cond = item.has('condition') ? condition(r, item) : undefined;
    const exs = item.has('exceptions') ? readExceptions(r, item, true) : [];
    if (!cond && exs.length === 0) throw new ItemError('Appended rule must have exceptions or condition property', at);
    if (cond) appendCondition(prev.cond, cond.text, cond.map);
    mergeExceptions(prev, exs);
    prev.visibility = c.nextId();
    return;
  }
  if (!item.has('condition') && !item.has('output') && !item.has('desc') && !item.has('priority')) {
    const enabled = boolValue(r, item, 'enabled');
    if (enabled === undefined) throw new ItemError("Item has no mapping for key 'enabled'", at);
    r.warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').", { location: at, errorClass: 'warning' }));
    if (!prev) throw new ItemError("Rule has 'enabled' key but no rule by that name already exists", at, 'AUDITLOG_NO_PREVIOUS');
    prev.enabled = enabled;
    return;
  }
  const cond = condition(r, item);
  const output = (scalarText(r, item, 'output', true) as string).trim();
  const desc = scalarText(r, item, 'desc', true) as string;
  const priorityText = scalarText(r, item, 'priority', true) as string;
  const priority = parsePriority(priorityText);
  if (!priority) throw new ItemError('Invalid priority', loc(r, item.get('priority', true) as YamlNode));
  const ruleSource = source || 'syscall';
  const enabled = boolValue(r, item, 'enabled') ?? true;
  const skipIfUnknownFilter = boolValue(r, item, 'skip-if-unknown-filter') ?? false;
  const tags = item.has('tags') ? stringSeq(r, item, 'tags') : [];
  const exceptions = readExceptions(r, item, false);
  const id = c.nextId();
  const unknownSource = ruleSource !== options.catalog.source;
  if (unknownSource) skippedSources.set(ruleSource, (skippedSources.get(ruleSource) ?? 0) + 1);
  else for (const ex of exceptions) validateException(ex, options.catalog);
  const info: RuleInfo = {
    name,
    cond: { text: cond.text, pieces: [{ offset: 0, map: cond.map }] },
    output,
    outputMap: scalarMap(r.file, r.source, r.lc, item.get('output', true) as YamlNode),
    desc,
    priority,
    source: ruleSource,
    tags,
    enabled,
    exceptions,
    skipIfUnknownFilter,
    unknownSource,
    index: prev?.index ?? id,
    visibility: id,
    location: prev?.location ?? at,
  };
  c.rules.set(name, info);
}

const OPERATORS = new Set(['exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch']);

function validateException<E>(ex: ExceptionInfo, catalog: FieldCatalog<E>): void {
  if (ex.fields === undefined) throw new ItemError('Rule exception item must have fields property with a list of fields', ex.location);
  if (Array.isArray(ex.fields)) {
    if (ex.comps === undefined) ex.comps = ex.fields.map(() => '=');
    if (!Array.isArray(ex.comps) || ex.comps.length !== ex.fields.length) throw new ItemError('Fields and comps lists must have equal length', ex.location);
    ex.comps = ex.comps.map((c) => c.trim());
    for (const comp of ex.comps) if (!OPERATORS.has(comp)) throw new ItemError(`'${comp}' is not a supported comparison operator`, ex.location);
    for (const f of ex.fields) if (!catalog.info(f)) throw new ItemError(`'${f}' is not a supported filter field`, ex.location);
  } else {
    if (ex.comps === undefined) ex.comps = 'in';
    if (Array.isArray(ex.comps)) throw new ItemError('Fields and comps must both be strings', ex.location);
    ex.comps = ex.comps.trim();
    if (!['in', 'pmatch', 'intersects'].includes(ex.comps)) throw new ItemError('When fields is a single value, comps must be one of (in, pmatch, intersects)', ex.location);
    if (!catalog.info(ex.fields.replace(/\[.*$/, ''))) throw new ItemError(`'${ex.fields}' is not a supported filter field`, ex.location);
  }
}

function mergeExceptions(prev: RuleInfo, exs: ExceptionInfo[]): void {
  for (const ex of exs) {
    const same = prev.exceptions.find((e) => e.name === ex.name);
    if (!same) {
      if (ex.values.length === 0) throw new ItemError('Rule exception must have values property with a list of values', ex.location);
      prev.exceptions.push(ex);
    } else {
      if (ex.fields !== undefined) throw new ItemError('Can not append exception fields to existing exception, only values', ex.location);
      if (ex.comps !== undefined) throw new ItemError('Can not append exception comps to existing exception, only values', ex.location);
      same.values.push(...ex.values);
    }
  }
}

const LIST_OPS = new Set(['in', 'intersects', 'pmatch']);

function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== "'" ? `"${e}"` : e;
}

/** build_rule_exception_infos: exceptions become `and not (...)` text, built as Falco builds it. */
function exceptionCondition(cond: string, exceptions: readonly ExceptionInfo[]): string {
  let out = `(${cond})`;
  for (const ex of exceptions) {
    let icond = '';
    if (!Array.isArray(ex.fields)) {
      for (const val of ex.values) {
        if (Array.isArray(val)) throw new ItemError('Expected values array to contain a list of strings', ex.location);
        icond += icond === '' ? `(${ex.fields} ${String(ex.comps)} (` : ', ';
        icond += quoteItem(val);
      }
      icond += icond === '' ? '' : '))';
    } else {
      icond = '(';
      const comps = ex.comps as string[];
      for (const values of ex.values) {
        if (!Array.isArray(values) || values.length !== ex.fields.length) throw new ItemError('Fields and values lists must have equal length', ex.location);
        icond += icond === '(' ? '' : ' or ';
        icond += '(';
        ex.fields.forEach((field, k) => {
          icond += k === 0 ? '' : ' and ';
          const v = values[k] as string | string[];
          let istr: string;
          if (Array.isArray(v)) istr = `(${v.map(quoteItem).join(', ')})`;
          else if (LIST_OPS.has(comps[k] as string)) istr = v.startsWith('(') ? v : `(${v})`;
          else istr = quoteItem(v);
          icond += ` ${field} ${comps[k] as string} ${istr}`;
        });
        icond += ')';
      }
      icond += ')';
      if (icond === '()') icond = '';
    }
    out += icond === '' ? '' : ` and not ${icond}`;
  }
  return out;
}

// ----- compiling -----

/** Expands list names among a check's values (recursively, as Falco's textual substitution reaches them). */
function expandValues(values: readonly string[], lists: ReadonlyMap<string, { items: string[]; index: number }>, minIndex: number, depth = 0): string[] {
  const out: string[] = [];
  for (const v of values) {
    const list = lists.get(v);
    if (list && list.index >= minIndex && depth < 32) out.push(...expandValues(list.items, lists, list.index + 1, depth + 1));
    else out.push(v);
  }
  return out;
}

function resolveLists(e: Expr, lists: ReadonlyMap<string, { items: string[]; index: number }>): void {
  switch (e.type) {
    case 'and':
    case 'or':
      for (const c of e.children) resolveLists(c, lists);
      return;
    case 'not':
      resolveLists(e.child, lists);
      return;
    case 'binary': {
      if (e.value.type === 'list') {
        e.value.values = expandValues(e.value.values, lists, 0);
      } else if (lists.has(e.value.value)) {
        const items = expandValues([e.value.value], lists, 0);
        if (items.length !== 1) throw new FilterCompileError(`list '${e.value.value}' has ${items.length} items where one value is expected; write '(${e.value.value})' after in/intersects/pmatch`, e.pos, e.loc);
        e.value.value = items[0] as string;
      }
      return;
    }
    default:
      return;
  }
}

interface MacroState {
  expr?: Expr;
  error?: string;
  resolving?: boolean;
}

function resolveMacros(e: Expr, lookup: (name: string) => Expr | { error: string } | undefined, path: string[]): Expr {
  switch (e.type) {
    case 'and':
    case 'or':
      e.children = e.children.map((c) => resolveMacros(c, lookup, path));
      return e;
    case 'not':
      e.child = resolveMacros(e.child, lookup, path);
      return e;
    case 'identifier': {
      if (path.includes(e.name)) throw new FilterCompileError(`reference loop in macro '${e.name}'`, e.pos, e.loc);
      const m = lookup(e.name);
      if (m === undefined) throw new FilterCompileError(`Undefined macro '${e.name}' used in filter.`, e.pos, e.loc);
      if ('error' in m) throw new FilterCompileError(`macro '${e.name}' could not be compiled: ${m.error}`, e.pos, e.loc);
      return resolveMacros(cloneExpr(m), lookup, [...path, e.name]);
    }
    default:
      return e;
  }
}

function toLocation(l: SourceLoc): Location {
  return { file: l.file, line: l.line, column: l.column };
}

function parseLocated(cond: Condition): Expr {
  const at = conditionLocator(cond);
  try {
    const expr = parseCondition(cond.text);
    locate(expr, at);
    return expr;
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new FilterCompileError(error.message, error.pos, at(error.pos));
    throw error;
  }
}

/** Reads, collects and compiles rule files in order. Pure: the texts come in, nothing is read or printed. */
export function loadRules<E>(files: readonly RuleFile[], options: LoaderOptions<E>): LoadedRules<E> {
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const c = new Collector();
  for (const f of files) readFile(f, c, options, errors, warnings);

  // Lists: one level of list references, among lists defined before the referencing one.
  const lists = new Map<string, { items: string[]; index: number }>();
  const ordered = [...c.lists.values()].sort((a, b) => a.index - b.index);
  for (const l of ordered) {
    const items: string[] = [];
    for (const item of l.items) {
      const ref = c.lists.get(item);
      if (ref && ref.index < l.visibility) items.push(...ref.items);
      else items.push(item);
    }
    lists.set(l.name, { items, index: l.index });
  }

  // Macros: parsed once; each sees the macros whose first definition came before its last change.
  const states = new Map<string, MacroState>();
  const macroExpr = (m: MacroInfo): Expr | { error: string } => {
    let st = states.get(m.name);
    if (!st) {
      st = {};
      states.set(m.name, st);
    }
    if (st.expr) return st.expr;
    if (st.error !== undefined) return { error: st.error };
    if (st.resolving) return { error: `reference loop in macro '${m.name}'` };
    st.resolving = true;
    try {
      const parsed = parseLocated(m.cond);
      resolveLists(parsed, lists);
      st.expr = resolveMacros(
        parsed,
        (name) => {
          const ref = c.macros.get(name);
          if (!ref || ref.index >= m.visibility) return undefined;
          return macroExpr(ref);
        },
        [m.name],
      );
      return st.expr;
    } catch (error) {
      if (!(error instanceof FilterCompileError)) throw error;
      const where = error.loc ?? m.location;
      st.error = `${where.file}:${where.line}:${where.column}: ${error.message}`;
      if (!error.message.startsWith('macro ')) errors.push(new PalisadeError('AUDITLOG_CONDITION_INVALID', `macro '${m.name}': ${error.message}`, { location: toLocation(where), errorClass: 'severe' }));
      return { error: st.error };
    } finally {
      st.resolving = false;
    }
  };
  for (const m of [...c.macros.values()].sort((a, b) => a.index - b.index)) macroExpr(m);

  const slots = new FieldSlots<E>(options.catalog);
  const rules: CompiledRule<E>[] = [];
  for (const r of [...c.rules.values()].sort((a, b) => a.index - b.index)) {
    if (r.unknownSource) continue;
    try {
      let cond = r.cond;
      if (r.exceptions.length > 0) {
        const text = exceptionCondition(r.cond.text, r.exceptions);
        // The exception text wraps the condition in '(': keep positions of the original pieces.
        cond = { text, pieces: [{ offset: 0, map: { at: () => r.location } }, ...r.cond.pieces.map((p) => ({ offset: p.offset + 1, map: p.map }))] };
      }
      let output: CompiledOutput<E>;
      try {
        output = compileOutput(r.output, slots);
      } catch (error) {
        if (!(error instanceof FilterCompileError)) throw error;
        if (r.skipIfUnknownFilter && error.message.startsWith('unknown filter')) {
          warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', `rule '${r.name}' skipped: ${error.message}`, { location: r.outputMap.at(error.pos), errorClass: 'warning' }));
          continue;
        }
        throw new FilterCompileError(error.message, error.pos, r.outputMap.at(error.pos));
      }
      const parsed = parseLocated(cond);
      resolveLists(parsed, lists);
      const expr = resolveMacros(
        parsed,
        (name) => {
          const m = c.macros.get(name);
          return m ? macroExpr(m) : undefined;
        },
        [],
      );
      let predicate: Predicate<E>;
      try {
        predicate = compileCondition(expr, slots);
      } catch (error) {
        if (error instanceof FilterCompileError && r.skipIfUnknownFilter && /nonexistent field/.test(error.message)) {
          warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', `rule '${r.name}' skipped: ${error.message}`, { location: toLocation(error.loc ?? r.location), errorClass: 'warning' }));
          continue;
        }
        throw error;
      }
      rules.push({ name: r.name, desc: r.desc, priority: r.priority, source: r.source, tags: r.tags, enabled: r.enabled, condition: predicate, expr, output, location: r.location });
    } catch (error) {
      if (error instanceof FilterCompileError) {
        errors.push(new PalisadeError('AUDITLOG_CONDITION_INVALID', `rule '${r.name}': ${error.message}`, { location: toLocation(error.loc ?? r.location), errorClass: 'severe' }));
      } else if (error instanceof ItemError) {
        errors.push(new PalisadeError(error.code, `rule '${r.name}': ${error.message}`, { location: error.location, errorClass: 'severe' }));
      } else {
        throw error;
      }
    }
  }
  const indexReaders = INDEX_FIELDS.map((f) => slots.reader({ name: f.name, ...('arg' in f ? { arg: f.arg } : {}), pos: 0 }).read);
  return { rules, enabled: rules.filter((r) => r.enabled), context: () => new EvalContext<E>(slots.size), indexReaders, errors, warnings };
}

function readFile<E>(f: RuleFile, c: Collector, options: LoaderOptions<E>, errors: PalisadeError[], warnings: PalisadeError[]): void {
  const lc = new LineCounter();
  const r: FileReader = { file: f.name, source: f.text, lc, errors, warnings };
  const docs = parseAllDocuments(f.text, { lineCounter: lc, schema: 'failsafe', prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      errors.push(new PalisadeError('AUDITLOG_RULES_YAML', `${e.message.split('\n')[0]}; the file is refused`, { location: nodeLocation(f.name, lc, e.pos[0]), errorClass: 'fatal' }));
      return;
    }
  }
  const items: YamlNode[] = [];
  for (const d of list) {
    const root = d.contents as YamlNode | null;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) continue;
    if (!isSeq(root)) {
      errors.push(new PalisadeError('AUDITLOG_RULES_YAML', isMap(root) ? 'Rules content is not yaml array of objects; the file is refused' : 'Rules content is not yaml; the file is refused', { location: loc(r, root), errorClass: 'fatal' }));
      return;
    }
    for (const it of root.items) {
      if (it === null || it === undefined) continue;
      const node = it as YamlNode;
      if (isScalar(node) && node.type === 'PLAIN' && (node.value === null || node.value === '') && (node as Scalar).source === '') continue;
      items.push(node);
    }
  }
  // Version requirements first: a file written for a newer engine or a missing plugin is refused whole.
  for (const item of items) {
    if (!isMap(item)) continue;
    try {
      if (item.has('required_engine_version')) {
        const text = scalarText(r, item, 'required_engine_version', true) as string;
        const want = parseVersion(text);
        if (!want) throw new ItemError(`Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, loc(r, item));
        const have = parseVersion(options.engineVersion) as [number, number, number];
        if (!compatible(have, want)) throw new ItemError(`Rules require engine version ${want.join('.')}, but palisade implements engine version ${options.engineVersion}; the file is refused`, loc(r, item), 'AUDITLOG_ENGINE_VERSION');
      } else if (item.has('required_plugin_versions')) {
        const node = item.get('required_plugin_versions', true) as YamlNode;
        if (!isSeq(node)) throw new ItemError('Value of required_plugin_versions must be a sequence', loc(r, node));
        for (const plugin of node.items) {
          if (!isMap(plugin)) throw new ItemError('Plugin version must be a mapping', loc(r, plugin as YamlNode));
          const alternatives: Array<{ name: string; version: string }> = [{ name: scalarText(r, plugin, 'name', true) as string, version: scalarText(r, plugin, 'version', true) as string }];
          const alts = plugin.get('alternatives', true) as YamlNode | undefined;
          if (alts !== undefined) {
            if (!isSeq(alts)) throw new ItemError('Value of plugin version alternatives must be a sequence', loc(r, alts));
            for (const a of alts.items) {
              if (!isMap(a)) throw new ItemError('Plugin version alternative must be a mapping', loc(r, a as YamlNode));
              alternatives.push({ name: scalarText(r, a, 'name', true) as string, version: scalarText(r, a, 'version', true) as string });
            }
          }
          const ok = alternatives.some((alt) => {
            const have = options.plugins.find((p) => p.name === alt.name);
            const want = parseVersion(alt.version);
            const got = have ? parseVersion(have.version) : undefined;
            return have !== undefined && want !== undefined && got !== undefined && compatible(got, want);
          });
          if (!ok) {
            const first = alternatives[0] as { name: string; version: string };
            const emulated = options.plugins.map((p) => `${p.name} ${p.version}`).join(', ');
            throw new ItemError(`Rules require plugin ${alternatives.map((a) => `${a.name} ${a.version}`).join(' or ')}, but palisade provides the fields of ${emulated}; the file is refused`, loc(r, plugin), first.name === 'k8saudit' ? 'AUDITLOG_PLUGIN_VERSION' : 'AUDITLOG_PLUGIN_VERSION');
          }
        }
      }
    } catch (error) {
      if (!(error instanceof ItemError)) throw error;
      errors.push(new PalisadeError(error.code, error.message, { location: error.location, errorClass: 'fatal' }));
      return;
    }
  }
  const skipped = new Map<string, number>();
  for (const item of items) {
    try {
      readItem(r, c, item, options, skipped);
    } catch (error) {
      if (!(error instanceof ItemError)) throw error;
      errors.push(new PalisadeError(error.code, error.message, { location: error.location, errorClass: 'severe' }));
    }
  }
  for (const [source, n] of skipped) {
    warnings.push(new PalisadeError('AUDITLOG_RULES_WARNING', `${n} rule(s) of source '${source}' skipped: palisade evaluates '${options.catalog.source}' rules`, { location: { file: f.name, line: 1, column: 1 }, errorClass: 'warning' }));
  }
}
