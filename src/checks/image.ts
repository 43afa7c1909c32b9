import { parseImageReference } from '../knowledge/index.js';
import type { ContainerImage, ContainerView } from './types.js';
import { joinPointer } from '../core/pointer.js';

/** Images written as templates (`$IMAGE`, `${REGISTRY}/x`, `<your-image>`, `{{ .Values.image }}`) are not judged. */
export function isImagePlaceholder(image: string): boolean {
  return /[$<>{}]/.test(image) || image.trim() === '';
}

/** The container's image, parsed, with its pointer; undefined for missing, templated or unparsable images. */
export function containerImage(container: ContainerView): ContainerImage | undefined {
  return container.image;
}

/** What podContext stores as ContainerView.image: parsed once per container, though four checks read it. */
export function parseContainerImage(container: Readonly<Record<string, unknown>>, path: string): ContainerImage | undefined {
  const image = container.image;
  if (typeof image !== 'string' || isImagePlaceholder(image)) return undefined;
  const reference = parseImageReference(image.trim());
  return reference ? { text: image, reference, path: joinPointer(path, 'image') } : undefined;
}
