import { parseAllDocuments, type Document, type DocumentOptions, type LineCounter, type Node as YamlNode, type ParseOptions, type SchemaOptions } from 'yaml';
import { nodeAtPointer, pointerTokens } from '../pointer.js';
import { offsetAtPointer, type NodePositions } from './blockYaml.js';
import { jsonOffsetAtPointer, jsonStartOf, type JsonEntryOffsets, type JsonPositions } from './jsonPositions.js';
import { listItemNode } from './lists.js';
import type { Location, ResourceRef } from '../types.js';

/** One input file (or stdin, "-") as text, with the line index positions are computed from. */
export interface SourceFile {
  /** The path as the user gave it (absolute stays absolute); "-" for stdin. */
  path: string;
  text: string;
  lineCounter: LineCounter;
}

/** Where a resource sits in its YAML tree; built on first use for JSON read by the fast path. */
export interface ResourceNode {
  document: Document;
  /** The YAML node of this object (a List item's node for expanded lists). */
  node: YamlNode;
}

/**
 * Positions of an object read by a fast path (block YAML or JSON), so it is located without a YAML
 * tree.
 */
export type FastPositions = BlockPositions | JsonPositions;

/** Positions of an object read by the block-YAML fast path. */
export interface BlockPositions {
  /** The object's own node (a List item's for expanded lists). */
  node: NodePositions;
  /** The document's contents in the file: the root node's start, and the document's end. */
  span: readonly [number, number];
}

/**
 * A Kubernetes object read from the input. `object` is the plain value; `locate` maps a JSON
 * pointer into it back to the YAML node it came from.
 */
export class Resource {
  readonly ref: ResourceRef;
  private tree?: ResourceNode;
  /** Item offsets of the JSON arrays located into (fast path only), so each list is scanned once. */
  private jsonItems?: JsonEntryOffsets;
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
    /** Where the object's nodes are, when the block-YAML fast path read it (its YAML tree is then built only on demand). */
    readonly fastPositions?: FastPositions,
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

  /** The YAML tree if it was parsed already (never builds a lazy one). */
  get parsedTree(): ResourceNode | undefined {
    return this.tree;
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
    const fast = this.fastPositions;
    if (fast && !this.tree) return this.position('jsonStart' in fast ? jsonOffsetAtPointer(this.source.text, jsonStartOf(fast), pointer, (this.jsonItems ??= new Map())) : offsetAtPointer(fast.node, pointer));
    const { document, node } = this.yamlTree();
    const offset = nodeAtPointer(document, node, pointerTokens(pointer)).offset;
    return this.position(offset);
  }

  /**
   * locate(pointer) when it costs no parse: the fast readers' positions, or a YAML tree already
   * built; undefined otherwise (a caller then locates it later, or never).
   */
  locateIfCheap(pointer: string): Location | undefined {
    return this.fastPositions || this.tree ? this.locate(pointer) : undefined;
  }

  /** 1-based {file, line, column} of a byte offset in this resource's file. */
  position(offset: number): Location {
    const { line, col } = this.source.lineCounter.linePos(offset);
    return { file: this.source.path, line, column: col };
  }
}

/**
 * The YAML documents of a text, parsed on first use (once for all the resources of the file). Made
 * here, away from the readers' loops, so the closure holds the text and nothing of the reader.
 */
export function lazyDocuments(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): (index: number) => Document {
  let parsed: Document[] | undefined;
  return (index) => (parsed ??= parseAllDocuments(text, options) as Document[])[index]!;
}

/**
 * A resource's YAML tree (document `documentIndex`, or its List item `item`), built on first use.
 * A closure made inside a reader's loop would keep the reader's whole result alive (V8 shares one
 * context between a function's closures): every object and position of the file, for as long as
 * one resource of it is kept (the audit keeps NetworkPolicies and Namespaces to the end).
 */
export function lazyTree(documentAt: (index: number) => Document, documentIndex: number, item?: number): () => ResourceNode {
  return () => {
    const document = documentAt(documentIndex);
    const root = document.contents as YamlNode;
    return { document, node: item === undefined ? root : listItemNode(root, item) };
  };
}

export function resourceRef(object: Record<string, unknown>, indexInFile: number): ResourceRef {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const kind = String(object.kind);
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : typeof metadata.generateName === 'string' && metadata.generateName !== '' ? metadata.generateName : `${kind}#${indexInFile}`;
  const ref: ResourceRef = { apiVersion: String(object.apiVersion), kind, name };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') ref.namespace = metadata.namespace;
  return ref;
}
