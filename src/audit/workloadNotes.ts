import type { Resource } from '../core/load.js';
import type { Finding } from '../core/types.js';
import type { PodSpecRef } from '../workloads/index.js';

/**
 * What the workloads walk notices about a pod spec besides its fields: it is incomplete (the API
 * server would refuse it, yet what is there is judged), or part of it is applied at run time and
 * cannot be judged. Said once per pod spec (incomplete) or per field (not evaluable), never dropped.
 */
export const WORKLOAD_NOTE_ENTRIES = [
  {
    id: 'WORKLOAD_INCOMPLETE',
    severity: 'low',
    title: 'Pod spec is incomplete',
    description:
      'A pod spec without containers, or with a container that names no image, is refused by the API server and is usually a fragment (a kustomize base, a Helm partial, a template a tool fills in). palisade still judges what is there (host namespaces, volumes, the service account, the containers it has) and says the spec is incomplete, so a run never reports "no findings" for a workload it could not fully read. Rows the operator merges onto its own defaults (KServe workerSpec, LLMInferenceService, Seldon componentSpecs) are overrides, not incomplete.',
    remediation: 'Give every pod spec at least one container with an image, or audit the rendered manifests (kustomize build, helm template) rather than the fragment.',
    frameworks: {},
  },
  {
    id: 'WORKLOAD_NOT_EVALUABLE',
    severity: 'medium',
    title: 'Part of the pod spec is applied at run time',
    description:
      "Argo Workflows' `podSpecPatch` (on a template or the workflow spec) is a strategic merge patch, usually with parameters, that Argo applies to the pod when it creates it. It can set any field (privileged, hostPath volumes, hostNetwork), so the verdicts on that pod spec hold only for what the patch leaves unchanged.",
    remediation: 'Set the fields in the template itself (container, securityContext, resources) instead of podSpecPatch, or enforce the policy at admission (palisade serve) where the patched pod is seen.',
    frameworks: {},
  },
] as const;

export function workloadNoteFindings(resource: Resource, refs: readonly PodSpecRef[]): Finding[] {
  const findings: Finding[] = [];
  const [incomplete, notEvaluable] = WORKLOAD_NOTE_ENTRIES;
  for (const ref of refs) {
    if (ref.incomplete && ref.incomplete.length > 0) {
      const parts = ref.incomplete.map((note) => (note.reason === 'noContainers' ? 'it has no containers' : `container "${note.container ?? '?'}" has no image`));
      const finding: Finding = {
        checkId: incomplete.id,
        severity: incomplete.severity,
        title: incomplete.title,
        message: `the pod spec at ${ref.podSpecPath} is incomplete: ${parts.join('; ')}; the API server would refuse it, and only what is there was judged`,
        resource: resource.ref,
        path: ref.incomplete[0]!.path,
        location: resource.locate(ref.incomplete[0]!.path),
        remediation: incomplete.remediation,
        frameworks: {},
      };
      const named = ref.incomplete.filter((n) => n.container !== undefined).map((n) => n.container!);
      if (named.length === 1) finding.container = named[0]!;
      findings.push(finding);
    }
    for (const note of ref.notEvaluable ?? []) {
      findings.push({
        checkId: notEvaluable.id,
        severity: notEvaluable.severity,
        title: notEvaluable.title,
        message: `${note.field} at ${note.path} is applied ${note.path.startsWith(ref.podSpecPath + '/') ? `to the pod of ${ref.podSpecPath}` : 'to every pod the workflow runs'} at run time and cannot be evaluated; the verdicts hold only for the fields it leaves unchanged`,
        resource: resource.ref,
        path: note.path,
        location: resource.locate(note.path),
        remediation: notEvaluable.remediation,
        frameworks: {},
      });
    }
  }
  return dedupe(findings);
}

/** A workflow-level podSpecPatch concerns every template: report it once per resource. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.checkId !== 'WORKLOAD_NOT_EVALUABLE') return true;
    if (seen.has(f.path!)) return false;
    seen.add(f.path!);
    return true;
  });
}
