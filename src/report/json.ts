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
export function* prettyJsonChunks(value: unknown, indent = '', depth = 0): Generator<string> {
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
    for (let i = 0; i < value.length; i++) {
      yield inner;
      const item: unknown = value[i];
      if (skipped(item)) yield 'null';
      else yield* prettyJsonChunks(item, inner, depth + 1);
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
    yield* prettyJsonChunks(item, inner, depth + 1);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}
