/** `palisade export`: palisade's rules for the admission engine a cluster already runs, and Falco runtime rules. */
export { exportPss, EXPORT_MODES, EXEMPT_EXPRESSION, NOW_EXPRESSION, parseExportVersion } from './policy.js';
export type { CelValidation, CelVariable, ExportBundle, ExportedBinding, ExportedPolicy, ExportMode, ExportOptions, LabelSelector, NotExported, PssModes } from './policy.js';
export { PSS_TRANSLATORS, translatePss, untranslatedChecks } from './pss.js';
export { pluralOf, translateWorkloads, type MatchKind } from './workloads.js';
export { toVap, validationActions, vapBinding, vapPolicy, type KubeObject } from './vap.js';
export { kyvernoKinds, toKyverno } from './kyverno.js';
export { constraintKind, toGatekeeper } from './gatekeeper.js';
export { renderYaml } from './render.js';
export { exportFalco, falcoWorkloads, imageRepository, type FalcoExport, type FalcoRuleInfo, type FalcoRuleKind, type FalcoWorkload } from './falco.js';
export { exportPosture, POSTURE_NOT_EXPORTED, POSTURE_TRANSLATORS, postureExpression, postureIds, unaccountedPostureChecks, re2, type PostureExportOptions, type PostureSelection } from './posture.js';
