import type { Reporter } from './types.js';

/** The report as it is: the JSON contract of DESIGN.md that CI systems parse. */
export const json: Reporter = (report) => JSON.stringify(report, null, 2);
