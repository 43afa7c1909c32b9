import type { PalisadeError } from '../errors.js';
import type { Resource } from './resource.js';

/** A Dockerfile found among the inputs, for the modules that read them. */
export interface DockerfileInput {
  path: string;
  text: string;
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
  /** Read Kubernetes-style block YAML with the block reader when the text allows it (default true; false forces the yaml package, for tests). */
  blockFastPath?: boolean;
  /** Objects/arrays nested deeper than this refuse their document (default DEFAULT_MAX_DEPTH, 512). */
  maxDepth?: number;
}

/** One raw input file: its text, before parsing. */
export interface InputText {
  path: string;
  text: string;
  dockerfile: boolean;
}
