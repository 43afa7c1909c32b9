import { describe, expect, it } from 'vitest';
import { BASE_IMAGE_USERS, baseImageUser, parseImageReference } from '../../src/knowledge/index.js';

const userOf = (image: string): string => {
  const known = baseImageUser(parseImageReference(image)!);
  return known ? `${known.user}:${known.uid}` : 'unknown';
};

describe('base image users', () => {
  it('every row names its source', () => {
    for (const row of BASE_IMAGE_USERS) expect(row.source.length, String(row.name)).toBeGreaterThan(20);
  });

  it.each([
    ['gcr.io/distroless/static-debian12:nonroot', 'nonroot:65532'],
    ['gcr.io/distroless/python3-debian12:debug-nonroot', 'nonroot:65532'],
    ['gcr.io/distroless/base:nonroot-amd64', 'nonroot:65532'],
    ['gcr.io/distroless/static-debian12', 'root:0'],
    ['gcr.io/distroless/static-debian12:debug', 'root:0'],
    // a digest alone does not say which tag it was
    ['gcr.io/distroless/static-debian12@sha256:0000000000000000000000000000000000000000000000000000000000000000', 'unknown'],
    ['cgr.dev/chainguard/python:latest', 'nonroot:65532'],
    ['cgr.dev/chainguard/python:latest-dev', 'unknown'],
    ['cgr.dev/chainguard/wolfi-base', 'unknown'],
    ['rayproject/ray:2.9.0', 'ray:1000'],
    ['rayproject/ray-ml:latest-gpu', 'ray:1000'],
    ['jupyter/scipy-notebook:latest', 'jovyan:1000'],
    ['quay.io/jupyter/pytorch-notebook:cuda12-latest', 'jovyan:1000'],
    ['nvcr.io/nvidia/tritonserver:24.05-py3', 'root:0'],
    ['nvcr.io/nvidia/pytorch:24.05-py3', 'root:0'],
    ['nvidia/cuda:12.4.1-runtime-ubuntu22.04', 'root:0'],
    ['pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime', 'root:0'],
    ['tensorflow/serving:2.15.0-gpu', 'root:0'],
    ['vllm/vllm-openai:v0.6.3', 'root:0'],
    ['python:3.12-slim', 'root:0'],
    ['docker.io/library/node:20', 'root:0'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.4', 'root:0'],
    ['registry.access.redhat.com/ubi9/python-311', 'unknown'],
    ['ghcr.io/example/model-server:1.0', 'unknown'],
  ])('%s runs as %s', (image, expected) => {
    expect(userOf(image)).toBe(expected);
  });

  it('scratch has no config: root', () => {
    expect(baseImageUser('scratch')?.uid).toBe(0);
  });
});
