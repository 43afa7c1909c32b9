import { pointerTokens } from '../pointer.js';
import { skipJsonSpace as skipSpace, skipJsonString, skipJsonValue } from './jsonScan.js';

/**
 * Locating a pointer in JSON text without building a YAML tree: a scan that skips over the
 * values it does not descend into. It lands where the YAML reader's locate lands (nodeAtPointer):
 * a mapping entry on its key's opening quote, a sequence item on the item, and the nearest
 * existing parent when the path stops; the last of duplicate keys wins, as JSON.parse and the YAML
 * reader both read them. The text is JSON the fast path has already parsed, so the scan trusts its
 * shape, but stays inside the text and never loops whatever it is given.
 *
 * Why: a warning on one object of a large `kubectl get -o json` export used to parse the whole
 * file as YAML (seconds for a few megabytes) to find one line.
 */
export function jsonOffsetAtPointer(text: string, root: number, pointer: string, items?: JsonEntryOffsets): number {
  let offset = root;
  if (pointer === '') return offset;
  let at = root;
  for (const token of pointerTokens(pointer)) {
    const next = step(text, at, token, items);
    if (next === undefined) break;
    offset = next.offset;
    at = next.value;
  }
  return offset;
}

/**
 * The offsets of the items of the array the top-level `items` key holds (a List), scanned once for
 * all the items: locating inside item i then scans item i only.
 */
export function jsonListItemOffsets(text: string, root: number): number[] {
  const items = step(text, root, 'items');
  return items === undefined || text.charCodeAt(items.value) !== OPEN_ARRAY ? [] : itemOffsets(text, items.value);
}

/** Where each item of the array at `at` starts. */
function itemOffsets(text: string, at: number): number[] {
  const offsets: number[] = [];
  forEachItem(text, at, (start) => {
    offsets.push(start);
    return false;
  });
  return offsets;
}

/** The first character of the JSON value at or after `from` (spaces and line ends skipped). */
export function jsonValueStart(text: string, from: number): number {
  return skipSpace(text, from);
}

/** The items of one List document, their offsets scanned on first use, once for all of them. */
export class JsonListItems {
  private offsets?: number[];
  constructor(
    private readonly text: string,
    private readonly root: number,
  ) {}

  /** Where item `index` starts; the List's own start if there is no such item. */
  start(index: number): number {
    this.offsets ??= jsonListItemOffsets(this.text, this.root);
    return this.offsets[index] ?? this.root;
  }
}

/** Where an object read by the JSON fast path starts in its file: a document's root, or a List's item. */
export interface JsonPositions {
  readonly jsonStart: number | { readonly list: JsonListItems; readonly index: number };
}

export function jsonStartOf(positions: JsonPositions): number {
  const start = positions.jsonStart;
  return typeof start === 'number' ? start : start.list.start(start.index);
}

/**
 * The entries of the objects and arrays located into, by their offset: with it, locating item i of a
 * list of n items costs one scan of the list (and of the object around it) for all of them, not a
 * scan each (a binding of 2,000 subjects took seconds to locate subject by subject).
 */
export type JsonEntryOffsets = Map<number, number[] | Map<string, { offset: number; value: number }>>;

function step(text: string, at: number, token: string, items?: JsonEntryOffsets): { offset: number; value: number } | undefined {
  const c = text.charCodeAt(at);
  if (c === OPEN_OBJECT) {
    let keys = items?.get(at);
    if (!(keys instanceof Map)) {
      keys = objectKeys(text, at);
      items?.set(at, keys);
    }
    return keys.get(token);
  }
  if (c === OPEN_ARRAY) {
    if (!INDEX.test(token)) return undefined;
    const wanted = Number(token);
    if (items) {
      let offsets = items.get(at);
      if (!Array.isArray(offsets)) items.set(at, (offsets = itemOffsets(text, at)));
      const found = offsets[wanted];
      return found === undefined ? undefined : { offset: found, value: found };
    }
    let index = 0;
    let found: number | undefined;
    forEachItem(text, at, (start) => {
      if (index++ !== wanted) return false;
      found = start;
      return true;
    });
    return found === undefined ? undefined : { offset: found, value: found };
  }
  return undefined;
}

/** Every key of the object at `at` with where it and its value start; the last of duplicate keys wins. */
function objectKeys(text: string, at: number): Map<string, { offset: number; value: number }> {
  const keys = new Map<string, { offset: number; value: number }>();
  let i = skipSpace(text, at + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyStart = i;
    const keyEnd = skipString(text, i);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return keys;
    const value = skipSpace(text, i + 1);
    keys.set(keyText(text, keyStart, keyEnd), { offset: keyStart, value });
    i = skipSpace(text, skipValue(text, value));
    if (text.charCodeAt(i) !== COMMA) break;
    i = skipSpace(text, i + 1);
  }
  return keys;
}

/** Calls `visit` with each item's start until it returns true or the array ends. */
function forEachItem(text: string, at: number, visit: (start: number) => boolean): void {
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_ARRAY) return;
  while (i < text.length) {
    if (visit(i)) return;
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== COMMA) return;
    i = skipSpace(text, i + 1);
  }
}

/** A key as JSON.parse reads it; the escapes are decoded only where there are some. */
function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return raw;
  }
}

/** The offset just past the value starting at `i` (the text's end if it does not close). */
function skipValue(text: string, i: number): number {
  const end = skipJsonValue(text, i);
  return end < 0 ? text.length : end;
}

/** The offset just past the string whose opening quote is at `i` (the text's end if it does not close). */
function skipString(text: string, i: number): number {
  const end = skipJsonString(text, i);
  return end < 0 ? text.length : end;
}

const INDEX = /^(0|[1-9][0-9]*)$/;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
