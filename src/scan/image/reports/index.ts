import { PalisadeError } from '../../../core/errors.js';
import type { Finding } from '../../../core/types.js';
import { matchPackages, type OsvDatabase } from '../vuln/index.js';
import { readCycloneDx, readGrype, readOpenVex, readSpdx, readTrivy } from './parse.js';
import { suppressionOf, type AllowEntry } from './suppress.js';
import { formatMessage } from '../../../core/rule.js';
import { reportVulnerability } from './reportVulnerability.js';
import type { IngestedReport, ReportedVulnerability, VexStatement } from './types.js';
import { isPlainObject } from '../../../core/object.js';
import type { z } from 'zod';
import { CYCLONEDX_VULNERABILITIES, GRYPE_REPORT, OPENVEX_DOCUMENT, TRIVY_REPORT, validateReport } from './schemas.js';

export { readAllowList, purlMatches, vexFor, type AllowEntry } from './suppress.js';
export { readOpenVex } from './parse.js';
export { ecosystemOfPurl, packagesFromCycloneDx, packagesFromSpdx } from './sbom.js';
export type { IngestedReport, ReportedVulnerability, ReportFormat, VexStatement } from './types.js';

/** Which scanner wrote this document, by its shape. OpenVEX is not a report: read it with readVex. */
export function readScanReport(file: string, text: string): { report?: IngestedReport; error?: PalisadeError } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    return { error: new PalisadeError('REPORT_BAD_JSON', `${file} is not JSON: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause }) };
  }
  // Recognised by the keys that name the format; then checked where palisade reads them.
  if (isPlainObject(doc) && doc.SchemaVersion !== undefined && ('Results' in doc || 'ArtifactName' in doc)) return readAs(TRIVY_REPORT, file, text, doc, 'Trivy', readTrivy);
  if (isPlainObject(doc) && 'matches' in doc && ('descriptor' in doc || Array.isArray(doc.matches))) return readAs(GRYPE_REPORT, file, text, doc, 'Grype', readGrype);
  if (isPlainObject(doc) && doc.bomFormat === 'CycloneDX') return readAs(CYCLONEDX_VULNERABILITIES, file, text, doc, 'CycloneDX', readCycloneDx);
  if (isPlainObject(doc) && typeof doc.spdxVersion === 'string' && doc.spdxVersion.startsWith('SPDX-2')) return { report: readSpdx(file, doc) };
  // A cosign vulnerability attestation's predicate carries the scanner's report in scanner.result.
  if (isPlainObject(doc) && isPlainObject(doc.scanner) && isPlainObject(doc.scanner.result)) return readScanReport(file, JSON.stringify(doc.scanner.result));
  return { error: new PalisadeError('REPORT_UNKNOWN_FORMAT', `${file}: not a Trivy, Grype, CycloneDX or SPDX document`, { errorClass: 'fatal', location: { file, line: 1, column: 1 } }) };
}

function readAs(schema: z.ZodType, file: string, text: string, doc: Record<string, unknown>, format: string, read: (file: string, doc: Record<string, unknown>) => IngestedReport): { report?: IngestedReport; error?: PalisadeError } {
  const checked = validateReport(schema, file, text, doc, format);
  return 'error' in checked ? { error: checked.error } : { report: read(file, doc) };
}

export function readVex(file: string, text: string): { statements: VexStatement[]; error?: PalisadeError } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    return { statements: [], error: new PalisadeError('REPORT_BAD_JSON', `${file} is not JSON: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file, line: 1, column: 1 }, cause }) };
  }
  if (isPlainObject(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns')) {
    const checked = validateReport(OPENVEX_DOCUMENT, file, text, doc, 'OpenVEX');
    return 'error' in checked ? { statements: [], error: checked.error } : { statements: readOpenVex(file, doc) };
  }
  if (isPlainObject(doc) && doc.bomFormat === 'CycloneDX') {
    const read = readAs(CYCLONEDX_VULNERABILITIES, file, text, doc, 'CycloneDX VEX', readCycloneDx);
    return read.report ? { statements: read.report.vex } : { statements: [], ...(read.error ? { error: read.error } : {}) };
  }
  return { statements: [], error: new PalisadeError('REPORT_UNKNOWN_FORMAT', `${file}: not an OpenVEX or CycloneDX VEX document`, { errorClass: 'fatal', location: { file, line: 1, column: 1 } }) };
}

/**
 * Match an SBOM's packages against an OSV database, adding what is found to the report's own
 * vulnerabilities (an SBOM re-scanned offline). Advisories the report already names are not repeated.
 */
export function rematch(report: IngestedReport, database: OsvDatabase): IngestedReport {
  if (!report.packages || report.packages.length === 0) return report;
  const known = new Set(report.vulnerabilities.map((v) => `${v.id}\u0000${v.purl ?? v.package}`));
  const found: ReportedVulnerability[] = matchPackages(report.packages, database)
    .filter((m) => !known.has(`${m.id}\u0000${m.purl}`))
    // Not-evaluable matches are kept (at info), never dropped.
    .map((m) => ({ id: m.id, aliases: m.aliases, package: m.package, version: m.version, purl: m.purl, fixedIn: m.fixedIn, severity: m.status === 'affected' ? m.severity : 'info', status: m.status, target: 'osv database' }));
  return { ...report, vulnerabilities: [...report.vulnerabilities, ...found] };
}

export interface GateOptions {
  vex?: readonly VexStatement[];
  allow?: readonly AllowEntry[];
  ignoreUnfixed?: boolean;
  now: Date;
}

function unfixed(v: ReportedVulnerability): boolean {
  return v.fixedIn.length === 0;
}

/**
 * The same gate for every source: one finding per reported vulnerability at its severity
 * (unknown counts as medium), suppressed (kept, marked) by VEX or the allow-list, and left out
 * with --ignore-unfixed when no fix exists.
 */
export function gateFindings(reports: readonly IngestedReport[], options: GateOptions): Finding[] {
  const statements = [...(options.vex ?? []), ...reports.flatMap((r) => r.vex)];
  const findings: Finding[] = [];
  for (const report of reports) {
    for (const v of report.vulnerabilities) {
      if (options.ignoreUnfixed && unfixed(v) && v.status !== 'not-evaluable') continue;
      const suppressed = suppressionOf(v, statements, options.allow ?? [], options.now);
      findings.push({
        checkId: reportVulnerability.id,
        severity: v.severity === 'unknown' ? reportVulnerability.severity : v.severity,
        title: reportVulnerability.title,
        message: formatMessage(reportVulnerability, v.status === 'not-evaluable' ? 'notEvaluable' : 'affected', {
          package: v.package,
          version: v.version,
          id: v.id,
          fix: v.fixedIn.length > 0 ? `; fixed in ${v.fixedIn.join(', ')}` : '; no fixed version',
          format: report.format,
          file: report.file,
          target: v.target ? `, ${v.target}` : '',
        }),
        remediation: reportVulnerability.remediation,
        frameworks: reportVulnerability.frameworks,
        ...(suppressed ? { suppressed } : {}),
      });
    }
  }
  return findings;
}

export { reportVulnerability } from './reportVulnerability.js';
