/**
 * Audit events in: `audit.k8s.io/v1` and `v1beta1` Events as the log backend writes them (one JSON
 * object per line), `EventList` bodies as the webhook backend POSTs them (one per line, or a whole
 * pretty-printed document), and JSON arrays of events. The reader is incremental: feed it text as
 * it arrives (`tail -F audit.log | palisade audit-log -`) and it hands out each event as soon as its
 * line is complete. A line that is not JSON, or JSON that is not an audit event, is an error with
 * file:line:column and is skipped; nothing else stops the reading.
 *
 * Objects without `kind` are taken as Events when they carry an Event's fields (converters and
 * test suites, such as Panther's, drop `kind`); Falco's plugin refuses them.
 */
import { PalisadeError } from '../core/errors.js';
import type { Location } from '../core/types.js';
import type { AuditEvent } from './fields/extract.js';
import { isPlainObject } from '../core/object.js';

export interface LocatedEvent {
  event: AuditEvent;
  /** The file and line the event (or the EventList holding it) starts on. */
  file: string;
  line: number;
}

const EVENT_FIELDS = ['auditID', 'verb', 'requestURI', 'objectRef', 'stage', 'user'];

/** The events of one parsed JSON value, or the reason it holds none. */
export function eventsOf(value: unknown): { events: AuditEvent[]; lines?: number[] } | { error: string } {
  if (Array.isArray(value)) {
    const events: AuditEvent[] = [];
    for (const v of value) {
      const inner = eventsOf(v);
      if ('error' in inner) return inner;
      events.push(...inner.events);
    }
    return { events };
  }
  if (!isPlainObject(value)) return { error: `expected an audit Event or EventList object, found ${value === null ? 'null' : typeof value}` };
  const kind = value.kind;
  if (kind === 'EventList') {
    const items = value.items;
    if (items === null || items === undefined) return { events: [] };
    if (!Array.isArray(items)) return { error: 'EventList "items" is not an array' };
    const bad = items.findIndex((i) => !isPlainObject(i));
    if (bad >= 0) return { error: `EventList item ${bad} is not an object` };
    return { events: items as AuditEvent[] };
  }
  if (kind === 'Event') return { events: [value] };
  if (kind === undefined && EVENT_FIELDS.some((f) => f in value)) return { events: [value] };
  return { error: kind === undefined ? 'not an audit Event: no "kind" and none of auditID, verb, requestURI, objectRef, stage, user' : `not an audit Event: kind ${JSON.stringify(kind)}` };
}

/** The column of a JSON.parse error in V8's message ("... at position 12"), 1-based. */
function errorColumn(message: string): number {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) + 1 : 1;
}

const MAX_DOCUMENT = 64 * 1024 * 1024;

/**
 * Splits text into events as it arrives. `push` takes any chunk of text; complete lines are read
 * at once; a line that starts a JSON document left open (a pretty-printed EventList) is continued
 * over the next lines, tracked by a bracket scanner, until the document closes.
 */
export class EventReader {
  private line = 0;
  private partial: string[] = [];
  private doc: { text: string; line: number; depth: number; inString: boolean; escape: boolean; stack: string[]; itemLines: number[]; lineNo: number; lines: { text: string; line: number }[] } | undefined;

  constructor(
    private readonly file: string,
    private readonly onEvent: (e: LocatedEvent) => void,
    private readonly onError: (e: PalisadeError) => void,
  ) {}

