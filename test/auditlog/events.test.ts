import { describe, expect, it } from 'vitest';
import { EventReader, readEvents } from '../../src/auditlog/events.js';

const ev = (id: string, extra: Record<string, unknown> = {}) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: id, stage: 'ResponseComplete', verb: 'get', ...extra });

describe('audit event reader', () => {
  it('reads JSON lines, EventList lines and arrays, with the line each event starts on', () => {
    const text = [JSON.stringify(ev('a')), '', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [ev('b'), ev('c')] }), JSON.stringify([ev('d')]) + '\r'].join('\n');
    const { events, errors } = readEvents('log', text);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.event.auditID, e.line])).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 3],
      ['d', 4],
    ]);
  });

  it('reports malformed lines with file:line:column and keeps reading', () => {
    const text = ['{"kind": 0}', JSON.stringify(ev('a')), '{bad json', 'null', JSON.stringify({ kind: 'Pod' }), JSON.stringify({ kind: 'EventList', items: [1] }), JSON.stringify(ev('b'))].join('\n');
    const { events, errors } = readEvents('audit.log', text);
    expect(events.map((e) => e.event.auditID)).toEqual(['a', 'b']);
    expect(errors.map((e) => [e.code, e.location, e.message.split(':')[0]])).toEqual([
      ['AUDITLOG_BAD_LINE', { file: 'audit.log', line: 1, column: 1 }, 'not an audit Event'],
      ['AUDITLOG_BAD_LINE', { file: 'audit.log', line: 3, column: 2 }, 'not JSON'],
      ['AUDITLOG_BAD_LINE', { file: 'audit.log', line: 4, column: 1 }, 'expected an audit Event or EventList object, found null'],
      ['AUDITLOG_BAD_LINE', { file: 'audit.log', line: 5, column: 1 }, 'not an audit Event'],
      ['AUDITLOG_BAD_LINE', { file: 'audit.log', line: 6, column: 1 }, 'EventList item 0 is not an object'],
    ]);
  });

  it('takes Events without kind when they carry Event fields (Panther test events)', () => {
    const { events, errors } = readEvents('p', JSON.stringify({ verb: 'get', objectRef: { resource: 'secrets' } }) + '\n' + JSON.stringify({ hello: 1 }));
    expect(events).toHaveLength(1);
    expect(errors.map((e) => e.location?.line)).toEqual([2]);
  });

  it('reads a pretty-printed EventList (a saved webhook body) with each item on its own line', () => {
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [ev('x', { objectRef: { resource: 'pods' } }), ev('y')] }, null, 2);
    const { events, errors } = readEvents('body.json', `${body}\n${JSON.stringify(ev('z'))}\n`);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.event.auditID, e.line])).toEqual([
      ['x', 6],
      ['y', 16],
      ['z', 25],
    ]);
    expect([body.split('\n')[5], body.split('\n')[15]]).toEqual(['    {', '    {']);
  });

  it('hands out each event as soon as its line is complete, across any chunking', () => {
    const lines = [JSON.stringify(ev('1')), JSON.stringify(ev('2')), JSON.stringify(ev('3'))];
    const text = lines.join('\n') + '\n';
    for (const size of [1, 7, 64, text.length]) {
      const seen: string[] = [];
      const reader = new EventReader('-', (e) => seen.push(String(e.event.auditID)), (e) => {
        throw e;
      });
      const counts: number[] = [];
      for (let i = 0; i < text.length; i += size) {
        reader.push(text.slice(i, i + size));
        counts.push(seen.length);
      }
      // Nothing is held back once its newline arrived.
      expect(seen).toEqual(['1', '2', '3']);
      expect(counts[counts.length - 1]).toBe(3);
      reader.end();
      expect(seen).toEqual(['1', '2', '3']);
    }
  });

  it('reads a last line without a newline, and reports a document left open', () => {
    expect(readEvents('f', JSON.stringify(ev('a'))).events).toHaveLength(1);
    const { events, errors } = readEvents('f', '{"kind":"EventList",\n"items":[\n');
    expect(events).toEqual([]);
    expect(errors.map((e) => [e.location?.line, e.message])).toEqual([[1, 'JSON document not closed before the end of the input']]);
  });

  it('a cut-off line hides none of the events after it: the open document is reported at its line and the lines after it are read again (found by the auditlog fuzz target)', () => {
    const a = JSON.stringify(ev('a'));
    const b = JSON.stringify(ev('b'));
    const c = JSON.stringify(ev('c'));
    // line 2 was cut inside a string; line 4 was cut outside one and leaves its brackets open to the end
    const text = [a, b.slice(0, 30), c, b.slice(0, b.indexOf('"verb"')), c, '', a].join('\n');
    for (const chunk of [text.length, 7]) {
      const events: string[] = [];
      const errors: string[] = [];
      const reader = new EventReader('audit.log', (e) => events.push(`${e.event.auditID as string}@${e.line}`), (e) => errors.push(e.format()));
      for (let at = 0; at < text.length; at += chunk) reader.push(text.slice(at, at + chunk));
      reader.end();
      expect(events).toEqual(['a@1', 'c@3', 'c@5', 'a@7']);
      expect(errors).toEqual(['audit.log:2:1: JSON document not closed before the end of the input', 'audit.log:4:1: JSON document not closed before the end of the input']);
    }
    // a document that closes but does not parse: its first line is the error, the lines after it are read
    const broken = readEvents('audit.log', [`${a.slice(0, -1)}, "x": {`, b, '}}', c].join('\n'));
    expect(broken.events.map((e) => `${e.event.auditID as string}@${e.line}`)).toEqual(['b@2', 'c@4']);
    // (JSON.parse's own words differ between Node versions: the location and the kind are compared)
    expect(broken.errors.map((e) => [e.location, e.message.split(':')[0]])).toEqual([
      [{ file: 'audit.log', line: 1, column: 1 }, 'not JSON'],
      [{ file: 'audit.log', line: 3, column: 1 }, 'not JSON'],
    ]);
  });
});
