import type { Report } from '../../../core/types.js';
import { cyclonedx } from './cyclonedx.js';
import { spdx } from './spdx.js';

export { cyclonedx } from './cyclonedx.js';
export { spdx } from './spdx.js';

/** SBOM formats, shaped like reporters (report → text) so `--format`/`-o` can write them. */
export const sbomReporters: Record<'cyclonedx' | 'spdx', (report: Report) => string> = { cyclonedx, spdx };
