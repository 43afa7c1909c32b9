import type { Location, ResourceRef } from '../core/types.js';
import { findPodSpecs, type WorkloadTable } from '../workloads/index.js';
import { addObject, emptyInput, type InputObject } from './extract.js';
import { RbacModel } from './model.js';
import type { RbacInput } from './types.js';

/** What the loader's Resource offers (kept structural so the engine needs no loader). */
export interface LoadedObject {
  object: Record<string, unknown>;
  ref: ResourceRef;
  locate?: (pointer: string) => Location;
}

/** RBAC data of loaded objects: roles, bindings, service accounts, and the pods with the account each runs as. */
export function collectRbac(resources: Iterable<LoadedObject>, table?: WorkloadTable, into: RbacInput = emptyInput()): RbacInput {
  for (const resource of resources) {
    const input: InputObject = { object: resource.object, ref: resource.ref, ...(resource.locate ? { locate: (p: string) => resource.locate!(p) } : {}) };
    addObject(into, input, findPodSpecs(resource.object, table));
  }
  return into;
}

export function buildModel(resources: Iterable<LoadedObject>, table?: WorkloadTable): RbacModel {
  return new RbacModel(collectRbac(resources, table));
}
