import type { Resource } from '../core/load.js';

// Apart from intents.ts (which needs zod), so a run without intents never loads their parser.
export const INTENTS_API_VERSION = 'palisade.dev/v1alpha1';
export const INTENTS_KIND = 'NetworkIntents';

export function isIntentsResource(resource: Resource): boolean {
  return resource.object.apiVersion === INTENTS_API_VERSION && resource.object.kind === INTENTS_KIND;
}
