import { parseImageReference, type ImageReference } from '../knowledge/index.js';
import type { ContainerView } from './types.js';
import { joinPointer } from '../core/pointer.js';

/** Images written as templates (`$IMAGE`, `${REGISTRY}/x`, `<your-image>`, `{{ .Values.image }}`) are not judged. */
export function isImagePlaceholder(image: string): boolean {
  return /[$<>{}]/.test(image) || image.trim() === '';
}

/** The container's image, parsed, with its pointer; undefined for missing, templated or unparsable images. */
export function containerImage(container: ContainerView): { text: string; reference: ImageReference; path: string } | undefined {
  const image = container.ref.object.image;
  if (typeof image !== 'string' || isImagePlaceholder(image)) return undefined;
  const reference = parseImageReference(image.trim());
  return reference ? { text: image, reference, path: joinPointer(container.ref.path, 'image') } : undefined;
}
