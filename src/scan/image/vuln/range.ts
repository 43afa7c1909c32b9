import type { OsvAffected, OsvEvent, OsvRange } from './osv.js';
import { SEMVER_RANGES } from './versions/index.js';
import type { VersionScheme } from './versions/scheme.js';

export type AffectedVerdict =
  | { status: 'affected'; fixedIn: string[] }
  | { status: 'not-affected' }
  | { status: 'not-evaluable'; reason: string };

/** Versions in an event other than introduced "0", which means "from the beginning". */
function eventVersions(event: OsvEvent): string[] {
  return [event.introduced, event.fixed, event.last_affected, event.limit].filter((v): v is string => v !== undefined && !(v === '0' && event.introduced === '0'));
}

function eventVersion(event: OsvEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
}

/**
 * One ECOSYSTEM or SEMVER range, evaluated as the OSV schema's "Evaluation" section says: sort the
 * events, walk them, `introduced` turns affected on at or above it, `fixed` turns it off at or
 * above it, `last_affected` off above it; `limit` bounds the whole range from above.
 */
const sortedEvents = new WeakMap<OsvRange, OsvEvent[]>();

/** A range's events in version order ("0" first), sorted once per range. */
function sorted(range: OsvRange, scheme: VersionScheme): OsvEvent[] {
  let events = sortedEvents.get(range);
  if (!events) {
    const order = (e: OsvEvent): number => (e.introduced === '0' ? -1 : 0);
    events = [...range.events].sort((a, b) => order(a) - order(b) || (order(a) === -1 || order(b) === -1 ? 0 : scheme.compare(eventVersion(a), eventVersion(b))));
    sortedEvents.set(range, events);
  }
  return events;
}

const unreadable = new WeakMap<OsvRange, string | null>();

/** The first range bound the scheme cannot read, checked once per range. */
function unreadableBound(range: OsvRange, scheme: VersionScheme): string | undefined {
  let bad = unreadable.get(range);
  if (bad === undefined) {
    bad = range.events.flatMap(eventVersions).find((v) => v !== '*' && !scheme.valid(v)) ?? null;
    unreadable.set(range, bad);
  }
  return bad ?? undefined;
}

export function inRange(version: string, range: OsvRange, scheme: VersionScheme): { included: boolean; fixedIn?: string } {
  const events = sorted(range, scheme);
  let included = false;
  for (const event of events) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || scheme.compare(version, event.introduced) >= 0) included = true;
    } else if (event.fixed !== undefined) {
      if (scheme.compare(version, event.fixed) >= 0) included = false;
    } else if (event.last_affected !== undefined) {
      if (scheme.compare(version, event.last_affected) > 0) included = false;
    }
  }
  const limits = events.flatMap((e) => (e.limit !== undefined ? [e.limit] : []));
  if (limits.length > 0 && !limits.some((limit) => limit === '*' || scheme.compare(version, limit) < 0)) included = false;
  if (!included) return { included };
  const fixed = events.find((e) => e.fixed !== undefined && scheme.compare(e.fixed, version) > 0)?.fixed;
  return fixed === undefined ? { included } : { included, fixedIn: fixed };
}

/**
 * Is `version` affected by one `affected[]` entry? The `versions` list and ECOSYSTEM/SEMVER
 * ranges are evaluated; a GIT range needs the repository's history, so an entry that has only GIT
 * ranges (and no versions list) is "not evaluable", as is any range whose versions the ecosystem's
 * ordering cannot read. Never silently "not affected".
 */
export function evaluateAffected(version: string, affected: OsvAffected, ecosystemScheme: VersionScheme | undefined): AffectedVerdict {
  if (affected.versions.includes(version)) return { status: 'affected', fixedIn: fixedVersions(version, affected, ecosystemScheme) };
  const problems: string[] = [];
  let evaluated = affected.versions.length > 0;
  for (const range of affected.ranges) {
    if (range.type === 'GIT') continue;
    const scheme = range.type === 'SEMVER' ? SEMVER_RANGES : range.type === 'ECOSYSTEM' ? ecosystemScheme : undefined;
    if (!scheme) {
      problems.push(range.type === 'ECOSYSTEM' ? 'no version ordering known for this ecosystem' : `unknown range type ${range.type}`);
      continue;
    }
    if (!scheme.valid(version)) {
      problems.push(`installed version "${version}" is not a valid ${scheme.name} version`);
      continue;
    }
    const bad = unreadableBound(range, scheme);
    if (bad !== undefined) {
      problems.push(`range version "${bad}" is not a valid ${scheme.name} version`);
      continue;
    }
    evaluated = true;
    const result = inRange(version, range, scheme);
    if (result.included) return { status: 'affected', fixedIn: result.fixedIn === undefined ? [] : [result.fixedIn] };
  }
  if (problems.length > 0) return { status: 'not-evaluable', reason: problems[0] as string };
  if (!evaluated && affected.ranges.some((r) => r.type === 'GIT')) return { status: 'not-evaluable', reason: 'only GIT ranges: commits cannot be mapped to this version without the repository history' };
  return { status: 'not-affected' };
}

function fixedVersions(version: string, affected: OsvAffected, scheme: VersionScheme | undefined): string[] {
  if (!scheme || !scheme.valid(version)) return [];
  const fixed = affected.ranges.filter((r) => r.type !== 'GIT').flatMap((r) => r.events.flatMap((e) => (e.fixed !== undefined && scheme.valid(e.fixed) && scheme.compare(e.fixed, version) > 0 ? [e.fixed] : [])));
  return [...new Set(fixed)].sort(scheme.compare).slice(0, 1);
}
