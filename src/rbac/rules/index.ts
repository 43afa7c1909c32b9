/** Every RBAC rule, sorted by id: one file per rule (research/rbac.md R01–R31, Kubescape controls, model problems). */
import type { RbacRule } from '../analysis.js';
import { aggregationLoop } from './aggregationLoop.js';
import { anonymous } from './anonymous.js';
import { bind } from './bind.js';
import { broadSubject } from './broadSubject.js';
import { cloudIdentity } from './cloudIdentity.js';
import { clusterAdmin } from './clusterAdmin.js';
import { controlConfigMaps } from './controlConfigMaps.js';
import { crdWrite } from './crdWrite.js';
import { createPersistentVolumes } from './createPersistentVolumes.js';
import { createPods } from './createPods.js';
import { createToken } from './createToken.js';
import { csrSigning } from './csrSigning.js';
import { danglingRoleRef } from './danglingRoleRef.js';
import { dashboard } from './dashboard.js';
import { defaultNamespace } from './defaultNamespace.js';
import { defaultServiceAccountBound } from './defaultServiceAccountBound.js';
import { deleteEvents } from './deleteEvents.js';
import { duplicateObject } from './duplicateObject.js';
import { eksReviewRoles } from './eksReviewRoles.js';
import { ephemeralContainers } from './ephemeralContainers.js';
import { escalate } from './escalate.js';
import { execPods } from './execPods.js';
import { impersonate } from './impersonate.js';
import { invalidRoleRef } from './invalidRoleRef.js';
import { massDelete } from './massDelete.js';
import { mlWorkloads } from './mlWorkloads.js';
import { modifyNamespaces } from './modifyNamespaces.js';
import { modifyPods } from './modifyPods.js';
import { mutatingWebhooks } from './mutatingWebhooks.js';
import { namespaceAdmin } from './namespaceAdmin.js';
import { nodeTampering } from './nodeTampering.js';
import { nodesProxy } from './nodesProxy.js';
import { portForward } from './portForward.js';
import { proxyPods } from './proxyPods.js';
import { readSecrets } from './readSecrets.js';
import { serviceAccountPermissions } from './serviceAccountPermissions.js';
import { statusWrite } from './statusWrite.js';
import { subjectNeverMatches } from './subjectNeverMatches.js';
import { tokenMountBound } from './tokenMountBound.js';
import { webhooks } from './webhooks.js';
import { wildcard } from './wildcard.js';
import { workloadAdmin } from './workloadAdmin.js';
import { workloadControllers } from './workloadControllers.js';
import { workloadTakeover } from './workloadTakeover.js';
import { writeSecrets } from './writeSecrets.js';

export const RBAC_RULES: readonly RbacRule[] = [
  webhooks,
  aggregationLoop,
  anonymous,
  bind,
  broadSubject,
  cloudIdentity,
  clusterAdmin,
  controlConfigMaps,
  createPersistentVolumes,
  createPods,
  createToken,
  csrSigning,
  danglingRoleRef,
  dashboard,
  defaultNamespace,
  defaultServiceAccountBound,
  deleteEvents,
  massDelete,
  duplicateObject,
  ephemeralContainers,
  escalate,
  execPods,
  impersonate,
  invalidRoleRef,
  modifyNamespaces,
  modifyPods,
  mutatingWebhooks,
  namespaceAdmin,
  nodesProxy,
  nodeTampering,
  portForward,
  proxyPods,
  readSecrets,
  eksReviewRoles,
  serviceAccountPermissions,
  subjectNeverMatches,
  tokenMountBound,
  wildcard,
  workloadAdmin,
  workloadTakeover,
  crdWrite,
  mlWorkloads,
  writeSecrets,
  statusWrite,
  workloadControllers,
];
