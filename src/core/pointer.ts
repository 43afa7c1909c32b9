import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode, type Pair } from 'yaml';

/** RFC 6901 JSON pointer → tokens. "" is the whole document. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer: ${pointer}`);
  const tokens = pointer.slice(1).split('/');
  if (!pointer.includes('~')) return tokens;
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapeToken(token: string | number): string {
  const text = typeof token === 'string' ? token : String(token);
  // Most tokens have nothing to escape: skip the two regex passes (the webhook builds many pointers per request).
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  let pointer = base;
  for (const token of tokens) pointer += '/' + escapeToken(token);
  return pointer;
}

/** The value at a pointer in a plain object, or undefined. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(value)) value = value[Number(token)];
    else if (value !== null && typeof value === 'object') value = (value as Record<string, unknown>)[token];
    else return undefined;
  }
  return value;
}

function isMergeKey(pair: Pair): boolean {
  const key = pair.key;
  return isScalar(key) && (typeof key.value === 'symbol' || (key.source === '<<' && key.type === 'PLAIN'));
}

function keyMatches(pair: Pair, token: string): boolean {
  const key = pair.key;
  if (!isScalar(key)) return false;
  const value = key.value;
  // Keys are almost always strings; numbers and booleans as keys compare by their JSON text.
  return value === token || (typeof value === 'number' || typeof value === 'boolean' ? String(value) === token : false);
}

interface Found {
  /** Offset of the found node: the key of a mapping entry, or a sequence item. */
  offset: number;
  /** How many tokens were resolved. */
  depth: number;
}

/**
 * Walk a YAML node along pointer tokens, through aliases and merge keys, and return the offset of
 * the deepest node reached: the offending field, or its nearest existing parent.
 */
export function nodeAtPointer(document: Document, root: YamlNode, tokens: readonly string[]): Found {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  let depth = 0;
  for (const token of tokens) {
    const next = step(document, node, token);
    if (!next) break;
    node = next.value;
    offset = next.offset;
    depth++;
  }
  return { offset, depth };
}

function resolve(document: Document, node: unknown, seen = 0): unknown {
  let current = node;
  while (isAlias(current) && seen++ < 64) current = current.resolve(document);
  return current;
}

function step(document: Document, node: unknown, token: string): { value: unknown; offset: number } | undefined {
  const current = resolve(document, node);
  if (isMap(current)) {
    // Own keys win over merged ones; the last duplicate wins, as toJS does.
    for (let i = current.items.length - 1; i >= 0; i--) {
      const pair = current.items[i];
      if (isPair(pair) && keyMatches(pair, token)) {
        const keyNode = pair.key as YamlNode | null;
        return { value: pair.value, offset: keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? 0 };
      }
    }
    for (const pair of current.items) {
      if (!isPair(pair) || !isMergeKey(pair)) continue;
      const sources = resolve(document, pair.value);
      const list = isSeq(sources) ? sources.items : [sources];
      for (const source of list) {
        const found = step(document, source, token);
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isSeq(current)) {
    if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
    const item = current.items[Number(token)] as YamlNode | undefined;
    if (item === undefined) return undefined;
    const target = resolve(document, item) as YamlNode;
    return { value: item, offset: item.range?.[0] ?? target?.range?.[0] ?? 0 };
  }
  return undefined;
}
