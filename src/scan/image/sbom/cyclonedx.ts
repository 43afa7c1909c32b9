import * as CDX from '@cyclonedx/cyclonedx-library';
import type { Report } from '../../../core/types.js';
import { imageIdentity, imageName, sbomView, stableUuid } from './view.js';

/**
 * CycloneDX 1.6 JSON of an image: the image as metadata.component (type container), each package
 * as a library with its purl, layer and path, each model file as a machine-learning-model with its
 * sha256. Serialised by @cyclonedx/cyclonedx-library with sorted lists: the same image gives the
 * same bytes.
 */
export function cyclonedx(report: Report): string {
  const view = sbomView(report);
  const bom = new CDX.Models.Bom();
  bom.serialNumber = `urn:uuid:${stableUuid(imageIdentity(view.image))}`;
  const tool = new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'palisade', { version: view.toolVersion });
  bom.metadata.tools.components.add(tool);
  const image = new CDX.Models.Component(CDX.Enums.ComponentType.Container, imageName(view.image), { bomRef: 'image' });
  if (view.image.manifestDigest) image.version = view.image.manifestDigest;
  bom.metadata.component = image;
  const used = new Set<string>();
  const uniqueRef = (wanted: string): string => {
    let ref = wanted;
    for (let i = 2; used.has(ref); i++) ref = `${wanted}#${i}`;
    used.add(ref);
    return ref;
  };
  for (const pkg of view.packages) {
    // npm scopes are CycloneDX groups: @scope/tool is group "@scope", name "tool".
    const scoped = pkg.ecosystem === 'npm' ? /^(@[^/]+)\/(.+)$/.exec(pkg.name) : null;
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, scoped?.[2] ?? pkg.name, { version: pkg.version, bomRef: uniqueRef(pkg.purl), purl: pkg.purl, ...(scoped ? { group: scoped[1] } : {}) });
    component.properties.add(new CDX.Models.Property('palisade:ecosystem', pkg.ecosystem));
    component.properties.add(new CDX.Models.Property('palisade:path', pkg.path));
    if (pkg.layer) component.properties.add(new CDX.Models.Property('palisade:layer', pkg.layer));
    if (pkg.source) component.properties.add(new CDX.Models.Property('palisade:source', pkg.source.version ? `${pkg.source.name} ${pkg.source.version}` : pkg.source.name));
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }
  for (const model of view.models) {
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.MachineLearningModel, model.path.split('/').pop() ?? model.path, { bomRef: uniqueRef(`model:${model.path}`) });
    component.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], model.sha256);
    component.properties.add(new CDX.Models.Property('palisade:path', model.path));
    component.properties.add(new CDX.Models.Property('palisade:layer', model.layer));
    if (model.verdict) component.properties.add(new CDX.Models.Property('palisade:model-verdict', model.verdict));
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
