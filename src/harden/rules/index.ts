import type { HardenRule } from '../context.js';
import { allowPrivilegeEscalation } from './allowPrivilegeEscalation.js';
import { capabilities } from './capabilities.js';
import { identity } from './identity.js';
import { privileged } from './privileged.js';
import { readOnlyRootFilesystem } from './readOnlyRootFilesystem.js';
import { seccompProfile } from './seccompProfile.js';
import { serviceAccountToken } from './serviceAccountToken.js';

/**
 * The rules in the order they run: what decides whether privileges stay (privileged, capabilities)
 * comes before what depends on it (allowPrivilegeEscalation).
 */
export const HARDEN_RULES: readonly HardenRule[] = [privileged, capabilities, allowPrivilegeEscalation, identity, seccompProfile, readOnlyRootFilesystem, serviceAccountToken];
