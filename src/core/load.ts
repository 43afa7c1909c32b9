import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Document, LineCounter, isMap, isSeq, parseAllDocuments, visit, type Node as YamlNode, type Tags, type YAMLMap } from 'yaml';
import { PalisadeError } from './errors.js';
import { nodeAtPointer, pointerTokens } from './pointer.js';
import type { Location, ResourceRef } from './types.js';

/** One input file (or stdin, "-") as text, with the line index positions are computed from. */
export interface SourceFile {
  /** The path as the user gave it (absolute stays absolute); "-" for stdin. */
  path: string;
  text: string;
  lineCounter: LineCounter;
}

/** A Dockerfile found among the inputs, for the modules that read them. */
export interface DockerfileInput {
  path: string;
  text: string;
}

/** Where a resource sits in its YAML tree; built on first use for JSON read by the fast path. */
export interface ResourceNode {
  document: Document;
  /** The YAML node of this object (a List item's node for expanded lists). */
  node: YamlNode;
}

/**
 * A Kubernetes object read from the input. `object` is the plain value; `locate` maps a JSON
 * pointer into it back to the YAML node it came from.
 */
export class Resource {
  readonly ref: ResourceRef;
  private tree?: ResourceNode;
  constructor(
    readonly object: Record<string, unknown>,
    readonly source: SourceFile,
    tree: ResourceNode | (() => ResourceNode),
    /** Ordinal of this resource in its file, 0-based (List items counted). */
    readonly indexInFile: number,
    /** Ordinal of the YAML document in its file, 0-based. */
    readonly documentIndex: number,
    /** Pointer of this object inside its document: "" or "/items/3". */
    readonly documentPointer: string,
  ) {
    this.ref = resourceRef(object, indexInFile);
    if (typeof tree === 'function') this.resolveTree = tree;
    else this.tree = tree;
  }

  private readonly resolveTree?: () => ResourceNode;

  /** The YAML document this object came from. */
  get document(): Document {
    return this.yamlTree().document;
  }

  /** The YAML node of this object. */
  get node(): YamlNode {
    return this.yamlTree().node;
  }

  private yamlTree(): ResourceNode {
    this.tree ??= this.resolveTree!();
    return this.tree;
  }

  get file(): string {
    return this.source.path;
  }

  /** Location of the node at `pointer` (relative to this object), or of its nearest existing parent. */
  locate(pointer: string): Location {
    const { document, node } = this.yamlTree();
    const offset = nodeAtPointer(document, node, pointerTokens(pointer)).offset;
    return this.position(offset);
  }

  /** 1-based {file, line, column} of a byte offset in this resource's file. */
  position(offset: number): Location {
    const { line, col } = this.source.lineCounter.linePos(offset);
    return { file: this.source.path, line, column: col };
  }
}

export interface LoadResult {
  inputs: string[];
  resources: Resource[];
  dockerfiles: DockerfileInput[];
  /** Input errors: each names file:line:column. Other documents are still loaded. */
  errors: PalisadeError[];
  /** Documents that parsed but are not Kubernetes objects (no apiVersion/kind). */
  skipped: number;
  /** Files read (YAML/JSON and Dockerfiles). */
  files: number;
}

export interface LoadOptions {
  /** Read "-" from here (tests pass a string). */
  stdin?: () => Promise<string>;
  /** Aliases allowed per document before it is refused as an alias bomb. */
  maxAliasCount?: number;
  /** Read JSON with JSON.parse when the text allows it (default true; false forces the YAML reader, for tests). */
  jsonFastPath?: boolean;
}

/**
 * YAML as the API server reads it: kubectl and the apiserver decode manifests with go-yaml v2, a
 * YAML 1.1 reader, so `privileged: yes`, `hostNetwork: on` and `y` are booleans, `0755` is octal
 * and `1_000` an integer. Reading them as YAML 1.2 strings would hide a privileged pod. go-yaml v2
 * does not resolve timestamps or base-60 numbers for these values, so those stay strings.
 */
export const KUBERNETES_YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: (tags: Tags): Tags =>
    tags.filter((tag) => {
      if (typeof tag === 'string') return tag !== 'timestamp' && tag !== 'intTime' && tag !== 'floatTime';
      return tag.tag !== 'tag:yaml.org,2002:timestamp' && (tag as { format?: string }).format !== 'TIME';
    }),
} as const;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function isDockerfileName(name: string): boolean {
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name === 'Containerfile';
}

/** Load every manifest and Dockerfile under the given paths. Never throws for bad input. */
export async function load(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { inputs: [...paths], resources: [], dockerfiles: [], errors: [], skipped: 0, files: 0 };
  for await (const part of loadFiles(paths, options)) {
    result.resources.push(...part.resources);
    result.dockerfiles.push(...part.dockerfiles);
    result.errors.push(...part.errors);
    result.skipped += part.skipped;
    result.files += part.files;
  }
  return result;
}

