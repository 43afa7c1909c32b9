import { FRAMEWORKS, SEVERITY_RANK, type Finding, type FrameworkMap, type Location, type Severity } from '../core/types.js';
import { FINGERPRINT_KEY } from './baseline/index.js';
import { compareStrings, groupBy, sortFindings } from './findings.js';
import { findingFingerprint, occurrenceFingerprints } from './fingerprint.js';
import { HOMEPAGE, checkDocsUrl } from './links.js';
import type { Location as SarifLocation, Log, ReportingDescriptor, Result } from 'sarif';
import type { Reporter, RuleInfo } from './types.js';

/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, VS Code's SARIF viewer): one run, one rule
 * per check seen, one result per finding. Suppressed findings stay, with their suppression, so a
 * viewer can show them as dismissed instead of as fixed.
 */
export const sarif: Reporter = (report, context) => {
  const findings = sortFindings(report.findings);
  const byCheck = groupBy(findings, (f) => f.checkId);
  const checkIds = [...byCheck.keys()].sort(compareStrings);
  const ruleIndex = new Map(checkIds.map((id, index) => [id, index]));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(HOMEPAGE ? { informationUri: HOMEPAGE } : {}),
            rules: checkIds.map((id) => rule(id, byCheck.get(id) ?? [], context.ruleInfo?.(id))),
          },
        },
        // yaml's columns count UTF-16 code units, as JavaScript strings do.
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => result(f, ruleIndex.get(f.checkId) ?? 0)),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
};

/**
 * GitHub's scale for `security-severity` (https://docs.github.com/en/code-security/code-scanning):
 * over 9.0 is critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

const SUPPRESSION_KIND = { annotation: 'inSource', config: 'external' } as const;


function rule(checkId: string, findings: readonly Finding[], info: RuleInfo | undefined): ReportingDescriptor {
  const first = findings[0];
  const title = first?.title ?? checkId;
  const severity = findings.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst), 'info');
  const remediation = findings.find((f) => f.remediation)?.remediation;
  const frameworks = mergeFrameworks(findings.map((f) => f.frameworks));
  const helpUri = info?.docsUrl ?? checkDocsUrl(checkId);
  return {
    id: checkId,
    name: pascalCase(checkId),
    shortDescription: { text: title },
    fullDescription: { text: info?.description ?? title },
    help: { text: remediation ?? title, markdown: helpMarkdown(title, remediation, frameworks, helpUri) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ['security', ...frameworkTags(frameworks)],
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
}

function result(finding: Finding, ruleIndex: number): Result {
  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    // A grouped finding keeps every place it was seen; viewers show the first.
    ...(locationsOf(finding).length > 0 ? { locations: locationsOf(finding).map((location) => ({ physicalLocation: physicalLocation(location) })) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(finding) },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: SUPPRESSION_KIND[finding.suppressed.by],
              status: 'accepted',
              justification: finding.suppressed.reason,
              ...(finding.suppressed.expires ? { properties: { expires: finding.suppressed.expires } } : {}),
            },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      ...(finding.resource ? { resource: finding.resource } : {}),
      ...(finding.container !== undefined ? { container: finding.container } : {}),
      ...(finding.path !== undefined ? { path: finding.path } : {}),
      ...(finding.frameworks ? { frameworks: finding.frameworks } : {}),
      ...(finding.admission ? { admission: finding.admission } : {}),
      ...(finding.occurrences ? { occurrences: finding.occurrences.map(({ message, container, path }) => ({ message, ...(container !== undefined ? { container } : {}), ...(path !== undefined ? { path } : {}) })) } : {}),
      // What --baseline matches: one location-independent fingerprint per occurrence.
      fingerprints: occurrenceFingerprints(finding),
    },
  };
}

function locationsOf(finding: Finding): Location[] {
  const all = finding.occurrences ? finding.occurrences.flatMap((o) => (o.location ? [o.location] : [])) : finding.location ? [finding.location] : [];
  const seen = new Set<string>();
  return all.filter((l) => {
    const key = `${l.file}:${l.line}:${l.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function physicalLocation(location: Location): NonNullable<SarifLocation['physicalLocation']> {
  return {
    artifactLocation: artifactLocation(location.file),
    region: { startLine: location.line, startColumn: location.column },
  };
}

/**
 * Paths as the user gave them, with POSIX separators and percent-encoding, so they are URI
 * references. Relative paths resolve against the checkout (%SRCROOT%, what GitHub expects);
 * absolute ones become file: URIs; stdin has no file, so it gets the name "stdin".
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file === '-') return { uri: 'stdin' };
  const posix = file.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(posix);
  if (drive || posix.startsWith('/')) return { uri: `file://${drive ? '/' : ''}${encodePath(posix)}` };
  return { uri: encodePath(posix.replace(/^(\.\/)+/, '')), uriBaseId: '%SRCROOT%' };
}

function encodePath(posixPath: string): string {
  return posixPath
    .split('/')
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
}

function mergeFrameworks(maps: ReadonlyArray<FrameworkMap | undefined>): Array<[string, string[]]> {
  const merged = new Map<string, Set<string>>();
  for (const map of maps) {
    for (const [framework, ids] of Object.entries(map ?? {})) {
      const set = merged.get(framework) ?? new Set<string>();
      for (const id of ids ?? []) set.add(id);
      merged.set(framework, set);
    }
  }
  return [...merged].sort(([a], [b]) => frameworkOrder(a) - frameworkOrder(b) || compareStrings(a, b)).map(([framework, ids]) => [framework, [...ids].sort(compareStrings)]);
}

/** DESIGN.md's order (pss, nist-800-53, mitre-atlas, cis); any other framework after them. */
function frameworkOrder(framework: string): number {
  const index = (FRAMEWORKS as readonly string[]).indexOf(framework);
  return index === -1 ? FRAMEWORKS.length : index;
}

/** "pss/restricted", "nist-800-53/AC-6": filterable tags in code-scanning views. */
function frameworkTags(frameworks: ReadonlyArray<[string, string[]]>): string[] {
  return frameworks.flatMap(([framework, ids]) => ids.map((id) => `${framework}/${id}`));
}

function helpMarkdown(title: string, remediation: string | undefined, frameworks: ReadonlyArray<[string, string[]]>, helpUri: string | undefined): string {
  const parts = [`**${title}**`];
  if (remediation) parts.push(`**Fix:** ${remediation}`);
  if (frameworks.length > 0) parts.push(frameworks.map(([framework, ids]) => `- ${framework}: ${ids.join(', ')}`).join('\n'));
  if (helpUri) parts.push(`[Documentation](${helpUri})`);
  return parts.join('\n\n');
}

/** "PSS_RESTRICTED_RUN_AS_NON_ROOT" → "PssRestrictedRunAsNonRoot": SARIF's rule name is an identifier. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}
