/**
 * What `netpol matrix` needs on its plain path, as a door of its own: the model, the matrix and its
 * formats, and the two predicates that say whether intents or mesh layers are present. Importing it
 * loads neither the intents parser (zod) nor the mesh layers nor the lint, verify and generate code
 * the package door (../index.ts) carries, so a run starts sooner.
 */
export { buildModel, type NetpolModel } from '../build.js';
export { computeCompactMatrix, computeMatrix, toConnections, type Connection } from '../matrix.js';
export { isIntentsResource } from '../intentsKind.js';
export { isMeshResource } from '../layers/kinds.js';
export { formatTxt } from '../format/txt.js';
export { formatCsv } from '../format/csv.js';
export { formatMd } from '../format/md.js';
export { formatDot } from '../format/dot.js';
