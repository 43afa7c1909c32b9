import type { ModelFinding } from '../types.js';
import { finding } from '../policy/rules.js';

/** Modules a Keras config may name; anything else is code the loader imports (CVE-2025-1550 class). */
export const KERAS_MODULES: readonly string[] = ['keras', 'tf_keras', 'tensorflow.keras'];
/** Names that switch Keras safe mode off from inside the file (CVE-2025-9906 class). */
export const KERAS_UNSAFE_SWITCHES: ReadonlySet<string> = new Set(['enable_unsafe_deserialization']);
/** Layers whose config carries marshalled Python code. */
export const KERAS_CODE_LAYERS: ReadonlySet<string> = new Set(['Lambda']);

function inKeras(module: string): boolean {
  return KERAS_MODULES.some((m) => module === m || module.startsWith(m + '.')) && !module.startsWith('keras.config');
}

/** Walk a Keras model config (config.json of .keras, model_config of .h5) for code and foreign modules. */
export function checkKerasConfig(config: unknown, path = '$', out: ModelFinding[] = []): ModelFinding[] {
  if (typeof config === 'string') {
    if (KERAS_UNSAFE_SWITCHES.has(config)) out.push(finding('KERAS_UNSAFE_DESERIALIZATION', { path, name: config }));
    return out;
  }
  if (typeof config !== 'object' || config === null) return out;
  if (Array.isArray(config)) {
    config.forEach((item, i) => checkKerasConfig(item, `${path}[${i}]`, out));
    return out;
  }
  const node = config as Record<string, unknown>;
  const className = typeof node.class_name === 'string' ? node.class_name : undefined;
  if (className && KERAS_CODE_LAYERS.has(className)) {
    const inner = node.config as Record<string, unknown> | undefined;
    out.push(finding('KERAS_LAMBDA', { layer: JSON.stringify(typeof inner?.name === 'string' ? inner.name : path) }));
  }
  if (typeof node.module === 'string' && className !== undefined && !inKeras(node.module) && !(node.module.startsWith('keras.config') && KERAS_UNSAFE_SWITCHES.has(String(node.config)))) {
    const name = className === 'function' && typeof node.config === 'string' ? node.config : className;
    out.push(finding('KERAS_UNSAFE_MODULE', { path, module: node.module, name }));
  }
  for (const [key, value] of Object.entries(node)) checkKerasConfig(value, `${path}.${key}`, out);
  return out;
}

export function checkKerasConfigText(text: string): ModelFinding[] {
  try {
    return checkKerasConfig(JSON.parse(text));
  } catch (error) {
    return [finding('KERAS_MALFORMED', { detail: `config is not JSON: ${(error as Error).message}` })];
  }
}

interface H5File {
  attrs: Record<string, unknown>;
}

/** Keras 2 HDF5: the model_config root attribute (a JSON string), read with jsfive. */
export async function scanKerasH5(bytes: Uint8Array): Promise<ModelFinding[]> {
  const { File } = (await import('jsfive')) as unknown as { File: new (buffer: ArrayBuffer, name: string) => H5File };
  let attrs: Record<string, unknown>;
  // jsfive reports unsupported attribute types with console.warn; the CLI (the edge) keeps library
  // console output off stdout, so the engine touches no global.
  try {
    const copy = new Uint8Array(bytes).buffer;
    attrs = new File(copy, 'model.h5').attrs;
  } catch (error) {
    return [finding('KERAS_MALFORMED', { detail: `HDF5 does not parse: ${(error as Error).message}` })];
  }
  const raw = attrs.model_config;
  if (raw === undefined) return [];
  const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : Array.isArray(raw) ? String(raw[0]) : String(raw);
  return checkKerasConfigText(text);
}
