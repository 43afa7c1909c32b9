/**
 * File names of model weights. Pickle-based formats run code when loaded; the others are data
 * but still belong in a model store, scanned and versioned, not in a server image.
 * Sources: the extensions picklescan and modelscan treat as pickle-based (pickle, PyTorch .pt/.pth/
 * .bin/.ckpt, joblib, dill, NumPy .npy/.npz with object arrays) and the data formats' own docs
 * (safetensors, ONNX, GGUF, Keras .h5/.keras, TensorFlow .pb, TFLite, Core ML); hosts are the model
 * hubs' download domains (huggingface.co/hf.co, ModelScope, Civitai, Ollama, GCS buckets).
 */
export const PICKLE_MODEL_EXTENSIONS: readonly string[] = ['.pt', '.pth', '.pkl', '.pickle', '.joblib', '.ckpt', '.bin', '.dill', '.npy', '.npz'];
export const DATA_MODEL_EXTENSIONS: readonly string[] = ['.safetensors', '.onnx', '.gguf', '.h5', '.keras', '.pb', '.tflite', '.mlmodel'];

/** Hosts and tools that serve model weights. */
export const MODEL_HOSTS: readonly RegExp[] = [/huggingface\.co\//, /hf\.co\//, /\bmodelscope\.cn\//, /\bcivitai\.com\//, /\bollama\.(?:com|ai)\//, /storage\.googleapis\.com\/.*model/i];

export function modelExtension(path: string): string | undefined {
  const lower = path.toLowerCase();
  return [...PICKLE_MODEL_EXTENSIONS, ...DATA_MODEL_EXTENSIONS].find((ext) => lower.endsWith(ext));
}

export function isPickleModel(path: string): boolean {
  const lower = path.toLowerCase();
  return PICKLE_MODEL_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
