import { z } from 'zod';
import { envValue, flagValue, wordPath } from '../context.js';
import type { CheckReport, ContainerView, PodCheck } from '../types.js';

/** Jupyter spells its auth settings per generation: classic Notebook, Jupyter Server, and the identity provider. */
const TOKEN_FLAGS = ['--NotebookApp.token', '--ServerApp.token', '--IdentityProvider.token'];
const PASSWORD_FLAGS = ['--NotebookApp.password', '--ServerApp.password', '--PasswordIdentityProvider.hashed_password'];

export const jupyterWithoutAuth: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'JUPYTER_WITHOUT_AUTH',
    family: 'audit',
    severity: 'critical',
    title: 'Jupyter server runs without a token or password',
    description:
      'A notebook server is a remote shell by design. Started with an empty token and no password (`--NotebookApp.token=\'\'`, `--ServerApp.token=\'\'`, `JUPYTER_TOKEN=""`), it runs code for anyone who reaches port 8888: anything in the namespace, or the internet when a Service or Ingress publishes it (EXPOSED_ADMIN_PORT). Jupyter generates a random token when none is given, so only an explicitly empty one is reported.',
    remediation: 'Remove the empty token and password flags; set JUPYTER_TOKEN from a Secret (valueFrom.secretKeyRef) or put the notebook behind an authenticating proxy such as Kubeflow\'s or JupyterHub\'s.',
    frameworks: { 'nist-800-53': ['IA-2', 'AC-3'], 'mitre-atlas': ['AML.T0049', 'AML.T0050'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { emptyToken: 'Jupyter container "{container}" disables authentication: {setting} is empty and no password is set' },
  },
  create() {
    return (context) => context.containers.filter(runsJupyter).flatMap((c) => emptyTokenReport(c));
  },
};

function runsJupyter(c: ContainerView): boolean {
  return c.server?.id === 'jupyter' || TOKEN_FLAGS.some((f) => flagValue(c.commandLine, f) !== undefined);
}

function emptyTokenReport(c: ContainerView): CheckReport[] {
  const password = PASSWORD_FLAGS.map((f) => flagValue(c.commandLine, f)).find((v) => v !== undefined && v !== '');
  if (password !== undefined || (envValue(c, 'JUPYTER_PASSWORD')?.value ?? '') !== '') return [];
  const flag = TOKEN_FLAGS.find((f) => flagValue(c.commandLine, f) === '');
  if (flag) return [{ messageId: 'emptyToken', data: { container: c.ref.name, setting: flag }, path: wordPath(c, flag) }];
  const env = envValue(c, 'JUPYTER_TOKEN');
  if (env && env.value.replace(/^(['"])\1$/, '') === '') return [{ messageId: 'emptyToken', data: { container: c.ref.name, setting: 'JUPYTER_TOKEN' }, path: env.path }];
  return [];
}
