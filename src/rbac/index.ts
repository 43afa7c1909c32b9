/** The RBAC engine's public surface: other modules and the CLI import only from here. */
export type * from './types.js';
export { isNonResource } from './types.js';
export { ruleAllows, verbMatches, apiGroupMatches, resourceMatches, resourceNameMatches, nonResourceURLMatches, selectorMatches } from './match.js';
export { addObject, emptyInput, isRbacKind, toPolicyRule, DEFAULT_NAMESPACE, type InputObject, type InputPodSpec } from './extract.js';
export { RbacModel, identityOf, subjectKey, serviceAccountOfUser, describeBinding, describeRole, type Grant } from './model.js';
export { authorize, whoCan, permissions, requestScope, describeRule, describeRequest, compareSubjects, type Decision, type Reason, type WhoCanQuery, type WhoCanSubject, type WhoCanGrant, type Permission } from './query.js';
export { parseSubject, parseRequest } from './parse.js';
export { buildModel, collectRbac, type LoadedObject } from './build.js';
export { isClusterScoped, CLUSTER_SCOPED, RESOURCE_GROUPS, SUBRESOURCES } from './data/resources.js';
export { PRIVILEGED_NAMESPACES, isPrivilegedNamespace, isBroadGroup } from './data/namespaces.js';
export { runRbacRules, probe, RbacContext, defineRbacRule, describeSubject, describeGrant, type RbacRule, type RbacHit, type Probe, type Match } from './analysis.js';
export { RBAC_RULES } from './rules/index.js';
export { ML_OPERATORS, operatorOfRole, operatorOfServiceAccount } from './data/operators.js';
export { buildAnalysis, type RbacAnalysis } from './audit.js';
export { attackPaths, pathsToDot, type AttackPaths, type PathStep, type ReachedSubject } from './paths.js';
export { readAuditEvents, leastPrivilege, type LeastPrivilege, type UsedRequest } from './leastPrivilege.js';
