import { exposedAdminPort } from './cluster/exposedAdminPort.js';
import { exposedModelServer } from './cluster/exposedModelServer.js';
import { gpuNamespaceWithoutQuota } from './cluster/gpuNamespaceWithoutQuota.js';
import { ingressWithoutTls } from './cluster/ingressWithoutTls.js';
import { namespacePsaNotEnforced } from './cluster/namespacePsaNotEnforced.js';
import { namespaceWithoutDefaultDeny } from './cluster/namespaceWithoutDefaultDeny.js';
import { exemptionInvalid } from './exemption/exemptionInvalid.js';
import { hfModelUnpinned } from './ml/hfModelUnpinned.js';
import { jupyterWithoutAuth } from './ml/jupyterWithoutAuth.js';
import { llmApiWithoutKey } from './ml/llmApiWithoutKey.js';
import { mlflowWithoutAuth } from './ml/mlflowWithoutAuth.js';
import { modelUriPlainHttp } from './ml/modelUriPlainHttp.js';
import { rayDashboardUnauthenticated } from './ml/rayDashboardUnauthenticated.js';
import { torchserveManagementOpen } from './ml/torchserveManagementOpen.js';
import { rayNetworkPolicyBlocksDns } from './ml/rayNetworkPolicyBlocksDns.js';
import { tritonModelControlOpen } from './ml/tritonModelControlOpen.js';
import { trustRemoteCode } from './ml/trustRemoteCode.js';
import type { Config } from '../core/config.js';
import { activateChecks, type PostureChecks } from './configured.js';
import type { Check } from './types.js';
import { containerPortSensitive } from './workload/containerPortSensitive.js';
import { credentialMount } from './workload/credentialMount.js';
import { defaultServiceAccount } from './workload/defaultServiceAccount.js';
import { defaultServiceAccountAutomount } from './resource/defaultServiceAccountAutomount.js';
import { ephemeralStorageUnbounded } from './workload/ephemeralStorageUnbounded.js';
import { gpuAccessUncontrolled } from './workload/gpuAccessUncontrolled.js';
import { hostPathVolume } from './workload/hostPathVolume.js';
import { hostPort } from './workload/hostPort.js';
import { imageNotPinnedByDigest } from './workload/imageNotPinnedByDigest.js';
import { imagePullPolicyStale } from './workload/imagePullPolicyStale.js';
import { imageRegistryNotAllowed } from './workload/imageRegistryNotAllowed.js';
import { imageTagMutable } from './workload/imageTagMutable.js';
import { memoryEmptyDirUnbounded } from './workload/memoryEmptyDirUnbounded.js';
import { probesMissing } from './workload/probesMissing.js';
import { readOnlyRootFilesystem } from './workload/readOnlyRootFilesystem.js';
import { resourceLimitsMissing } from './workload/resourceLimitsMissing.js';
import { resourceRequestsMissing } from './workload/resourceRequestsMissing.js';
import { secretLiteral } from './workload/secretLiteral.js';
import { secretCommitted } from './resource/secretCommitted.js';
import { serviceAccountTokenAutomounted } from './workload/serviceAccountTokenAutomounted.js';
import { serviceExternallyExposed } from './cluster/serviceExternallyExposed.js';

export type { Check, CheckMeta, CheckReport, ClusterCheck, PodCheck, PodContext, ResourceCheck, Inventory, InventoryItem, InventoryObject, WorkloadSummary } from './types.js';
export { MODEL_SERVERS, detectServer, type ModelServer } from '../knowledge/index.js';
export { activate, podContexts, resourceContext, runClusterChecks, runPodChecks, runResourceChecks, settleDeferred, toFinding, type ActiveCheck, type DeferredReport, type Locatable, type PssCovered } from './run.js';

/** Every posture check, sorted by id. An explicit list: no registration side effects (style.md rule 1). */
export const CHECKS: readonly Check[] = [
  containerPortSensitive,
  credentialMount,
  defaultServiceAccount,
  defaultServiceAccountAutomount,
  ephemeralStorageUnbounded,
  exemptionInvalid,
  exposedAdminPort,
  exposedModelServer,
  gpuAccessUncontrolled,
  gpuNamespaceWithoutQuota,
  hfModelUnpinned,
  hostPathVolume,
  hostPort,
  imageNotPinnedByDigest,
  imagePullPolicyStale,
  imageRegistryNotAllowed,
  imageTagMutable,
  ingressWithoutTls,
  jupyterWithoutAuth,
  llmApiWithoutKey,
  memoryEmptyDirUnbounded,
  mlflowWithoutAuth,
  modelUriPlainHttp,
  namespacePsaNotEnforced,
  namespaceWithoutDefaultDeny,
  probesMissing,
  rayDashboardUnauthenticated,
  rayNetworkPolicyBlocksDns,
  readOnlyRootFilesystem,
  resourceLimitsMissing,
  resourceRequestsMissing,
  secretCommitted,
  secretLiteral,
  serviceAccountTokenAutomounted,
  serviceExternallyExposed,
  torchserveManagementOpen,
  tritonModelControlOpen,
  trustRemoteCode,
] as Check[];

const BY_ID = new Map(CHECKS.map((c) => [c.meta.id, c]));

export function checkById(id: string): Check | undefined {
  return BY_ID.get(id);
}

export { checksConfigError, type PostureChecks } from './configured.js';

/** Every posture check made ready with the params and severity `checks:` in .palisade.yaml gives it (configured.ts). */
export function postureChecks(config?: Config): PostureChecks {
  return activateChecks(CHECKS, config);
}

/** Registry invariants, checked by a test (style.md rule 2): unique ids, sorted, complete metadata. */
export function registryProblems(checks: readonly Check[] = CHECKS): string[] {
  const problems: string[] = [];
  const ids = checks.map((c) => c.meta.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate check ids');
  if (ids.some((id, i) => i > 0 && ids[i - 1]! > id)) problems.push('CHECKS is not sorted by id');
  for (const { meta } of checks) {
    if (!/^[A-Z][A-Z0-9_]+$/.test(meta.id)) problems.push(`${meta.id}: id must be UPPER_SNAKE_CASE`);
    if (!meta.title || !meta.description) problems.push(`${meta.id}: title and description are required`);
    if (!meta.remediation.endsWith('.')) problems.push(`${meta.id}: remediation must end with a period`);
    if (Object.keys(meta.messages).length === 0) problems.push(`${meta.id}: no messages`);
    if (!meta.params.safeParse(meta.defaultParams).success) problems.push(`${meta.id}: defaultParams fail the params schema`);
    if ((meta.frameworks['nist-800-53'] ?? []).length === 0) problems.push(`${meta.id}: no NIST SP 800-53 mapping`);
  }
  return problems;
}
