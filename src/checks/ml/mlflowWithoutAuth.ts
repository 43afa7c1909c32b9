import { z } from 'zod';
import { flagValue, wordPath } from '../context.js';
import type { PodCheck } from '../types.js';

const ALL_INTERFACES = new Set(['0.0.0.0', '::']);

export const mlflowWithoutAuth: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'MLFLOW_WITHOUT_AUTH',
    family: 'audit',
    severity: 'high',
    title: 'MLflow tracking server listens on all interfaces without authentication',
    description:
      'An MLflow tracking server holds experiments, artifacts and the model registry; without authentication anyone who reaches it can read models and swap a registered model version for a poisoned one, and MLflow\'s history of path-traversal CVEs (CVE-2023-1177, CVE-2024-27132) turns access into file reads. `mlflow server --host 0.0.0.0` without `--app-name basic-auth` is reported.',
    remediation: 'Start the server with --app-name basic-auth (and MLFLOW_AUTH_CONFIG_PATH from a Secret), or keep it on 127.0.0.1 behind an authenticating proxy.',
    frameworks: { 'nist-800-53': ['IA-2', 'AC-3'], 'mitre-atlas': ['AML.T0049', 'AML.T0010'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { openServer: 'MLflow container "{container}" serves on {host} without --app-name basic-auth' },
  },
  create() {
    return (context) =>
      context.containers
        .filter((c) => c.server?.id === 'mlflow')
        .flatMap((c) => {
          const host = flagValue(c.commandLine, '--host') ?? flagValue(c.commandLine, '-h');
          if (host === undefined || !ALL_INTERFACES.has(host)) return [];
          if ((flagValue(c.commandLine, '--app-name') ?? '') !== '') return [];
          return [{ messageId: 'openServer', data: { container: c.ref.name, host }, path: wordPath(c, host) }];
        });
  },
};