/** One raw input file: its text, before parsing. */
export interface InputText {
  path: string;
  text: string;
  dockerfile: boolean;
}

/**
 * Read the inputs one file at a time, without parsing: lets a caller look at the texts first
 * (e.g. for namespace labels) and then parse and drop them file by file, to keep memory flat.
 * Unreadable paths come back as errors.
 */
export async function* readInputs(paths: readonly string[], options: LoadOptions = {}): AsyncGenerator<InputText | PalisadeError> {
  for (const path of paths) {
    if (path === '-') {
      yield { path: '-', text: await (options.stdin ?? readStdin)(), dockerfile: false };
      continue;
    }
    let files: string[];
    try {
      files = await expandPath(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'LOAD_NOT_FOUND' : 'LOAD_READ_FAILED';
      yield new PalisadeError(code, code === 'LOAD_NOT_FOUND' ? `no such file or directory: ${path}` : `cannot read ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: path, line: 1, column: 1 }, cause });
      continue;
    }
    for (const file of files) {
      try {
        yield { path: file, text: await readFile(file, 'utf8'), dockerfile: isDockerfileName(basename(file)) };
      } catch (cause) {
        yield new PalisadeError('LOAD_READ_FAILED', `cannot read ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause });
      }
    }
  }
}

/** Parse one input as a LoadResult of its own (a Dockerfile is collected, not parsed). */
export function parseInput(input: InputText | PalisadeError, options: LoadOptions = {}): LoadResult {
  if (input instanceof PalisadeError) return { inputs: [], resources: [], dockerfiles: [], errors: [input], skipped: 0, files: 0 };
  if (input.dockerfile) return { inputs: [input.path], resources: [], dockerfiles: [{ path: input.path, text: input.text }], errors: [], skipped: 0, files: 1 };
  return loadText(input.path, input.text, options);
}

/** Load file by file: each yielded result holds one file's resources, Dockerfile or errors. */
export async function* loadFiles(paths: readonly string[], options: LoadOptions = {}): AsyncGenerator<LoadResult> {
  for await (const input of readInputs(paths, options)) yield parseInput(input, options);
}

/** Parse manifest text (YAML or JSON, many documents) into resources and errors. Pure. */
export function loadText(path: string, text: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { inputs: [path], resources: [], dockerfiles: [], errors: [], skipped: 0, files: 1 };
  addManifestText(result, path, text, options);
  return result;
}

async function expandPath(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  await walk(path, found);
  return found;
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Keep the path as the user wrote it (`./deploy/` stays `./deploy/…`), so findings match their input.
    const full = dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, found);
    } else if (entry.isFile() && (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()) || isDockerfileName(entry.name))) {
      found.push(full);
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * JSON (`kubectl get -o json`, generated manifests, JSON documents between `---` lines) is read
 * with JSON.parse, several times faster than a YAML parser; positions come from a YAML parse of
 * the same text made only when a location is asked for. Anything the YAML reader would read
 * otherwise (a comment, a flow mapping that is not JSON, a `---` line carrying content, a lone CR,
 * a tab where YAML wants indentation) takes the YAML path, which reports errors with positions.
 * What is taken reads as the YAML reader reads it, two things aside: a duplicate key keeps its
 * last value without the YAML path's warning (as the API server does), and nesting deeper than
 * the YAML reader allows is read. Returns one entry per YAML document, numbered as
 * parseAllDocuments numbers them: null for an empty document.
 */
export function parseJsonDocuments(text: string): JsonDocuments | undefined {
  // YAML does not end a line at a lone CR; JavaScript's /m does. Leave such text to the YAML reader.
  if (LONE_CR.test(text)) return undefined;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length && WHITESPACE.has(text.charCodeAt(start))) start++;
  const first = text[start];
  if (first !== '{' && first !== '-') return undefined;
  const out: JsonDocuments = { values: [], spans: [], stream: false };
  let segmentStart = start;
  let seenMarker = false;
  const add = (value: Record<string, unknown> | null, span: readonly [number, number]): void => {
    out.values.push(value);
    out.spans.push(span);
  };
  const addSegment = (from: number, to: number): boolean => {
    const segment = text.slice(from, to);
    if (isBlank(segment)) {
      // Blank text before the first `---` is not a document; blank text after one is an empty one.
      if (seenMarker) add(null, [from, to]);
      return true;
    }
    const value = parseObject(segment);
    if (value) {
      add(value, [from, to]);
      return true;
    }
    // Objects one after another (`jq -c`, JSON Lines), as kubectl's JSON decoder reads them.
    const spans = concatenatedObjects(text, from, to);
    const values = spans?.map(([s, e]) => parseObject(text.slice(s, e)));
    if (!spans || !values || values.some((v) => v === undefined)) return false;
    out.stream = true;
    values.forEach((v, i) => add(v as Record<string, unknown>, spans[i] as [number, number]));
    return true;
  };
  DOCUMENT_MARKER.lastIndex = start;
  for (let marker = DOCUMENT_MARKER.exec(text); marker; marker = DOCUMENT_MARKER.exec(text)) {
    if (!addSegment(segmentStart, marker.index)) return undefined;
    seenMarker = true;
    segmentStart = marker.index + marker[0].length;
  }
  if (!addSegment(segmentStart, text.length)) return undefined;
  return out;
}

