import { imageAdminPort } from './adminPort.js';
import type { ImageCheck } from './check.js';
import { imageModelFile } from './modelFile.js';
import { imageRootUser } from './rootUser.js';
import { imageSecretInEnv } from './secretInEnv.js';
import { imageVulnerability } from './vulnerability.js';

export type { ImageCheck, ImageCheckContext, ImageCheckReport, ImageModelFile } from './check.js';

/** Every image check, sorted by id. */
export const IMAGE_CHECKS: readonly ImageCheck[] = [imageAdminPort, imageModelFile, imageRootUser, imageSecretInEnv, imageVulnerability];
