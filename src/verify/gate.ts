import { SEVERITY_RANK, type Finding, type Severity } from '../core/types.js';
import { gateFindings, readScanReport, readVex, type IngestedReport, type VexStatement } from '../scan/image/reports/index.js';
import { predicateMatches } from './statement.js';
import type { InTotoStatement, VerifyFailure } from './types.js';
import { isPlainObject } from '../core/object.js';

/** "A scan newer than maxAge, nothing at or above maxSeverity once VEX is applied." */
export interface ScanGate {
  maxAgeMs: number;
  maxSeverity: Severity;
}

export interface GateResult {
  failure?: VerifyFailure;
  /** The scan that decided, when there was one. */
  scan?: { finishedAt?: string; scanner?: string; findings: Finding[] };
}

/** `7d`, `168h`, `90m`, `3600s` (Kyverno and policy-controller write durations in Go's units; days are ours). */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(d|h|m|s)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[match[2] as 'd' | 'h' | 'm' | 's'];
  return Number(match[1]) * unit;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/** When the scan finished: cosign's metadata.scanFinishedOn, else the report's own time (Trivy CreatedAt…). */
function finishedAt(statement: InTotoStatement, report: IngestedReport | undefined): string | undefined {
  const metadata = record(record(statement.predicate).metadata);
  const finished = metadata.scanFinishedOn;
  if (typeof finished === 'string' && !Number.isNaN(Date.parse(finished))) return finished;
  return report?.createdAt;
}

/**
 * The built-in gate over verified attestations of one digest: the newest vuln/v1 scan decides;
 * VEX comes from verified OpenVEX and CycloneDX attestations (and the report's own analysis).
 * Unsigned side-channel reports never enter here: only statements that verified and cover the digest.
 */
export function evaluateScanGate(statements: readonly InTotoStatement[], gate: ScanGate, now: Date): GateResult {
  const vex: VexStatement[] = [];
  for (const s of statements) {
    if (predicateMatches('openvex', s.predicateType) || predicateMatches('cyclonedx', s.predicateType)) {
      const read = readVex(`attestation ${s.predicateType}`, JSON.stringify(s.predicate));
      vex.push(...read.statements);
    }
  }
  const scans = statements
    .filter((s) => predicateMatches('vuln', s.predicateType))
    .map((s) => {
      const read = readScanReport(`attestation ${s.predicateType}`, JSON.stringify(s.predicate));
      const at = finishedAt(s, read.report);
      const scanner = record(record(s.predicate).scanner).uri;
      return { statement: s, report: read.report, error: read.error, at, scanner: typeof scanner === 'string' ? scanner : undefined };
    })
    .sort((a, b) => Date.parse(b.at ?? '') - Date.parse(a.at ?? '') || 0);
  const newest = scans[0];
  if (!newest) return { failure: { reason: 'no-attestation', message: 'no verified vulnerability scan attestation (predicate https://cosign.sigstore.dev/attestation/vuln/v1) for this digest' } };
  if (!newest.at) return { failure: { reason: 'stale-scan', message: 'the scan attestation records no scanFinishedOn time, so its age is unknown' } };
  const age = now.getTime() - Date.parse(newest.at);
  if (age > gate.maxAgeMs) {
    const days = (age / 86_400_000).toFixed(1);
    return { failure: { reason: 'stale-scan', message: `the newest scan finished at ${newest.at}, ${days} days ago; at most ${(gate.maxAgeMs / 86_400_000).toFixed(1)} days allowed` }, scan: { finishedAt: newest.at, ...(newest.scanner ? { scanner: newest.scanner } : {}), findings: [] } };
  }
  if (!newest.report) return { failure: { reason: 'unsupported', message: `the scan attestation's report cannot be read: ${newest.error?.message ?? 'unknown format'}` } };
  const findings = gateFindings([newest.report], { vex, now });
  const blocking = findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[gate.maxSeverity]);
  const scan = { finishedAt: newest.at, ...(newest.scanner ? { scanner: newest.scanner } : {}), findings };
  if (blocking.length > 0) {
    const counts = new Map<Severity, number>();
    for (const f of blocking) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    const summary = [...counts].sort((a, b) => SEVERITY_RANK[b[0]] - SEVERITY_RANK[a[0]]).map(([s, n]) => `${n} ${s}`).join(', ');
    return { failure: { reason: 'vulnerable', message: `the scan of ${newest.at} reports ${summary} at or above ${gate.maxSeverity} after VEX` }, scan };
  }
  return { scan };
}
