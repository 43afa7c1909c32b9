import type { DockerfileRule } from '../rule.js';
import { addFromUrl } from './addFromUrl.js';
import { adminPortExposed } from './adminPortExposed.js';
import { aptCleanup } from './aptCleanup.js';
import { aptInstallRecommends } from './aptInstallRecommends.js';
import { baseImageDigest } from './baseImageDigest.js';
import { baseImageLatest } from './baseImageLatest.js';
import { baseRegistry } from './baseRegistry.js';
import { buildToolsInFinal } from './buildToolsInFinal.js';
import { chmod777 } from './chmod777.js';
import { copyWholeContext } from './copyWholeContext.js';
import { curlPipeShell } from './curlPipeShell.js';
import { modelDownloadChecksum } from './modelDownloadChecksum.js';
import { modelFileCopied } from './modelFileCopied.js';
import { noHealthcheck } from './noHealthcheck.js';
import { packageUnpinned } from './packageUnpinned.js';
import { pipUnpinned } from './pipUnpinned.js';
import { pipWheelHashes } from './pipWheelHashes.js';
import { rootUser } from './rootUser.js';
import { secretInEnv } from './secretInEnv.js';
import { sudo } from './sudo.js';
import { trustRemoteCode } from './trustRemoteCode.js';
import { userNotNumeric } from './userNotNumeric.js';

/** Every Dockerfile rule, sorted by id. No registration side effects. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  addFromUrl,
  adminPortExposed,
  aptCleanup,
  aptInstallRecommends,
  baseImageLatest,
  baseImageDigest,
  baseRegistry,
  buildToolsInFinal,
  copyWholeContext,
  curlPipeShell,
  modelFileCopied,
  modelDownloadChecksum,
  noHealthcheck,
  packageUnpinned,
  pipUnpinned,
  pipWheelHashes,
  rootUser,
  secretInEnv,
  sudo,
  trustRemoteCode,
  userNotNumeric,
  chmod777,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
