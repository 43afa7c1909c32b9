import { createHash } from 'node:crypto';
import type { Report } from '../../../core/types.js';
import type { ImageModelFile } from '../checks/index.js';
import type { ImageSummary } from '../index.js';
import type { ImagePackage } from '../types.js';

/** What an SBOM needs from a scan-image report (the JSON contract: image, packages, models). */
export interface SbomView {
  image: ImageSummary;
  packages: ImagePackage[];
  models: ImageModelFile[];
  toolVersion: string;
}

export function sbomView(report: Report): SbomView {
  return {
    image: report.image as ImageSummary,
    packages: (report.packages as ImagePackage[] | undefined) ?? [],
    models: (report.models as ImageModelFile[] | undefined) ?? [],
    toolVersion: report.tool.version,
  };
}

export function imageName(image: ImageSummary): string {
  return image.repoTags[0] ?? image.input;
}

/** A stable UUID (RFC 4122 layout, version 5 bits) from the image's identity: same image, same serial. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function imageIdentity(image: ImageSummary): string {
  return image.manifestDigest ?? image.configDigest ?? image.input;
}
