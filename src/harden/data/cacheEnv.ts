/**
 * Environment variables that name directories ML libraries write to at run time (model caches,
 * JIT caches). When a container sets one to an absolute path, that path must stay writable under
 * readOnlyRootFilesystem, whatever the server. Sources: ../shared/research/ml-manifests.md
 * ("HF / PyTorch tooling generally").
 */
export const WRITABLE_DIRECTORY_ENV_VARS: readonly string[] = [
  'HF_HOME',
  'HF_HUB_CACHE',
  'HUGGINGFACE_HUB_CACHE',
  'TRANSFORMERS_CACHE',
  'XDG_CACHE_HOME',
  'TORCH_HOME',
  'TRITON_CACHE_DIR',
  'VLLM_CACHE_ROOT',
  'OLLAMA_MODELS',
  'NUMBA_CACHE_DIR',
  'MPLCONFIGDIR',
];
