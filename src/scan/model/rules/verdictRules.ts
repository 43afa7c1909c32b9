import type { ModelRule } from './modelRule.js';
import { modelInvalid } from './modelInvalid.js';
import { modelMalicious } from './modelMalicious.js';
import { modelSuspicious } from './modelSuspicious.js';
import { modelUnsupported } from './modelUnsupported.js';

/** The per-file findings `palisade scan model` puts in `findings`, by verdict (apart from the other rules: every report needs these). */
export const VERDICT_RULES = { malicious: modelMalicious, suspicious: modelSuspicious, invalid: modelInvalid, unsupported: modelUnsupported } as const satisfies Record<ModelRule['verdict'], ModelRule>;
