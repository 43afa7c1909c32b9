/** palisade as a library: the curated surface. Engines return values; nothing here prints or exits. */
export { load, loadText, loadFiles, Resource, type LoadResult, type LoadOptions, type SourceFile } from './core/load.js';
export { PalisadeError, type ErrorClass, type ErrorCode } from './core/errors.js';
export { loadConfig, parseConfig, type Config } from './core/config.js';
export { SEVERITIES, summarize, type Finding, type Location, type Report, type ResourceRef, type Severity, type FrameworkId } from './core/types.js';
export { findPodSpecs, evaluationSpec, WorkloadTable, DEFAULT_TABLE, BUILTIN_WORKLOADS, type PodSpecRef, type ContainerRef, type WorkloadKind } from './workloads/index.js';
export { evaluatePodSpec, denialMessage, parseLevel, parseVersion, LATEST_VERSION, type Level, type PssEvaluation } from './pss/index.js';
export { evaluateResources, namespacePolicies, type PssResult, type NamespacePolicy } from './pss/index.js';
export { audit, type AuditOptions, type AuditOutcome } from './audit/index.js';
export { catalogue, type CatalogueEntry } from './audit/ruleset.js';
export { hardenText, planResource, hardenObjectPatch, toJsonPatch, type HardenedText, type HardenOptions, type PodPatch, type PatchOperation } from './harden/index.js';
export { scanModelFile, scanModelBytes, scanModelPaths } from './scan/model/index.js';
