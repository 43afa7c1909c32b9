import { describe } from 'vitest';
import { baseImageLatest } from '../../../../../src/scan/image/dockerfile/rules/baseImageLatest.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_BASE_LATEST', () => {
  testRule(baseImageLatest, {
    valid: [
      'FROM python:3.12-slim\n',
      'FROM scratch\n',
      'FROM golang:1.22 AS build\nFROM build\n',
      'FROM ubuntu@sha256:0000000000000000000000000000000000000000000000000000000000000000\n',
      'ARG BASE\nFROM $BASE\n',
      'FROM localhost:5000/team/model:v2\n',
      'FROM nginx:mainline\n',
      'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\n',
    ],
    invalid: [
      { code: 'FROM ubuntu\n', errors: [{ messageId: 'untagged', line: 1, column: 6, data: { image: 'ubuntu' } }] },
      { code: 'FROM --platform=linux/amd64 pytorch/pytorch:latest AS train\n', errors: [{ messageId: 'latest', line: 1, column: 29 }] },
      { code: 'ARG IMG=nvcr.io/nvidia/tritonserver\nFROM ${IMG}\n', errors: [{ messageId: 'untagged', line: 2, column: 6, data: { image: 'nvcr.io/nvidia/tritonserver' } }] },
      { code: 'FROM localhost:5000/model\n', errors: [{ messageId: 'untagged', line: 1, column: 6 }] },
      { code: 'FROM tensorflow/serving:latest-gpu\n', errors: [{ messageId: 'latest', line: 1, column: 6, data: { image: 'tensorflow/serving:latest-gpu', tag: 'latest-gpu' } }] },
      { code: 'FROM rayproject/ray:nightly-py310-cu121\n', errors: [{ messageId: 'latest', line: 1, column: 6, data: { image: 'rayproject/ray:nightly-py310-cu121', tag: 'nightly-py310-cu121' } }] },
    ],
  });
});
