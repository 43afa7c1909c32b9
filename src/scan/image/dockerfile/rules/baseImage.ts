import { parseImageReference, type ImageReference } from '../../../../knowledge/index.js';
import { builtStages, type Dockerfile, type Stage } from '../model.js';

/** A FROM that names a registry image (not scratch, not an earlier stage, fully resolved). */
export interface ExternalBase {
  stage: Stage;
  reference: ImageReference;
}

export function externalBases(dockerfile: Dockerfile): ExternalBase[] {
  const bases: ExternalBase[] = [];
  for (const stage of builtStages(dockerfile)) {
    if (stage.baseStage !== undefined || stage.image.toLowerCase() === 'scratch') continue;
    if (stage.imageUnset.length > 0 || stage.image === '') continue; // depends on a build argument we cannot see
    const reference = parseImageReference(stage.image);
    if (reference) bases.push({ stage, reference });
  }
  return bases;
}
