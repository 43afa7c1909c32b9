import type { ImagePackage } from '../types.js';
import type { VulnerabilitySeverity } from '../vuln/index.js';

/** One vulnerability as a scanner reported it, normalised across Trivy, Grype and CycloneDX. */
export interface ReportedVulnerability {
  id: string;
  aliases: string[];
  package: string;
  version: string;
  purl?: string;
  /** Fixed versions; empty when the scanner knows none. */
  fixedIn: string[];
  severity: VulnerabilitySeverity;
  /** The scanner's own status word (Trivy Status, Grype fix.state, CycloneDX analysis.state). */
  status?: string;
  /** What the scanner scanned: Trivy Target, Grype artifact location, CycloneDX component. */
  target?: string;
}

export type ReportFormat = 'trivy' | 'grype' | 'cyclonedx' | 'spdx';

export interface IngestedReport {
  file: string;
  format: ReportFormat;
  /** The scanned artifact (image name, directory). */
  artifact?: string;
  createdAt?: string;
  vulnerabilities: ReportedVulnerability[];
  /** VEX statements the report itself carries (CycloneDX analysis). */
  vex: VexStatement[];
  /** Packages an SBOM lists (CycloneDX components, SPDX packages), for matching with an OSV database. */
  packages?: ImagePackage[];
}

/** A VEX statement from OpenVEX or CycloneDX `analysis`, reduced to what suppression needs. */
export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  /** purls the statement is about (products and subcomponents); empty means every package. */
  products: string[];
  status: 'not_affected' | 'fixed' | 'affected' | 'under_investigation';
  justification?: string;
  source: string;
}
