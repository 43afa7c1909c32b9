/**
 * XML 1.0 allows tab, LF, CR and most of Unicode, but no other control character and no lone
 * surrogate, even escaped as a character reference. Those become U+FFFD so the document stays
 * well-formed whatever a manifest contained.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Escapes for attribute values; tab and newlines as references so attribute normalisation keeps them. */
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;' };

export function xmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, '\ufffd').replace(/[&<>\r]/g, (ch) => TEXT_ESCAPES[ch] ?? ch);
}

export function xmlAttribute(value: string | number): string {
  return String(value)
    .replace(NOT_XML_CHAR, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (ch) => ATTRIBUTE_ESCAPES[ch] ?? ch);
}

/** ` name="value"` for each defined attribute, in the order given. */
export function xmlAttributes(attributes: Record<string, string | number | undefined>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
    .join('');
}
