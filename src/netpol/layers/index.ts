/**
 * The layered engine's surface (Calico with Kubernetes NetworkPolicy as one ordered layer, Istio
 * AuthorizationPolicy at L7): `netpol matrix` loads it only when the input holds mesh resources.
 */
export { buildMeshModelPair, meshDiff, meshConnsText, meshUniverse, type MeshDiffEntry, type MeshDiffKind } from './diff.js';
export { allowedBetween, buildMeshModel, connsJson, connsText, expandTopLevelSequences, isMeshResource, meshMatrix, type ConnEntry, type MeshConnection, type MeshModel, type Resolution, type StringSetJson } from './matrix.js';
export { explainMesh, meshPeers, namesWorkload, type MeshExplanation, type MeshLayerExplanation, type MeshExplainStep } from './explain.js';
export { verifyMeshIntents, intentPaths, intentScope, counterexampleText, meshIntentFinding, type MeshIntentResult, type MeshCounterexample, type LayerWitness } from './verify.js';
