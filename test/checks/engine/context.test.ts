import { describe, expect, it } from 'vitest';
import { detectServer, imageName, MODEL_SERVERS } from '../../../src/knowledge/index.js';
import { flagValue } from '../../../src/checks/context.js';

describe('model server table', () => {
  it('recognises servers by image (any registry, tag or digest) and by command line', () => {
    expect(imageName('docker.io/vllm/vllm-openai:v0.6.3')).toBe('docker.io/vllm/vllm-openai');
    expect(imageName('nvcr.io/nvidia/tritonserver@sha256:abc')).toBe('nvcr.io/nvidia/tritonserver');
    expect(detectServer('docker.io/vllm/vllm-openai:v0.6.3', '')?.id).toBe('vllm');
    expect(detectServer('nvcr.io/nvidia/tritonserver:24.01-py3', '')?.id).toBe('triton');
    expect(detectServer('pytorch/torchserve-kfs-nightly:latest-cpu', '')?.id).toBe('torchserve');
    expect(detectServer('python:3.11', 'python3 -m vllm.entrypoints.openai.api_server --model x')?.id).toBe('vllm');
    expect(detectServer('python:3.11', 'sh -c pip install mlflow && mlflow server --host 0.0.0.0')?.id).toBe('mlflow');
    expect(detectServer('nginx:1.27', 'nginx -g daemon off;')).toBeUndefined();
  });

  it('tags that ship something else are not the server: Triton\'s -sdk images hold the client tools', () => {
    expect(detectServer('nvcr.io/nvidia/tritonserver:25.01-py3-sdk', 'sleep 30')).toBeUndefined();
    expect(detectServer('nvcr.io/nvidia/tritonserver:25.01-py3-sdk@sha256:abc', '')).toBeUndefined();
    expect(detectServer('nvcr.io/nvidia/tritonserver:25.01-py3-sdk', 'tritonserver --model-repository=/m')?.id).toBe('triton');
    expect(detectServer('nvcr.io/nvidia/tritonserver:25.01-py3@sha256:abc', '')?.id).toBe('triton');
  });

  it('every row has a unique id, and admin ports never double as serving ports', () => {
    expect(new Set(MODEL_SERVERS.map((s) => s.id)).size).toBe(MODEL_SERVERS.length);
    for (const s of MODEL_SERVERS) for (const p of s.adminPorts) expect(s.servingPorts, `${s.id} port ${p.port}`).not.toContain(p.port);
  });
});

describe('flagValue', () => {
  it('reads --flag=value, --flag value, bare flags and flags inside shell strings', () => {
    expect(flagValue(['--model=org/m'], '--model')).toBe('org/m');
    expect(flagValue(['--model', 'org/m'], '--model')).toBe('org/m');
    expect(flagValue(['--enable-model-api', '--x'], '--enable-model-api')).toBe('');
    expect(flagValue(['sh', '-c', 'vllm serve m --api-key abc'], '--api-key')).toBe('abc');
    expect(flagValue(["--NotebookApp.token=''"], '--NotebookApp.token')).toBe('');
    expect(flagValue(['--model-id', 'x'], '--model')).toBeUndefined();
  });
});
