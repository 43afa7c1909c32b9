import type { Finding, Location } from '../core/types.js';
import { compareFindings, compareLocations, compareStrings, fileLabel, groupBy, locationLabel, resourceLabel } from './findings.js';
import { policyName, pssResults, type PssResultView } from './pssResults.js';
import type { Reporter } from './types.js';
import { xmlAttributes, xmlText } from './xml.js';

/**
 * JUnit XML for CI test views. One <testsuite> per file: people fix findings file by file, the
 * text output groups the same way, and Jenkins shows suites as the top of its result tree. Each
 * testcase's classname is the check ID, which has no dots, so Jenkins does not split a dotted file
 * path into bogus packages, and GitLab (which shows classname as the "suite" column and links
 * `file`) lists the check next to the file. Findings fail, suppressed findings are skipped, and pod
 * specs that PSS allows pass, so the counts say how much was checked, not only what failed.
 */
export const junit: Reporter = (report) => {
  const cases: TestCase[] = [...report.findings.map(findingCase), ...pssResults(report).filter((r) => r.allowed).map(allowedCase)];
  const suites = groupBy(cases.sort(compareCases), (testCase) => testCase.location?.file);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${xmlAttributes({ name: report.tool.name, ...counts(cases) })}>`];
  for (const [file, suiteCases] of suites) {
    lines.push(`  <testsuite${xmlAttributes({ name: file === undefined ? '(no location)' : fileLabel(file), ...counts(suiteCases) })}>`);
    for (const testCase of suiteCases) lines.push(...renderCase(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
};

interface TestCase {
  name: string;
  classname: string;
  location?: Location;
  outcome: { kind: 'pass' } | { kind: 'failure'; message: string; type: string; details: string } | { kind: 'skipped'; message: string };
  /** Tie-breaker for cases at the same position. */
  finding?: Finding;
}

function findingCase(finding: Finding): TestCase {
  const subject = finding.resource ? resourceLabel(finding.resource) + (finding.container !== undefined ? ` container ${finding.container}` : '') : finding.message;
  const base = { name: `${finding.title}: ${subject}`, classname: finding.checkId, finding, ...(finding.location ? { location: finding.location } : {}) };
  if (finding.suppressed) {
    const { by, reason, expires } = finding.suppressed;
    return { ...base, outcome: { kind: 'skipped', message: `suppressed by ${by}: ${reason}${expires ? ` (until ${expires})` : ''}` } };
  }
  return { ...base, outcome: { kind: 'failure', message: finding.message, type: finding.severity, details: failureDetails(finding) } };
}

function allowedCase(result: PssResultView): TestCase {
  return {
    name: `PodSecurity ${policyName(result)}: ${resourceLabel(result.resource)} ${result.podSpecPath}`,
    classname: 'PodSecurity',
    ...(result.location ? { location: result.location } : {}),
    outcome: { kind: 'pass' },
  };
}

/** What a CI log shows when the failure is opened: where, what, and the fix. */
function failureDetails(finding: Finding): string {
  const where = [finding.location ? locationLabel(finding.location) : '', resourceLabel(finding.resource), finding.path ?? ''].filter(Boolean).join(' ');
  return [where, `${finding.severity.toUpperCase()} ${finding.checkId}: ${finding.title}`, finding.message, finding.remediation ? `fix: ${finding.remediation}` : '']
    .filter(Boolean)
    .join('\n');
}

/** By position; at one position findings come before passes, each kind in its own order. */
function compareCases(a: TestCase, b: TestCase): number {
  return (
    compareLocations(a.location, b.location) ||
    Number(!a.finding) - Number(!b.finding) ||
    (a.finding && b.finding ? compareFindings(a.finding, b.finding) : compareStrings(a.classname, b.classname) || compareStrings(a.name, b.name))
  );
}

function counts(cases: readonly TestCase[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: 0,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
  };
}

function renderCase(testCase: TestCase): string[] {
  // stdin is no file a CI system could link to.
  const file = testCase.location?.file === '-' ? undefined : testCase.location?.file;
  const attributes = xmlAttributes({ name: testCase.name, classname: testCase.classname, file, line: file === undefined ? undefined : testCase.location?.line });
  const { outcome } = testCase;
  switch (outcome.kind) {
    case 'pass':
      return [`    <testcase${attributes}/>`];
    case 'skipped':
      return [`    <testcase${attributes}>`, `      <skipped${xmlAttributes({ message: outcome.message })}/>`, '    </testcase>'];
    case 'failure':
      return [
        `    <testcase${attributes}>`,
        `      <failure${xmlAttributes({ message: outcome.message, type: outcome.type })}>${xmlText(outcome.details)}</failure>`,
        '    </testcase>',
      ];
  }
}
