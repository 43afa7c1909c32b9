import { fileURLToPath } from 'node:url';

/** The shared reference data beside the checkout (../shared), read in place. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
