import type { Finding, Occurrence } from '../../core/types.js';
import { compareLocations, compareStrings } from '../findings.js';

/**
 * One finding per check per object. A check that fires on every container of a pod, or on every
 * hostPath volume, says one thing about the object; the report keeps one finding with every
 * occurrence listed (`occurrences`), so counts measure problems rather than YAML nodes, and nothing
 * is lost: SARIF keeps every location. Findings about no resource (input errors, Dockerfile lines,
 * model files) stand alone. Findings that differ in severity, admission mode or suppression are
 * kept apart, so the gate and the suppressions see exactly what they saw before.
 */
export function groupFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Array<Finding | Finding[]> = [];
  for (const finding of findings) {
    if (!finding.resource || finding.occurrences) {
      out.push(finding);
      continue;
    }
    const key = groupKey(finding);
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      const fresh = [finding];
      groups.set(key, fresh);
      out.push(fresh);
    }
  }
  return out.map((entry) => (Array.isArray(entry) ? merge(entry) : entry));
}

function groupKey(f: Finding): string {
  const r = f.resource!;
  // The subject is part of what an RBAC finding is about: two identities holding one grant are two findings.
  const s = f.subject;
  return JSON.stringify([f.checkId, r.apiVersion, r.kind, r.namespace ?? '', r.name, s?.kind ?? '', s?.namespace ?? '', s?.name ?? '', f.location?.file ?? '', f.severity, f.admission ?? '', f.suppressed ?? null]);
}

function merge(group: Finding[]): Finding {
  if (group.length === 1) return group[0]!;
  const sorted = [...group].sort((a, b) => compareLocations(a.location, b.location) || compareStrings(a.path ?? '', b.path ?? ''));
  const first = sorted[0]!;
  const occurrences: Occurrence[] = sorted.map((f) => ({
    message: f.message,
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.path !== undefined ? { path: f.path } : {}),
    ...(f.location ? { location: f.location } : {}),
  }));
  const containers = [...new Set(sorted.map((f) => f.container).filter((c): c is string => c !== undefined))];
  const merged: Finding = { ...first, message: groupMessage(sorted, containers), occurrences };
  // One container for the whole group, or none: the list is in the occurrences.
  if (containers.length !== 1 || sorted.some((f) => f.container === undefined)) delete merged.container;
  return merged;
}

/**
 * The same message for every occurrence (PSS details already name every container) is said once;
 * otherwise the first message and what else is affected: the other containers, else the paths,
 * else how many more occurrences there are (each is in `occurrences` with its own message).
 */
function groupMessage(sorted: readonly Finding[], containers: readonly string[]): string {
  const first = sorted[0]!;
  if (sorted.every((f) => f.message === first.message)) return first.message;
  const others = sorted.slice(1);
  if (containers.length === sorted.length) return `${first.message} (also ${others.length === 1 ? 'container' : 'containers'} ${others.map((f) => `"${f.container}"`).join(', ')})`;
  const paths = [...new Set(others.map((f) => f.path))];
  if (paths.every((path) => path !== undefined && path !== first.path)) return `${first.message} (also ${paths.length === 1 ? 'path' : 'paths'} ${paths.join(', ')})`;
  return `${first.message} (and ${others.length} more ${others.length === 1 ? 'occurrence' : 'occurrences'})`;
}
