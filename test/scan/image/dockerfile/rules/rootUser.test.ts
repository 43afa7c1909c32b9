import { describe, expect, it } from 'vitest';
import { baseImageUser, parseImageReference } from '../../../../../src/knowledge/index.js';
import { scanDockerfile } from '../../../../../src/scan/image/dockerfile/index.js';
import { rootUser } from '../../../../../src/scan/image/dockerfile/rules/rootUser.js';
import { testRule } from '../ruleTester.js';

const sourceOf = (image: string): string => baseImageUser(parseImageReference(image)!)!.source;

describe('DOCKERFILE_ROOT_USER', () => {
  testRule(rootUser, {
    valid: [
      'FROM python:3.12\nUSER 10001\n',
      'FROM a AS base\nUSER app\nFROM base\nCMD ["x"]\n',
      'FROM a\nUSER root\nRUN x\nUSER 1000:1000\n',
      // bases that run as non-root users of their own (src/knowledge/baseImageUsers.ts)
      'FROM gcr.io/distroless/python3-debian12:nonroot\n',
      'FROM gcr.io/distroless/static-debian12:debug-nonroot AS run\nFROM run\nCOPY app /app\n',
      'FROM cgr.dev/chainguard/python:latest\n',
      'FROM rayproject/ray:2.9.0-py310-gpu\n',
      'FROM quay.io/jupyter/pytorch-notebook:cuda12-2024-04-22\n',
      // --target-less build: the last stage decides, not an earlier one that ends as root
      'FROM debian:12 AS build\nUSER root\nRUN make\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out /out\n',
    ],
    invalid: [
      { code: 'FROM python:3.12\nCMD ["python"]\n', errors: [{ messageId: 'noUser', line: 1, column: 1, data: { image: 'python:3.12', base: 'python:3.12', source: sourceOf('python:3.12') } }] },
      { code: 'FROM a AS build\nUSER 1000\nFROM b\n', errors: [{ messageId: 'unknownBase', line: 3, column: 1, data: { image: 'b', base: 'b' } }] },
      { code: 'FROM a\nUSER 1000\n  USER   root\n', errors: [{ messageId: 'rootUser', line: 3, column: 10, data: { user: 'root' } }] },
      { code: 'ARG U=0\nFROM a\nARG U\nUSER ${U}:0\n', errors: [{ messageId: 'rootUser', line: 4, column: 6, data: { user: '0' } }] },
      { code: 'FROM gcr.io/distroless/static:debug\n', errors: [{ messageId: 'noUser', line: 1, column: 1 }] },
      { code: 'FROM nvcr.io/nvidia/tritonserver:24.01-py3\n', errors: [{ messageId: 'noUser', line: 1, column: 1 }] },
      { code: 'FROM vllm/vllm-openai:v0.6.3\n', errors: [{ messageId: 'noUser', line: 1, column: 1 }] },
      { code: 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS base\nRUN true\nFROM base\n', errors: [{ messageId: 'noUser', line: 3, column: 1, data: { image: 'base', base: 'nvidia/cuda:12.4.1-runtime-ubuntu22.04', source: sourceOf('nvidia/cuda:1') } }] },
      { code: 'FROM scratch\nCOPY app /app\n', errors: [{ messageId: 'noUser', line: 1, column: 1 }] },
      // Chainguard's -dev variants are a different build: not assumed either way
      { code: 'FROM cgr.dev/chainguard/python:latest-dev\n', errors: [{ messageId: 'unknownBase', line: 1, column: 1 }] },
      { code: 'ARG BASE\nFROM ${BASE}\n', errors: [{ messageId: 'unknownBase', line: 2, column: 1, data: { image: '', base: '(an unset build argument)' } }] },
    ],
  });

  it('an unknown base is a medium finding, a root base a high one', () => {
    const severities = (text: string): string[] => scanDockerfile('Dockerfile', text).findings.filter((f) => f.checkId === 'DOCKERFILE_ROOT_USER').map((f) => `${f.severity}: ${f.message}`);
    expect(severities('FROM registry.example.com/team/server:1.2\n')).toEqual([
      'medium: the final stage (FROM registry.example.com/team/server:1.2) sets no USER, and the user of registry.example.com/team/server:1.2 is unknown to palisade: set a numeric USER rather than depend on it',
    ]);
    expect(severities('FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n')).toEqual([
      `high: the final stage (FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime) sets no USER, and pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime runs as root (${sourceOf('pytorch/pytorch:2')})`,
    ]);
  });
});
