/**
 * Where manifests name the model to load: fields of KServe objects (InferenceService container
 * objects, LLMInferenceService, TrainedModel) and the flags and env vars LLM servers read.
 * Sources: KServe's API reference (storageUri, storageUris; v1alpha1 TrainedModel spec.model.storageUri),
 * Seldon Core (modelUri), MLflow (model_uri); vLLM `serve --model/--revision`, TGI
 * `--model-id/--revision` and the env vars of their images (MODEL_ID, REVISION); Hugging Face Hub
 * docs for repository ids (`org/name`) and revisions (a 40-hex commit pins, a branch or tag moves).
 */

/** Keys whose string value (or list of strings) is a model location. `uri` counts only under `model`. */
export const MODEL_URI_KEYS: ReadonlySet<string> = new Set(['storageUri', 'storageUris', 'modelUri', 'model_uri', 'MODEL_URI', 'STORAGE_URI']);
export const MODEL_URI_PARENT_KEYS: ReadonlySet<string> = new Set(['model']);
/** Every key worth visiting: the model-URI keys plus `uri`, judged with its parent. */
export const MODEL_URI_SEARCH_KEYS: ReadonlySet<string> = new Set([...MODEL_URI_KEYS, 'uri']);

export function isModelUriField(key: string, parentKey: string): boolean {
  return MODEL_URI_KEYS.has(key) || (key === 'uri' && MODEL_URI_PARENT_KEYS.has(parentKey));
}

/** Flags and env vars that name a Hugging Face model id, and those that pin its revision. */
export const HF_MODEL_FLAGS: readonly string[] = ['--model', '--model-id', '--model_id', '--model-path', '--model-name-or-path'];
export const HF_MODEL_ENV: readonly string[] = ['MODEL_ID', 'HF_MODEL_ID', 'MODEL_NAME_OR_PATH'];
export const HF_REVISION_FLAGS: readonly string[] = ['--revision', '--model-revision', '--model_revision'];
export const HF_REVISION_ENV: readonly string[] = ['REVISION', 'HF_REVISION', 'MODEL_REVISION'];

/** `org/name` as the Hub writes repository ids (not a path, not a URL). */
export const HF_REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
/** A revision that cannot move: a full commit hash. */
export const HF_COMMIT = /^[0-9a-f]{40}$/;
