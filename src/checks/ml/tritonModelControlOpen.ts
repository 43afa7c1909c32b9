import { z } from 'zod';
import { flagValue, wordPath } from '../context.js';
import type { PodCheck } from '../types.js';

export const tritonModelControlOpen: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'TRITON_MODEL_CONTROL_OPEN',
    family: 'audit',
    severity: 'high',
    title: 'Triton lets any client load and unload models',
    description:
      'With `--model-control-mode=explicit`, Triton\'s model repository API (`POST /v2/repository/models/<name>/load`, and the gRPC equivalent) loads models on request; with the HTTP or gRPC port reachable and no restriction, any client can unload production models or load one whose Python backend runs code. Triton can require a header for that API (`--http-restricted-api=model-repository:<key>=<value>` and `--grpc-restricted-api=…`).',
    remediation: 'Use --model-control-mode=none (or poll from a read-only repository), or restrict the API with --http-restricted-api=model-repository:<header>=<secret> and --grpc-restricted-api the same way.',
    frameworks: { 'nist-800-53': ['AC-3', 'CM-7'], 'mitre-atlas': ['AML.T0010', 'AML.T0049'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { explicitUnrestricted: 'Triton container "{container}" runs --model-control-mode=explicit without restricting the model-repository API' },
  },
  create() {
    return (context) =>
      context.containers
        .filter((c) => c.server?.id === 'triton')
        .flatMap((c) => {
          if (flagValue(c.commandLine, '--model-control-mode') !== 'explicit') return [];
          const restricted = ['--http-restricted-api', '--grpc-restricted-api'].some((flag) => (flagValue(c.commandLine, flag) ?? '').includes('model-repository'));
          if (restricted) return [];
          return [{ messageId: 'explicitUnrestricted', data: { container: c.ref.name }, path: wordPath(c, '--model-control-mode') }];
        });
  },
};
