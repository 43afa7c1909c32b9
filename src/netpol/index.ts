/** The netpol engine's public surface: other modules and the CLI import only from here. */
export { buildModel, MODES, type CompatMode, type NetpolModel } from './build.js';
export { computeMatrix, toConnections, type Connection, type MatrixEntry } from './matrix.js';
export { explain, type Explanation, type DirectionExplanation, type Step } from './explain.js';
export { parseIntents, isIntentsResource, portsToConnections, DNS_PEER, DNS_PORTS, INTENTS_API_VERSION, INTENTS_KIND, type Intent } from './intents.js';
export { verifyIntents, type IntentResult } from './verify.js';
export { flowsFromIntents, flowsFromServices, generatePolicies, type Flow } from './generate.js';
export { parseServices, type Service } from './services.js';
export { matchPeers } from './lookup.js';
export { diffMatrices, formatDiffTxt, opensModelServer, type DiffEntry } from './diff.js';
export { NETPOL_ERRORS, type NetpolErrorCode } from './errors.js';
export { formatTxt } from './format/txt.js';
export { formatCsv } from './format/csv.js';
export { formatMd } from './format/md.js';
export { formatDot } from './format/dot.js';
export { ConnectionSet, PROTOCOLS, type Protocol } from './sets/connectionSet.js';
export { PortSet } from './sets/portSet.js';
export { IpSet, parseCidr } from './sets/ipSet.js';
export { lintNetwork, NETPOL_CHECKS, type NetpolCheck } from './lint/index.js';
