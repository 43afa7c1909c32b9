/**
 * Scanning JSON text without parsing it: where a string or a value ends. The fast path cuts
 * concatenated objects with it, the position scan (jsonPositions.ts) steps over values, and the
 * depth limit skips strings. Each scan is bounded by `end`, so a span is never read past.
 */

/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function skipJsonSpace(text: string, i: number, end = text.length): number {
  while (i < end && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The offset just past the string whose opening quote is at `i`, or -1 when it does not close before `end`. */
export function skipJsonString(text: string, i: number, end = text.length): number {
  for (let j = i + 1; ; ) {
    const quote = text.indexOf('"', j);
    if (quote < 0 || quote >= end) return -1;
    // An odd run of backslashes before the quote escapes it.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    j = quote + 1;
  }
}

/**
 * The offset just past the value starting at `i`, or -1 when an object, array or string opened
 * there does not close before `end`. Brackets are counted, not matched: the text is JSON that
 * JSON.parse reads, or will refuse on its own.
 */
export function skipJsonValue(text: string, i: number, end = text.length): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipJsonString(text, i, end);
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    // A number, true, false or null: up to the next separator.
    while (i < end && !isScalarEnd(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d === QUOTE) {
      const after = skipJsonString(text, i, end);
      if (after < 0) return -1;
      i = after - 1;
    } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return i + 1;
  }
  return -1;
}

function isScalarEnd(c: number): boolean {
  return isJsonSpace(c) || c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
