import type { Resource } from '../core/load.js';
import { formatMessage } from '../core/rule.js';
import type { Finding } from '../core/types.js';
import { malformedPodSpecs, type MalformedNote, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { workloadIncomplete } from './rules/workloadIncomplete.js';
import { workloadMalformed } from './rules/workloadMalformed.js';
import { workloadNotEvaluable } from './rules/workloadNotEvaluable.js';

/**
 * What the workloads walk notices about a pod spec besides its fields: it is incomplete (the API
 * server would refuse it, yet what is there is judged), or part of it is applied at run time and
 * cannot be judged. Said once per pod spec (incomplete) or per field (not evaluable), never dropped.
 */
export function workloadNoteFindings(resource: Resource, refs: readonly PodSpecRef[]): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const ref of refs) {
    if (ref.incomplete && ref.incomplete.length > 0) {
      const parts = ref.incomplete.map((note) => (note.reason === 'noContainers' ? 'it has no containers' : `container "${note.container ?? '?'}" has no image`));
      const path = ref.incomplete[0]!.path;
      const finding: Finding = {
        checkId: workloadIncomplete.id,
        severity: workloadIncomplete.severity,
        title: workloadIncomplete.title,
        message: formatMessage(workloadIncomplete, 'incomplete', { path: ref.podSpecPath, parts: parts.join('; ') }),
        resource: resource.ref,
        path,
        location: resource.locate(path),
        remediation: workloadIncomplete.remediation,
        frameworks: {},
      };
      const named = ref.incomplete.filter((n) => n.container !== undefined);
      if (named.length === 1) finding.container = named[0]!.container!;
      findings.push(finding);
    }
    for (const note of ref.notEvaluable ?? []) {
      // A workflow-level podSpecPatch concerns every template: once per field.
      if (reported.has(note.path)) continue;
      reported.add(note.path);
      const own = note.path.startsWith(ref.podSpecPath + '/');
      findings.push({
        checkId: workloadNotEvaluable.id,
        severity: workloadNotEvaluable.severity,
        title: workloadNotEvaluable.title,
        message: formatMessage(workloadNotEvaluable, own ? 'template' : 'workflow', { field: note.field, path: note.path, podSpec: ref.podSpecPath }),
        resource: resource.ref,
        path: note.path,
        location: resource.locate(note.path),
        remediation: workloadNotEvaluable.remediation,
        frameworks: {},
      });
    }
  }
  return findings;
}

/** A known pod-spec location (or a field on the way to it) that is not a mapping: one finding per place. */
export function malformedFindings(resource: Resource, notes: readonly MalformedNote[]): Finding[] {
  return notes.map((note) => ({
    checkId: workloadMalformed.id,
    severity: workloadMalformed.severity,
    title: workloadMalformed.title,
    message: formatMessage(workloadMalformed, note.atPodSpec ? 'podSpec' : 'onTheWay', { path: note.path, found: note.found, expected: note.expected, podSpec: note.podSpec, kind: note.kind }),
    resource: resource.ref,
    path: note.path,
    location: resource.locate(note.path),
    remediation: workloadMalformed.remediation,
    frameworks: {},
  }));
}

/** WORKLOAD_MALFORMED for every resource: what `palisade pss` adds so a malformed pod spec is never a silent pass. */
export function malformedWorkloadFindings(resources: readonly Resource[], table: WorkloadTable): Finding[] {
  return resources.flatMap((resource) => malformedFindings(resource, malformedPodSpecs(resource.object, table)));
}
