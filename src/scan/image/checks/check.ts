import type { Severity } from '../../../core/types.js';
import type { MessageData, Rule } from '../../../core/rule.js';
import type { ImageConfig } from '../oci/index.js';
import type { Distro, ImagePackage } from '../types.js';
import type { VulnerabilityMatch } from '../vuln/index.js';

/** A model file found in the image, with the model scanner's verdict when one ran. */
export interface ImageModelFile {
  path: string;
  /** When the name is a link: the path it resolves to (a symlink) or the member that carried the data (a hard link). */
  target?: string;
  layer: string;
  size: number;
  sha256: string;
  format?: string;
  verdict?: 'safe' | 'suspicious' | 'malicious' | 'invalid' | 'unsupported';
  findings?: Array<{ rule: string; severity: Severity; message: string; global?: string; offset?: number; member?: string }>;
  /** Why no verdict: no scanner available, or the file is larger than what is scanned in memory. */
  notScanned?: string;
}

/** What image checks see: facts only, no I/O. */
export interface ImageCheckContext {
  name: string;
  config: ImageConfig;
  distro?: Distro;
  packages: readonly ImagePackage[];
  vulnerabilities: readonly VulnerabilityMatch[];
  models: readonly ImageModelFile[];
}

export interface ImageCheckReport {
  messageId: string;
  data?: MessageData;
  /** JSON pointer into the image config (`/config/User`), when the report is about a config field. */
  path?: string;
  /** For checks whose severity depends on the case (a vulnerability, a model verdict). */
  severity?: Severity;
}

/** An image check's metadata: the one `Rule` shape of every family (core/rule.ts). */
export interface ImageRuleMeta extends Rule {
  family: 'image';
}

export interface ImageCheck {
  meta: ImageRuleMeta;
  check(context: ImageCheckContext): ImageCheckReport[];
}
