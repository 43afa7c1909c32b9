/**
 * Audit logs (src/auditlog; and the reader of `rbac least-privilege --audit-log`): events of the
 * shared corpus (shared/corpus/audit-events) as JSON lines, EventLists, arrays and pretty-printed
 * documents, with mutated fields (wrong types, huge strings and lists, deep nesting) and broken lines
 * (cut, flipped, spliced). Each log is read and every event run through the bundled Falco and ML
 * rules: no throw, bounded time and memory, every error at a line of the log; read in random chunks
 * it gives the same events and errors as read whole (`tail -F`); and one bad line never hides the
 * others: every intact one-line event is read, at its line, as it was written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventReader, loadRuleSet, newEngine, readEvents } from '../../dist/auditlog/index.js';
import { readAuditEvents } from '../../dist/rbac/index.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';
import { mutateValue } from '../lib/values.mjs';

export const name = 'auditlog';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/audit-events/', import.meta.url));
const ALPHABET = ['{', '}', '[', ']', '"', ':', ',', '\\', '\\u0000', '\n', '\r\n', ' ', 'null', '1e999', '-0', 'true', '"kind":"EventList","items":[', '"kind":"Event"'];
const KEYS = ['kind', 'apiVersion', 'verb', 'user', 'objectRef', 'requestObject', 'responseObject', 'responseStatus', 'stage', 'auditID', 'sourceIPs', 'userAgent', 'impersonatedUser', 'annotations', 'requestReceivedTimestamp', 'stageTimestamp', 'items', 'username', 'groups', 'resource', 'namespace', 'name', 'subresource', 'apiGroup', 'code'];

let corpus;
/** Every event of the corpus, once. */
function corpusEvents() {
  if (corpus) return corpus;
  corpus = [];
  const index = existsSync(join(CORPUS, 'index.json')) ? JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) : [];
  for (const file of new Set(index.map((c) => c.file))) {
    const { events } = readEvents(file, readFileSync(join(CORPUS, file), 'utf8'));
    corpus.push(...events.map((e) => e.event));
  }
  if (corpus.length === 0) corpus.push({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', stage: 'ResponseComplete', verb: 'create', user: { username: 'system:anonymous' }, objectRef: { resource: 'pods', namespace: 'default', name: 'p' } });
  return corpus;
}

let engine;

/** One log: lines, each either an intact one-line event (recorded) or something else. */
function makeLog(rng, events) {
  const lines = [];
  const intact = [];
  const pool = [];
  for (let n = 1 + rng.int(8); n > 0; n--) {
    const event = structuredClone(rng.pick(events));
    const roll = rng.int(10);
    if (roll < 4) {
      intact.push({ line: lines.length + 1, json: JSON.stringify(event) });
      lines.push(JSON.stringify(event));
    } else if (roll < 6) {
      for (let k = 1 + rng.int(3); k > 0; k--) mutateValue(rng, event, KEYS);
      // a huge list of huge strings makes a line of hundreds of MB: the reader's time is then JSON.parse's
      const text = JSON.stringify(event);
      lines.push(text.length > 4_000_000 ? text.slice(0, 4_000_000) : text);
    } else if (roll < 8) {
      const text = JSON.stringify(event);
      // cut (a line truncated by a full disk or a rotated file), or mutated
      lines.push(rng.chance(0.5) ? text.slice(0, rng.int(text.length)) : mutateText(rng, text, pool.length ? pool : [text], ALPHABET).replace(/\n/g, ' '));
      pool.push(text);
    } else if (roll < 9) {
      const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [event, structuredClone(rng.pick(events))] };
      lines.push(...(rng.chance(0.5) ? JSON.stringify(list, null, 2) : JSON.stringify(rng.chance(0.5) ? list : list.items)).split('\n'));
    } else lines.push(rng.pick(['', '   ', 'null', '[]', '{}', '"text"', '42', '[1,2', '{"kind":"EventList","items":null}', 'not json at all']));
  }
  return { text: lines.join(rng.chance(0.2) ? '\r\n' : '\n') + (rng.chance(0.5) ? '\n' : ''), intact, lineCount: lines.length };
}

function readInChunks(rng, text) {
  const events = [];
  const errors = [];
  const reader = new EventReader('audit.log', (e) => events.push(e), (e) => errors.push(e));
  for (let at = 0; at < text.length; ) {
    const size = 1 + rng.int(rng.pick([4, 64, 4096]));
    reader.push(text.slice(at, at + size));
    at += size;
  }
  reader.end();
  return { events, errors };
}

const summary = (r) => JSON.stringify({ events: r.events.map((e) => [e.line, e.event]), errors: r.errors.map((e) => e.format()) });

export async function run({ budgetMs, rng }) {
  const events = corpusEvents();
  engine ??= newEngine(loadRuleSet([]), { ruleMatching: 'all' });
  return loop(budgetMs, async () => {
    const log = makeLog(rng, events);
    const out = await check(name, log.text, () => {
      const read = readEvents('audit.log', log.text);
      const alerts = read.events.flatMap((e) => engine.process(e.event, { file: e.file, line: e.line, column: 1 }));
      const used = readAuditEvents(log.text, 'audit.log', rng.pick(['system:anonymous', 'admin', 'system:serviceaccount:default:default']));
      return { read, alerts, used };
    });
    if (out.failure) return out.failure;
    const { read, used } = out.value;
    const lines = log.text.split('\n').length;
    for (const e of [...read.errors, ...used.errors]) {
      const l = e.location;
      if (!l || l.file !== 'audit.log' || !(l.line >= 1 && l.line <= lines) || !(l.column >= 1)) return failure(name, `error without a line of the log: ${e.code} ${JSON.stringify(l)} ${e.message.slice(0, 200)}`, log.text);
    }
    const chunked = readInChunks(rng, log.text);
    if (summary(chunked) !== summary(read)) return failure(name, 'read in chunks, the log gives other events or errors than read whole', log.text);
    for (const { line, json } of log.intact) {
      const got = read.events.filter((e) => e.line === line);
      if (got.length !== 1 || JSON.stringify(got[0].event) !== json) return failure(name, `the intact event on line ${line} is ${got.length ? 'read differently' : 'lost'} (errors: ${read.errors.map((e) => e.format()).join('; ').slice(0, 300)})`, log.text);
    }
    return undefined;
  });
}