/** What the JSON fast path read: one value per document (null: empty), and where each lies. */
export interface JsonDocuments {
  values: (Record<string, unknown> | null)[];
  spans: (readonly [number, number])[];
  /**
   * Objects followed one another with no `---` between them somewhere: YAML cannot read the text
   * whole, so each document's YAML tree is parsed from its own span.
   */
  stream: boolean;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The spans of two or more JSON objects written one after another, or undefined. */
function concatenatedObjects(text: string, from: number, to: number): [number, number][] | undefined {
  const spans: [number, number][] = [];
  let i = from;
  for (;;) {
    while (i < to && WHITESPACE.has(text.charCodeAt(i))) i++;
    if (i >= to) break;
    if (text.charCodeAt(i) !== 0x7b) return undefined; // {
    const begin = i;
    let depth = 0;
    let inString = false;
    for (; i < to; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 0x5c) i++; // backslash: skip the escaped character
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
        i++;
        break;
      }
    }
    if (depth !== 0) return undefined;
    spans.push([begin, i]);
  }
  return spans.length >= 2 ? spans : undefined;
}

/** A `---` line with nothing after it but blanks: where JSON documents of a stream are cut. */
const DOCUMENT_MARKER = /^---[ \t]*(?:\r?\n|\r?$)/gm;
const LONE_CR = /\r(?!\n)/;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** An empty YAML document may hold spaces and line ends; a tab there is a YAML error. */
const BLANK = new Set([0x20, 0x0a, 0x0d]);

function isBlank(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) if (!BLANK.has(segment.charCodeAt(i))) return false;
  return true;
}