  push(chunk: string): void {
    // A line that arrives in many small chunks is kept as a list and joined once, when its newline
    // comes: searching and copying the whole partial line on each chunk took time quadratic in its length.
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      if (chunk.length > 0) this.partial.push(chunk);
      return;
    }
    const head = this.partial.join('');
    this.partial = [];
    const text = head + chunk;
    nl += head.length;
    let start = 0;
    while (nl >= 0) {
      this.lineIn(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.partial.push(text.slice(start));
  }

  /** End of input: the last line needs no newline; a document still open is an error. */
  end(): void {
    if (this.partial.length > 0) {
      const last = this.partial.join('');
      this.partial = [];
      this.lineIn(last);
    }
    while (this.doc) {
      const doc = this.doc;
      this.error(doc.line, 1, 'JSON document not closed before the end of the input');
      this.doc = undefined;
      this.recover(doc);
    }
  }

  /**
   * A document that never closed or does not parse was most likely one cut-off line of a JSON-lines
   * log (a full disk, a rotated file), not a pretty-printed document: its error is said at its first
   * line, and the lines after it that start a JSON value in column 1 are read again, so one bad line
   * hides no event of the lines that follow it.
   */
  private recover(doc: NonNullable<EventReader['doc']>): void {
    const from = doc.lines.findIndex((l, k) => k > 0 && (l.text.startsWith('{') || l.text.startsWith('[')));
    if (from < 0) return;
    const current = this.line;
    for (const l of doc.lines.slice(from)) {
      this.line = l.line - 1;
      this.lineIn(l.text);
    }
    this.line = current;
  }

  private error(line: number, column: number, message: string): void {
    const location: Location = { file: this.file, line, column };
    this.onError(new PalisadeError('AUDITLOG_BAD_LINE', message, { location, errorClass: 'severe' }));
  }

  private emit(value: unknown, line: number, itemLines?: number[]): void {
    const res = eventsOf(value);
    if ('error' in res) {
      this.error(line, 1, res.error);
      return;
    }
    res.events.forEach((event, i) => this.onEvent({ event, file: this.file, line: itemLines?.[i] ?? line }));
  }

  private lineIn(raw: string): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.doc) {
      this.continueDocument(text);
      return;
    }
    let i = 0;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i === text.length) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const c = text[i];
      // Only a document cut off at the end of the line continues on the next lines.
      const at = /position (\d+)/.exec(message);
      const cutOff = /end of JSON/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
      if ((c === '{' || c === '[') && cutOff && this.opensDocument(text)) return;
      this.error(this.line, errorColumn(message), `not JSON: ${message}`);
      return;
    }
    this.emit(value, this.line);
  }

  /** Starts a multi-line document when the line leaves brackets open; false when it is just malformed. */
  private opensDocument(text: string): boolean {
    const doc = { text: '', line: this.line, depth: 0, inString: false, escape: false, stack: [] as string[], itemLines: [] as number[], lineNo: this.line, lines: [] as { text: string; line: number }[] };
    this.doc = doc;
    const closed = this.scan(text);
    if (closed || doc.depth <= 0) {
      this.doc = undefined;
      return false;
    }
    return true;
  }

  private continueDocument(text: string): void {
    const doc = this.doc as NonNullable<EventReader['doc']>;
    doc.lineNo = this.line;
    if (this.scan(text)) {
      this.doc = undefined;
      let value: unknown;
      try {
        value = JSON.parse(doc.text);
      } catch (error) {
        this.error(doc.line, 1, `not JSON: ${(error as Error).message}`);
        this.recover(doc);
        return;
      }
      this.emit(value, doc.line, doc.itemLines);
    } else if (doc.text.length > MAX_DOCUMENT) {
      this.error(doc.line, 1, `JSON document longer than ${MAX_DOCUMENT} bytes`);
      this.doc = undefined;
      this.recover(doc);
    }
  }

  /** Feeds a line to the bracket scanner; true when the document closed on it (the rest of the line must be blank). */
  private scan(text: string): boolean {
    const doc = this.doc as NonNullable<EventReader['doc']>;
    doc.lines.push({ text, line: this.line });
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (doc.inString) {
        if (doc.escape) doc.escape = false;
        else if (c === '\\') doc.escape = true;
        else if (c === '"') doc.inString = false;
        continue;
      }
      if (c === '"') doc.inString = true;
      else if (c === '{' || c === '[') {
        // An EventList's items (object > array > object) or a top-level array's elements.
        const s = doc.stack;
        if (c === '{' && ((s.length === 2 && s[0] === '{' && s[1] === '[') || (s.length === 1 && s[0] === '['))) doc.itemLines.push(doc.lineNo);
        s.push(c);
        doc.depth++;
      } else if (c === '}' || c === ']') {
        doc.stack.pop();
        doc.depth--;
        if (doc.depth === 0) {
          doc.text += text.slice(0, i + 1);
          if (text.slice(i + 1).trim() !== '') {
            this.error(this.line, i + 2, 'unexpected text after the JSON document');
          }
          return true;
        }
      }
    }
    doc.text += text + '\n';
    return false;
  }
}

/** Reads a whole text at once. */
export function readEvents(file: string, text: string): { events: LocatedEvent[]; errors: PalisadeError[] } {
  const events: LocatedEvent[] = [];
  const errors: PalisadeError[] = [];
  const reader = new EventReader(
    file,
    (e) => events.push(e),
    (e) => errors.push(e),
  );
  reader.push(text);
  reader.end();
  return { events, errors };
}
