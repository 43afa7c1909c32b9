import type { Reporter } from './types.js';

/** The report as it is: the JSON contract of DESIGN.md that CI systems parse. */
export const json: Reporter = Object.assign((report: Parameters<Reporter>[0]) => JSON.stringify(report, null, 2), {
  chunks: (report: Parameters<Reporter>[0]) => prettyJsonChunks(report),
});

/** Containers this deep are split into pieces (the report, its arrays, their items); deeper values are stringified whole. */
const SPLIT_DEPTH = 2;

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
};
const skipped = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * `JSON.stringify(value, null, 2)`, byte for byte, as a sequence of pieces: one per array item and
 * object member near the top, so the findings of a large report never form one string.
 */
export function* prettyJsonChunks(value: unknown, indent = '', depth = 0, batch = ITEMS_PER_PIECE): Generator<string> {
  const container = typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value));
  if (!container || depth >= SPLIT_DEPTH) {
    const text = (JSON.stringify(value, null, 2) as string | undefined) ?? 'null'; // undefined only from a toJSON, never in a report
    yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`); // strings in JSON hold no raw newline
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    yield '[\n';
    if (depth + 1 >= SPLIT_DEPTH) return yield* itemsInBatches(value, indent, batch);
    for (let i = 0; i < value.length; i++) {
      yield inner;
      const item: unknown = value[i];
      if (skipped(item)) yield 'null';
      else yield* prettyJsonChunks(item, inner, depth + 1, batch);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    return yield `${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => !skipped(v));
  if (entries.length === 0) return yield '{}';
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* prettyJsonChunks(item, inner, depth + 1, batch);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** Items of an array stringified whole are stringified `ITEMS_PER_PIECE` at a time: one piece per batch (a few hundred kB). */
const ITEMS_PER_PIECE = 256;

/**
 * The items of a non-empty array at `indent`, then its closing bracket. A batch nested in as many
 * arrays as the items are deep is stringified by JSON.stringify itself at the items' indentation,
 * and the wrapping brackets are cut off: the bytes of stringifying the items one by one and
 * indenting each (a copy of every finding's text saved), nulls for undefined items included.
 */
function* itemsInBatches(items: readonly unknown[], indent: string, batch: number): Generator<string> {
  const wraps = indent.length / 2;
  // The opening lines "[\n", "  [\n", … and the closing "\n  ]", "\n]", …: as many characters each.
  let cut = 0;
  for (let j = 0; j <= wraps; j++) cut += 2 * j + 2;
  for (let start = 0; start < items.length; start += batch) {
    let wrapped: unknown = items.slice(start, start + batch);
    for (let j = 0; j < wraps; j++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    yield text.slice(cut, text.length - cut);
    yield start + batch < items.length ? ',\n' : '\n';
  }
  yield `${indent}]`;
}