function addManifestText(result: LoadResult, path: string, text: string, options: LoadOptions): void {
  const lineCounter = new LineCounter();
  const source: SourceFile = { path, text, lineCounter };
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const json = options.jsonFastPath === false ? undefined : parseJsonDocuments(text);
  if (json) {
    addJsonDocuments(result, source, json);
    return;
  }
  const documents = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter });
  // parseAllDocuments returns an EmptyStream (an empty array) for text with no documents.
  let indexInFile = 0;
  let documentIndex = -1;
  for (const document of documents) {
    documentIndex++;
    const fatal = document.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    if (fatal) {
      result.errors.push(new PalisadeError('LOAD_YAML_SYNTAX', `YAML syntax error: ${firstLine(fatal.message)} (${fatal.code})`, { location: at(fatal.pos[0]), cause: fatal }));
      continue;
    }
    for (const dup of document.errors) {
      result.errors.push(new PalisadeError('LOAD_DUPLICATE_KEY', `duplicate mapping key: ${firstLine(dup.message)}; the last value is used, but other parsers may take the first`, { location: at(dup.pos[0]), cause: dup }));
    }
    const contents = document.contents;
    if (contents === null || (contents as { value?: unknown }).value === null && !isMap(contents) && !isSeq(contents)) continue; // empty document
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
    } catch (cause) {
      result.errors.push(new PalisadeError('LOAD_ALIAS_BOMB', `refused: too many alias expansions in this document (a "billion laughs" alias bomb?); limit ${options.maxAliasCount ?? 100}`, { location: at(contents.range?.[0] ?? 0), cause }));
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isMap(contents) || typeof value !== 'object' || Array.isArray(value)) {
      result.errors.push(new PalisadeError('LOAD_NOT_AN_OBJECT', `expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(value) ? 'a sequence' : `a ${typeof value}`}`, { location: at(contents.range?.[0] ?? 0) }));
      continue;
    }
    const object = value as Record<string, unknown>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      result.skipped++;
      continue;
    }
    if (isListKind(object)) {
      const itemsNode = contents.get('items', true);
      const items = object.items as unknown[];
      const listItemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
      items.forEach((item, i) => {
        const itemNode = isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode | undefined) : undefined;
        const offset = itemNode?.range?.[0] ?? contents.range?.[0] ?? 0;
        if (item === null || typeof item !== 'object' || Array.isArray(item) || !itemNode) {
          result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of ${object.kind} is not an object`, { location: at(offset) }));
          return;
        }
        const typed = item as Record<string, unknown>;
        const kind = typeof typed.kind === 'string' ? typed.kind : listItemKind;
        const apiVersion = typeof typed.apiVersion === 'string' ? typed.apiVersion : object.apiVersion;
        if (!kind) {
          result.errors.push(new PalisadeError('LOAD_BAD_LIST', `item ${i} of List has no kind`, { location: at(offset) }));
          return;
        }
        // Typed lists omit kind/apiVersion on items; fill them in without changing what the user wrote.
        const filled = typed.kind === kind && typed.apiVersion === apiVersion ? typed : { apiVersion, kind, ...typed };
        result.resources.push(new Resource(filled, source, { document, node: itemNode }, indexInFile++, documentIndex, `/items/${i}`));
      });
      continue;
    }
    result.resources.push(new Resource(object, source, { document, node: contents }, indexInFile++, documentIndex, ''));
  }
}

/** JSON documents (each possibly a List) read by the fast path; the YAML trees are parsed on first use. */
function addJsonDocuments(result: LoadResult, source: SourceFile, json: JsonDocuments): void {
  let parsed: Document[] | undefined;
  const documentAt = json.stream ? spanDocuments(source, json.spans) : (index: number): Document => (parsed ??= parseAllDocuments(source.text, { ...KUBERNETES_YAML_OPTIONS, lineCounter: source.lineCounter }) as Document[])[index]!;
  let indexInFile = 0;
  json.values.forEach((object, documentIndex) => {
    if (object === null) return;
    const rootNode = (): YamlNode => documentAt(documentIndex).contents as YamlNode;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      result.skipped++;
      return;
    }
    if (!isListKind(object)) {
      result.resources.push(new Resource(object, source, () => ({ document: documentAt(documentIndex), node: rootNode() }), indexInFile++, documentIndex, ''));
      return;
    }
    const listItemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
    (object.items as unknown[]).forEach((item, i) => {
      const itemNode = (): YamlNode => {
        const items = (rootNode() as YAMLMap).get('items', true);
        return isSeq(items) ? (items.items[i] as YamlNode) : rootNode();
      };
      const typed = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
      const kind = typed && typeof typed.kind === 'string' ? typed.kind : listItemKind;
      if (!typed || !kind) {
        const offset = itemNode().range?.[0] ?? 0;
        const { line, col } = source.lineCounter.linePos(offset);
        result.errors.push(new PalisadeError('LOAD_BAD_LIST', typed ? `item ${i} of List has no kind` : `item ${i} of ${object.kind} is not an object`, { location: { file: source.path, line, column: col } }));
        return;
      }
      const apiVersion = typeof typed.apiVersion === 'string' ? typed.apiVersion : (object.apiVersion as string);
      const filled = typed.kind === kind && typed.apiVersion === apiVersion ? typed : { apiVersion, kind, ...typed };
      result.resources.push(new Resource(filled, source, () => ({ document: documentAt(documentIndex), node: itemNode() }), indexInFile++, documentIndex, `/items/${i}`));
    });
  });
}

/**
 * YAML trees for a JSON stream YAML cannot read whole: each document is parsed from its own span,
 * and its nodes are moved to the span's place in the file, so that locations and edits (harden)
 * work on the file's offsets. The line index is built from the text, as the YAML reader would.
 */
function spanDocuments(source: SourceFile, spans: readonly (readonly [number, number])[]): (index: number) => Document {
  const cache = new Map<number, Document>();
  let lines = false;
  return (index) => {
    if (!lines) {
      source.lineCounter.addNewLine(0);
      for (let i = source.text.indexOf('\n'); i >= 0; i = source.text.indexOf('\n', i + 1)) source.lineCounter.addNewLine(i + 1);
      lines = true;
    }
    let document = cache.get(index);
    if (!document) {
      const [start, end] = spans[index] as [number, number];
      document = parseAllDocuments(source.text.slice(start, end), KUBERNETES_YAML_OPTIONS)[0] as Document;
      const move = (range: YamlNode['range']): YamlNode['range'] => (range ? [range[0] + start, range[1] + start, range[2] + start] : range);
      visit(document, {
        Node(_, node) {
          node.range = move(node.range);
        },
      });
      document.range = move(document.range) as Document['range'];
      cache.set(index, document);
    }
    return document;
  };
}

function isListKind(object: Record<string, unknown>): object is Record<string, unknown> & { kind: string } {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

export function resourceRef(object: Record<string, unknown>, indexInFile: number): ResourceRef {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const kind = String(object.kind);
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : typeof metadata.generateName === 'string' && metadata.generateName !== '' ? metadata.generateName : `${kind}#${indexInFile}`;
  const ref: ResourceRef = { apiVersion: String(object.apiVersion), kind, name };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') ref.namespace = metadata.namespace;
  return ref;
}
