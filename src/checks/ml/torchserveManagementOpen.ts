import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { TORCHSERVE_MANAGEMENT } from '../../knowledge/index.js';
import { envValue, flagValue, isObject, wordPath } from '../context.js';
import type { CheckReport, PodCheck } from '../types.js';

export const torchserveManagementOpen: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'TORCHSERVE_MANAGEMENT_OPEN',
    family: 'audit',
    severity: 'high',
    title: 'TorchServe management API is open',
    description:
      `TorchServe's management API (${TORCHSERVE_MANAGEMENT.port}) registers models from URLs and runs their handlers: with it reachable, anyone can load a model that executes code (ShellTorch, CVE-2023-43654 and CVE-2022-1471). Since 0.11 TorchServe requires a token and disables model registration unless told otherwise; \`--disable-token-auth\`, \`--enable-model-api\` (or TS_DISABLE_TOKEN_AUTHORIZATION / TS_ENABLE_MODEL_API) undo that, a management address on 0.0.0.0 opens it to the network, and a declared containerPort ${TORCHSERVE_MANAGEMENT.port} shows the intent to reach it from outside the pod. KServe TorchServe predictors are judged too.`,
    remediation: `Keep token authorization and the model API disabled (drop --disable-token-auth and --enable-model-api), bind management_address to 127.0.0.1, and do not publish port ${TORCHSERVE_MANAGEMENT.port}.`,
    frameworks: { 'nist-800-53': ['AC-3', 'CM-7'], 'mitre-atlas': ['AML.T0049', 'AML.T0011'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      tokenAuthDisabled: 'TorchServe container "{container}" disables token authorization ({setting})',
      modelApiEnabled: 'TorchServe container "{container}" enables model registration through the management API ({setting})',
      boundAllInterfaces: 'TorchServe container "{container}" binds the management API to {setting}',
      portDeclared: 'TorchServe container "{container}" publishes the management API port {port}',
    },
  },
  create() {
    const truthy = (value: string | undefined): boolean => value !== undefined && /^(true|1|yes)$/i.test(value.trim());
    return (context) =>
      context.containers
        .filter((c) => c.server?.id === 'torchserve')
        .flatMap((c) => {
          const out: CheckReport[] = [];
          const data = (setting: string): Record<string, string> => ({ container: c.ref.name, setting });
          if (flagValue(c.commandLine, '--disable-token-auth') !== undefined) out.push({ messageId: 'tokenAuthDisabled', data: data('--disable-token-auth'), path: wordPath(c, '--disable-token-auth') });
          const tokenEnv = envValue(c, 'TS_DISABLE_TOKEN_AUTHORIZATION');
          if (tokenEnv && truthy(tokenEnv.value)) out.push({ messageId: 'tokenAuthDisabled', data: data('TS_DISABLE_TOKEN_AUTHORIZATION'), path: tokenEnv.path });
          if (flagValue(c.commandLine, '--enable-model-api') !== undefined) out.push({ messageId: 'modelApiEnabled', data: data('--enable-model-api'), path: wordPath(c, '--enable-model-api') });
          const modelApiEnv = envValue(c, 'TS_ENABLE_MODEL_API');
          if (modelApiEnv && truthy(modelApiEnv.value)) out.push({ messageId: 'modelApiEnabled', data: data('TS_ENABLE_MODEL_API'), path: modelApiEnv.path });
          const address = envValue(c, 'TS_MANAGEMENT_ADDRESS');
          if (address && /\/\/(0\.0\.0\.0|\[::\])/.test(address.value)) out.push({ messageId: 'boundAllInterfaces', data: data(address.value), path: address.path });
          const ports = Array.isArray(c.ref.object.ports) ? c.ref.object.ports : [];
          const index = ports.findIndex((p) => isObject(p) && Number(p.containerPort) === TORCHSERVE_MANAGEMENT.port);
          if (index >= 0) out.push({ messageId: 'portDeclared', data: { ...data(String(TORCHSERVE_MANAGEMENT.port)), port: TORCHSERVE_MANAGEMENT.port }, path: joinPointer(c.ref.path, 'ports', index) });
          return out;
        });
  },
};
