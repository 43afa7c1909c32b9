/**
 * The OSV schema (ossf/osv-schema, docs/schema.md), the parts matching needs. Advisories are read
 * leniently: a field of the wrong type is ignored, an advisory without id or affected is dropped.
 */
import { isPlainObject } from '../../../core/object.js';
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges: OsvRange[];
  versions: string[];
  severity: OsvSeverity[];
  ecosystemSeverity?: string;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAdvisory {
  id: string;
  aliases: string[];
  summary?: string;
  withdrawn?: string;
  severity: OsvSeverity[];
  /** database_specific.severity (GHSA: LOW, MODERATE, HIGH, CRITICAL). */
  databaseSeverity?: string;
  affected: OsvAffected[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function severities(value: unknown): OsvSeverity[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).flatMap((s) => (typeof s.type === 'string' && typeof s.score === 'string' ? [{ type: s.type, score: s.score }] : []));
}

function severityField(value: unknown): string | undefined {
  return isPlainObject(value) && typeof value.severity === 'string' ? value.severity : undefined;
}

export function readAdvisory(value: unknown): OsvAdvisory | undefined {
  if (!isPlainObject(value) || typeof value.id !== 'string') return undefined;
  const affected: OsvAffected[] = [];
  for (const entry of Array.isArray(value.affected) ? value.affected : []) {
    if (!isPlainObject(entry)) continue;
    const pkg = entry.package;
    const ranges: OsvRange[] = [];
    for (const range of Array.isArray(entry.ranges) ? entry.ranges : []) {
      if (!isPlainObject(range) || typeof range.type !== 'string' || !Array.isArray(range.events)) continue;
      const events: OsvEvent[] = range.events.filter(isPlainObject).map((e) => {
        const event: OsvEvent = {};
        for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) if (typeof e[key] === 'string') event[key] = e[key];
        return event;
      });
      ranges.push({ type: range.type, ...(typeof range.repo === 'string' ? { repo: range.repo } : {}), events });
    }
    const ecosystemSeverity = severityField(entry.ecosystem_specific) ?? severityField(entry.database_specific);
    affected.push({
      ...(isPlainObject(pkg) && typeof pkg.ecosystem === 'string' && typeof pkg.name === 'string'
        ? { package: { ecosystem: pkg.ecosystem, name: pkg.name, ...(typeof pkg.purl === 'string' ? { purl: pkg.purl } : {}) } }
        : {}),
      ranges,
      versions: strings(entry.versions),
      severity: severities(entry.severity),
      ...(ecosystemSeverity ? { ecosystemSeverity } : {}),
    });
  }
  const databaseSeverity = severityField(value.database_specific);
  return {
    id: value.id,
    aliases: strings(value.aliases),
    ...(typeof value.summary === 'string' ? { summary: value.summary } : {}),
    ...(typeof value.withdrawn === 'string' ? { withdrawn: value.withdrawn } : {}),
    severity: severities(value.severity),
    ...(databaseSeverity ? { databaseSeverity } : {}),
    affected,
  };
}
