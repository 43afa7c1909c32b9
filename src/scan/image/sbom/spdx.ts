import type { Report } from '../../../core/types.js';
import { imageIdentity, imageName, sbomView, stableUuid } from './view.js';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: boolean;
  primaryPackagePurpose?: string;
  externalRefs?: Array<{ referenceCategory: string; referenceType: string; referenceLocator: string }>;
  checksums?: Array<{ algorithm: string; checksumValue: string }>;
  sourceInfo?: string;
  comment?: string;
}

function spdxId(kind: string, index: number, name: string): string {
  return `SPDXRef-${kind}-${index}-${name.replace(/[^A-Za-z0-9.-]+/g, '-')}`;
}

/**
 * SPDX 2.3 JSON of an image: the image package DESCRIBED by the document and CONTAINING one
 * package per inventoried package (purl as a PACKAGE-MANAGER external ref) and per model file
 * (with its SHA256). `created` is the scan time recorded in the report.
 */
export function spdx(report: Report): string {
  const view = sbomView(report);
  const name = imageName(view.image);
  const imageId = 'SPDXRef-Image';
  const packages: SpdxPackage[] = [
    {
      SPDXID: imageId,
      name,
      ...(view.image.manifestDigest ? { versionInfo: view.image.manifestDigest } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'CONTAINER',
    },
  ];
  view.packages.forEach((pkg, i) => {
    packages.push({
      SPDXID: spdxId('Package', i, pkg.name),
      name: pkg.name,
      versionInfo: pkg.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }],
      ...(pkg.source ? { sourceInfo: `built from source package ${pkg.source.name}${pkg.source.version ? ` ${pkg.source.version}` : ''}` } : {}),
      comment: `found at ${pkg.path}${pkg.layer ? ` in layer ${pkg.layer}` : ''}`,
    });
  });
  view.models.forEach((model, i) => {
    packages.push({
      SPDXID: spdxId('Model', i, model.path.split('/').pop() ?? 'model'),
      name: model.path,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'FILE',
      checksums: [{ algorithm: 'SHA256', checksumValue: model.sha256 }],
      comment: `model file in layer ${model.layer}${model.verdict ? `; palisade verdict: ${model.verdict}` : ''}`,
    });
  });
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://palisade.invalid/spdx/${encodeURIComponent(name)}-${stableUuid(imageIdentity(view.image))}`,
    creationInfo: { created: view.image.scannedAt ?? new Date(0).toISOString().replace(/\.\d+Z$/, 'Z'), creators: [`Tool: palisade-${view.toolVersion}`] },
    packages,
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
      ...packages.slice(1).map((p) => ({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: p.SPDXID })),
    ],
  };
  return JSON.stringify(document, null, 2);
}
