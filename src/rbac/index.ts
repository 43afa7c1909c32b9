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
